// Between quick add and the task use cases: the input of POST
// /api/tasks/parse and /quick, and the task draft a parse result becomes.
#pragma once

#include <optional>
#include <string>

#include "domain/quick_add.hpp"
#include "domain/result.hpp"
#include "domain/task.hpp"
#include "domain/time.hpp"

namespace taskflow {

inline constexpr std::size_t kQuickAddTextMaxBytes = 2000;

struct QuickAddInput {
  std::string text;
  std::optional<Instant> now;           // absent: the server's clock
  std::optional<std::string> timezone;  // absent: the user's zone
};

// `text`: 1..2000 bytes of valid UTF-8 that is not only white space;
// `timezone`: a known IANA name. Every bad field is reported.
Result<QuickAddInput> NormalizeQuickAddInput(QuickAddInput input);

// The draft of the task a parse result describes: an all-day due date
// becomes a date (due_date) in the result's zone, so the task is all-day there.
TaskDraft DraftFromQuickAdd(const QuickAddResult& parsed);

}  // namespace taskflow
