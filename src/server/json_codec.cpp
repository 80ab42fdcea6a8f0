#include "server/json_codec.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "domain/recurrence.hpp"
#include "domain/time.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;

constexpr std::string_view kMustBeString = "must be a string";
constexpr std::string_view kMustNotBeNull = "must not be null";
constexpr std::string_view kIsRequired = "is required";
constexpr std::string_view kMustBeInteger = "must be an integer";
constexpr std::string_view kBadPriority = "must be one of P1, P2, P3, P4 or null";
constexpr std::string_view kBadDate = "must be an RFC 3339 date-time with offset";
constexpr std::string_view kBadDue =
    "must be an RFC 3339 date-time with offset, or a date YYYY-MM-DD (all-day)";

// ---- Encoding helpers ----

void AppendInt(std::string& out, long long value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// `"key":` (keys are literals and need no escaping).
void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void AppendNullableString(std::string& out, const std::optional<std::string>& text) {
  if (text) {
    AppendJsonString(out, *text);
  } else {
    out += "null";
  }
}

void AppendInstant(std::string& out, Instant instant) {
  AppendJsonString(out, FormatRfc3339(instant));
}

void AppendNullableInstant(std::string& out, const std::optional<Instant>& instant) {
  if (instant) {
    AppendInstant(out, *instant);
  } else {
    out += "null";
  }
}

void AppendNullableInt(std::string& out, const std::optional<int>& value) {
  if (value) {
    AppendInt(out, *value);
  } else {
    out += "null";
  }
}

// {"rule","interval","cron","rrule","anchor","until","count","text"}; `text`
// describes the schedule from `series_start` in `timezone`.
void AppendRecurrence(std::string& out, const Recurrence& recurrence, Instant series_start,
                      std::string_view timezone) {
  out += '{';
  AppendKey(out, "rule");
  AppendJsonString(out, ToString(recurrence.rule));
  out += ',';
  AppendKey(out, "interval");
  AppendInt(out, recurrence.interval);
  out += ',';
  AppendKey(out, "cron");
  AppendNullableString(
      out, recurrence.cron.empty() ? std::nullopt : std::optional<std::string>(recurrence.cron));
  out += ',';
  AppendKey(out, "rrule");
  AppendNullableString(
      out, recurrence.rrule.empty() ? std::nullopt : std::optional<std::string>(recurrence.rrule));
  out += ',';
  AppendKey(out, "anchor");
  AppendJsonString(out, ToString(recurrence.anchor));
  out += ',';
  AppendKey(out, "until");
  AppendNullableInstant(out, recurrence.until);
  out += ',';
  AppendKey(out, "count");
  AppendNullableInt(out, recurrence.count);
  out += ',';
  AppendKey(out, "text");
  AppendJsonString(out, DescribeRecurrence(recurrence, series_start, timezone));
  out += '}';
}

void AppendNullableRecurrence(std::string& out, const std::optional<Recurrence>& recurrence,
                              std::optional<Instant> series_start, std::string_view timezone) {
  if (recurrence && series_start) {
    AppendRecurrence(out, *recurrence, *series_start, timezone);
  } else {
    out += "null";
  }
}

// The two forms of a reminder: {"before_minutes","at"} (one of them null).
void AppendReminderSpec(std::string& out, const ReminderSpec& spec) {
  AppendKey(out, "before_minutes");
  AppendNullableInt(out, spec.before_minutes);
  out += ',';
  AppendKey(out, "at");
  AppendNullableInstant(out, spec.at);
}

void AppendReminders(std::string& out, const std::vector<Reminder>& reminders) {
  out += '[';
  for (std::size_t i = 0; i < reminders.size(); ++i) {
    if (i > 0) out += ',';
    const Reminder& reminder = reminders[i];
    out += '{';
    AppendKey(out, "id");
    AppendJsonString(out, reminder.id);
    out += ',';
    AppendReminderSpec(out, reminder.spec);
    out += ',';
    AppendKey(out, "remind_at");
    AppendNullableInstant(out, reminder.remind_at);
    out += ',';
    AppendKey(out, "sent_at");
    AppendNullableInstant(out, reminder.sent_at);
    out += '}';
  }
  out += ']';
}

void AppendTagNames(std::string& out, const std::vector<std::string>& tags) {
  out += '[';
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, tags[i]);
  }
  out += ']';
}

void AppendPriority(std::string& out, const std::optional<Priority>& priority) {
  if (priority) {
    AppendJsonString(out, ToString(*priority));
  } else {
    out += "null";
  }
}

void AppendTask(std::string& out, const Task& task) {
  out += '{';
  AppendKey(out, "id");
  AppendJsonString(out, task.id);
  out += ',';
  AppendKey(out, "title");
  AppendJsonString(out, task.title);
  out += ',';
  AppendKey(out, "description");
  AppendJsonString(out, task.description);
  out += ',';
  AppendKey(out, "status");
  AppendJsonString(out, ToString(task.status));
  out += ',';
  AppendKey(out, "priority");
  AppendPriority(out, task.priority);
  out += ',';
  AppendKey(out, "due_at");
  AppendNullableInstant(out, task.due_at);
  out += ',';
  AppendKey(out, "all_day");
  out += task.all_day ? "true," : "false,";
  AppendKey(out, "timezone");
  AppendJsonString(out, task.timezone);
  out += ',';
  AppendKey(out, "tags");
  AppendTagNames(out, task.tags);
  out += ',';
  AppendKey(out, "recurrence");
  AppendNullableRecurrence(out, task.recurrence,
                           task.series_start ? task.series_start : task.due_at, task.timezone);
  out += ',';
  AppendKey(out, "reminders");
  AppendReminders(out, task.reminders);
  out += ',';
  AppendKey(out, "remind_before_minutes");
  AppendNullableInt(out, task.remind_before_minutes);
  out += ',';
  AppendKey(out, "reminder_sent");
  out += task.reminder_sent ? "true," : "false,";
  AppendKey(out, "recurrence_parent_id");
  AppendNullableString(out, task.recurrence_parent_id);
  out += ',';
  AppendKey(out, "version");
  AppendInt(out, task.version);
  out += ',';
  AppendKey(out, "created_at");
  AppendInstant(out, task.created_at);
  out += ',';
  AppendKey(out, "updated_at");
  AppendInstant(out, task.updated_at);
  out += ',';
  AppendKey(out, "completed_at");
  AppendNullableInstant(out, task.completed_at);
  out += '}';
}

void AppendUser(std::string& out, const User& user) {
  out += '{';
  AppendKey(out, "id");
  AppendJsonString(out, user.id);
  out += ',';
  AppendKey(out, "email");
  AppendNullableString(out, user.email);
  out += ',';
  AppendKey(out, "name");
  AppendJsonString(out, user.name);
  out += ',';
  AppendKey(out, "timezone");
  AppendJsonString(out, user.timezone);
  out += ',';
  AppendKey(out, "date_order");
  AppendJsonString(out, ToString(user.date_order));
  out += '}';
}

void AppendTag(std::string& out, const TagWithCount& tag) {
  out += '{';
  AppendKey(out, "id");
  AppendJsonString(out, tag.tag.id);
  out += ',';
  AppendKey(out, "name");
  AppendJsonString(out, tag.tag.name);
  out += ',';
  AppendKey(out, "color");
  AppendNullableString(out, tag.tag.color);
  out += ',';
  AppendKey(out, "task_count");
  AppendInt(out, tag.task_count);
  out += '}';
}

// ---- Decoding helpers ----

using Errors = std::vector<FieldError>;

void Fail(Errors& errors, std::string_view field, std::string_view message) {
  errors.push_back(FieldError{std::string(field), std::string(message)});
}

const json::value* Find(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

std::string ToStdString(const json::string& text) { return std::string(text.data(), text.size()); }

// A string field that may not be null. Absent leaves `out` untouched and
// returns false; a required field reports its absence.
bool ReadString(const json::object& object, std::string_view key, bool required, std::string& out,
                Errors& errors) {
  const json::value* value = Find(object, key);
  if (value == nullptr) {
    if (required) Fail(errors, key, kIsRequired);
    return false;
  }
  if (value->is_null()) {
    Fail(errors, key, kMustNotBeNull);
    return false;
  }
  const json::string* text = value->if_string();
  if (text == nullptr) {
    Fail(errors, key, kMustBeString);
    return false;
  }
  out = ToStdString(*text);
  return true;
}

// A nullable string field: absent → nullopt, null → optional holding nullopt.
std::optional<std::optional<std::string>> ReadNullableString(const json::object& object,
                                                             std::string_view key, Errors& errors) {
  const json::value* value = Find(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<std::string>{};
  const json::string* text = value->if_string();
  if (text == nullptr) {
    Fail(errors, key, "must be a string or null");
    return std::nullopt;
  }
  return std::optional<std::string>{ToStdString(*text)};
}

std::optional<std::optional<Priority>> ReadPriority(const json::object& object, Errors& errors) {
  const json::value* value = Find(object, "priority");
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<Priority>{};
  if (const json::string* text = value->if_string()) {
    if (auto priority = ParsePriority(std::string_view(text->data(), text->size()))) {
      return std::optional<Priority>{*priority};
    }
  }
  Fail(errors, "priority", kBadPriority);
  return std::nullopt;
}

std::string_view View(const json::string& text) { return {text.data(), text.size()}; }

// A nullable RFC 3339 date-time: absent → nullopt, null → optional holding nullopt.
std::optional<std::optional<Instant>> ReadNullableInstant(const json::object& object,
                                                          std::string_view key, Errors& errors) {
  const json::value* value = Find(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<Instant>{};
  if (const json::string* text = value->if_string()) {
    if (auto instant = ParseRfc3339(View(*text))) return std::optional<Instant>{*instant};
  }
  Fail(errors, key, kBadDate);
  return std::nullopt;
}

// "due_at": a date-time (a timed task), a date (all-day) or null (none).
struct DueInput {
  bool present = false;
  std::optional<Instant> instant;
  std::optional<LocalDate> date;
};

DueInput ReadDue(const json::object& object, Errors& errors) {
  const json::value* value = Find(object, "due_at");
  if (value == nullptr) return {};
  if (value->is_null()) return {.present = true};
  if (const json::string* text = value->if_string()) {
    if (auto date = ParseRfc3339Date(View(*text))) return {.present = true, .date = *date};
    if (auto instant = ParseRfc3339(View(*text))) return {.present = true, .instant = *instant};
  }
  Fail(errors, "due_at", kBadDue);
  return {};
}

// Moves the errors of a nested object into `errors`, each field under `prefix`.
void AppendNested(Errors& nested, std::string_view prefix, Errors& errors) {
  for (FieldError& error : nested) {
    error.field = std::string(prefix) + "." + error.field;
    errors.push_back(std::move(error));
  }
}

// JSON has one number type: 5 and 5.0 are the same integer (as in JSON
// Schema), 5.5 is not, and values beyond `int` are out of range.
std::optional<std::optional<int>> ReadNullableInt(const json::object& object, std::string_view key,
                                                  int min, int max, Errors& errors) {
  const json::value* value = Find(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<int>{};
  std::optional<double> number;
  if (const auto* i = value->if_int64()) number = static_cast<double>(*i);
  if (const auto* u = value->if_uint64()) number = static_cast<double>(*u);
  if (const auto* d = value->if_double()) number = *d;
  if (!number || !std::isfinite(*number) || std::trunc(*number) != *number) {
    Fail(errors, key, kMustBeInteger);
    return std::nullopt;
  }
  if (*number < std::numeric_limits<int>::min() || *number > std::numeric_limits<int>::max()) {
    Fail(errors, key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return std::optional<int>{static_cast<int>(*number)};
}

// An array of strings that may not be null. A non-string item is reported
// under "key[i]" and kept as "" so later indexes still match the body.
std::optional<std::vector<std::string>> ReadStringArray(const json::object& object,
                                                        std::string_view key, Errors& errors) {
  const json::value* value = Find(object, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) {
    Fail(errors, key, kMustNotBeNull);
    return std::nullopt;
  }
  const json::array* items = value->if_array();
  if (items == nullptr) {
    Fail(errors, key, "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    if (const json::string* text = (*items)[i].if_string()) {
      out.push_back(ToStdString(*text));
    } else {
      Fail(errors, std::string(key) + "[" + std::to_string(i) + "]", kMustBeString);
      out.emplace_back();
    }
  }
  return out;
}

// "recurrence": an object or null (no longer recurring). Type errors are
// named "recurrence.<field>"; value rules (ranges, cron and RRULE syntax) are
// the domain's (NormalizeRecurrence). "text" is output only and ignored.
std::optional<std::optional<Recurrence>> ReadRecurrence(const json::object& object,
                                                        Errors& errors) {
  const json::value* value = Find(object, "recurrence");
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<Recurrence>{};
  const json::object* fields = value->if_object();
  if (fields == nullptr) {
    Fail(errors, "recurrence", "must be an object or null");
    return std::nullopt;
  }
  Errors own;
  Recurrence recurrence;
  std::string text;
  if (ReadString(*fields, "rule", /*required=*/true, text, own)) {
    if (auto rule = ParseRecurrenceRule(text)) {
      recurrence.rule = *rule;
    } else {
      Fail(own, "rule", "must be one of daily, weekly, monthly, yearly, cron, rrule");
    }
  }
  if (auto interval = ReadNullableInt(*fields, "interval", 1, 1000, own)) {
    recurrence.interval = interval->value_or(1);
  }
  if (auto cron = ReadNullableString(*fields, "cron", own)) recurrence.cron = cron->value_or("");
  if (auto rrule = ReadNullableString(*fields, "rrule", own)) {
    recurrence.rrule = rrule->value_or("");
  }
  if (auto anchor = ReadNullableString(*fields, "anchor", own); anchor && *anchor) {
    if (auto parsed = ParseRecurrenceAnchor(**anchor)) {
      recurrence.anchor = *parsed;
    } else {
      Fail(own, "anchor", "must be due or completion");
    }
  }
  if (auto until = ReadNullableInstant(*fields, "until", own)) recurrence.until = *until;
  if (auto count = ReadNullableInt(*fields, "count", 1, 1000000, own)) recurrence.count = *count;
  if (!own.empty()) {
    AppendNested(own, "recurrence", errors);
    return std::nullopt;
  }
  return std::optional<Recurrence>{std::move(recurrence)};
}

// "reminders": an array of {"before_minutes"} or {"at"} objects, or null
// (none). Output-only keys of a reminder (id, remind_at, sent_at) are ignored,
// so a task's reminders can be sent back as read.
std::optional<std::vector<ReminderSpec>> ReadReminders(const json::object& object, Errors& errors) {
  const json::value* value = Find(object, "reminders");
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::vector<ReminderSpec>{};
  const json::array* items = value->if_array();
  if (items == nullptr) {
    Fail(errors, "reminders", "must be an array of reminders or null");
    return std::nullopt;
  }
  std::vector<ReminderSpec> specs;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string field = "reminders[" + std::to_string(i) + "]";
    const json::object* item = (*items)[i].if_object();
    if (item == nullptr) {
      Fail(errors, field, "must be an object with before_minutes or at");
      ok = false;
      continue;
    }
    Errors own;
    ReminderSpec spec;
    if (auto minutes = ReadNullableInt(*item, "before_minutes", 0, kRemindBeforeMaxMinutes, own)) {
      spec.before_minutes = *minutes;
    }
    if (auto at = ReadNullableInstant(*item, "at", own)) spec.at = *at;
    if (!own.empty()) ok = false;
    AppendNested(own, field, errors);
    specs.push_back(spec);
  }
  if (!ok) return std::nullopt;
  return specs;
}

// When the body already has type errors, adds the domain's value-rule errors
// for the other fields, so the client learns about every field at once.
template <class R>
void AddDomainErrors(Errors& errors, const R& result) {
  if (result.ok() || result.error().code != ErrorCode::kInvalidArgument) return;
  for (const FieldError& extra : result.error().fields) {
    bool known = false;
    for (const FieldError& e : errors) known = known || e.field == extra.field;
    if (!known) errors.push_back(extra);
  }
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The body as a JSON object, its memory from `storage`.
Decoded<json::value> ParseObject(std::string_view body, json::storage_ptr storage) {
  if (IsBlank(body)) {
    return Problem{400,
                   "the request body is empty; a JSON object is expected",
                   {FieldError{"body", "is required"}}};
  }
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  json::value root =
      json::parse(json::string_view(body.data(), body.size()), ec, std::move(storage), options);
  if (ec) {
    return Problem{400, "the request body is not valid JSON", {FieldError{"body", ec.message()}}};
  }
  if (!root.is_object()) {
    return Problem{422,
                   "the request body must be a JSON object",
                   {FieldError{"body", "must be a JSON object"}}};
  }
  return root;
}

// Parses the body as a JSON object and hands it to `fill`, which reads the
// fields into a T and reports type errors.
template <class T, class Fill>
Decoded<T> DecodeObject(std::string_view body, Fill fill) {
  // Request bodies are small; a stack arena avoids most heap allocations.
  unsigned char arena[4096];
  json::monotonic_resource resource(arena, sizeof arena);
  Decoded<json::value> root = ParseObject(body, &resource);
  if (auto* problem = std::get_if<Problem>(&root)) return std::move(*problem);
  Errors errors;
  T value = fill(std::get<json::value>(root).get_object(), errors);
  if (!errors.empty()) {
    return Problem{422, "the request has invalid fields", std::move(errors)};
  }
  return value;
}

}  // namespace

Decoded<json::value> ParseObjectBody(std::string_view body) { return ParseObject(body, {}); }

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run_start = 0;  // safe bytes are appended in runs
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out += '"';
}

std::string EncodeTask(const Task& task) {
  std::string out;
  out.reserve(512);
  AppendTask(out, task);
  return out;
}

std::string EncodeTaskPage(const TaskPage& page, long long offset, int limit) {
  std::string out;
  out.reserve(64 + page.tasks.size() * 512);
  out += "{\"tasks\":[";
  for (std::size_t i = 0; i < page.tasks.size(); ++i) {
    if (i > 0) out += ',';
    AppendTask(out, page.tasks[i]);
  }
  out += "],\"total\":";
  AppendInt(out, page.total);
  out += ",\"offset\":";
  AppendInt(out, offset);
  out += ",\"limit\":";
  AppendInt(out, limit);
  out += '}';
  return out;
}

std::string EncodeUser(const User& user) {
  std::string out;
  out.reserve(160);
  AppendUser(out, user);
  return out;
}

std::string EncodeSession(const Session& session) {
  std::string out;
  out.reserve(256 + session.token.size());
  out += "{\"token\":";
  AppendJsonString(out, session.token);
  out += ",\"user\":";
  AppendUser(out, session.user);
  out += '}';
  return out;
}

std::string EncodeTag(const TagWithCount& tag) {
  std::string out;
  out.reserve(128);
  AppendTag(out, tag);
  return out;
}

std::string EncodeTagList(const std::vector<TagWithCount>& tags) {
  std::string out;
  out.reserve(16 + tags.size() * 128);
  out += "{\"tags\":[";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out += ',';
    AppendTag(out, tags[i]);
  }
  out += "]}";
  return out;
}

Decoded<TaskDraft> DecodeTaskDraft(std::string_view body) {
  return DecodeObject<TaskDraft>(body, [](const json::object& object, Errors& errors) {
    TaskDraft draft;
    ReadString(object, "title", /*required=*/true, draft.title, errors);
    // A null description on create is the same as none.
    if (auto description = ReadNullableString(object, "description", errors)) {
      draft.description = description->value_or("");
    }
    if (auto priority = ReadPriority(object, errors)) draft.priority = *priority;
    const DueInput due = ReadDue(object, errors);
    draft.due_at = due.instant;
    draft.due_date = due.date;
    std::string timezone;
    if (ReadString(object, "timezone", /*required=*/false, timezone, errors)) {
      draft.timezone = std::move(timezone);
    }
    if (auto tags = ReadStringArray(object, "tags", errors)) draft.tags = std::move(*tags);
    if (auto remind =
            ReadNullableInt(object, "remind_before_minutes", 0, kRemindBeforeMaxMinutes, errors)) {
      draft.remind_before_minutes = *remind;
    }
    if (auto recurrence = ReadRecurrence(object, errors)) draft.recurrence = std::move(*recurrence);
    if (auto reminders = ReadReminders(object, errors)) draft.reminders = std::move(*reminders);
    if (!errors.empty()) AddDomainErrors(errors, NormalizeDraft(draft));
    return draft;
  });
}

Decoded<TaskPatch> DecodeTaskPatch(std::string_view body) {
  return DecodeObject<TaskPatch>(body, [](const json::object& object, Errors& errors) {
    TaskPatch patch;
    std::string text;
    if (ReadString(object, "title", /*required=*/false, text, errors)) patch.title = text;
    patch.description = ReadNullableString(object, "description", errors);
    patch.priority = ReadPriority(object, errors);
    const DueInput due = ReadDue(object, errors);
    if (due.date) {
      patch.due_date = *due.date;
    } else if (due.present) {
      patch.due_at = due.instant;
    }
    if (ReadString(object, "timezone", /*required=*/false, text, errors)) patch.timezone = text;
    patch.tags = ReadStringArray(object, "tags", errors);
    patch.remind_before_minutes =
        ReadNullableInt(object, "remind_before_minutes", 0, kRemindBeforeMaxMinutes, errors);
    patch.recurrence = ReadRecurrence(object, errors);
    patch.reminders = ReadReminders(object, errors);
    if (!errors.empty()) AddDomainErrors(errors, NormalizePatch(patch));
    return patch;
  });
}

Decoded<TagDraft> DecodeTagDraft(std::string_view body) {
  return DecodeObject<TagDraft>(body, [](const json::object& object, Errors& errors) {
    TagDraft draft;
    ReadString(object, "name", /*required=*/true, draft.name, errors);
    if (auto color = ReadNullableString(object, "color", errors)) draft.color = *color;
    if (!errors.empty()) AddDomainErrors(errors, NormalizeTagDraft(draft));
    return draft;
  });
}

Decoded<TagPatch> DecodeTagPatch(std::string_view body) {
  return DecodeObject<TagPatch>(body, [](const json::object& object, Errors& errors) {
    TagPatch patch;
    std::string name;
    if (ReadString(object, "name", /*required=*/false, name, errors)) patch.name = name;
    patch.color = ReadNullableString(object, "color", errors);
    if (!errors.empty()) AddDomainErrors(errors, NormalizeTagPatch(patch));
    return patch;
  });
}

Decoded<SignupDraft> DecodeSignup(std::string_view body) {
  return DecodeObject<SignupDraft>(body, [](const json::object& object, Errors& errors) {
    SignupDraft draft;
    ReadString(object, "email", /*required=*/true, draft.email, errors);
    ReadString(object, "password", /*required=*/true, draft.password, errors);
    if (auto name = ReadNullableString(object, "name", errors)) draft.name = *name;
    if (!errors.empty()) AddDomainErrors(errors, NormalizeSignup(draft));
    return draft;
  });
}

Decoded<LoginInput> DecodeLogin(std::string_view body) {
  return DecodeObject<LoginInput>(body, [](const json::object& object, Errors& errors) {
    LoginInput input;
    ReadString(object, "email", /*required=*/true, input.email, errors);
    ReadString(object, "password", /*required=*/true, input.password, errors);
    return input;
  });
}

Decoded<ProfilePatch> DecodeProfilePatch(std::string_view body) {
  return DecodeObject<ProfilePatch>(body, [](const json::object& object, Errors& errors) {
    ProfilePatch patch;
    std::string text;
    if (ReadString(object, "name", /*required=*/false, text, errors)) patch.name = text;
    if (ReadString(object, "timezone", /*required=*/false, text, errors)) patch.timezone = text;
    if (ReadString(object, "date_order", /*required=*/false, text, errors)) {
      if (auto order = ParseDateOrder(text)) {
        patch.date_order = *order;
      } else {
        Fail(errors, "date_order", "must be MDY or DMY");
      }
    }
    if (!errors.empty()) AddDomainErrors(errors, NormalizeProfilePatch(patch));
    return patch;
  });
}

Decoded<QuickAddInput> DecodeQuickAddInput(std::string_view body) {
  return DecodeObject<QuickAddInput>(body, [](const json::object& object, Errors& errors) {
    QuickAddInput input;
    ReadString(object, "text", /*required=*/true, input.text, errors);
    if (auto now = ReadNullableInstant(object, "now", errors)) input.now = *now;
    if (auto timezone = ReadNullableString(object, "timezone", errors)) input.timezone = *timezone;
    if (!errors.empty()) AddDomainErrors(errors, NormalizeQuickAddInput(input));
    return input;
  });
}

std::string EncodeQuickAddResult(const QuickAddResult& parsed) {
  std::string out;
  out.reserve(512 + parsed.spans.size() * 64);
  out += "{\"task\":{";
  AppendKey(out, "title");
  AppendJsonString(out, parsed.title);
  out += ',';
  AppendKey(out, "priority");
  AppendPriority(out, parsed.priority);
  out += ',';
  AppendKey(out, "tags");
  AppendTagNames(out, parsed.tags);
  out += ',';
  AppendKey(out, "due_at");
  AppendNullableInstant(out, parsed.due_at);
  out += ',';
  AppendKey(out, "all_day");
  out += parsed.all_day ? "true," : "false,";
  AppendKey(out, "timezone");
  AppendJsonString(out, parsed.timezone);
  out += ',';
  AppendKey(out, "recurrence");
  AppendNullableRecurrence(out, parsed.recurrence, parsed.due_at, parsed.timezone);
  out += ',';
  AppendKey(out, "reminders");
  out += '[';
  for (std::size_t i = 0; i < parsed.reminders.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    AppendReminderSpec(out, parsed.reminders[i]);
    out += ',';
    AppendKey(out, "remind_at");
    AppendNullableInstant(
        out, PlanReminder(parsed.reminders[i], parsed.due_at, parsed.all_day, parsed.timezone));
    out += '}';
  }
  out += "]},\"spans\":[";
  for (std::size_t i = 0; i < parsed.spans.size(); ++i) {
    if (i > 0) out += ',';
    const ParsedSpan& span = parsed.spans[i];
    out += '{';
    AppendKey(out, "start");
    AppendInt(out, static_cast<long long>(span.start));
    out += ',';
    AppendKey(out, "end");
    AppendInt(out, static_cast<long long>(span.end));
    out += ',';
    AppendKey(out, "kind");
    AppendJsonString(out, span.kind);
    out += ',';
    AppendKey(out, "text");
    AppendJsonString(out, span.text);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace taskflow
