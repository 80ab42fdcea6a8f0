#include "adapters/postgres/task_list_sql.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "adapters/sql/task_list_order.hpp"

namespace taskflow::postgres {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

Param Text(std::string text) { return Param(std::move(text)); }

// The highest $n the SQL refers to: every value must be bound, and no more.
std::size_t HighestPlaceholder(const std::string& sql) {
  std::size_t highest = 0;
  for (std::size_t at = sql.find('$'); at != std::string::npos; at = sql.find('$', at + 1)) {
    std::size_t n = 0;
    for (std::size_t i = at + 1; i < sql.size() && sql[i] >= '0' && sql[i] <= '9'; ++i) {
      n = n * 10 + static_cast<std::size_t>(sql[i] - '0');
    }
    highest = std::max(highest, n);
  }
  return highest;
}

void ExpectEveryValueBound(const SqlQuery& query) {
  EXPECT_EQ(HighestPlaceholder(query.sql), query.values.size()) << query.sql;
}

TEST(PostgresTaskListSqlTest, DefaultQueryIsNewestFirstScopedToTheOwner) {
  const TaskListSql sql = BuildTaskListSql("user-1", TaskQuery{});
  EXPECT_THAT(sql.page.sql, StartsWith("SELECT t.id, t.user_id"));
  EXPECT_THAT(sql.page.sql, HasSubstr(" FROM tasks t WHERE t.user_id = $1"));
  EXPECT_THAT(sql.page.sql, EndsWith(" ORDER BY t.created_at DESC, t.id DESC LIMIT $2 OFFSET $3"));
  EXPECT_THAT(sql.page.values, ElementsAre(Text("user-1"), Text("20"), Text("0")));

  EXPECT_EQ(sql.count.sql, "SELECT count(*) FROM tasks t WHERE t.user_id = $1");
  EXPECT_THAT(sql.count.values, ElementsAre(Text("user-1")));
}

TEST(PostgresTaskListSqlTest, PageSelectsTheTaskColumnsWithTheirTagsAndMillis) {
  const TaskListSql sql = BuildTaskListSql("u", TaskQuery{});
  EXPECT_THAT(sql.page.sql, HasSubstr(std::string(kTaskColumns)));
  // Packed as adapters/sql/task_row_codec.hpp decodes them.
  EXPECT_THAT(sql.page.sql, HasSubstr("string_agg(g.name_key || chr(30) || g.name, chr(31))"));
  EXPECT_THAT(sql.page.sql, HasSubstr("CASE WHEN t.reminder_count > 0 THEN"));
  EXPECT_THAT(sql.page.sql, HasSubstr("(extract(epoch FROM t.due_at) * 1000)::bigint"));
}

TEST(PostgresTaskListSqlTest, EveryFilterIsAndCombinedAndBoundInOrder) {
  TaskQuery query;
  query.status = TaskStatus::kCompleted;
  query.priorities = {Priority::kP3, Priority::kP1};
  query.tag_keys = {"work", "home"};
  query.due_after = FromUnixMillis(1000);
  query.due_before = FromUnixMillis(2500);
  query.has_due_date = true;
  query.text = "report";
  query.sort_by = SortField::kTitle;
  query.sort_order = SortOrder::kAsc;
  query.offset = 40;
  query.limit = 10;

  const TaskListSql sql = BuildTaskListSql("u", query);
  const std::string where =
      " WHERE t.user_id = $1"
      " AND t.status = $2"
      " AND t.priority = ANY($3::smallint[])"
      " AND t.id IN (SELECT tt.task_id FROM task_tags tt JOIN tags g ON g.id = tt.tag_id "
      "WHERE g.user_id = $4 AND g.name_key = ANY($5::text[]))"
      " AND t.due_at >= $6::timestamptz"
      " AND t.due_at <= $7::timestamptz"
      " AND t.due_at IS NOT NULL"
      " AND (t.title_key LIKE $8 OR t.description_key LIKE $8)";
  EXPECT_EQ(sql.count.sql, "SELECT count(*) FROM tasks t" + where);
  EXPECT_THAT(sql.page.sql, EndsWith(" FROM tasks t" + where +
                                     " ORDER BY t.title_key ASC, t.id ASC LIMIT $9 OFFSET $10"));
  // Priorities and tag keys are sorted, as arrays; instants are RFC 3339.
  EXPECT_THAT(sql.count.values,
              ElementsAre(Text("u"), Text("completed"), Text(R"({"1","3"})"), Text("u"),
                          Text(R"({"home","work"})"), Text("1970-01-01T00:00:01Z"),
                          Text("1970-01-01T00:00:02.500Z"), Text("%report%")));
  ASSERT_EQ(sql.page.values.size(), 10u);
  EXPECT_EQ(sql.page.values[8], Text("10"));
  EXPECT_EQ(sql.page.values[9], Text("40"));
  ExpectEveryValueBound(sql.page);
  ExpectEveryValueBound(sql.count);
}

TEST(PostgresTaskListSqlTest, DuplicatePrioritiesAndTagsAreBoundOnce) {
  TaskQuery query;
  query.priorities = {Priority::kP2, Priority::kP2};
  query.tag_keys = {"a", "a", "b"};
  const TaskListSql sql = BuildTaskListSql("u", query);
  EXPECT_THAT(sql.count.values,
              ElementsAre(Text("u"), Text(R"({"2"})"), Text("u"), Text(R"({"a","b"})")));
}

TEST(PostgresTaskListSqlTest, NoDueDateFilter) {
  TaskQuery query;
  query.has_due_date = false;
  const TaskListSql sql = BuildTaskListSql("u", query);
  EXPECT_THAT(sql.count.sql, EndsWith(" AND t.due_at IS NULL"));
  EXPECT_THAT(sql.count.values, ElementsAre(Text("u")));
}

TEST(PostgresTaskListSqlTest, ValuesNeverAppearInTheSql) {
  TaskQuery query;
  query.text = "x'); DROP TABLE tasks; --";
  query.tag_keys = {"' OR 1=1 --", "\"}, {\"evil"};
  const TaskListSql sql = BuildTaskListSql("evil' OR '1'='1", query);
  for (const std::string* text : {&sql.page.sql, &sql.count.sql}) {
    EXPECT_THAT(*text, Not(HasSubstr("DROP")));
    EXPECT_THAT(*text, Not(HasSubstr("1=1")));
    EXPECT_THAT(*text, Not(HasSubstr("evil")));
  }
  // Array elements are quoted and escaped: one element stays one element.
  EXPECT_EQ(sql.count.values[2], Text(R"({"\"}, {\"evil","' OR 1=1 --"})"));
  ExpectEveryValueBound(sql.page);
}

TEST(PostgresTaskListSqlTest, SearchPatternsMatchWildcardsLiterally) {
  EXPECT_EQ(ContainsPattern("abc"), "%abc%");
  EXPECT_EQ(ContainsPattern("100%"), "%100\\%%");
  EXPECT_EQ(ContainsPattern("a_b"), "%a\\_b%");
  EXPECT_EQ(ContainsPattern("back\\slash"), "%back\\\\slash%");
  EXPECT_EQ(ContainsPattern("é"), "%é%");
}

TEST(PostgresTaskListSqlTest, EmptySearchTextFiltersNothing) {
  TaskQuery query;
  query.text = "";
  EXPECT_EQ(BuildTaskListSql("u", query).count.sql,
            "SELECT count(*) FROM tasks t WHERE t.user_id = $1");
}

TEST(PostgresTaskListSqlTest, EqualQueriesHaveOneShape) {
  // Prepared statements are cached by their text: the number of tags or
  // priorities must not change it.
  TaskQuery one;
  one.tag_keys = {"a"};
  one.priorities = {Priority::kP1};
  TaskQuery three = one;
  three.tag_keys = {"a", "b", "c"};
  three.priorities = {Priority::kP1, Priority::kP2, Priority::kP4};
  EXPECT_EQ(BuildTaskListSql("u", one).page.sql, BuildTaskListSql("v", three).page.sql);
}

TEST(PostgresTaskListSqlTest, ArrayLiteralsQuoteEveryElement) {
  EXPECT_EQ(ArrayLiteral(std::vector<std::string>{}), "{}");
  EXPECT_EQ(ArrayLiteral(std::vector<std::string>{"NULL", "a b", "x\\y", "q\"q", ""}),
            R"({"NULL","a b","x\\y","q\"q",""})");
}

TEST(PostgresTaskListSqlTest, PageEndsWithTheSharedOrderThenLimitAndOffset) {
  TaskQuery query;
  query.sort_by = SortField::kDueAt;
  query.sort_order = SortOrder::kAsc;
  EXPECT_THAT(BuildTaskListSql("u", query).page.sql,
              EndsWith(std::string(sql::TaskListOrderBy(SortField::kDueAt, SortOrder::kAsc)) +
                       " LIMIT $2 OFFSET $3"));
}

}  // namespace
}  // namespace taskflow::postgres
