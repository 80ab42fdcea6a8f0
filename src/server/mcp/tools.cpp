#include "server/mcp/tools.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "domain/task_query.hpp"
#include "domain/time.hpp"
#include "server/handlers.hpp"
#include "server/json_codec.hpp"
#include "server/mcp/openapi_schemas.hpp"

namespace taskflow::mcp {
namespace {

// ---- Results ----

json::object TextResult(std::string text, bool is_error) {
  return {{"content", json::array{json::object{{"type", "text"}, {"text", std::move(text)}}}},
          {"isError", is_error}};
}

// The structured value, also serialised as text for clients that only read content.
json::object StructuredResult(json::object structured) {
  json::object result = TextResult(json::serialize(structured), false);
  result["structuredContent"] = std::move(structured);
  return result;
}

json::object ToolError(std::string message) { return TextResult(std::move(message), true); }

std::string DescribeFields(const std::vector<FieldError>& fields) {
  std::string text;
  for (const FieldError& field : fields) {
    text += text.empty() ? " " : "; ";
    text += field.field + ": " + field.message;
  }
  return text;
}

// A refused use case, said so that a model can fix its next call.
json::object ErrorResult(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return ToolError("Invalid arguments:" + DescribeFields(error.fields) +
                       ". Fix these fields and call the tool again.");
    case ErrorCode::kNotFound:
      return ToolError(error.message +
                       ". Check the id: call list_tasks to see the user's tasks and their ids.");
    case ErrorCode::kPreconditionFailed:
      return ToolError(error.message +
                       ". Call get_task for the current version, then retry with it.");
    case ErrorCode::kConflict:
      return ToolError(error.message + ".");
    case ErrorCode::kUnauthenticated:
      return ToolError("Not authenticated: " + error.message + ".");
    case ErrorCode::kUnavailable:
      return ToolError("The task store is unavailable right now; try again shortly.");
    case ErrorCode::kInternal:
      break;
  }
  return ToolError("The server failed to carry out the call; try again later.");
}

json::object ProblemResult(const Problem& problem) {
  if (!problem.errors.empty()) {
    return ToolError("Invalid arguments:" + DescribeFields(problem.errors) +
                     ". Fix these fields and call the tool again.");
  }
  return ToolError("Invalid arguments: " + problem.detail + ".");
}

json::object Parsed(const std::string& encoded) { return json::parse(encoded).as_object(); }

json::object TaskResult(const Result<Task>& task) {
  if (!task.ok()) return ErrorResult(task.error());
  return StructuredResult(Parsed(EncodeTask(*task)));
}

// ---- Arguments ----

// The task id argument; a non-UUID names no task (as the REST API's 404).
std::variant<std::string, json::object> TaskIdArgument(const json::object& arguments) {
  const json::value* id = arguments.if_contains("id");
  if (id == nullptr || !id->is_string()) {
    return ToolError("Invalid arguments: id: is required, the task's id (a UUID string). "
                     "Call list_tasks to find it.");
  }
  const std::string text(id->get_string());
  if (!IsIdText(text)) {
    return ToolError("Task not found: \"" + text +
                     "\" is not a task id (ids are UUIDs). Call list_tasks to find the id.");
  }
  return text;
}

// expected_version: the optimistic-concurrency check the REST API does with If-Match.
std::variant<std::optional<std::int64_t>, json::object> ExpectedVersion(
    const json::object& arguments) {
  const json::value* version = arguments.if_contains("expected_version");
  if (version == nullptr || version->is_null()) return std::optional<std::int64_t>();
  if (version->is_int64() && version->get_int64() >= 1) {
    return std::optional<std::int64_t>(version->get_int64());
  }
  if (version->is_uint64()) return ToolError("Invalid arguments: expected_version: too large.");
  return ToolError(
      "Invalid arguments: expected_version: must be a positive integer (a task's version).");
}

json::object Without(const json::object& arguments, std::initializer_list<std::string_view> keys) {
  json::object out = arguments;
  for (std::string_view key : keys) out.erase(key);
  return out;
}

// list_tasks arguments → the query parameters of GET /api/tasks.
std::variant<std::vector<std::pair<std::string, std::string>>, json::object> QueryParameters(
    const json::object& arguments) {
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : arguments) {
    const std::string name(key);
    if (value.is_null()) continue;
    if (value.is_string()) {
      params.emplace_back(name, std::string(value.get_string()));
    } else if (value.is_bool()) {
      params.emplace_back(name, value.get_bool() ? "true" : "false");
    } else if (value.is_int64() || value.is_uint64()) {
      params.emplace_back(name, json::serialize(value));
    } else if (value.is_array() && (name == "priority" || name == "tag")) {
      for (const json::value& item : value.get_array()) {
        if (!item.is_string()) {
          errors.push_back({name, "must be an array of strings"});
          break;
        }
        params.emplace_back(name, std::string(item.get_string()));
      }
    } else {
      errors.push_back({name, "has the wrong type (see the tool's inputSchema)"});
    }
  }
  if (!errors.empty()) return ErrorResult(Error::Invalid(std::move(errors)));
  return params;
}

// ---- Definitions ----

json::object Annotations(std::string_view title, bool read_only, bool destructive,
                         bool idempotent) {
  json::object annotations{{"title", title}, {"readOnlyHint", read_only}, {"openWorldHint", false}};
  if (!read_only) {
    annotations["destructiveHint"] = destructive;
    annotations["idempotentHint"] = idempotent;
  }
  return annotations;
}

json::object ObjectSchema(json::object properties, json::array required = {}) {
  json::object schema{{"type", "object"}, {"properties", std::move(properties)},
                      {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

json::object IdProperty() {
  return {{"type", "string"},
          {"description", "The task's id (a UUID), as list_tasks or add_task returned it."}};
}

json::object ExpectedVersionProperty() {
  return {{"type", "integer"},
          {"minimum", 1},
          {"description",
           "Optional: the task version you last saw; the change is refused if the task changed "
           "since (like HTTP If-Match)."}};
}

json::object Tool(std::string_view name, std::string_view title, std::string_view description,
                  json::object input, json::object output, json::object annotations) {
  return {{"name", name},
          {"title", title},
          {"description", description},
          {"inputSchema", std::move(input)},
          {"outputSchema", std::move(output)},
          {"annotations", std::move(annotations)}};
}

json::array BuildDefinitions() {
  const json::object task = OpenApiSchema("Task");
  json::array tools;

  json::object create = OpenApiSchema("TaskCreate");
  json::object add_properties = create["properties"].as_object();
  add_properties["text"] = {
      {"type", "string"},
      {"minLength", 1},
      {"description",
       "Quick add instead of fields: one line in everyday English, e.g. \"Call mom tomorrow "
       "6pm #family p1, remind me 30 minutes before\"; dates, times, priority, tags, recurrence and "
       "reminders are read from it, in the user's time zone. Give either text or title."}};
  tools.push_back(Tool(
      "add_task", "Add a task",
      "Creates a task for the user, from fields (title required) or from a quick-add line "
      "(text). Unknown tags are created. Returns the task.",
      ObjectSchema(std::move(add_properties)), task,
      Annotations("Add a task", false, false, false)));

  json::object list_properties;
  for (std::string_view name : {"q", "status", "priority", "tag", "due_after", "due_before",
                                "has_due_date", "sort_by", "sort_order", "offset", "limit"}) {
    list_properties[name] = OpenApiParameterSchema(name);
  }
  list_properties["overdue"] = {
      {"type", "boolean"},
      {"description",
       "true: only overdue tasks: timed ones due before now, all-day ones whose day is over (an "
       "all-day task due today is not overdue yet), in the user's time zone. false: no such "
       "filter."}};
  tools.push_back(Tool("list_tasks", "List tasks",
                       "Lists the user's tasks with filters (text, status, priority, tags, due "
                       "range, has a due date, overdue), sort and paging; `total` counts every "
                       "match.",
                       ObjectSchema(std::move(list_properties)), OpenApiSchema("TaskList"),
                       Annotations("List tasks", true, false, true)));

  tools.push_back(Tool("get_task", "Get a task", "Reads one task by id.",
                       ObjectSchema({{"id", IdProperty()}}, {"id"}), task,
                       Annotations("Get a task", true, false, true)));

  json::object patch_properties = OpenApiSchema("TaskPatch")["properties"].as_object();
  patch_properties["id"] = IdProperty();
  patch_properties["expected_version"] = ExpectedVersionProperty();
  tools.push_back(Tool(
      "update_task", "Change a task",
      "Changes the given fields of a task (others stay as they are; null clears a field). "
      "Returns the task.",
      ObjectSchema(std::move(patch_properties), {"id"}), task,
      Annotations("Change a task", false, true, true)));

  tools.push_back(Tool("complete_task", "Complete a task",
                       "Marks a task completed (completing it again changes nothing). A "
                       "recurring task gets its next occurrence. Returns the completed task.",
                       ObjectSchema({{"id", IdProperty()}}, {"id"}), task,
                       Annotations("Complete a task", false, false, true)));

  tools.push_back(Tool("reopen_task", "Reopen a task",
                       "Marks a completed task pending again. Returns the task.",
                       ObjectSchema({{"id", IdProperty()}}, {"id"}), task,
                       Annotations("Reopen a task", false, false, true)));

  tools.push_back(Tool(
      "delete_task", "Delete a task", "Deletes a task and its reminders for good.",
      ObjectSchema({{"id", IdProperty()}, {"expected_version", ExpectedVersionProperty()}},
                   {"id"}),
      ObjectSchema({{"id", {{"type", "string"}}}, {"deleted", {{"type", "boolean"}}}},
                   {"id", "deleted"}),
      Annotations("Delete a task", false, true, true)));

  tools.push_back(Tool("list_tags", "List tags",
                       "Lists the user's tags with how many tasks carry each.",
                       ObjectSchema({}), OpenApiSchema("TagList"),
                       Annotations("List tags", true, false, true)));

  tools.push_back(Tool(
      "set_reminder", "Set a reminder",
      "Adds a reminder to a task: before_minutes before its due date, or at an instant. An "
      "identical reminder is not added twice; replace: true makes it the task's only reminder. "
      "Returns the task with its reminders.",
      ObjectSchema(
          {{"id", IdProperty()},
           {"before_minutes",
            {{"type", "integer"},
             {"minimum", 0},
             {"maximum", 525600},
             {"description", "Minutes before the due date (the task needs a due date)."}}},
           {"at",
            {{"type", "string"},
             {"format", "date-time"},
             {"description", "An RFC 3339 instant, e.g. 2026-12-03T09:00:00+01:00."}}},
           {"replace",
            {{"type", "boolean"},
             {"description", "Drop the task's other reminders (default false)."}}}},
          {"id"}),
      task, Annotations("Set a reminder", false, true, true)));
  return tools;
}

// The input schema's property names: anything else is a mistake worth naming.
std::optional<json::object> UnknownArguments(const json::object& definition,
                                             const json::object& arguments) {
  const json::object& properties =
      definition.at("inputSchema").as_object().at("properties").as_object();
  std::vector<FieldError> unknown;
  for (const auto& [key, value] : arguments) {
    if (!properties.contains(key)) unknown.push_back({std::string(key), "is not an argument of this tool"});
  }
  if (unknown.empty()) return std::nullopt;
  std::string known;
  for (const auto& [key, value] : properties) known += (known.empty() ? "" : ", ") + std::string(key);
  return ToolError("Invalid arguments:" + DescribeFields(unknown) + ". Known arguments: " + known +
                   ".");
}

// ---- Calls ----

json::object AddTask(TaskService& tasks, const std::string& user_id, const json::object& arguments) {
  if (const json::value* text = arguments.if_contains("text")) {
    if (arguments.size() > 1) {
      return ToolError("Invalid arguments: give either text (quick add) or the task's fields "
                       "(title, due_at, …), not both.");
    }
    if (!text->is_string()) return ToolError("Invalid arguments: text: must be a string.");
    return TaskResult(tasks.QuickAdd(user_id, std::string(text->get_string())));
  }
  Decoded<TaskDraft> draft = DecodeTaskDraft(json::serialize(arguments));
  if (auto* problem = std::get_if<Problem>(&draft)) return ProblemResult(*problem);
  return TaskResult(tasks.Create(user_id, std::move(std::get<TaskDraft>(draft))));
}

// `overdue`: absent or false (nothing to add), true (the cutoff now, in the
// user's zone), or an error result.
std::variant<std::optional<OverdueCutoff>, json::object> OverdueArgument(
    const McpServices& services, const std::string& user_id, const json::object& arguments) {
  const json::value* overdue = arguments.if_contains("overdue");
  if (overdue == nullptr || overdue->is_null()) return std::nullopt;
  if (!overdue->is_bool()) {
    return ErrorResult(Error::Invalid({{"overdue", "must be a boolean"}}));
  }
  if (!overdue->get_bool()) return std::nullopt;
  Result<User> user = services.accounts.GetProfile(user_id);
  if (!user.ok()) return ErrorResult(user.error());
  std::optional<OverdueCutoff> cutoff = OverdueCutoffAt(services.clock.Now(), user->timezone);
  if (!cutoff) return ErrorResult(Error::Internal("unknown time zone: " + user->timezone));
  return cutoff;
}

json::object ListTasks(const McpServices& services, const std::string& user_id,
                       const json::object& arguments) {
  auto overdue = OverdueArgument(services, user_id, arguments);
  if (auto* error = std::get_if<json::object>(&overdue)) return std::move(*error);
  auto params = QueryParameters(Without(arguments, {"overdue"}));
  if (auto* error = std::get_if<json::object>(&params)) return std::move(*error);
  Result<TaskQuery> query = ParseTaskQuery(std::get<0>(params));
  if (!query.ok()) return ErrorResult(query.error());
  query->overdue = std::get<0>(overdue);
  Result<TaskPage> page = services.tasks.List(user_id, *query);
  if (!page.ok()) return ErrorResult(page.error());
  return StructuredResult(Parsed(EncodeTaskPage(*page, query->offset, query->limit)));
}

json::object UpdateTask(TaskService& tasks, const std::string& user_id, const std::string& id,
                        const json::object& arguments) {
  auto version = ExpectedVersion(arguments);
  if (auto* error = std::get_if<json::object>(&version)) return std::move(*error);
  Decoded<TaskPatch> patch =
      DecodeTaskPatch(json::serialize(Without(arguments, {"id", "expected_version"})));
  if (auto* problem = std::get_if<Problem>(&patch)) return ProblemResult(*problem);
  return TaskResult(tasks.Update(user_id, id, std::move(std::get<TaskPatch>(patch)),
                                 std::get<0>(version)));
}

json::object DeleteTask(TaskService& tasks, const std::string& user_id, const std::string& id,
                        const json::object& arguments) {
  auto version = ExpectedVersion(arguments);
  if (auto* error = std::get_if<json::object>(&version)) return std::move(*error);
  Status deleted = tasks.Delete(user_id, id, std::get<0>(version));
  if (!deleted.ok()) return ErrorResult(deleted.error());
  return StructuredResult({{"id", id}, {"deleted", true}});
}

// Reads the task, adds the reminder to what it has (as REST clients do with
// PATCH reminders), and writes it back conditional on the version read.
json::object SetReminder(TaskService& tasks, const std::string& user_id, const std::string& id,
                         const json::object& arguments) {
  const json::value* before = arguments.if_contains("before_minutes");
  const json::value* at = arguments.if_contains("at");
  if (before != nullptr && before->is_null()) before = nullptr;
  if (at != nullptr && at->is_null()) at = nullptr;
  if ((before == nullptr) == (at == nullptr)) {
    return ToolError("Invalid arguments: give exactly one of before_minutes (minutes before the "
                     "due date) or at (an RFC 3339 instant).");
  }
  const json::value* replace = arguments.if_contains("replace");
  if (replace != nullptr && !replace->is_bool()) {
    return ToolError("Invalid arguments: replace: must be true or false.");
  }
  Result<Task> current = tasks.Get(user_id, id);
  if (!current.ok()) return ErrorResult(current.error());
  json::object wanted;
  if (before != nullptr) {
    wanted["before_minutes"] = *before;
  } else {
    wanted["at"] = *at;
  }
  json::array reminders;
  if (replace == nullptr || !replace->get_bool()) {
    // What the task has, sent back as read (the codec ignores output-only fields).
    reminders = Parsed(EncodeTask(*current))["reminders"].as_array();
    for (const json::value& reminder : reminders) {
      const json::object& existing = reminder.as_object();
      const bool same_lead = before != nullptr && existing.at("before_minutes") == *before;
      const bool same_instant =
          at != nullptr && at->is_string() && existing.at("at").is_string() &&
          ParseRfc3339(at->get_string()) == ParseRfc3339(existing.at("at").get_string());
      if (same_lead || same_instant) return TaskResult(std::move(current));  // already there
    }
  }
  reminders.push_back(wanted);
  Decoded<TaskPatch> patch = DecodeTaskPatch(json::serialize(json::object{{"reminders", reminders}}));
  if (auto* problem = std::get_if<Problem>(&patch)) {
    Problem renamed = *problem;
    // The new reminder is the last one: name its field as the caller gave it.
    for (FieldError& field : renamed.errors) {
      const std::string last = "reminders[" + std::to_string(reminders.size() - 1) + "]";
      if (field.field.starts_with(last)) {
        field.field = before != nullptr ? "before_minutes" : "at";
      }
    }
    return ProblemResult(renamed);
  }
  return TaskResult(
      tasks.Update(user_id, id, std::move(std::get<TaskPatch>(patch)), current->version));
}

}  // namespace

TaskTools::TaskTools(McpServices services)
    : services_(services), definitions_(BuildDefinitions()) {}

bool TaskTools::Has(std::string_view name) const {
  for (const json::value& tool : definitions_) {
    if (tool.as_object().at("name").as_string() == name) return true;
  }
  return false;
}

json::object TaskTools::Call(const std::string& user_id, std::string_view name,
                             const json::object& arguments) const {
  for (const json::value& tool : definitions_) {
    const json::object& definition = tool.as_object();
    if (definition.at("name").as_string() != name) continue;
    if (auto unknown = UnknownArguments(definition, arguments)) return std::move(*unknown);
  }
  TaskService& tasks = services_.tasks;
  if (name == "add_task") return AddTask(tasks, user_id, arguments);
  if (name == "list_tasks") return ListTasks(services_, user_id, arguments);
  if (name == "list_tags") {
    Result<std::vector<TagWithCount>> tags = services_.tags.List(user_id);
    if (!tags.ok()) return ErrorResult(tags.error());
    return StructuredResult(Parsed(EncodeTagList(*tags)));
  }
  auto id_or_error = TaskIdArgument(arguments);
  if (auto* error = std::get_if<json::object>(&id_or_error)) return std::move(*error);
  const std::string& id = std::get<std::string>(id_or_error);
  if (name == "get_task") return TaskResult(tasks.Get(user_id, id));
  if (name == "update_task") return UpdateTask(tasks, user_id, id, arguments);
  if (name == "complete_task") return TaskResult(tasks.Complete(user_id, id));
  if (name == "reopen_task") return TaskResult(tasks.Reopen(user_id, id));
  if (name == "delete_task") return DeleteTask(tasks, user_id, id, arguments);
  if (name == "set_reminder") return SetReminder(tasks, user_id, id, arguments);
  return ToolError("Unknown tool: " + std::string(name) + ".");
}

}  // namespace taskflow::mcp
