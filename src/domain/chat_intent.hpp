// What a chat message asks for: the offline agent's understanding of plain
// English (issue 6, item 7), as pure domain code.
//
// ParseChatMessage turns one message into an Intent: add a task (the rest of
// the sentence goes to quick add, which reads dates, priorities and tags),
// list tasks with filters, or act on a task named by its number in the last
// list shown, by "it", or by words of its title. It never guesses: a message
// it does not recognise is kUnknown (the agent answers with help), and the
// agent, not this parser, asks back when a reference matches several tasks.
// The phrase set and its rules are in docs/chat.md; chat_intent_test.cpp holds
// the table of utterances.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/task.hpp"

namespace taskflow::chat {

enum class IntentKind {
  kUnknown,
  kHelp,          // greetings, "help", "what can you do"
  kAdd,           // add_text: the task in quick-add syntax
  kList,          // filter
  kComplete,      // target
  kReopen,        // target
  kDelete,        // target
  kReschedule,    // target, due_text (a quick-add date phrase)
  kReprioritise,  // target, priority
  kTag,           // target, tags
};
std::string_view ToString(IntentKind kind);

// Which task a message means.
struct TaskReference {
  enum class Kind { kNone, kNumber, kLast, kTitle };
  Kind kind = Kind::kNone;
  int number = 0;     // kNumber: 1-based position in the last list shown
  std::string words;  // kTitle: lower-case words to find in a title
  bool operator==(const TaskReference&) const = default;
};

enum class DueWindow { kAny, kOverdue, kToday, kTomorrow, kThisWeek, kNextWeek, kUpcoming, kNoDate };
std::string_view ToString(DueWindow window);

struct ListFilter {
  std::optional<TaskStatus> status;   // nullopt: pending, the everyday view…
  bool all_statuses = false;          // …unless the message asked for everything
  std::vector<Priority> priorities;   // empty: any
  std::vector<std::string> tags;      // lower-case names
  DueWindow due = DueWindow::kAny;
  std::string text;                   // keyword search, lower-case
  bool operator==(const ListFilter&) const = default;
};

struct Intent {
  IntentKind kind = IntentKind::kUnknown;
  std::string add_text;  // kAdd: as the user wrote it (case kept)
  ListFilter filter;     // kList
  TaskReference target;  // kComplete … kTag
  std::string due_text;  // kReschedule
  std::optional<Priority> priority;  // kReprioritise
  std::vector<std::string> tags;     // kTag
};

// Bounded: linear in the message, which the caller caps (4 KiB in the API).
Intent ParseChatMessage(std::string_view message);

// A message read as nothing but a reference to a task: "2", "the second one",
// "number 3", "that one", "the bill" — the answer to the agent's "Which
// one?". kNone for an empty message. Bounded like ParseChatMessage.
TaskReference ParseTaskReference(std::string_view message);

}  // namespace taskflow::chat
