#include "domain/quick_add_draft.hpp"

#include <utility>
#include <vector>

#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace taskflow {

Result<QuickAddInput> NormalizeQuickAddInput(QuickAddInput input) {
  std::vector<FieldError> errors;
  if (!IsValidUtf8(input.text)) {
    errors.push_back({"text", "must be valid UTF-8"});
  } else if (input.text.size() > kQuickAddTextMaxBytes) {
    errors.push_back({"text", "must be at most 2000 bytes"});
  } else if (TrimUnicode(input.text).empty()) {
    errors.push_back({"text", "must not be empty"});
  }
  if (input.timezone) {
    validation::Collect(validation::NormalizeTimeZone(*input.timezone, "timezone"), *input.timezone,
                        errors);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return input;
}

TaskDraft DraftFromQuickAdd(const QuickAddResult& parsed) {
  TaskDraft draft;
  draft.title = parsed.title;
  draft.priority = parsed.priority;
  draft.tags = parsed.tags;
  draft.timezone = parsed.timezone;
  if (parsed.due_at) {
    if (parsed.all_day) {
      draft.due_date = LocalDateOf(*parsed.due_at, parsed.timezone);
    }
    if (!draft.due_date) draft.due_at = parsed.due_at;
  }
  draft.recurrence = parsed.recurrence;
  if (!parsed.reminders.empty()) draft.reminders = parsed.reminders;
  return draft;
}

}  // namespace taskflow
