#include "domain/task.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

namespace taskflow {
namespace {

using testing::ElementsAre;
using testing::IsEmpty;

std::vector<FieldError> ErrorsOf(const Error& error) {
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  return error.fields;
}

std::vector<std::string> FieldNames(const Error& error) {
  std::vector<std::string> names;
  for (const FieldError& field : ErrorsOf(error)) names.push_back(field.field);
  return names;
}

TEST(TaskStatusTest, RoundTripsAndRejectsOtherSpellings) {
  EXPECT_EQ(ToString(TaskStatus::kPending), "pending");
  EXPECT_EQ(ToString(TaskStatus::kCompleted), "completed");
  EXPECT_EQ(ParseTaskStatus("pending"), TaskStatus::kPending);
  EXPECT_EQ(ParseTaskStatus("completed"), TaskStatus::kCompleted);
  for (const char* bad : {"", "Pending", "COMPLETED", "done", " pending", "pending "}) {
    EXPECT_FALSE(ParseTaskStatus(bad).has_value()) << bad;
  }
}

TEST(PriorityTest, RoundTripsAndRejectsOtherSpellings) {
  for (Priority p : {Priority::kP1, Priority::kP2, Priority::kP3, Priority::kP4}) {
    EXPECT_EQ(ParsePriority(ToString(p)), p);
  }
  EXPECT_EQ(ToString(Priority::kP1), "P1");
  EXPECT_EQ(ToString(Priority::kP4), "P4");
  EXPECT_EQ(static_cast<int>(*ParsePriority("P3")), 3);
  for (const char* bad : {"", "p1", "P0", "P5", "P10", "1", " P1", "P1 ", "high"}) {
    EXPECT_FALSE(ParsePriority(bad).has_value()) << bad;
  }
}

TaskDraft ValidDraft() {
  TaskDraft draft;
  draft.title = "Buy milk";
  return draft;
}

TEST(NormalizeDraftTest, AcceptsMinimalDraft) {
  const auto result = NormalizeDraft(ValidDraft());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->title, "Buy milk");
  EXPECT_EQ(result->description, "");
  EXPECT_THAT(result->tags, IsEmpty());
  EXPECT_FALSE(result->timezone.has_value());
}

TEST(NormalizeDraftTest, TrimsTitleButKeepsDescriptionAsWritten) {
  TaskDraft draft = ValidDraft();
  draft.title = " \xC2\xA0 Buy milk\t\n";
  draft.description = "  line one\n\tline two\r\n";
  const auto result = NormalizeDraft(draft);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->title, "Buy milk");
  EXPECT_EQ(result->description, "  line one\n\tline two\r\n");
}

struct TitleCase {
  std::string title;
  bool valid;
};

class DraftTitleTest : public testing::TestWithParam<TitleCase> {};

TEST_P(DraftTitleTest, ChecksLengthAfterTrimmingAndControls) {
  TaskDraft draft = ValidDraft();
  draft.title = GetParam().title;
  const auto result = NormalizeDraft(draft);
  EXPECT_EQ(result.ok(), GetParam().valid);
  if (!result.ok()) {
    EXPECT_THAT(FieldNames(result.error()), ElementsAre("title"));
  }
}

std::string Repeat(std::string_view unit, std::size_t times) {
  std::string text;
  for (std::size_t i = 0; i < times; ++i) text += unit;
  return text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DraftTitleTest,
    testing::Values(TitleCase{"a", true}, TitleCase{Repeat("a", 200), true},
                    TitleCase{Repeat("\xC3\xA9", 200), true},  // 200 code points, 400 bytes
                    TitleCase{"  " + Repeat("a", 200) + "  ", true},
                    TitleCase{Repeat("a", 201), false}, TitleCase{Repeat("\xC3\xA9", 201), false},
                    TitleCase{"", false}, TitleCase{"   ", false},
                    TitleCase{"\xE3\x80\x80\xC2\xA0", false},  // only Unicode spaces
                    TitleCase{"tab\tinside", false}, TitleCase{"new\nline", false},
                    TitleCase{"bell\a", false}, TitleCase{"c1\xC2\x85x", false},
                    TitleCase{"\xC2\x85trimmed NEL", true}, TitleCase{"bad \xFF utf8", false}));

TEST(NormalizeDraftTest, DescriptionRules) {
  TaskDraft draft = ValidDraft();
  draft.description = Repeat("\xE2\x82\xAC", 10'000);
  EXPECT_TRUE(NormalizeDraft(draft).ok());
  draft.description = Repeat("a", 10'001);
  EXPECT_THAT(FieldNames(NormalizeDraft(draft).error()), ElementsAre("description"));
  draft.description = "escape \x1B[31m";
  EXPECT_THAT(FieldNames(NormalizeDraft(draft).error()), ElementsAre("description"));
  draft.description = std::string("nul\0", 4);
  EXPECT_THAT(FieldNames(NormalizeDraft(draft).error()), ElementsAre("description"));
}

TEST(NormalizeDraftTest, TimeZoneMustBeKnown) {
  TaskDraft draft = ValidDraft();
  draft.timezone = "Europe/Berlin";
  EXPECT_TRUE(NormalizeDraft(draft).ok());
  draft.timezone = "Mars/Base";
  const auto result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("timezone"));
  draft.timezone = "";
  EXPECT_FALSE(NormalizeDraft(draft).ok());
}

TEST(NormalizeDraftTest, RemindBeforeRange) {
  TaskDraft draft = ValidDraft();
  for (int ok : {0, 1, 60, 525'600}) {
    draft.remind_before_minutes = ok;
    EXPECT_TRUE(NormalizeDraft(draft).ok()) << ok;
  }
  for (int bad : {-1, 525'601, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()}) {
    draft.remind_before_minutes = bad;
    const auto result = NormalizeDraft(draft);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().fields,
              (std::vector<FieldError>{{"remind_before_minutes", "must be 0 to 525600 minutes"}}));
  }
}

struct TagsCase {
  std::vector<std::string> input;
  std::vector<std::string> expected;
};

class DraftTagsTest : public testing::TestWithParam<TagsCase> {};

TEST_P(DraftTagsTest, TrimsCollapsesAndSorts) {
  TaskDraft draft = ValidDraft();
  draft.tags = GetParam().input;
  const auto result = NormalizeDraft(draft);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->tags, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Table, DraftTagsTest,
                         testing::Values(TagsCase{{}, {}}, TagsCase{{" work "}, {"work"}},
                                         TagsCase{{"Work", "work", "WORK"},
                                                  {"Work"}},  // first spelling wins
                                         TagsCase{{"zeta", "Alpha", "beta"},
                                                  {"Alpha", "beta", "zeta"}},  // by folded name
                                         TagsCase{{"CAF\xC3\x89", "caf\xC3\xA9"}, {"CAF\xC3\x89"}},
                                         TagsCase{{"Stra\xC3\x9F"
                                                   "e",
                                                   "STRASSE"},
                                                  {"Stra\xC3\x9F"
                                                   "e"}},
                                         TagsCase{{"b", "A", "a", " B "}, {"A", "b"}}));

TEST(NormalizeDraftTest, ReportsEachBadTagByIndex) {
  TaskDraft draft = ValidDraft();
  draft.tags = {"ok", "", "fine", Repeat("x", 51), "tab\there"};
  const auto result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("tags[1]", "tags[3]", "tags[4]"));
  EXPECT_EQ(result.error().fields[0].message, "must be 1 to 50 characters after trimming");
}

TEST(NormalizeDraftTest, AtMostFiftyDistinctTags) {
  TaskDraft draft = ValidDraft();
  for (int i = 0; i < 50; ++i) draft.tags.push_back("tag" + std::to_string(i));
  draft.tags.push_back("TAG0");  // a duplicate does not count
  EXPECT_TRUE(NormalizeDraft(draft).ok());
  draft.tags.push_back("tag50");
  const auto result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("tags"));
}

TEST(NormalizeDraftTest, ReportsEveryOffendingField) {
  TaskDraft draft;
  draft.title = " ";
  draft.description = Repeat("d", 10'001);
  draft.timezone = "No/Where";
  draft.tags = {"good", " "};
  draft.remind_before_minutes = -5;
  const auto result = NormalizeDraft(draft);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(FieldNames(result.error()),
              ElementsAre("title", "description", "timezone", "tags[1]", "remind_before_minutes"));
  EXPECT_EQ(result.error().fields[0].message, "must be 1 to 200 characters after trimming");
  for (const FieldError& field : result.error().fields) EXPECT_FALSE(field.message.empty());
}

TEST(NormalizePatchTest, EmptyPatchIsValid) {
  const auto result = NormalizePatch({});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->empty());
}

TEST(NormalizePatchTest, ChecksOnlyPresentFields) {
  TaskPatch patch;
  patch.priority = std::optional<Priority>{};  // clear
  patch.due_at = std::optional<Instant>{};
  patch.remind_before_minutes = std::optional<int>{};
  EXPECT_TRUE(NormalizePatch(patch).ok());

  patch.title = "  New title ";
  patch.tags = std::vector<std::string>{"b", "A", "a"};
  const auto result = NormalizePatch(patch);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result->title, "New title");
  EXPECT_EQ(*result->tags, (std::vector<std::string>{"A", "b"}));
}

TEST(NormalizePatchTest, NullDescriptionBecomesEmpty) {
  TaskPatch patch;
  patch.description = std::optional<std::string>{};
  const auto result = NormalizePatch(patch);
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(result->description.has_value());
  EXPECT_EQ(result->description->value_or("unset"), "");
}

TEST(NormalizePatchTest, ReportsEveryOffendingField) {
  TaskPatch patch;
  patch.title = "";
  patch.description = std::optional<std::string>{"\x07"};
  patch.timezone = "Bad/Zone";
  patch.tags = std::vector<std::string>{"", "ok", ""};
  patch.remind_before_minutes = std::optional<int>{600'000};
  const auto result = NormalizePatch(patch);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("title", "description", "timezone", "tags[0]",
                                                      "tags[2]", "remind_before_minutes"));
}

Task SampleTask() {
  Task task;
  task.id = "t1";
  task.user_id = "u1";
  task.title = "Title";
  task.description = "Description";
  task.priority = Priority::kP2;
  task.timezone = "UTC";
  task.tags = {"home", "Work"};
  SetReminders(task, {ReminderSpec{.before_minutes = 10, .at = std::nullopt}});
  task.reminders[0].id = "r1";
  return task;
}

TEST(ApplyPatchTest, EmptyPatchChangesNothing) {
  Task task = SampleTask();
  EXPECT_FALSE(ApplyPatch(task, {}));
  EXPECT_EQ(task.title, "Title");
}

TEST(ApplyPatchTest, SameValuesAreNoChange) {
  Task task = SampleTask();
  TaskPatch patch;
  patch.title = "Title";
  patch.description = std::optional<std::string>{"Description"};
  patch.priority = std::optional<Priority>{Priority::kP2};
  patch.timezone = "UTC";
  patch.tags = std::vector<std::string>{"HOME", "work"};  // same tags, other spelling
  patch.remind_before_minutes = std::optional<int>{10};
  EXPECT_FALSE(ApplyPatch(task, patch));
  EXPECT_EQ(task.tags, (std::vector<std::string>{"home", "Work"}));
  EXPECT_EQ(task.version, 1);
}

TEST(ApplyPatchTest, AppliesEachFieldAndClearsNullables) {
  const Instant due = *ParseRfc3339("2026-12-01T08:00:00Z");
  struct Row {
    const char* name;
    TaskPatch patch;
    void (*check)(const Task&, Instant);
  };
  const std::vector<Row> rows = {
      {"title",
       [] {
         TaskPatch p;
         p.title = "Other";
         return p;
       }(),
       [](const Task& t, Instant) { EXPECT_EQ(t.title, "Other"); }},
      {"description",
       [] {
         TaskPatch p;
         p.description = std::optional<std::string>{};
         return p;
       }(),
       [](const Task& t, Instant) { EXPECT_EQ(t.description, ""); }},
      {"priority",
       [] {
         TaskPatch p;
         p.priority = std::optional<Priority>{};
         return p;
       }(),
       [](const Task& t, Instant) { EXPECT_FALSE(t.priority.has_value()); }},
      {"due_at",
       [due] {
         TaskPatch p;
         p.due_at = std::optional<Instant>{due};
         return p;
       }(),
       [](const Task& t, Instant d) { EXPECT_EQ(t.due_at, d); }},
      {"timezone",
       [] {
         TaskPatch p;
         p.timezone = "Asia/Tokyo";
         return p;
       }(),
       [](const Task& t, Instant) { EXPECT_EQ(t.timezone, "Asia/Tokyo"); }},
      {"tags",
       [] {
         TaskPatch p;
         p.tags = std::vector<std::string>{};
         return p;
       }(),
       [](const Task& t, Instant) { EXPECT_THAT(t.tags, IsEmpty()); }},
      {"remind",
       [] {
         TaskPatch p;
         p.remind_before_minutes = std::optional<int>{};
         return p;
       }(),
       [](const Task& t, Instant) { EXPECT_FALSE(t.remind_before_minutes.has_value()); }},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    Task task = SampleTask();
    EXPECT_TRUE(ApplyPatch(task, row.patch));
    row.check(task, due);
    EXPECT_FALSE(ApplyPatch(task, row.patch)) << "applying twice changes nothing";
    EXPECT_EQ(task.version, 1) << "ApplyPatch leaves the version to the caller";
  }
}

}  // namespace
}  // namespace taskflow
