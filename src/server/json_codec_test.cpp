#include "server/json_codec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace taskflow {
namespace {

namespace json = boost::json;
using ::testing::Contains;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

Instant At(long long unix_millis) { return FromUnixMillis(unix_millis); }

Task SampleTask() {
  Task task;
  task.id = "0190a0b0-0000-7000-8000-000000000001";
  task.user_id = "user-1";
  task.title = "Buy \"milk\"";
  task.description = "line 1\nline 2";
  task.status = TaskStatus::kCompleted;
  task.priority = Priority::kP2;
  task.due_at = At(1'767'225'600'000);  // 2026-01-01T00:00:00Z
  task.timezone = "Europe/Berlin";
  task.tags = {"home", "shopping"};
  task.reminders = {Reminder{.id = "0190a0b0-0000-7000-8000-0000000000a1",
                             .spec = {.before_minutes = 30, .at = std::nullopt},
                             .remind_at = At(1'767'223'800'000),
                             .sent_at = At(1'767'223'801'000)}};
  task.remind_before_minutes = 30;
  task.reminder_sent = true;
  task.recurrence_parent_id = "0190a0b0-0000-7000-8000-000000000000";
  task.version = 3;
  task.created_at = At(1'700'000'000'000);
  task.updated_at = At(1'700'000'000'250);
  task.completed_at = At(1'700'000'001'000);
  return task;
}

// The problem of a decode that must fail; fails the test when it succeeded.
template <class T>
Problem ProblemOf(const Decoded<T>& decoded) {
  const Problem* problem = std::get_if<Problem>(&decoded);
  if (problem == nullptr) {
    ADD_FAILURE() << "decoding succeeded";
    return {};
  }
  return *problem;
}

template <class T>
T ValueOf(const Decoded<T>& decoded) {
  if (const Problem* problem = std::get_if<Problem>(&decoded)) {
    std::string fields;
    for (const auto& e : problem->errors) fields += " " + e.field + ": " + e.message;
    ADD_FAILURE() << "decoding failed: " << problem->detail << fields;
    return {};
  }
  return std::get<T>(decoded);
}

auto HasError(const std::string& field, const std::string& message) {
  return Contains(FieldError{field, message});
}
auto NamesField(const std::string& field) { return Contains(Field(&FieldError::field, field)); }

// ---- Encoding ----

TEST(JsonEncodeTest, TaskHasEveryContractField) {
  const json::value task = json::parse(EncodeTask(SampleTask()));
  const json::object expected{
      {"id", "0190a0b0-0000-7000-8000-000000000001"},
      {"title", "Buy \"milk\""},
      {"description", "line 1\nline 2"},
      {"status", "completed"},
      {"priority", "P2"},
      {"due_at", "2026-01-01T00:00:00Z"},
      {"all_day", false},
      {"timezone", "Europe/Berlin"},
      {"tags", json::array{"home", "shopping"}},
      {"recurrence", nullptr},
      {"reminders", json::array{json::object{{"id", "0190a0b0-0000-7000-8000-0000000000a1"},
                                             {"before_minutes", 30},
                                             {"at", nullptr},
                                             {"remind_at", "2025-12-31T23:30:00Z"},
                                             {"sent_at", "2025-12-31T23:30:01Z"}}}},
      {"remind_before_minutes", 30},
      {"reminder_sent", true},
      {"recurrence_parent_id", "0190a0b0-0000-7000-8000-000000000000"},
      {"version", 3},
      {"created_at", "2023-11-14T22:13:20Z"},
      {"updated_at", "2023-11-14T22:13:20.250Z"},
      {"completed_at", "2023-11-14T22:13:21Z"},
  };
  EXPECT_EQ(task, expected);
}

TEST(JsonEncodeTest, AbsentOptionalTaskFieldsAreNull) {
  Task task = SampleTask();
  task.status = TaskStatus::kPending;
  task.priority.reset();
  task.due_at.reset();
  task.tags.clear();
  task.reminders.clear();
  task.remind_before_minutes.reset();
  task.reminder_sent = false;
  task.recurrence_parent_id.reset();
  task.completed_at.reset();
  const json::object object = json::parse(EncodeTask(task)).as_object();
  EXPECT_EQ(object.at("status"), "pending");
  EXPECT_TRUE(object.at("priority").is_null());
  EXPECT_TRUE(object.at("due_at").is_null());
  EXPECT_EQ(object.at("tags"), json::array{});
  EXPECT_TRUE(object.at("remind_before_minutes").is_null());
  EXPECT_EQ(object.at("reminder_sent"), false);
  EXPECT_TRUE(object.at("recurrence_parent_id").is_null());
  EXPECT_TRUE(object.at("completed_at").is_null());
  EXPECT_TRUE(object.at("recurrence").is_null());
  EXPECT_EQ(object.at("reminders"), json::array{});
  EXPECT_EQ(object.at("all_day"), false);
  EXPECT_EQ(object.size(), 18u);
}

TEST(JsonEncodeTest, StringsAreEscapedAndUnicodePassesThrough) {
  std::string out;
  AppendJsonString(out, "a\"b\\c\n\t\r\b\f\x01\x1f\x7f caf\xc3\xa9");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f caf\xc3\xa9\"");
  EXPECT_EQ(json::parse(out),
            json::value(std::string("a\"b\\c\n\t\r\b\f\x01\x1f\x7f caf\xc3\xa9")));
  std::string nul;
  AppendJsonString(nul, std::string_view("x\0y", 3));
  EXPECT_EQ(nul, "\"x\\u0000y\"");
}

TEST(JsonEncodeTest, TaskPageCarriesPaging) {
  TaskPage page;
  page.tasks = {SampleTask(), SampleTask()};
  page.total = 57;
  const json::value body = json::parse(EncodeTaskPage(page, 40, 20));
  EXPECT_THAT(body.at("tasks").as_array(), SizeIs(2));
  EXPECT_EQ(body.at("total"), 57);
  EXPECT_EQ(body.at("offset"), 40);
  EXPECT_EQ(body.at("limit"), 20);
  EXPECT_EQ(json::parse(EncodeTaskPage(TaskPage{}, 0, 20)).at("tasks"), json::array{});
}

TEST(JsonEncodeTest, UserAndSession) {
  User user;
  user.id = "u1";
  user.name = "Ada";
  user.timezone = "UTC";
  EXPECT_EQ(json::parse(EncodeUser(user)), (json::object{{"id", "u1"},
                                                         {"email", nullptr},
                                                         {"name", "Ada"},
                                                         {"timezone", "UTC"},
                                                         {"date_order", "MDY"}}));
  user.date_order = DateOrder::kDayMonth;
  EXPECT_EQ(json::parse(EncodeUser(user)).at("date_order"), "DMY");
  user.email = "ada@example.com";
  const json::value session = json::parse(EncodeSession(Session{"tok.en.x", user}));
  EXPECT_EQ(session.at("token"), "tok.en.x");
  EXPECT_EQ(session.at("user").at("email"), "ada@example.com");
  EXPECT_EQ(session.as_object().size(), 2u);
}

TEST(JsonEncodeTest, TagsWithCounts) {
  TagWithCount tag{Tag{"t1", "u1", "Home", std::nullopt}, 4};
  EXPECT_EQ(json::parse(EncodeTag(tag)),
            (json::object{{"id", "t1"}, {"name", "Home"}, {"color", nullptr}, {"task_count", 4}}));
  tag.tag.color = "#FF0000";
  const json::value list = json::parse(EncodeTagList({tag, tag}));
  EXPECT_THAT(list.at("tags").as_array(), SizeIs(2));
  EXPECT_EQ(list.at("tags").at(0).at("color"), "#FF0000");
  EXPECT_EQ(json::parse(EncodeTagList({})), (json::object{{"tags", json::array{}}}));
}

// ---- Decoding: the body as a whole ----

TEST(JsonDecodeTest, MalformedJsonIsA400NamingTheBody) {
  for (const char* body : {"{", "{\"title\":}", "nope", "{\"a\":1,}", "\"unterminated",
                           "{\"title\":\"x\"} trailing", "{\"t\":\"\xff\"}"}) {
    const Problem problem = ProblemOf(DecodeTaskDraft(body));
    EXPECT_EQ(problem.status, 400) << body;
    ASSERT_THAT(problem.errors, SizeIs(1)) << body;
    EXPECT_EQ(problem.errors[0].field, "body");
    EXPECT_FALSE(problem.errors[0].message.empty());
  }
}

TEST(JsonDecodeTest, AnEmptyBodyIsA400) {
  for (const char* body : {"", "   ", "\n"}) {
    const Problem problem = ProblemOf(DecodeTaskPatch(body));
    EXPECT_EQ(problem.status, 400);
    EXPECT_THAT(problem.errors, NamesField("body"));
  }
}

TEST(JsonDecodeTest, DeepNestingIsRefused) {
  const std::string deep = "{\"title\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(ProblemOf(DecodeTaskDraft(deep)).status, 400);
}

TEST(JsonDecodeTest, ANonObjectBodyIsA422) {
  for (const char* body : {"[]", "[{\"title\":\"x\"}]", "\"x\"", "42", "null", "true"}) {
    const Problem problem = ProblemOf(DecodeTaskDraft(body));
    EXPECT_EQ(problem.status, 422) << body;
    EXPECT_THAT(problem.errors, HasError("body", "must be a JSON object")) << body;
  }
}

// ---- Decoding: tasks ----

TEST(JsonDecodeTest, TaskDraftReadsEveryField) {
  const TaskDraft draft = ValueOf(DecodeTaskDraft(R"({
      "title": "Write report", "description": "Q3", "priority": "P1",
      "due_at": "2026-03-01T09:30:00+01:00", "timezone": "Europe/Paris",
      "tags": ["work", "urgent"], "remind_before_minutes": 15})"));
  EXPECT_EQ(draft.title, "Write report");
  EXPECT_EQ(draft.description, "Q3");
  EXPECT_EQ(draft.priority, Priority::kP1);
  EXPECT_EQ(draft.due_at, ParseRfc3339("2026-03-01T08:30:00Z"));
  EXPECT_EQ(draft.timezone, "Europe/Paris");
  EXPECT_EQ(draft.tags, (std::vector<std::string>{"work", "urgent"}));
  EXPECT_EQ(draft.remind_before_minutes, 15);
}

TEST(JsonDecodeTest, TaskDraftDefaultsAndNulls) {
  const TaskDraft draft = ValueOf(DecodeTaskDraft(
      R"({"title":"x","description":null,"priority":null,"due_at":null,"remind_before_minutes":null})"));
  EXPECT_EQ(draft.description, "");
  EXPECT_FALSE(draft.priority);
  EXPECT_FALSE(draft.due_at);
  EXPECT_FALSE(draft.timezone);
  EXPECT_THAT(draft.tags, IsEmpty());
  EXPECT_FALSE(draft.remind_before_minutes);
}

TEST(JsonDecodeTest, UnknownFieldsAreIgnored) {
  const TaskDraft draft =
      ValueOf(DecodeTaskDraft(R"({"title":"x","id":"forged","version":99,"extra":{"a":[1]}})"));
  EXPECT_EQ(draft.title, "x");
}

TEST(JsonDecodeTest, TitleIsRequiredAndMustBeAString) {
  EXPECT_THAT(ProblemOf(DecodeTaskDraft("{}")).errors, HasError("title", "is required"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":5})")).errors,
              HasError("title", "must be a string"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":["x"]})")).errors,
              HasError("title", "must be a string"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":null})")).errors,
              HasError("title", "must not be null"));
  EXPECT_EQ(ProblemOf(DecodeTaskDraft(R"({"title":5})")).status, 422);
}

TEST(JsonDecodeTest, DescriptionMustBeAStringOrNull) {
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","description":1})")).errors,
              HasError("description", "must be a string or null"));
}

TEST(JsonDecodeTest, PriorityMustBeAKnownName) {
  for (const char* body : {R"({"title":"x","priority":"P5"})", R"({"title":"x","priority":"p1"})",
                           R"({"title":"x","priority":1})", R"({"title":"x","priority":""})"}) {
    EXPECT_THAT(ProblemOf(DecodeTaskDraft(body)).errors,
                HasError("priority", "must be one of P1, P2, P3, P4 or null"))
        << body;
  }
}

TEST(JsonDecodeTest, DueAtMustBeAnRfc3339DateTimeWithOffsetOrADate) {
  for (const char* body :
       {R"({"title":"x","due_at":"2026-01-01T10:00:00"})", R"({"title":"x","due_at":"2026-02-30"})",
        R"({"title":"x","due_at":"2026-02-30T10:00:00Z"})", R"({"title":"x","due_at":"tomorrow"})",
        R"({"title":"x","due_at":"2026-1-01"})", R"({"title":"x","due_at":1767225600})"}) {
    EXPECT_THAT(ProblemOf(DecodeTaskDraft(body)).errors,
                HasError("due_at",
                         "must be an RFC 3339 date-time with offset, or a date "
                         "YYYY-MM-DD (all-day)"))
        << body;
  }
}

TEST(JsonDecodeTest, TimezoneMustBeAStringAndNotNull) {
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","timezone":null})")).errors,
              HasError("timezone", "must not be null"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","timezone":3})")).errors,
              HasError("timezone", "must be a string"));
}

TEST(JsonDecodeTest, TagsMustBeAnArrayOfStrings) {
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","tags":"work"})")).errors,
              HasError("tags", "must be an array of strings"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","tags":null})")).errors,
              HasError("tags", "must not be null"));
  const Problem problem = ProblemOf(DecodeTaskDraft(R"({"title":"x","tags":["a","b",3,null]})"));
  EXPECT_THAT(problem.errors, HasError("tags[2]", "must be a string"));
  EXPECT_THAT(problem.errors, HasError("tags[3]", "must be a string"));
}

TEST(JsonDecodeTest, RemindBeforeMinutesMustBeAnInteger) {
  for (const char* value : {"5.5", "\"5\"", "true", "[5]", "1e400"}) {
    const std::string body = std::string(R"({"title":"x","remind_before_minutes":)") + value + "}";
    EXPECT_THAT(ProblemOf(DecodeTaskDraft(body)).errors,
                HasError("remind_before_minutes", "must be an integer"))
        << body;
  }
}

TEST(JsonDecodeTest, RemindBeforeMinutesBeyondIntIsOutOfRange) {
  for (const char* value : {"2147483648", "-2147483649", "1e10", "18446744073709551615"}) {
    const std::string body = std::string(R"({"title":"x","remind_before_minutes":)") + value + "}";
    EXPECT_THAT(ProblemOf(DecodeTaskDraft(body)).errors,
                HasError("remind_before_minutes", "must be between 0 and 525600"))
        << body;
  }
}

TEST(JsonDecodeTest, AnIntegralNumberIsAnInteger) {
  // JSON Schema (and so OpenAPI 3.1) counts 5.0 as the integer 5.
  EXPECT_EQ(ValueOf(DecodeTaskDraft(R"({"title":"x","remind_before_minutes":5.0})"))
                .remind_before_minutes,
            5);
  EXPECT_EQ(ValueOf(DecodeTaskDraft(R"({"title":"x","remind_before_minutes":6e1})"))
                .remind_before_minutes,
            60);
}

TEST(JsonDecodeTest, EveryTypeErrorIsReportedAtOnce) {
  const Problem problem = ProblemOf(DecodeTaskDraft(R"({
      "title": 1, "description": 2, "priority": "P9", "due_at": "soon",
      "timezone": null, "tags": [1], "remind_before_minutes": 0.5})"));
  EXPECT_EQ(problem.status, 422);
  for (const char* field : {"title", "description", "priority", "due_at", "timezone", "tags[0]",
                            "remind_before_minutes"}) {
    EXPECT_THAT(problem.errors, NamesField(field));
  }
  EXPECT_THAT(problem.errors, SizeIs(7));
}

TEST(JsonDecodeTest, DomainRuleErrorsJoinTypeErrors) {
  // "title" has the wrong type; "description" and "remind_before_minutes" break value rules.
  const std::string body = R"({"title":1,"description":")" + std::string(10'001, 'd') +
                           R"(","remind_before_minutes":-1})";
  const Problem problem = ProblemOf(DecodeTaskDraft(body));
  EXPECT_THAT(problem.errors, HasError("title", "must be a string"));
  EXPECT_THAT(problem.errors, NamesField("description"));
  EXPECT_THAT(problem.errors, NamesField("remind_before_minutes"));
  // The field with a type error is reported once, with the type error.
  int title_errors = 0;
  for (const auto& e : problem.errors) title_errors += e.field == "title";
  EXPECT_EQ(title_errors, 1);
}

TEST(JsonDecodeTest, ValueRulesAloneAreLeftToTheUseCase) {
  // Decoding checks types only; the service normalises and validates values.
  const TaskDraft draft = ValueOf(DecodeTaskDraft(R"({"title":"   ","remind_before_minutes":-5})"));
  EXPECT_EQ(draft.title, "   ");
  EXPECT_EQ(draft.remind_before_minutes, -5);
}

TEST(JsonDecodeTest, TaskPatchDistinguishesAbsentNullAndValue) {
  const TaskPatch empty = ValueOf(DecodeTaskPatch("{}"));
  EXPECT_TRUE(empty.empty());

  const TaskPatch cleared = ValueOf(DecodeTaskPatch(
      R"({"description":null,"priority":null,"due_at":null,"remind_before_minutes":null})"));
  ASSERT_TRUE(cleared.description);
  EXPECT_FALSE(*cleared.description);
  ASSERT_TRUE(cleared.priority);
  EXPECT_FALSE(*cleared.priority);
  ASSERT_TRUE(cleared.due_at);
  EXPECT_FALSE(*cleared.due_at);
  ASSERT_TRUE(cleared.remind_before_minutes);
  EXPECT_FALSE(*cleared.remind_before_minutes);
  EXPECT_FALSE(cleared.title);
  EXPECT_FALSE(cleared.tags);

  const TaskPatch set = ValueOf(DecodeTaskPatch(
      R"({"title":"t","description":"d","priority":"P4","due_at":"2026-01-01T00:00:00Z",)"
      R"("timezone":"UTC","tags":[],"remind_before_minutes":0})"));
  EXPECT_EQ(set.title, "t");
  EXPECT_EQ(set.description, std::optional<std::string>("d"));
  EXPECT_EQ(set.priority, std::optional<Priority>(Priority::kP4));
  EXPECT_EQ(set.due_at, std::optional<Instant>(At(1'767'225'600'000)));
  EXPECT_EQ(set.timezone, "UTC");
  EXPECT_EQ(set.tags, std::vector<std::string>{});
  EXPECT_EQ(set.remind_before_minutes, std::optional<int>(0));
}

TEST(JsonDecodeTest, TaskPatchRefusesNullOnNonNullableFields) {
  const Problem problem =
      ProblemOf(DecodeTaskPatch(R"({"title":null,"timezone":null,"tags":null})"));
  EXPECT_THAT(problem.errors, HasError("title", "must not be null"));
  EXPECT_THAT(problem.errors, HasError("timezone", "must not be null"));
  EXPECT_THAT(problem.errors, HasError("tags", "must not be null"));
}

TEST(JsonDecodeTest, TaskPatchTypeErrors) {
  const Problem problem = ProblemOf(DecodeTaskPatch(
      R"({"title":false,"priority":"high","due_at":"2026-13-01T00:00:00Z","tags":[{}],)"
      R"("remind_before_minutes":"10"})"));
  EXPECT_THAT(problem.errors, HasError("title", "must be a string"));
  EXPECT_THAT(problem.errors, NamesField("priority"));
  EXPECT_THAT(problem.errors, NamesField("due_at"));
  EXPECT_THAT(problem.errors, HasError("tags[0]", "must be a string"));
  EXPECT_THAT(problem.errors, HasError("remind_before_minutes", "must be an integer"));
}

// ---- Decoding: tags ----

TEST(JsonDecodeTest, TagDraft) {
  const TagDraft draft = ValueOf(DecodeTagDraft(R"({"name":"Work","color":"#00ff00"})"));
  EXPECT_EQ(draft.name, "Work");
  EXPECT_EQ(draft.color, "#00ff00");
  EXPECT_FALSE(ValueOf(DecodeTagDraft(R"({"name":"Work","color":null})")).color);
  EXPECT_THAT(ProblemOf(DecodeTagDraft("{}")).errors, HasError("name", "is required"));
  EXPECT_THAT(ProblemOf(DecodeTagDraft(R"({"name":7,"color":7})")).errors,
              HasError("color", "must be a string or null"));
}

TEST(JsonDecodeTest, TagPatch) {
  const TagPatch none = ValueOf(DecodeTagPatch("{}"));
  EXPECT_FALSE(none.name);
  EXPECT_FALSE(none.color);
  const TagPatch cleared = ValueOf(DecodeTagPatch(R"({"color":null})"));
  ASSERT_TRUE(cleared.color);
  EXPECT_FALSE(*cleared.color);
  EXPECT_EQ(ValueOf(DecodeTagPatch(R"({"name":"New"})")).name, "New");
  EXPECT_THAT(ProblemOf(DecodeTagPatch(R"({"name":null})")).errors,
              HasError("name", "must not be null"));
}

// ---- Decoding: accounts ----

TEST(JsonDecodeTest, Signup) {
  const SignupDraft draft =
      ValueOf(DecodeSignup(R"({"email":"a@example.com","password":"secret123","name":"Ada"})"));
  EXPECT_EQ(draft.email, "a@example.com");
  EXPECT_EQ(draft.password, "secret123");
  EXPECT_EQ(draft.name, "Ada");
  EXPECT_FALSE(ValueOf(DecodeSignup(R"({"email":"a@example.com","password":"secret123"})")).name);
  const Problem missing = ProblemOf(DecodeSignup("{}"));
  EXPECT_THAT(missing.errors, HasError("email", "is required"));
  EXPECT_THAT(missing.errors, HasError("password", "is required"));
  EXPECT_THAT(ProblemOf(DecodeSignup(R"({"email":1,"password":"secret123"})")).errors,
              HasError("email", "must be a string"));
}

TEST(JsonDecodeTest, Login) {
  const LoginInput input = ValueOf(DecodeLogin(R"({"email":"a@example.com","password":"pw"})"));
  EXPECT_EQ(input.email, "a@example.com");
  EXPECT_EQ(input.password, "pw");
  const Problem problem = ProblemOf(DecodeLogin(R"({"email":null,"password":12})"));
  EXPECT_THAT(problem.errors, HasError("email", "must not be null"));
  EXPECT_THAT(problem.errors, HasError("password", "must be a string"));
}

TEST(JsonDecodeTest, ProfilePatch) {
  const ProfilePatch patch =
      ValueOf(DecodeProfilePatch(R"({"name":"Bo","timezone":"Asia/Tokyo"})"));
  EXPECT_EQ(patch.name, "Bo");
  EXPECT_EQ(patch.timezone, "Asia/Tokyo");
  const ProfilePatch empty = ValueOf(DecodeProfilePatch("{}"));
  EXPECT_FALSE(empty.name);
  EXPECT_FALSE(empty.timezone);
  const Problem problem = ProblemOf(DecodeProfilePatch(R"({"name":null,"timezone":5})"));
  EXPECT_THAT(problem.errors, HasError("name", "must not be null"));
  EXPECT_THAT(problem.errors, HasError("timezone", "must be a string"));
}

// ---- Time: recurrence, reminders, all-day dates, quick add ----

TEST(JsonEncodeTest, RecurrenceIsAnObjectWithItsDescription) {
  Task task = SampleTask();
  task.recurrence = Recurrence{.rule = RecurrenceRule::kWeekly, .interval = 2};
  task.recurrence->count = 5;
  task.series_start = At(1'767'571'200'000);  // Monday 2026-01-05T00:00:00Z
  const json::object object = json::parse(EncodeTask(task)).as_object();
  const json::object& recurrence = object.at("recurrence").as_object();
  EXPECT_EQ(recurrence.at("rule"), "weekly");
  EXPECT_EQ(recurrence.at("interval"), 2);
  EXPECT_TRUE(recurrence.at("cron").is_null());
  EXPECT_TRUE(recurrence.at("rrule").is_null());
  EXPECT_EQ(recurrence.at("anchor"), "due");
  EXPECT_TRUE(recurrence.at("until").is_null());
  EXPECT_EQ(recurrence.at("count"), 5);
  EXPECT_THAT(std::string(recurrence.at("text").as_string()), ::testing::HasSubstr("2 weeks"));
  EXPECT_EQ(recurrence.size(), 8u);

  task.recurrence = Recurrence{.rule = RecurrenceRule::kCron, .cron = "0 9 * * 1-5"};
  const json::object cron = json::parse(EncodeTask(task)).at("recurrence").as_object();
  EXPECT_EQ(cron.at("cron"), "0 9 * * 1-5");
  EXPECT_TRUE(cron.at("rrule").is_null());
}

TEST(JsonDecodeTest, ADateDueIsAllDay) {
  const TaskDraft draft = ValueOf(DecodeTaskDraft(R"({"title":"x","due_at":"2026-12-03"})"));
  EXPECT_EQ(draft.due_date, LocalDate{std::chrono::year{2026} / 12 / 3});
  EXPECT_FALSE(draft.due_at.has_value());
  const TaskPatch patch = ValueOf(DecodeTaskPatch(R"({"due_at":"2026-12-03"})"));
  EXPECT_TRUE(patch.due_date.has_value());
  EXPECT_FALSE(patch.due_at.has_value());
  const TaskPatch cleared = ValueOf(DecodeTaskPatch(R"({"due_at":null})"));
  ASSERT_TRUE(cleared.due_at.has_value());
  EXPECT_FALSE(cleared.due_at->has_value());
}

TEST(JsonDecodeTest, RecurrenceFields) {
  const TaskDraft draft = ValueOf(DecodeTaskDraft(
      R"({"title":"x","due_at":"2026-12-03","recurrence":{"rule":"monthly","interval":2,)"
      R"("anchor":"completion","until":"2027-12-31T23:00:00Z","count":null,"text":"ignored"}})"));
  ASSERT_TRUE(draft.recurrence.has_value());
  EXPECT_EQ(draft.recurrence->rule, RecurrenceRule::kMonthly);
  EXPECT_EQ(draft.recurrence->interval, 2);
  EXPECT_EQ(draft.recurrence->anchor, RecurrenceAnchor::kCompletion);
  EXPECT_EQ(draft.recurrence->until, ParseRfc3339("2027-12-31T23:00:00Z"));
  const TaskPatch stop = ValueOf(DecodeTaskPatch(R"({"recurrence":null})"));
  ASSERT_TRUE(stop.recurrence.has_value());
  EXPECT_FALSE(stop.recurrence->has_value());

  const Problem problem = ProblemOf(DecodeTaskDraft(
      R"({"title":"x","recurrence":{"rule":"fortnightly","interval":"2","anchor":"start",)"
      R"("until":"soon","count":1.5,"cron":7}})"));
  EXPECT_THAT(
      problem.errors,
      HasError("recurrence.rule", "must be one of daily, weekly, monthly, yearly, cron, rrule"));
  EXPECT_THAT(problem.errors, HasError("recurrence.interval", "must be an integer"));
  EXPECT_THAT(problem.errors, HasError("recurrence.anchor", "must be due or completion"));
  EXPECT_THAT(problem.errors, NamesField("recurrence.until"));
  EXPECT_THAT(problem.errors, NamesField("recurrence.count"));
  EXPECT_THAT(problem.errors, NamesField("recurrence.cron"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","recurrence":"daily"})")).errors,
              HasError("recurrence", "must be an object or null"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","recurrence":{}})")).errors,
              HasError("recurrence.rule", "is required"));
}

TEST(JsonDecodeTest, RemindersAreObjectsOfOneForm) {
  const TaskDraft draft = ValueOf(DecodeTaskDraft(
      R"({"title":"x","reminders":[{"before_minutes":30},)"
      R"({"at":"2026-12-01T08:00:00Z","id":"ignored","remind_at":null,"sent_at":null}]})"));
  ASSERT_TRUE(draft.reminders.has_value());
  ASSERT_EQ(draft.reminders->size(), 2u);
  EXPECT_EQ((*draft.reminders)[0].before_minutes, 30);
  EXPECT_EQ((*draft.reminders)[1].at, ParseRfc3339("2026-12-01T08:00:00Z"));

  const Problem problem = ProblemOf(
      DecodeTaskDraft(R"({"title":"x","reminders":[{"before_minutes":"30"},7,{"at":"noon"},{}]})"));
  EXPECT_THAT(problem.errors, HasError("reminders[0].before_minutes", "must be an integer"));
  EXPECT_THAT(problem.errors, NamesField("reminders[1]"));
  EXPECT_THAT(problem.errors, NamesField("reminders[2].at"));
  EXPECT_THAT(ProblemOf(DecodeTaskDraft(R"({"title":"x","reminders":{}})")).errors,
              NamesField("reminders"));
  const TaskPatch none = ValueOf(DecodeTaskPatch(R"({"reminders":null})"));
  ASSERT_TRUE(none.reminders.has_value());
  EXPECT_TRUE(none.reminders->empty());
}

TEST(JsonDecodeTest, DomainRulesOfTimeNameTheirFields) {
  // Type errors elsewhere make the decoder report the domain's rules too.
  const Problem problem = ProblemOf(
      DecodeTaskDraft(R"({"title":7,"recurrence":{"rule":"cron","cron":"61 * * * *"},)"
                      R"("reminders":[{"before_minutes":5,"at":"2026-12-01T08:00:00Z"}]})"));
  EXPECT_THAT(problem.errors, NamesField("title"));
  EXPECT_THAT(problem.errors, NamesField("recurrence.cron"));
  EXPECT_THAT(problem.errors, NamesField("recurrence"));  // requires due_at
  EXPECT_THAT(problem.errors, NamesField("reminders[0]"));
}

TEST(JsonDecodeTest, ProfileDateOrder) {
  EXPECT_EQ(ValueOf(DecodeProfilePatch(R"({"date_order":"DMY"})")).date_order,
            DateOrder::kDayMonth);
  EXPECT_THAT(ProblemOf(DecodeProfilePatch(R"({"date_order":"YMD"})")).errors,
              HasError("date_order", "must be MDY or DMY"));
}

TEST(JsonDecodeTest, QuickAddInput) {
  const QuickAddInput input = ValueOf(DecodeQuickAddInput(
      R"({"text":"call mom tomorrow","now":"2026-11-18T09:00:00Z","timezone":"Europe/Berlin"})"));
  EXPECT_EQ(input.text, "call mom tomorrow");
  EXPECT_EQ(input.now, ParseRfc3339("2026-11-18T09:00:00Z"));
  EXPECT_EQ(input.timezone, "Europe/Berlin");
  EXPECT_THAT(ProblemOf(DecodeQuickAddInput(R"({})")).errors, HasError("text", "is required"));
  const Problem problem = ProblemOf(DecodeQuickAddInput(R"({"text":3,"now":"later"})"));
  EXPECT_THAT(problem.errors, NamesField("text"));
  EXPECT_THAT(problem.errors, NamesField("now"));
}

TEST(JsonEncodeTest, QuickAddResultHasTheTaskAndTheSpans) {
  QuickAddResult parsed;
  parsed.title = "pay rent";
  parsed.priority = Priority::kP1;
  parsed.tags = {"home"};
  parsed.due_at = At(1'764'576'000'000);  // 2025-12-01T08:00:00Z
  parsed.timezone = "Europe/Berlin";
  parsed.recurrence = Recurrence{.rule = RecurrenceRule::kMonthly};
  parsed.reminders = {ReminderSpec{.before_minutes = 1440, .at = std::nullopt}};
  parsed.spans = {ParsedSpan{.start = 9, .end = 22, .kind = "recurrence", .text = "every month"}};
  const json::object object = json::parse(EncodeQuickAddResult(parsed)).as_object();
  const json::object& task = object.at("task").as_object();
  EXPECT_EQ(task.at("title"), "pay rent");
  EXPECT_EQ(task.at("priority"), "P1");
  EXPECT_EQ(task.at("tags"), json::array{"home"});
  EXPECT_EQ(task.at("due_at"), "2025-12-01T08:00:00Z");
  EXPECT_EQ(task.at("all_day"), false);
  EXPECT_EQ(task.at("timezone"), "Europe/Berlin");
  EXPECT_EQ(task.at("recurrence").at("rule"), "monthly");
  EXPECT_EQ(
      task.at("reminders"),
      (json::array{json::object{
          {"before_minutes", 1440}, {"at", nullptr}, {"remind_at", "2025-11-30T08:00:00Z"}}}));
  EXPECT_EQ(task.size(), 8u);
  EXPECT_EQ(object.at("spans"),
            (json::array{json::object{
                {"start", 9}, {"end", 22}, {"kind", "recurrence"}, {"text", "every month"}}}));
}

}  // namespace
}  // namespace taskflow
