// Natural-language quick add: "pay rent every month on the 1st at 9am #home p1,
// remind me a day before" → a task draft plus the spans of text it understood.
// The rules are listed at the top of quick_add.cpp and in docs/quick-add.md.
//
// Pure and deterministic given `now`, the zone and the date order: no clock,
// no I/O, no exceptions of its own, work linear in the input (fuzzed by
// fuzz/quick_add_fuzz.cpp). Thread-safe: it shares no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/recurrence.hpp"
#include "domain/reminder.hpp"
#include "domain/task.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"  // DateOrder

namespace taskflow {

struct QuickAddContext {
  Instant now;                   // "today", "in 2 hours" and rollovers count from here
  std::string timezone = "UTC";  // IANA zone the phrases are read in; unknown → UTC
  DateOrder date_order = DateOrder::kMonthDay;
};

struct ParsedSpan {
  std::size_t start = 0;  // byte offsets into the input, [start, end)
  std::size_t end = 0;
  std::string kind;  // "date", "time", "recurrence", "priority", "tag", "reminder"
  std::string text;  // the input's bytes in [start, end)
};

struct QuickAddResult {
  // What is left once the understood phrases are cut out, white space
  // collapsed; may be empty ("tomorrow 5pm"). Valid UTF-8 whenever the input is.
  std::string title;
  std::optional<Priority> priority;
  std::vector<std::string> tags;  // without "#"/"@", in order, case-insensitively unique
  std::optional<Instant> due_at;  // all-day: 00:00 local on that day
  bool all_day = false;
  std::string timezone;  // the zone the due date was computed in (the context's, or "UTC")
  std::optional<Recurrence> recurrence;  // set only with a due_at (its first occurrence)
  std::vector<ReminderSpec> reminders;   // relative ones may exist without a due_at
  std::vector<ParsedSpan> spans;         // ordered by start, never overlapping
};

QuickAddResult ParseQuickAdd(std::string_view text, const QuickAddContext& context);

}  // namespace taskflow
