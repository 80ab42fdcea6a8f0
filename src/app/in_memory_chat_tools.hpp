// A test double of the ChatTools port: the task tools over a vector of tasks
// in memory, recording every call ("tool {arguments}") so that agent tests
// can assert exactly which calls a message made. Results have the shape of
// the real tools' (a task object, a {tasks, total, offset, limit} list); it
// implements only what the agents use. Test-only; header-only; not thread-safe.
// The real tools (server/mcp) are tested over a real store elsewhere.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/quick_add.hpp"
#include "domain/quick_add_draft.hpp"
#include "domain/task_query.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"
#include "ports/chat_tools.hpp"

namespace taskflow::testing {

struct FakeTask {
  std::string id;
  std::string title;
  std::string status = "pending";
  std::string priority;  // "" for none
  std::optional<std::string> due_at;
  bool all_day = false;
  std::vector<std::string> tags;
  std::int64_t version = 1;
};

class InMemoryChatTools final : public ChatTools {
 public:
  explicit InMemoryChatTools(QuickAddContext context) : context_(std::move(context)) {
    for (const char* name : {"add_task", "list_tasks", "get_task", "update_task", "complete_task",
                             "reopen_task", "delete_task"}) {
      specs_.push_back(ToolSpec{name, "", "{}"});
    }
  }

  // The user's tasks. Mutable: the port's Call is const, and calls change them.
  mutable std::vector<FakeTask> tasks;
  mutable std::vector<std::string> calls;  // "tool {arguments}", in order
  mutable std::vector<std::string> users;  // the user of each call

  const std::vector<ToolSpec>& Specs() const override { return specs_; }

  ToolOutcome Call(const std::string& user_id, std::string_view name,
                   std::string_view arguments_json) const override {
    calls.push_back(std::string(name) + " " + std::string(arguments_json));
    users.push_back(user_id);
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(arguments_json, ec);
    if (ec || !parsed.is_object()) return Error("arguments must be a JSON object");
    return Run(name, parsed.as_object());
  }

 private:
  static ToolOutcome Error(std::string text) { return {true, std::move(text), "{}"}; }
  static ToolOutcome Ok(const boost::json::value& value) {
    std::string text = boost::json::serialize(value);
    return {false, text, text};
  }

  static boost::json::object Encode(const FakeTask& task) {
    boost::json::array tags;
    for (const std::string& tag : task.tags) tags.emplace_back(tag);
    return {
        {"id", task.id},
        {"title", task.title},
        {"status", task.status},
        {"priority",
         task.priority.empty() ? boost::json::value(nullptr) : boost::json::value(task.priority)},
        {"due_at", task.due_at ? boost::json::value(*task.due_at) : boost::json::value(nullptr)},
        {"all_day", task.all_day},
        {"timezone", "UTC"},
        {"tags", std::move(tags)},
        {"version", task.version}};
  }

  static long long Millis(const std::string& rfc3339) {
    return ToUnixMillis(ParseRfc3339(rfc3339).value_or(Instant{}));
  }

  static std::string Str(const boost::json::object& o, std::string_view key) {
    const boost::json::value* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  }

  FakeTask* Find(const boost::json::object& args) const {
    const std::string id = Str(args, "id");
    for (FakeTask& task : tasks) {
      if (task.id == id) return &task;
    }
    return nullptr;
  }

  static bool AnyOf(const boost::json::object& args, std::string_view key,
                    const std::vector<std::string>& values) {
    const boost::json::value* wanted = args.if_contains(key);
    if (wanted == nullptr) return true;
    for (const boost::json::value& item : wanted->as_array()) {
      for (const std::string& value : values) {
        if (FoldCase(value) == FoldCase(std::string(item.as_string()))) return true;
      }
    }
    return false;
  }

  bool Matches(const FakeTask& task, const boost::json::object& args) const {
    const std::string q = Str(args, "q");
    if (!q.empty() && FoldCase(task.title).find(FoldCase(q)) == std::string::npos) return false;
    const std::string status = Str(args, "status");
    if (!status.empty() && task.status != status) return false;
    if (!AnyOf(args, "priority", {task.priority})) return false;
    if (!AnyOf(args, "tag", task.tags)) return false;
    const bool dated = task.due_at.has_value();
    const long long due = dated ? Millis(*task.due_at) : 0;
    if (const boost::json::value* has = args.if_contains("has_due_date")) {
      if (has->as_bool() != dated) return false;
    }
    const std::string after = Str(args, "due_after");
    const std::string before = Str(args, "due_before");
    if (!after.empty() && (!dated || due < Millis(after))) return false;
    if (!before.empty() && (!dated || due > Millis(before))) return false;
    if (const boost::json::value* overdue = args.if_contains("overdue")) {
      const auto cutoff = OverdueCutoffAt(context_.now, context_.timezone);
      const std::optional<Instant> due_at =
          dated ? ParseRfc3339(*task.due_at) : std::optional<Instant>();
      if (overdue->as_bool() && !(cutoff && IsOverdue(due_at, task.all_day, *cutoff))) return false;
    }
    return true;
  }

  ToolOutcome List(const boost::json::object& args) const {
    std::vector<const FakeTask*> found;
    for (const FakeTask& task : tasks) {
      if (Matches(task, args)) found.push_back(&task);
    }
    // due_at ascending, undated last, id to break ties (the only sort agents use).
    std::stable_sort(found.begin(), found.end(), [](const FakeTask* a, const FakeTask* b) {
      const auto key = [](const FakeTask* t) {
        return std::make_tuple(!t->due_at.has_value(), t->due_at ? Millis(*t->due_at) : 0, t->id);
      };
      return key(a) < key(b);
    });
    const std::int64_t limit = args.contains("limit") ? args.at("limit").as_int64() : 50;
    boost::json::array page;
    for (std::size_t i = 0; i < found.size() && static_cast<std::int64_t>(i) < limit; ++i) {
      page.push_back(Encode(*found[i]));
    }
    return Ok(boost::json::object{
        {"tasks", std::move(page)}, {"total", found.size()}, {"offset", 0}, {"limit", limit}});
  }

  ToolOutcome Add(const boost::json::object& args) const {
    const QuickAddResult parsed = ParseQuickAdd(Str(args, "text"), context_);
    if (parsed.title.empty()) return Error("Invalid arguments: text: leaves no title");
    FakeTask task;
    task.id = "new" + std::to_string(++added_);
    task.title = parsed.title;
    if (parsed.priority) task.priority = std::string(ToString(*parsed.priority));
    if (parsed.due_at) task.due_at = FormatRfc3339(*parsed.due_at);
    task.all_day = parsed.all_day;
    task.tags = parsed.tags;
    tasks.push_back(task);
    return Ok(Encode(task));
  }

  ToolOutcome Update(FakeTask& task, const boost::json::object& args) const {
    if (const boost::json::value* v = args.if_contains("expected_version")) {
      if (v->as_int64() != task.version) return Error("task changed since");
    }
    if (args.contains("priority")) task.priority = Str(args, "priority");
    if (args.contains("due_at")) {
      // A date alone is an all-day due date (at 00:00 UTC: the double's zone).
      const std::string due = Str(args, "due_at");
      task.all_day = due.size() == 10;
      task.due_at = task.all_day ? due + "T00:00:00Z" : due;
    }
    if (const boost::json::value* tags = args.if_contains("tags")) {
      task.tags.clear();
      for (const boost::json::value& tag : tags->as_array())
        task.tags.emplace_back(tag.as_string());
    }
    ++task.version;
    return Ok(Encode(task));
  }

  ToolOutcome Run(std::string_view name, const boost::json::object& args) const {
    if (name == "list_tasks") return List(args);
    if (name == "add_task") return Add(args);
    FakeTask* task = Find(args);
    if (task == nullptr) return Error("Task not found. Check the id: call list_tasks.");
    if (name == "get_task") return Ok(Encode(*task));
    if (name == "update_task") return Update(*task, args);
    if (name == "complete_task" || name == "reopen_task") {
      task->status = name == "complete_task" ? "completed" : "pending";
      ++task->version;
      return Ok(Encode(*task));
    }
    if (name == "delete_task") {
      const std::string id = task->id;
      std::erase_if(tasks, [&](const FakeTask& t) { return t.id == id; });
      return Ok(boost::json::object{{"id", id}, {"deleted", true}});
    }
    return Error("Unknown tool: " + std::string(name));
  }

  QuickAddContext context_;
  std::vector<ToolSpec> specs_;
  mutable int added_ = 0;
};

}  // namespace taskflow::testing
