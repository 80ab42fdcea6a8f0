#include "server/mcp/prompts.hpp"

namespace taskflow::mcp {
namespace {

// "- [P1] Call mom (due 2026-11-26T17:00:00Z, #family) id=…"
void AppendTaskLines(std::string& out, const json::array& tasks) {
  if (tasks.empty()) {
    out += "(none)\n";
    return;
  }
  for (const json::value& item : tasks) {
    const json::object& task = item.as_object();
    out += "- ";
    if (task.at("priority").is_string()) out += "[" + std::string(task.at("priority").as_string()) + "] ";
    out += std::string(task.at("title").as_string());
    std::string details;
    if (task.at("due_at").is_string()) {
      details += "due " + std::string(task.at("due_at").as_string());
      if (task.at("all_day").as_bool()) details += " (all day)";
    }
    for (const json::value& tag : task.at("tags").as_array()) {
      details += (details.empty() ? "#" : ", #") + std::string(tag.as_string());
    }
    if (!details.empty()) out += " (" + details + ")";
    out += " id=" + std::string(task.at("id").as_string()) + "\n";
  }
}

json::object PromptResult(std::string description, std::string text) {
  return {{"description", std::move(description)},
          {"messages", json::array{json::object{
                           {"role", "user"},
                           {"content", json::object{{"type", "text"}, {"text", std::move(text)}}}}}}};
}

}  // namespace

json::array TaskPrompts::List() const {
  return {
      json::object{{"name", "plan-my-day"},
                   {"title", "Plan my day"},
                   {"description",
                    "Gathers today's, overdue and upcoming tasks and asks for a realistic plan "
                    "for the day."},
                   {"arguments", json::array{json::object{
                                     {"name", "focus"},
                                     {"description", "Optional: what the day should favour, e.g. "
                                                     "\"deep work\" or \"errands\"."},
                                     {"required", false}}}}},
      json::object{{"name", "weekly-review"},
                   {"title", "Weekly review"},
                   {"description",
                    "Gathers what was completed in the last 7 days, what is overdue and what "
                    "is due in the week ahead, and asks for a review."}},
  };
}

std::variant<json::object, ResourceError> TaskPrompts::Get(const std::string& user_id,
                                                           std::string_view name,
                                                           const json::object& arguments) const {
  auto view = [&](std::string_view which) { return resources_.View(user_id, which); };
  if (name == "plan-my-day") {
    std::string focus;
    for (const auto& [key, value] : arguments) {
      if (key != "focus") return ResourceError{kInvalidParams, "unknown argument " + std::string(key)};
      if (!value.is_string()) return ResourceError{kInvalidParams, "focus must be a string"};
      focus = std::string(value.as_string());
    }
    auto today = view("today");
    auto overdue = view("overdue");
    auto upcoming = view("upcoming");
    for (auto* part : {&today, &overdue, &upcoming}) {
      if (auto* error = std::get_if<ResourceError>(part)) return *error;
    }
    const TaskView& t = std::get<TaskView>(today);
    std::string text = "Help me plan my day, " + t.local_date + " (time zone " + t.timezone +
                       "). These are my tasks.\n\nOverdue:\n";
    AppendTaskLines(text, std::get<TaskView>(overdue).tasks);
    text += "\nDue today:\n";
    AppendTaskLines(text, t.tasks);
    text += "\nDue in the next 7 days:\n";
    AppendTaskLines(text, std::get<TaskView>(upcoming).tasks);
    if (!focus.empty()) text += "\nToday I want to favour: " + focus + "\n";
    text +=
        "\nPropose an order for today with rough time blocks, most urgent first (P1 is the "
        "most urgent). Say what to reschedule if it does not fit, and use the task tools "
        "(update_task, complete_task) when I agree.";
    return PromptResult("Plan for " + t.local_date, std::move(text));
  }
  if (name == "weekly-review") {
    if (!arguments.empty()) {
      return ResourceError{kInvalidParams, "weekly-review takes no arguments"};
    }
    auto done = view("completed-week");
    auto overdue = view("overdue");
    auto upcoming = view("upcoming");
    for (auto* part : {&done, &overdue, &upcoming}) {
      if (auto* error = std::get_if<ResourceError>(part)) return *error;
    }
    const TaskView& d = std::get<TaskView>(done);
    std::string text = "Let's do my weekly review (today is " + d.local_date + ", time zone " +
                       d.timezone + ").\n\nCompleted in the last 7 days:\n";
    AppendTaskLines(text, d.tasks);
    text += "\nStill overdue:\n";
    AppendTaskLines(text, std::get<TaskView>(overdue).tasks);
    text += "\nDue in the week ahead:\n";
    AppendTaskLines(text, std::get<TaskView>(upcoming).tasks);
    text +=
        "\nSummarise what I got done, point out what keeps slipping, and suggest what to "
        "drop, delegate or reschedule for next week. Use the task tools when I agree.";
    return PromptResult("Weekly review for the week ending " + d.local_date, std::move(text));
  }
  return ResourceError{kInvalidParams, "unknown prompt: " + std::string(name)};
}

}  // namespace taskflow::mcp
