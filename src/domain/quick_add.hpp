// Natural-language quick add: "pay rent every month on the 1st at 9am #home p1,
// remind me a day before" → a task draft plus the spans of text it understood.
// Pure and deterministic given `now`, the zone and the date order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/recurrence.hpp"
#include "domain/reminder.hpp"
#include "domain/task.hpp"
#include "domain/time.hpp"

namespace taskflow {

enum class DateOrder { kMonthDay, kDayMonth };  // how "3/12" reads: March 12 or 3 December

struct QuickAddContext {
  Instant now;
  std::string timezone = "UTC";
  DateOrder date_order = DateOrder::kMonthDay;
};

struct ParsedSpan {
  std::size_t start = 0;  // byte offsets into the input, [start, end)
  std::size_t end = 0;
  std::string kind;       // "date", "time", "recurrence", "priority", "tag", "reminder"
  std::string text;
};

struct QuickAddResult {
  std::string title;  // what is left, trimmed
  std::optional<Priority> priority;
  std::vector<std::string> tags;
  std::optional<Instant> due_at;
  bool all_day = false;
  std::string timezone;
  std::optional<Recurrence> recurrence;
  std::vector<ReminderSpec> reminders;
  std::vector<ParsedSpan> spans;
};

QuickAddResult ParseQuickAdd(std::string_view text, const QuickAddContext& context);

}  // namespace taskflow
