#include "adapters/sqlite/task_list_sql.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "adapters/sql/task_list_order.hpp"

namespace taskflow::sqlite {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

SqlValue Text(std::string text) { return SqlValue(std::move(text)); }
SqlValue Int(std::int64_t n) { return SqlValue(n); }

std::size_t Placeholders(const std::string& sql) {
  return static_cast<std::size_t>(std::count(sql.begin(), sql.end(), '?'));
}

TEST(TaskListSqlTest, DefaultQueryIsNewestFirstScopedToTheOwner) {
  const TaskListSql sql = BuildTaskListSql("user-1", TaskQuery{});
  EXPECT_EQ(sql.page.sql,
            "SELECT t.seq, t.id, t.version FROM tasks t "
            "WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id DESC LIMIT ? OFFSET ?");
  // The limit reads kCountAheadRows past the page, to count them.
  EXPECT_THAT(sql.page.values, ElementsAre(Text("user-1"), Int(20 + kCountAheadRows), Int(0)));

  EXPECT_EQ(sql.count.sql, "SELECT count(*) FROM tasks t WHERE t.user_id = ?");
  EXPECT_THAT(sql.count.values, ElementsAre(Text("user-1")));
}

TEST(TaskListSqlTest, ARowOfThePageIsReadWithItsTagsAndReminders) {
  EXPECT_EQ(TaskRowSql(), "SELECT " + std::string(kTaskColumns) + " FROM tasks t WHERE t.seq = ?");
  EXPECT_THAT(TaskRowSql(), HasSubstr("t.tag_names"));
  EXPECT_THAT(TaskRowSql(), HasSubstr("FROM task_reminders r"));
}

TEST(TaskListSqlTest, EveryFilterIsAndCombinedAndBoundInOrder) {
  TaskQuery query;
  query.status = TaskStatus::kCompleted;
  query.priorities = {Priority::kP3, Priority::kP1};
  query.tag_keys = {"work", "home"};
  query.due_after = FromUnixMillis(1000);
  query.due_before = FromUnixMillis(2000);
  query.has_due_date = true;
  query.text = "report";
  query.sort_by = SortField::kTitle;
  query.sort_order = SortOrder::kAsc;
  query.offset = 40;
  query.limit = 10;

  const TaskListSql sql = BuildTaskListSql("u", query);
  const std::string where =
      " WHERE t.user_id = ?"
      " AND t.status = ?"
      " AND t.priority IN (?, ?)"
      " AND t.id IN (SELECT tt.task_id FROM task_tags tt JOIN tags g ON g.id = tt.tag_id "
      "WHERE g.user_id = ? AND g.name_key IN (?, ?))"
      " AND t.due_at >= ?"
      " AND t.due_at <= ?"
      " AND t.due_at IS NOT NULL"
      " AND t.seq IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?)";
  EXPECT_EQ(sql.count.sql, "SELECT count(*) FROM tasks t" + where);
  EXPECT_EQ(sql.page.sql, "SELECT t.seq, t.id, t.version FROM tasks t" + where +
                             " ORDER BY t.title_key ASC, t.id ASC LIMIT ? OFFSET ?");
  // Priorities and tag keys are sorted (fewer statement shapes, same meaning).
  EXPECT_THAT(sql.count.values,
              ElementsAre(Text("u"), Text("completed"), Int(1), Int(3), Text("u"), Text("home"),
                          Text("work"), Int(1000), Int(2000), Text("\"report\"")));
  EXPECT_THAT(sql.page.values, ElementsAre(Text("u"), Text("completed"), Int(1), Int(3), Text("u"),
                                           Text("home"), Text("work"), Int(1000), Int(2000),
                                           Text("\"report\""), Int(10 + kCountAheadRows), Int(40)));
  EXPECT_EQ(Placeholders(sql.page.sql), sql.page.values.size());
  EXPECT_EQ(Placeholders(sql.count.sql), sql.count.values.size());
}

TEST(TaskListSqlTest, DuplicatePrioritiesAndTagsAreBoundOnce) {
  TaskQuery query;
  query.priorities = {Priority::kP2, Priority::kP2};
  query.tag_keys = {"a", "a", "b"};
  const TaskListSql sql = BuildTaskListSql("u", query);
  EXPECT_THAT(sql.count.sql, HasSubstr("t.priority IN (?)"));
  EXPECT_THAT(sql.count.sql, HasSubstr("g.name_key IN (?, ?)"));
  EXPECT_THAT(sql.count.values, ElementsAre(Text("u"), Int(2), Text("u"), Text("a"), Text("b")));
}

TEST(TaskListSqlTest, NoDueDateFilter) {
  TaskQuery query;
  query.has_due_date = false;
  const TaskListSql sql = BuildTaskListSql("u", query);
  EXPECT_THAT(sql.count.sql, EndsWith(" AND t.due_at IS NULL"));
  EXPECT_THAT(sql.count.values, ElementsAre(Text("u")));
}

TEST(TaskListSqlTest, ValuesNeverAppearInTheSql) {
  TaskQuery query;
  query.text = "x'); DROP TABLE tasks; --";
  query.tag_keys = {"' OR 1=1 --"};
  const TaskListSql sql = BuildTaskListSql("evil' OR '1'='1", query);
  for (const std::string* text : {&sql.page.sql, &sql.count.sql}) {
    EXPECT_THAT(*text, Not(HasSubstr("DROP")));
    EXPECT_THAT(*text, Not(HasSubstr("1=1")));
    EXPECT_THAT(*text, Not(HasSubstr("evil")));
  }
  EXPECT_EQ(Placeholders(sql.page.sql), sql.page.values.size());
}

TEST(TaskListSqlTest, ShortSearchTextScansTheFoldedCopies) {
  TaskQuery query;
  query.text = "é!";  // two code points, three bytes: no trigram
  const TaskListSql sql = BuildTaskListSql("u", query);
  EXPECT_THAT(
      sql.count.sql,
      HasSubstr(" AND (instr(t.title_key, ?) > 0 OR instr(taskflow_fold(t.description), ?) > 0)"));
  EXPECT_THAT(sql.count.sql, Not(HasSubstr("MATCH")));
  EXPECT_THAT(sql.count.values, ElementsAre(Text("u"), Text("é!"), Text("é!")));
}

TEST(TaskListSqlTest, ThreeCodePointsUseTheTrigramIndex) {
  TaskQuery query;
  query.text = "caf";
  EXPECT_THAT(BuildTaskListSql("u", query).count.sql, HasSubstr("tasks_fts MATCH ?"));
  query.text = "çé";  // four bytes, two code points
  EXPECT_THAT(BuildTaskListSql("u", query).count.sql, Not(HasSubstr("MATCH")));
}

TEST(TaskListSqlTest, ScanStrategyAvoidsTheIndexForLongTexts) {
  TaskQuery query;
  query.text = "report";
  const TaskListSql sql = BuildTaskListSql("u", query, TextSearch::kScan);
  EXPECT_THAT(
      sql.count.sql,
      HasSubstr(" AND (instr(t.title_key, ?) > 0 OR instr(taskflow_fold(t.description), ?) > 0)"));
  EXPECT_THAT(sql.count.sql, Not(HasSubstr("MATCH")));
  EXPECT_THAT(sql.count.values, ElementsAre(Text("u"), Text("report"), Text("report")));
}

TEST(TaskListSqlTest, EmptySearchTextFiltersNothing) {
  TaskQuery query;
  query.text = "";
  EXPECT_EQ(BuildTaskListSql("u", query).count.sql,
            "SELECT count(*) FROM tasks t WHERE t.user_id = ?");
}

TEST(TaskListSqlTest, FtsPhraseQuotesEverything) {
  EXPECT_EQ(FtsPhrase("abc"), "\"abc\"");
  EXPECT_EQ(FtsPhrase("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(FtsPhrase("a OR b*"), "\"a OR b*\"");
}

TEST(TaskListSqlTest, PagePicksItsRowsAndSortsThemInTheSharedOrder) {
  TaskQuery query;
  query.sort_by = SortField::kDueAt;
  query.sort_order = SortOrder::kAsc;
  const std::string order(sql::TaskListOrderBy(SortField::kDueAt, SortOrder::kAsc));
  const std::string page = BuildTaskListSql("u", query).page.sql;
  EXPECT_THAT(page, EndsWith(order + " LIMIT ? OFFSET ?"));
}

}  // namespace
}  // namespace taskflow::sqlite
