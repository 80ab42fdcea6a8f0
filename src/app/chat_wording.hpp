// How the offline agent words tasks and dates in its replies: plain
// sentences in the task's own time zone ("due tomorrow at 18:00", "Fri 20 Nov").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/chat_history.hpp"
#include "domain/time.hpp"

namespace taskflow::chat {

// “title” with typographic quotes; “that task” for an unknown title.
std::string Quoted(std::string_view title);

// "today", "tomorrow", "yesterday", or "Fri 20 Nov" ("Fri 20 Nov 2027" in
// another year), plus " at 18:00" for a timed task; empty without a due date.
std::string DescribeDue(const TaskSummary& task, Instant now);

// "#work", "#work and #home", "#a, #b and #c".
std::string JoinTags(const std::vector<std::string>& tags);

// One line of a list: "Call mom (due today at 18:00, P1, #family)", with
// ", done" for a completed task.
std::string DescribeTask(const TaskSummary& task, Instant now);

// "1. Call mom (…)\n2. …": the numbered lines.
std::string NumberedTasks(const std::vector<TaskSummary>& tasks, Instant now);

}  // namespace taskflow::chat
