#include "app/offline_agent.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>
#include <variant>

#include "app/chat_history.hpp"
#include "app/chat_wording.hpp"
#include "domain/chat_intent.hpp"
#include "domain/text.hpp"
#include "domain/zoned_time.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;
using chat::DescribeDue;
using chat::Intent;
using chat::IntentKind;
using chat::Quoted;
using chat::TaskReference;
using chat::TaskSummary;
using std::chrono::days;
using std::chrono::milliseconds;

constexpr std::string_view kHelp =
    "I can keep your task list for you. For example:\n"
    "- \"remind me to call mom tomorrow at 6pm\" or \"add pay rent on the 1st #home p1\"\n"
    "- \"what's due this week?\", \"show my high priority work tasks\", \"anything overdue?\"\n"
    "- \"done with 2\", \"reopen 3\", \"delete the dentist\"\n"
    "- \"move the dentist to friday\", \"make 1 urgent\", \"tag 2 with work\"\n"
    "Numbers refer to the last list I showed you.";

constexpr std::size_t kMaxEchoBytes = 80;

// ---- time windows of a list ----

// The start of the local day `offset` days after today's, in `zone`.
std::optional<Instant> DayStart(Instant now, const std::string& zone, int offset) {
  const std::optional<LocalTime> local = ToLocal(now, zone);
  if (!local) return std::nullopt;
  const auto day = std::chrono::floor<days>(*local) + days(offset);
  return ResolveLocal(LocalTime(day), zone);
}

// Days from today to next Monday (weeks run Monday to Sunday).
int DaysToNextMonday(Instant now, const std::string& zone) {
  const std::optional<LocalTime> local = ToLocal(now, zone);
  if (!local) return 7;
  const std::chrono::weekday weekday{std::chrono::floor<days>(*local)};
  return 8 - static_cast<int>(weekday.iso_encoding());
}

// Sets due_after/due_before (inclusive) or has_due_date for a due window.
void AddDueWindow(json::object& args, chat::DueWindow window, const QuickAddContext& context) {
  const std::string& zone = context.timezone;
  const Instant now = context.now;
  auto range = [&](std::optional<Instant> from, std::optional<Instant> to) {
    if (from) args["due_after"] = FormatRfc3339(*from);
    if (to) args["due_before"] = FormatRfc3339(*to - milliseconds(1));
  };
  const int monday = DaysToNextMonday(now, zone);
  switch (window) {
    case chat::DueWindow::kAny:
      break;
    case chat::DueWindow::kOverdue:
      // The tool applies IsOverdue: an all-day task due today is not overdue yet.
      args["overdue"] = true;
      break;
    case chat::DueWindow::kToday:
      range(DayStart(now, zone, 0), DayStart(now, zone, 1));
      break;
    case chat::DueWindow::kTomorrow:
      range(DayStart(now, zone, 1), DayStart(now, zone, 2));
      break;
    case chat::DueWindow::kThisWeek:
      range(DayStart(now, zone, 0), DayStart(now, zone, monday));
      break;
    case chat::DueWindow::kNextWeek:
      range(DayStart(now, zone, monday), DayStart(now, zone, monday + 7));
      break;
    case chat::DueWindow::kUpcoming:
      range(now, DayStart(now, zone, 8));
      break;
    case chat::DueWindow::kNoDate:
      args["has_due_date"] = false;
      break;
  }
}

// "pending P1/P2 tasks tagged #work due this week" (`noun`: "task" or "tasks").
std::string DescribeFilter(const chat::ListFilter& filter, std::string_view noun) {
  std::string text;
  if (!filter.all_statuses) {
    text += filter.status == TaskStatus::kCompleted ? "completed " : "pending ";
  }
  if (!filter.priorities.empty()) {
    for (std::size_t i = 0; i < filter.priorities.size(); ++i) {
      text += (i > 0 ? "/" : "") + std::string(ToString(filter.priorities[i]));
    }
    text += " ";
  }
  text += noun;
  if (!filter.tags.empty()) text += " tagged " + chat::JoinTags(filter.tags);
  switch (filter.due) {
    case chat::DueWindow::kAny:
      break;
    case chat::DueWindow::kOverdue:
      text += noun == "task" ? " that is overdue" : " that are overdue";
      break;
    case chat::DueWindow::kToday:
      text += " due today";
      break;
    case chat::DueWindow::kTomorrow:
      text += " due tomorrow";
      break;
    case chat::DueWindow::kThisWeek:
      text += " due this week";
      break;
    case chat::DueWindow::kNextWeek:
      text += " due next week";
      break;
    case chat::DueWindow::kUpcoming:
      text += " due in the next 7 days";
      break;
    case chat::DueWindow::kNoDate:
      text += " without a due date";
      break;
  }
  if (!filter.text.empty()) text += " matching " + Quoted(filter.text);
  return text;
}

std::string LocalDate(Instant instant, const std::string& zone) {
  const std::optional<LocalTime> local = ToLocal(instant, zone);
  const std::chrono::year_month_day date{
      std::chrono::floor<days>(local.value_or(LocalTime(instant.time_since_epoch())))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

// One Respond call: the tools it makes and what it knows.
class Turn {
 public:
  Turn(const ChatTools& tools, const std::string& user_id, const std::vector<ChatTurn>& history,
       QuickAddContext context, OfflineAgentOptions options)
      : tools_(tools),
        user_id_(user_id),
        history_(history),
        context_(std::move(context)),
        options_(options) {}

  std::string Answer(std::string_view message) {
    const Intent intent = chat::ParseChatMessage(message);
    // A message that is no request of its own may answer an open "Which one?".
    if (intent.kind == IntentKind::kUnknown) {
      if (std::optional<chat::PendingQuestion> question = chat::FindPendingQuestion(history_)) {
        return AnswerQuestion(*question, message);
      }
    }
    return Handle(intent, message);
  }

  std::vector<ChatAction> TakeActions() { return std::move(actions_); }

 private:
  // A target found, or the reply to give instead.
  using Resolution = std::variant<TaskSummary, std::string>;

  const ChatAction& Call(std::string_view tool, const json::object& arguments) {
    const std::string arguments_json = json::serialize(arguments);
    ToolOutcome outcome = tools_.Call(user_id_, tool, arguments_json);
    actions_.push_back(ChatAction{.call_id = "call_" + std::to_string(actions_.size() + 1),
                                  .tool = std::string(tool),
                                  .arguments_json = arguments_json,
                                  .is_error = outcome.is_error,
                                  .result_text = std::move(outcome.text),
                                  .result_json = std::move(outcome.structured_json)});
    return actions_.back();
  }

  std::string Handle(const Intent& intent, std::string_view message) {
    switch (intent.kind) {
      case IntentKind::kHelp:
        return std::string(kHelp);
      case IntentKind::kUnknown:
        // Echoed only when short: a message may be 4 KiB.
        return "Sorry, I didn't understand " +
               (message.size() <= kMaxEchoBytes ? Quoted(message) : std::string("that")) + ". " +
               std::string(kHelp);
      case IntentKind::kAdd:
        return Add(intent.add_text);
      case IntentKind::kList:
        return List(intent.filter);
      default:
        break;
    }
    Resolution target = Resolve(intent);
    if (auto* reply = std::get_if<std::string>(&target)) return *reply;
    return Act(intent, std::get<TaskSummary>(target));
  }

  // ---- add and list ----

  std::string Add(const std::string& text) {
    const ChatAction& action = Call("add_task", json::object{{"text", text}});
    if (action.is_error) return "I couldn't add that: " + action.result_text;
    std::optional<TaskSummary> task = chat::TaskFromJson(action.result_json);
    if (!task) return "Added it.";
    std::string reply = "Added " + Quoted(task->title);
    if (std::string due = DescribeDue(*task, context_.now); !due.empty()) reply += ", due " + due;
    if (!task->priority.empty()) reply += ", priority " + task->priority;
    if (!task->tags.empty()) reply += ", tagged " + chat::JoinTags(task->tags);
    return reply + ".";
  }

  std::string List(const chat::ListFilter& filter) {
    json::object args;
    if (!filter.all_statuses) {
      args["status"] = filter.status == TaskStatus::kCompleted ? "completed" : "pending";
    }
    if (!filter.priorities.empty()) {
      json::array priorities;
      for (Priority p : filter.priorities) priorities.emplace_back(ToString(p));
      args["priority"] = std::move(priorities);
    }
    if (!filter.tags.empty()) {
      json::array tags;
      for (const std::string& tag : filter.tags) tags.emplace_back(tag);
      args["tag"] = std::move(tags);
    }
    if (!filter.text.empty()) args["q"] = filter.text;
    AddDueWindow(args, filter.due, context_);
    args["sort_by"] = "due_at";
    args["sort_order"] = "asc";
    args["limit"] = options_.list_limit;
    const ChatAction& action = Call("list_tasks", args);
    if (action.is_error) return "I couldn't list your tasks: " + action.result_text;
    const auto tasks =
        chat::TasksFromListJson(action.result_json).value_or(std::vector<TaskSummary>{});
    const long long total = Total(action.result_json, tasks.size());
    if (tasks.empty()) return "You have no " + DescribeFilter(filter, "tasks") + ".";
    std::string reply = "You have " + std::to_string(total) + " " +
                        DescribeFilter(filter, total == 1 ? "task" : "tasks") + ":\n";
    reply += chat::NumberedTasks(tasks, context_.now);
    if (total > static_cast<long long>(tasks.size())) {
      reply += "\nThat is the first " + std::to_string(tasks.size()) +
               "; narrow it down, e.g. \"show my work tasks due this week\".";
    }
    return reply;
  }

  static long long Total(const std::string& list_json, std::size_t fallback) {
    boost::system::error_code ec;
    json::value value = json::parse(list_json, ec);
    if (!ec && value.is_object()) {
      if (const json::value* total = value.get_object().if_contains("total");
          total != nullptr && total->is_int64()) {
        return total->get_int64();
      }
    }
    return static_cast<long long>(fallback);
  }

  // ---- which task ----

  Resolution Resolve(const Intent& intent) {
    const TaskReference& ref = intent.target;
    switch (ref.kind) {
      case TaskReference::Kind::kNumber: {
        std::optional<std::vector<TaskSummary>> list = chat::LastList(history_);
        if (!list) {
          return std::string(
              "I haven't shown you a list in this conversation yet, so I don't know which task "
              "number " +
              std::to_string(ref.number) +
              " is. Ask me \"show my tasks\" first, or tell me words of its title.");
        }
        if (ref.number > static_cast<int>(list->size())) {
          return "The last list I showed has " + std::to_string(list->size()) +
                 (list->size() == 1 ? " task" : " tasks") + ", so there is no number " +
                 std::to_string(ref.number) + ".";
        }
        return (*list)[static_cast<std::size_t>(ref.number - 1)];
      }
      case TaskReference::Kind::kLast: {
        if (std::optional<TaskSummary> task = chat::LastTask(history_)) return *task;
        return std::string(
            "I'm not sure which task you mean. Tell me its number in the last list or words of "
            "its title.");
      }
      case TaskReference::Kind::kTitle:
        return Search(intent);
      case TaskReference::Kind::kNone:
        break;
    }
    return std::string(kHelp);
  }

  // Which tasks a change is likely about: completing needs a pending task,
  // reopening a completed one; deleting may be either.
  static std::optional<std::string_view> PreferredStatus(IntentKind kind) {
    switch (kind) {
      case IntentKind::kReopen:
        return "completed";
      case IntentKind::kDelete:
        return std::nullopt;
      default:
        return "pending";
    }
  }

  const ChatAction& SearchCall(const std::string& words, std::optional<std::string_view> status) {
    json::object args{{"q", words}};
    if (status) args["status"] = *status;
    args["sort_by"] = "due_at";
    args["sort_order"] = "asc";
    args["limit"] = options_.choice_limit;
    return Call("list_tasks", args);
  }

  // Title words: one match acts, several ask back (and become the last list).
  Resolution Search(const Intent& intent) {
    const std::string& words = intent.target.words;
    const std::optional<std::string_view> status = PreferredStatus(intent.kind);
    const ChatAction* action = &SearchCall(words, status);
    if (!action->is_error && status && Total(action->result_json, 0) == 0) {
      action = &SearchCall(words, std::nullopt);  // e.g. completing a completed task
    }
    if (action->is_error) return "I couldn't look that up: " + action->result_text;
    const auto tasks =
        chat::TasksFromListJson(action->result_json).value_or(std::vector<TaskSummary>{});
    const long long total = Total(action->result_json, tasks.size());
    if (tasks.empty()) {
      return "I couldn't find a task matching " + Quoted(words) +
             ". Say \"show my tasks\" to see them all.";
    }
    if (tasks.size() == 1) return tasks.front();
    std::string question =
        std::string(chat::kWhichOne) + " do you mean?\n" + chat::NumberedTasks(tasks, context_.now);
    if (total > static_cast<long long>(tasks.size())) {
      question += "\n(" + std::to_string(total - static_cast<long long>(tasks.size())) +
                  " more match " + Quoted(words) + "; more words of the title narrow it down.)";
    }
    return question + "\nAnswer with its number.";
  }

  std::string AnswerQuestion(const chat::PendingQuestion& question, std::string_view message) {
    const TaskReference ref = chat::ParseTaskReference(message);
    const std::vector<TaskSummary>& candidates = question.candidates;
    std::optional<TaskSummary> chosen;
    if (ref.kind == TaskReference::Kind::kNumber &&
        ref.number <= static_cast<int>(candidates.size())) {
      chosen = candidates[static_cast<std::size_t>(ref.number - 1)];
    } else if (ref.kind == TaskReference::Kind::kTitle) {
      std::vector<const TaskSummary*> matching;
      for (const TaskSummary& task : candidates) {
        if (FoldCase(task.title).find(FoldCase(ref.words)) != std::string::npos) {
          matching.push_back(&task);
        }
      }
      if (matching.size() == 1) chosen = *matching.front();
    }
    if (!chosen) {
      return "I still don't know which one you mean. Answer with a number from 1 to " +
             std::to_string(candidates.size()) + ", or tell me again what you want to do.";
    }
    Intent intent = chat::ParseChatMessage(question.request);
    return Act(intent, *chosen);
  }

  // ---- changes ----

  std::string Failed(std::string_view what, const TaskSummary& task, const ChatAction& action) {
    return "I couldn't " + std::string(what) + " " + Quoted(task.title) + ": " + action.result_text;
  }

  // The task as the tool answered it (fresh), else as it was known.
  static TaskSummary Updated(const ChatAction& action, const TaskSummary& known) {
    return chat::TaskFromJson(action.result_json).value_or(known);
  }

  std::string Act(const Intent& intent, const TaskSummary& task) {
    const json::object id{{"id", task.id}};
    switch (intent.kind) {
      case IntentKind::kComplete: {
        const ChatAction& action = Call("complete_task", id);
        if (action.is_error) return Failed("complete", task, action);
        return "Done: " + Quoted(Updated(action, task).title) + " is completed.";
      }
      case IntentKind::kReopen: {
        const ChatAction& action = Call("reopen_task", id);
        if (action.is_error) return Failed("reopen", task, action);
        return "Reopened " + Quoted(Updated(action, task).title) + "; it is pending again.";
      }
      case IntentKind::kDelete: {
        const ChatAction& action = Call("delete_task", id);
        if (action.is_error) return Failed("delete", task, action);
        return "Deleted " + Quoted(task.title) + ".";
      }
      case IntentKind::kReschedule:
        return Reschedule(task, intent.due_text);
      case IntentKind::kReprioritise: {
        if (!intent.priority) break;
        json::object args = id;
        args["priority"] = ToString(*intent.priority);
        const ChatAction& action = Call("update_task", args);
        if (action.is_error) return Failed("change the priority of", task, action);
        return Quoted(Updated(action, task).title) + " is now priority " +
               std::string(ToString(*intent.priority)) + ".";
      }
      case IntentKind::kTag:
        return Tag(task, intent.tags);
      default:
        break;
    }
    return std::string(kHelp);
  }

  std::string Reschedule(const TaskSummary& task, const std::string& due_text) {
    const QuickAddResult when = ParseQuickAdd(due_text, context_);
    if (!when.due_at) {
      return "I couldn't read " + Quoted(due_text) +
             " as a date. Try e.g. \"move it to friday 3pm\" or \"move it to dec 3\".";
    }
    // A date alone ("2026-11-20") makes the task all-day on that day.
    json::object args{{"id", task.id},
                      {"due_at", when.all_day ? LocalDate(*when.due_at, when.timezone)
                                              : FormatRfc3339(*when.due_at)}};
    const ChatAction& action = Call("update_task", args);
    if (action.is_error) return Failed("move", task, action);
    const TaskSummary moved = Updated(action, task);
    return "Moved " + Quoted(moved.title) + " to " + DescribeDue(moved, context_.now) + ".";
  }

  std::string Tag(const TaskSummary& known, const std::vector<std::string>& tags) {
    // Read first: the list the number came from may be old, and tags replace.
    const ChatAction& read = Call("get_task", json::object{{"id", known.id}});
    if (read.is_error) return Failed("tag", known, read);
    const TaskSummary task = Updated(read, known);
    json::array all;
    for (const std::string& tag : task.tags) all.emplace_back(tag);
    std::vector<std::string> added;
    for (const std::string& tag : tags) {
      bool present = false;
      for (const std::string& existing : task.tags)
        present = present || FoldCase(existing) == FoldCase(tag);
      for (const std::string& other : added) present = present || FoldCase(other) == FoldCase(tag);
      if (present) continue;
      added.push_back(tag);
      all.emplace_back(tag);
    }
    if (added.empty()) return Quoted(task.title) + " already has " + chat::JoinTags(tags) + ".";
    const ChatAction& action =
        Call("update_task",
             json::object{
                 {"id", task.id}, {"tags", std::move(all)}, {"expected_version", task.version}});
    if (action.is_error) return Failed("tag", task, action);
    return "Tagged " + Quoted(task.title) + " with " + chat::JoinTags(added) + ".";
  }

  const ChatTools& tools_;
  const std::string& user_id_;
  const std::vector<ChatTurn>& history_;
  QuickAddContext context_;
  OfflineAgentOptions options_;
  std::vector<ChatAction> actions_;
};

}  // namespace

OfflineAgent::OfflineAgent(const ChatTools& tools, ChatContextSource context,
                           OfflineAgentOptions options)
    : tools_(tools), context_(std::move(context)), options_(options) {}

Result<AgentReply> OfflineAgent::Respond(const std::string& user_id,
                                         const std::vector<ChatTurn>& history,
                                         std::string_view message) {
  Result<QuickAddContext> context = context_(user_id);
  if (!context.ok()) return std::move(context).take_error();
  Turn turn(tools_, user_id, history, std::move(*context), options_);
  AgentReply reply;
  reply.reply = turn.Answer(message);
  reply.actions = turn.TakeActions();
  return reply;
}

}  // namespace taskflow
