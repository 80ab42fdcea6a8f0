#include "app/event_messages.hpp"

#include <boost/json.hpp>

namespace taskflow {
namespace json = boost::json;
namespace {

json::value InstantOrNull(const std::optional<Instant>& instant) {
  if (!instant) return nullptr;
  return json::value(FormatRfc3339(*instant));
}

json::value EncodeRecurrence(const std::optional<Recurrence>& recurrence) {
  if (!recurrence) return nullptr;
  json::object out;
  out["rule"] = ToString(recurrence->rule);
  out["interval"] = recurrence->interval;
  if (!recurrence->cron.empty()) out["cron"] = recurrence->cron;
  if (!recurrence->rrule.empty()) out["rrule"] = recurrence->rrule;
  out["anchor"] = ToString(recurrence->anchor);
  out["until"] = InstantOrNull(recurrence->until);
  out["count"] = recurrence->count ? json::value(*recurrence->count) : json::value(nullptr);
  return out;
}

json::array EncodeTags(const std::vector<std::string>& tags) {
  json::array out;
  for (const std::string& tag : tags) out.emplace_back(tag);
  return out;
}

json::array EncodeReminders(const std::vector<Reminder>& reminders) {
  json::array out;
  for (const Reminder& reminder : reminders) {
    json::object r;
    r["id"] = reminder.id;
    if (reminder.spec.before_minutes) r["before_minutes"] = *reminder.spec.before_minutes;
    if (reminder.spec.at) r["at"] = FormatRfc3339(*reminder.spec.at);
    r["remind_at"] = InstantOrNull(reminder.remind_at);
    r["sent_at"] = InstantOrNull(reminder.sent_at);
    out.push_back(std::move(r));
  }
  return out;
}

json::value PriorityOrNull(const std::optional<Priority>& priority) {
  if (!priority) return nullptr;
  return json::value(ToString(*priority));
}

// task_data: minimal, not the whole row.
json::object TaskData(const Task& task) {
  return json::object{{"id", task.id},
                      {"title", task.title},
                      {"status", ToString(task.status)},
                      {"priority", PriorityOrNull(task.priority)},
                      {"due_at", InstantOrNull(task.due_at)},
                      {"recurrence", EncodeRecurrence(task.recurrence)},
                      {"tags", EncodeTags(task.tags)}};
}

json::value FieldValue(TaskField field, const Task& task) {
  switch (field) {
    case TaskField::kTitle:
      return json::value(task.title);
    case TaskField::kDescription:
      return json::value(task.description);
    case TaskField::kStatus:
      return json::value(ToString(task.status));
    case TaskField::kPriority:
      return PriorityOrNull(task.priority);
    case TaskField::kDueAt:
      return InstantOrNull(task.due_at);
    case TaskField::kTimezone:
      return json::value(task.timezone);
    case TaskField::kAllDay:
      return json::value(task.all_day);
    case TaskField::kTags:
      return EncodeTags(task.tags);
    case TaskField::kRecurrence:
      return EncodeRecurrence(task.recurrence);
    case TaskField::kCompletedAt:
      return InstantOrNull(task.completed_at);
    case TaskField::kReminders:
      return EncodeReminders(task.reminders);
  }
  return nullptr;
}

json::object Changes(TaskEventType type, const Task* before, const Task& after) {
  json::object changes;
  if (type == TaskEventType::kDeleted) return changes;
  const std::vector<TaskField> fields =
      before == nullptr ? AllTaskFields() : ChangedFields(*before, after);
  for (TaskField field : fields) changes[ToString(field)] = FieldValue(field, after);
  return changes;
}

void Append(StoreWriter& tx, std::string_view topic, const std::string& key,
            const std::string& event_id, const json::object& message, Instant now) {
  OutboxRecord record{.id = 0,
                      .topic = std::string(topic),
                      .key = key,
                      .event_id = event_id,
                      .payload = json::serialize(message),
                      .created_at = now};
  tx.AppendOutbox(record);
}

// Field readers for the decoders: each names the field it could not read.
const json::object* AsObject(const json::value& value) { return value.if_object(); }

Result<std::string> Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return Error::Invalid(std::string(key), "must be a non-empty string");
  }
  return std::string(v->as_string());
}

Result<Instant> InstantField(const json::object& o, std::string_view key) {
  Result<std::string> text = Text(o, key);
  if (!text.ok()) return std::move(text).take_error();
  std::optional<Instant> instant = ParseRfc3339(*text);
  if (!instant) return Error::Invalid(std::string(key), "must be an RFC 3339 instant");
  return *instant;
}

Result<json::object> ParseObject(std::string_view payload) {
  boost::system::error_code ec;
  json::value value = json::parse(payload, ec);
  if (ec || !value.is_object()) return Error::Invalid("payload", "must be a JSON object");
  const json::object& o = value.as_object();
  const json::value* version = o.if_contains("schema_version");
  if (version == nullptr || !version->is_int64() || version->as_int64() != kEventSchemaVersion) {
    return Error::Invalid("schema_version", "must be 1");
  }
  return o;
}

}  // namespace

std::string AppendTaskEvent(StoreWriter& tx, IdGenerator& ids, TaskEventType type,
                            const Task* before, const Task& after, Instant now) {
  const std::string timestamp = FormatRfc3339(now);
  const std::string event_id = ids.NewId();
  Append(tx, kTaskEventsTopic, after.user_id, event_id,
         json::object{{"event_id", event_id},
                      {"event_type", ToString(type)},
                      {"task_id", after.id},
                      {"user_id", after.user_id},
                      {"task_data", TaskData(after)},
                      {"timestamp", timestamp},
                      {"schema_version", kEventSchemaVersion}},
         now);
  const std::string update_id = ids.NewId();
  Append(tx, kTaskUpdatesTopic, after.user_id, update_id,
         json::object{{"event_id", update_id},
                      {"event_type", ToString(type)},
                      {"task_id", after.id},
                      {"user_id", after.user_id},
                      {"changes", Changes(type, before, after)},
                      {"timestamp", timestamp},
                      {"schema_version", kEventSchemaVersion}},
         now);
  return event_id;
}

std::string AppendReminderEvent(StoreWriter& tx, IdGenerator& ids, const DueReminder& reminder) {
  const std::string event_id = ids.NewId();
  Append(tx, kRemindersTopic, reminder.user_id, event_id,
         json::object{{"event_id", event_id},
                      {"task_id", reminder.task_id},
                      {"user_id", reminder.user_id},
                      {"title", reminder.title},
                      {"due_at", InstantOrNull(reminder.due_at)},
                      {"remind_at", FormatRfc3339(reminder.remind_at)},
                      {"schema_version", kEventSchemaVersion}},
         reminder.remind_at);
  return event_id;
}

Result<TaskEventMessage> DecodeTaskEvent(std::string_view payload) {
  Result<json::object> parsed = ParseObject(payload);
  if (!parsed.ok()) return std::move(parsed).take_error();
  const json::object& o = *parsed;
  TaskEventMessage message;
  for (auto [key, out] :
       {std::pair{"event_id", &message.event_id}, std::pair{"task_id", &message.task_id},
        std::pair{"user_id", &message.user_id}}) {
    Result<std::string> text = Text(o, key);
    if (!text.ok()) return std::move(text).take_error();
    *out = std::move(*text);
  }
  Result<std::string> type = Text(o, "event_type");
  if (!type.ok()) return std::move(type).take_error();
  std::optional<TaskEventType> parsed_type = ParseTaskEventType(*type);
  if (!parsed_type) return Error::Invalid("event_type", "is not a task event type");
  message.type = *parsed_type;
  const json::value* data = o.if_contains("task_data");
  if (data == nullptr || AsObject(*data) == nullptr) {
    return Error::Invalid("task_data", "must be an object");
  }
  message.task_data = json::serialize(*data);
  Result<Instant> timestamp = InstantField(o, "timestamp");
  if (!timestamp.ok()) return std::move(timestamp).take_error();
  message.timestamp = *timestamp;
  return message;
}

Result<ReminderMessage> DecodeReminderEvent(std::string_view payload) {
  Result<json::object> parsed = ParseObject(payload);
  if (!parsed.ok()) return std::move(parsed).take_error();
  const json::object& o = *parsed;
  ReminderMessage message;
  for (auto [key, out] :
       {std::pair{"event_id", &message.event_id}, std::pair{"task_id", &message.task_id},
        std::pair{"user_id", &message.user_id}}) {
    Result<std::string> text = Text(o, key);
    if (!text.ok()) return std::move(text).take_error();
    *out = std::move(*text);
  }
  const json::value* title = o.if_contains("title");
  if (title == nullptr || !title->is_string()) return Error::Invalid("title", "must be a string");
  message.title = std::string(title->as_string());
  const json::value* due = o.if_contains("due_at");
  if (due != nullptr && !due->is_null()) {
    Result<Instant> due_at = InstantField(o, "due_at");
    if (!due_at.ok()) return std::move(due_at).take_error();
    message.due_at = *due_at;
  }
  Result<Instant> remind_at = InstantField(o, "remind_at");
  if (!remind_at.ok()) return std::move(remind_at).take_error();
  message.remind_at = *remind_at;
  return message;
}

Result<MessageIdentity> DecodeMessageIdentity(std::string_view payload) {
  Result<json::object> parsed = ParseObject(payload);
  if (!parsed.ok()) return std::move(parsed).take_error();
  MessageIdentity identity;
  Result<std::string> event_id = Text(*parsed, "event_id");
  if (!event_id.ok()) return std::move(event_id).take_error();
  Result<std::string> user_id = Text(*parsed, "user_id");
  if (!user_id.ok()) return std::move(user_id).take_error();
  identity.event_id = std::move(*event_id);
  identity.user_id = std::move(*user_id);
  return identity;
}

}  // namespace taskflow
