// What the offline agent reads back from a conversation: the tasks of the
// last list it showed (so "done with 2" means the 2nd of them), the task it
// last acted on ("it"), and a question it asked and is waiting on ("Which
// one: 1. … 2. …?"). Everything comes from the stored actions of assistant
// turns, so the agent itself keeps no state between messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ports/chat_agent.hpp"

namespace taskflow::chat {

// The fields of a task (as the tools return it) that a reply needs.
struct TaskSummary {
  std::string id;
  std::string title;
  std::string status;                 // "pending" | "completed"
  std::string priority;               // "P1".."P4", or empty
  std::optional<std::string> due_at;  // RFC 3339
  bool all_day = false;
  std::string timezone = "UTC";
  std::vector<std::string> tags;
  std::int64_t version = 0;
};

// How the agent's questions begin; PendingQuestion recognises them by it.
inline constexpr std::string_view kWhichOne = "Which one";

// A task object of a tool result (`structured_json`); nullopt when it is not one.
std::optional<TaskSummary> TaskFromJson(std::string_view json);
// The tasks of a list_tasks result, in order; nullopt when it is not one.
std::optional<std::vector<TaskSummary>> TasksFromListJson(std::string_view json);

// The tasks of the last non-empty list shown: the newest assistant turn that
// ended with a successful list_tasks call (a turn that went on to act on a
// task used its list to find it, not to show it). nullopt when none.
std::optional<std::vector<TaskSummary>> LastList(const std::vector<ChatTurn>& history);

// The task the conversation last spoke about: the newest successful action
// on one task, or a shown list of exactly one task.
std::optional<TaskSummary> LastTask(const std::vector<ChatTurn>& history);

struct PendingQuestion {
  std::string request;                  // the user message the question was about
  std::vector<TaskSummary> candidates;  // as numbered in the question
};
// Set when the newest turn is the agent asking "Which one …?" about the user
// message just before it.
std::optional<PendingQuestion> FindPendingQuestion(const std::vector<ChatTurn>& history);

}  // namespace taskflow::chat
