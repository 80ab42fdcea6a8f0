// libFuzzer target for the natural-language quick-add parser.
//
// Feeds arbitrary bytes to ParseQuickAdd with a fixed context and aborts when
// an invariant breaks: spans out of bounds, overlapping or not matching their
// text; a title or tag that is not valid UTF-8 although the input was; control
// characters or untrimmed space in the title; a recurrence without a due date;
// a reminder that is neither relative nor absolute. Crashes, sanitizer reports
// and timeouts (the parser must stay linear) are found by libFuzzer itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "domain/quick_add.hpp"
#include "domain/text.hpp"
#include "domain/time.hpp"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

taskflow::QuickAddContext FixedContext(std::uint8_t selector) {
  // Wednesday 2026-11-18 10:00 in Berlin; a few selectors vary the zone and
  // the date order so both readings of "3/12" and a DST zone get exercised.
  taskflow::QuickAddContext context;
  context.now = *taskflow::ParseRfc3339("2026-11-18T09:00:00Z");
  switch (selector % 4) {
    case 0:
      context.timezone = "Europe/Berlin";
      break;
    case 1:
      context.timezone = "America/New_York";
      context.date_order = taskflow::DateOrder::kDayMonth;
      break;
    case 2:
      context.timezone = "Australia/Lord_Howe";
      break;
    default:
      context.timezone = "Not/A_Zone";
      break;
  }
  return context;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const taskflow::QuickAddContext context = FixedContext(data[0]);
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const taskflow::QuickAddResult result = taskflow::ParseQuickAdd(input, context);

  std::size_t previous_end = 0;
  for (const taskflow::ParsedSpan& span : result.spans) {
    Check(span.start <= span.end && span.end <= input.size());
    Check(span.start >= previous_end);
    Check(span.text == input.substr(span.start, span.end - span.start));
    Check(!span.kind.empty());
    previous_end = span.end;
  }
  if (taskflow::IsValidUtf8(input)) {
    Check(taskflow::IsValidUtf8(result.title));
    for (const std::string& tag : result.tags) Check(taskflow::IsValidUtf8(tag) && !tag.empty());
  }
  Check(!taskflow::HasControlCharacters(result.title));
  Check(result.title.size() <= input.size());
  Check(result.title.empty() || (result.title.front() != ' ' && result.title.back() != ' '));
  Check(!result.recurrence || result.due_at.has_value());
  Check(!result.timezone.empty());
  for (const taskflow::ReminderSpec& spec : result.reminders) {
    Check(spec.before_minutes.has_value() != spec.at.has_value());
    Check(!spec.before_minutes || (*spec.before_minutes >= 0 && *spec.before_minutes <= 525'600));
  }
  return 0;
}
