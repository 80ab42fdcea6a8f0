#include "domain/task_query.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace taskflow {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;
using Params = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> FieldNames(const Error& error) {
  std::vector<std::string> names;
  for (const FieldError& field : error.fields) names.push_back(field.field);
  return names;
}

Instant T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(OverdueTest, ATimedTaskIsOverdueOnceItsMomentPassed) {
  const OverdueCutoff cutoff{T("2026-11-18T10:00:00Z"), T("2026-11-18T00:00:00Z")};
  EXPECT_TRUE(IsOverdue(T("2026-11-18T09:00:00Z"), false, cutoff));   // an hour ago
  EXPECT_FALSE(IsOverdue(T("2026-11-18T10:00:00Z"), false, cutoff));  // this very moment
  EXPECT_FALSE(IsOverdue(T("2026-11-18T11:00:00Z"), false, cutoff));
  EXPECT_FALSE(IsOverdue(std::nullopt, false, cutoff));
}

TEST(OverdueTest, AnAllDayTaskIsOverdueOnceItsDayIsOver) {
  const OverdueCutoff cutoff{T("2026-11-18T10:00:00Z"), T("2026-11-18T00:00:00Z")};
  EXPECT_FALSE(IsOverdue(T("2026-11-18T00:00:00Z"), true, cutoff));  // due today
  EXPECT_TRUE(IsOverdue(T("2026-11-17T00:00:00Z"), true, cutoff));   // due yesterday
  Task task;
  task.due_at = T("2026-11-18T00:00:00Z");
  task.all_day = true;
  EXPECT_FALSE(IsOverdue(task, cutoff));
  task.all_day = false;  // the same instant as a time: past
  EXPECT_TRUE(IsOverdue(task, cutoff));
}

TEST(OverdueTest, TodayStartsInTheUsersZone) {
  // 10:00 UTC is 05:00 in New York (EST, UTC-5): today began at 05:00 UTC.
  const auto cutoff = OverdueCutoffAt(T("2026-11-18T10:00:00Z"), "America/New_York");
  ASSERT_TRUE(cutoff.has_value());
  EXPECT_EQ(cutoff->now, T("2026-11-18T10:00:00Z"));
  EXPECT_EQ(cutoff->today_start, T("2026-11-18T05:00:00Z"));
  // 02:00 UTC is still 17 November in New York.
  EXPECT_EQ(OverdueCutoffAt(T("2026-11-18T02:00:00Z"), "America/New_York")->today_start,
            T("2026-11-17T05:00:00Z"));
  EXPECT_FALSE(OverdueCutoffAt(T("2026-11-18T10:00:00Z"), "Mars/Olympus").has_value());
}

TEST(ParseTaskQueryTest, DefaultsWhenEmpty) {
  const auto query = ParseTaskQuery({});
  ASSERT_TRUE(query.ok());
  EXPECT_FALSE(query->text.has_value());
  EXPECT_FALSE(query->status.has_value());
  EXPECT_THAT(query->priorities, IsEmpty());
  EXPECT_THAT(query->tag_keys, IsEmpty());
  EXPECT_FALSE(query->due_after.has_value());
  EXPECT_FALSE(query->due_before.has_value());
  EXPECT_FALSE(query->has_due_date.has_value());
  EXPECT_EQ(query->sort_by, SortField::kCreatedAt);
  EXPECT_EQ(query->sort_order, SortOrder::kDesc);
  EXPECT_EQ(query->offset, 0);
  EXPECT_EQ(query->limit, 20);
}

TEST(ParseTaskQueryTest, ParsesEveryParameter) {
  const auto query = ParseTaskQuery({{"q", "  CAF\xC3\x89  "},
                                     {"status", "completed"},
                                     {"priority", "P1"},
                                     {"priority", "P3"},
                                     {"priority", "P1"},
                                     {"tag", " Work "},
                                     {"tag", "HOME"},
                                     {"tag", "work"},
                                     {"due_after", "2026-01-01T00:00:00Z"},
                                     {"due_before", "2026-12-31T23:59:59+01:00"},
                                     {"has_due_date", "true"},
                                     {"sort_by", "priority"},
                                     {"sort_order", "asc"},
                                     {"offset", "40"},
                                     {"limit", "100"},
                                     {"unknown", "ignored"}});
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->text, "caf\xC3\xA9");
  EXPECT_EQ(query->status, TaskStatus::kCompleted);
  EXPECT_THAT(query->priorities, ElementsAre(Priority::kP1, Priority::kP3));
  EXPECT_THAT(query->tag_keys, ElementsAre("work", "home"));
  EXPECT_EQ(query->due_after, ParseRfc3339("2026-01-01T00:00:00Z"));
  EXPECT_EQ(query->due_before, ParseRfc3339("2026-12-31T22:59:59Z"));
  EXPECT_EQ(query->has_due_date, true);
  EXPECT_EQ(query->sort_by, SortField::kPriority);
  EXPECT_EQ(query->sort_order, SortOrder::kAsc);
  EXPECT_EQ(query->offset, 40);
  EXPECT_EQ(query->limit, 100);
}

TEST(ParseTaskQueryTest, TextIsFoldedAndBlankMeansNoFilter) {
  EXPECT_EQ(ParseTaskQuery({{"q",
                             "Stra\xC3\x9F"
                             "e"}})
                ->text,
            "strasse");
  EXPECT_FALSE(ParseTaskQuery({{"q", ""}})->text.has_value());
  EXPECT_FALSE(ParseTaskQuery({{"q", " \t "}})->text.has_value());
  EXPECT_EQ(ParseTaskQuery({{"q", std::string(200, 'x')}})->text, std::string(200, 'x'));
}

TEST(ParseTaskQueryTest, DueAfterLaterThanDueBeforeIsAllowed) {
  EXPECT_TRUE(ParseTaskQuery(
                  {{"due_after", "2027-01-01T00:00:00Z"}, {"due_before", "2026-01-01T00:00:00Z"}})
                  .ok());
}

TEST(ParseTaskQueryTest, SortFieldsAndOrders) {
  const std::vector<std::pair<std::string, SortField>> fields = {
      {"created_at", SortField::kCreatedAt},
      {"updated_at", SortField::kUpdatedAt},
      {"due_at", SortField::kDueAt},
      {"priority", SortField::kPriority},
      {"title", SortField::kTitle}};
  for (const auto& [text, field] : fields) {
    EXPECT_EQ(ParseTaskQuery({{"sort_by", text}})->sort_by, field) << text;
  }
  EXPECT_EQ(ParseTaskQuery({{"sort_order", "desc"}})->sort_order, SortOrder::kDesc);
  EXPECT_EQ(ParseTaskQuery({{"has_due_date", "false"}})->has_due_date, false);
  EXPECT_EQ(ParseTaskQuery({{"status", "pending"}})->status, TaskStatus::kPending);
}

TEST(ParseTaskQueryTest, PageBounds) {
  EXPECT_EQ(ParseTaskQuery({{"offset", "0"}})->offset, 0);
  EXPECT_EQ(ParseTaskQuery({{"offset", "1000000000"}})->offset, 1'000'000'000);
  EXPECT_EQ(ParseTaskQuery({{"offset", "007"}})->offset, 7);
  EXPECT_EQ(ParseTaskQuery({{"limit", "1"}})->limit, 1);
}

struct BadCase {
  Params params;
  std::string field;
};

class ParseTaskQueryInvalid : public testing::TestWithParam<BadCase> {};

TEST_P(ParseTaskQueryInvalid, NamesTheParameter) {
  const auto query = ParseTaskQuery(GetParam().params);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(query.error().fields.size(), 1u);
  EXPECT_EQ(query.error().fields[0].field, GetParam().field);
  EXPECT_FALSE(query.error().fields[0].message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseTaskQueryInvalid,
    testing::Values(
        BadCase{{{"q", std::string(201, 'x')}}, "q"}, BadCase{{{"q", "bad\xFF"}}, "q"},
        BadCase{{{"q", "a\x01"}}, "q"}, BadCase{{{"status", "done"}}, "status"},
        BadCase{{{"status", ""}}, "status"}, BadCase{{{"status", "Pending"}}, "status"},
        BadCase{{{"priority", "P5"}}, "priority"}, BadCase{{{"priority", "p1"}}, "priority"},
        BadCase{{{"priority", "P1"}, {"priority", ""}}, "priority"}, BadCase{{{"tag", ""}}, "tag"},
        BadCase{{{"tag", "  "}}, "tag"},
        BadCase{{{"tag", "ok"}, {"tag", std::string(51, 't')}}, "tag"},
        BadCase{{{"due_after", "tomorrow"}}, "due_after"},
        BadCase{{{"due_after", "2026-02-30T00:00:00Z"}}, "due_after"},
        BadCase{{{"due_before", "2026-12-01"}}, "due_before"},
        BadCase{{{"due_before", ""}}, "due_before"},
        BadCase{{{"has_due_date", "yes"}}, "has_due_date"},
        BadCase{{{"has_due_date", "TRUE"}}, "has_due_date"},
        BadCase{{{"has_due_date", "1"}}, "has_due_date"}, BadCase{{{"sort_by", "name"}}, "sort_by"},
        BadCase{{{"sort_by", ""}}, "sort_by"}, BadCase{{{"sort_order", "ascending"}}, "sort_order"},
        BadCase{{{"sort_order", "ASC"}}, "sort_order"}, BadCase{{{"offset", "-1"}}, "offset"},
        BadCase{{{"offset", "+1"}}, "offset"}, BadCase{{{"offset", " 1"}}, "offset"},
        BadCase{{{"offset", "1 "}}, "offset"}, BadCase{{{"offset", ""}}, "offset"},
        BadCase{{{"offset", "1.5"}}, "offset"}, BadCase{{{"offset", "1e3"}}, "offset"},
        BadCase{{{"offset", "0x10"}}, "offset"}, BadCase{{{"offset", "1000000001"}}, "offset"},
        BadCase{{{"offset", "99999999999999999999999999"}}, "offset"},
        BadCase{{{"limit", "0"}}, "limit"}, BadCase{{{"limit", "101"}}, "limit"},
        BadCase{{{"limit", "-5"}}, "limit"}, BadCase{{{"limit", "ten"}}, "limit"},
        BadCase{{{"limit", "18446744073709551637"}}, "limit"},
        BadCase{{{"limit", "10"}, {"limit", "10"}}, "limit"},
        BadCase{{{"status", "pending"}, {"status", "completed"}}, "status"},
        BadCase{{{"q", "a"}, {"q", "b"}}, "q"},
        BadCase{{{"sort_by", "title"}, {"sort_by", "title"}}, "sort_by"}));

TEST(ParseTaskQueryTest, RepeatedSingleValuedParameterSaysSo) {
  const auto query = ParseTaskQuery({{"offset", "1"}, {"offset", "2"}});
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.error().fields, (std::vector<FieldError>{{"offset", "must be given once"}}));
}

TEST(ParseTaskQueryTest, ReportsEveryInvalidParameter) {
  const auto query = ParseTaskQuery({{"limit", "0"},
                                     {"status", "nope"},
                                     {"priority", "P9"},
                                     {"tag", ""},
                                     {"due_after", "x"},
                                     {"due_before", "y"},
                                     {"has_due_date", "maybe"},
                                     {"sort_by", "z"},
                                     {"sort_order", "up"},
                                     {"offset", "-3"},
                                     {"q", std::string(300, 'q')}});
  ASSERT_FALSE(query.ok());
  EXPECT_THAT(FieldNames(query.error()),
              ElementsAre("q", "status", "priority", "tag", "due_after", "due_before",
                          "has_due_date", "sort_by", "sort_order", "offset", "limit"));
}

TEST(ParseSortTest, ExactSpellingsOnly) {
  EXPECT_EQ(ParseSortField("due_at"), SortField::kDueAt);
  EXPECT_FALSE(ParseSortField("DUE_AT").has_value());
  EXPECT_FALSE(ParseSortField("id").has_value());
  EXPECT_EQ(ParseSortOrder("asc"), SortOrder::kAsc);
  EXPECT_FALSE(ParseSortOrder("").has_value());
}

}  // namespace
}  // namespace taskflow
