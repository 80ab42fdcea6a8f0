#include "app/chat_history.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace taskflow::chat {
namespace {

namespace json = boost::json;

std::string StringField(const json::object& o, std::string_view key) {
  const json::value* value = o.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::optional<TaskSummary> TaskFromObject(const json::object& o) {
  TaskSummary task;
  task.id = StringField(o, "id");
  if (task.id.empty() || !o.contains("title")) return std::nullopt;
  task.title = StringField(o, "title");
  task.status = StringField(o, "status");
  task.priority = StringField(o, "priority");
  if (const json::value* due = o.if_contains("due_at"); due != nullptr && due->is_string()) {
    task.due_at = std::string(due->get_string());
  }
  if (const json::value* all_day = o.if_contains("all_day"); all_day && all_day->is_bool()) {
    task.all_day = all_day->get_bool();
  }
  if (std::string zone = StringField(o, "timezone"); !zone.empty()) task.timezone = zone;
  if (const json::value* tags = o.if_contains("tags"); tags != nullptr && tags->is_array()) {
    for (const json::value& tag : tags->get_array()) {
      if (tag.is_string()) task.tags.emplace_back(tag.get_string());
    }
  }
  if (const json::value* version = o.if_contains("version"); version && version->is_int64()) {
    task.version = version->get_int64();
  }
  return task;
}

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

bool IsShownList(const ChatTurn& turn) {
  return turn.role == ChatRole::kAssistant && !turn.actions.empty() &&
         turn.actions.back().tool == "list_tasks" && !turn.actions.back().is_error;
}

}  // namespace

std::optional<TaskSummary> TaskFromJson(std::string_view text) {
  std::optional<json::object> o = ParseObject(text);
  if (!o) return std::nullopt;
  return TaskFromObject(*o);
}

std::optional<std::vector<TaskSummary>> TasksFromListJson(std::string_view text) {
  std::optional<json::object> o = ParseObject(text);
  if (!o) return std::nullopt;
  const json::value* tasks = o->if_contains("tasks");
  if (tasks == nullptr || !tasks->is_array()) return std::nullopt;
  std::vector<TaskSummary> out;
  for (const json::value& item : tasks->get_array()) {
    if (!item.is_object()) continue;
    if (std::optional<TaskSummary> task = TaskFromObject(item.get_object())) {
      out.push_back(std::move(*task));
    }
  }
  return out;
}

std::optional<std::vector<TaskSummary>> LastList(const std::vector<ChatTurn>& history) {
  for (auto turn = history.rbegin(); turn != history.rend(); ++turn) {
    if (!IsShownList(*turn)) continue;
    std::optional<std::vector<TaskSummary>> tasks =
        TasksFromListJson(turn->actions.back().result_json);
    if (tasks && !tasks->empty()) return tasks;
  }
  return std::nullopt;
}

std::optional<TaskSummary> LastTask(const std::vector<ChatTurn>& history) {
  for (auto turn = history.rbegin(); turn != history.rend(); ++turn) {
    if (turn->role != ChatRole::kAssistant) continue;
    if (IsShownList(*turn)) {
      auto tasks = TasksFromListJson(turn->actions.back().result_json);
      if (tasks && tasks->size() == 1) return tasks->front();
      continue;
    }
    for (auto action = turn->actions.rbegin(); action != turn->actions.rend(); ++action) {
      if (action->is_error || action->tool == "list_tasks" || action->tool == "list_tags") continue;
      if (std::optional<TaskSummary> task = TaskFromJson(action->result_json)) return task;
      // A deleted task is still the one spoken about ("it" is gone now).
      if (action->tool == "delete_task") {
        if (std::optional<json::object> o = ParseObject(action->result_json)) {
          return TaskSummary{.id = StringField(*o, "id")};
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<PendingQuestion> FindPendingQuestion(const std::vector<ChatTurn>& history) {
  if (history.size() < 2) return std::nullopt;
  const ChatTurn& question = history.back();
  const ChatTurn& request = history[history.size() - 2];
  if (!IsShownList(question) || !question.content.starts_with(kWhichOne) ||
      request.role != ChatRole::kUser) {
    return std::nullopt;
  }
  std::optional<std::vector<TaskSummary>> candidates =
      TasksFromListJson(question.actions.back().result_json);
  if (!candidates || candidates->size() < 2) return std::nullopt;
  return PendingQuestion{request.content, std::move(*candidates)};
}

}  // namespace taskflow::chat
