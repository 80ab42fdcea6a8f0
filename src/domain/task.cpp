#include "domain/task.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>
#include <utility>

#include "domain/tag.hpp"
#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace taskflow {
namespace {

using validation::Collect;

constexpr std::array<std::string_view, 2> kStatusNames = {"pending", "completed"};
constexpr std::array<std::string_view, 4> kPriorityNames = {"P1", "P2", "P3", "P4"};

Result<std::string> NormalizeTitle(std::string_view title) {
  return validation::NormalizeLine(title, "title", 1, kTitleMaxChars);
}

// Descriptions keep their text as written (no trimming): leading indentation
// and trailing blank lines can be deliberate in multi-line notes.
Result<std::string> NormalizeDescription(std::string description) {
  if (!IsValidUtf8(description)) return Error::Invalid("description", "must be valid UTF-8");
  if (CodePointCount(description) > kDescriptionMaxChars) {
    return Error::Invalid("description", "must be at most 10000 characters");
  }
  if (HasControlCharactersExceptLineBreaks(description)) {
    return Error::Invalid("description",
                          "must not contain control characters other than tab and line breaks");
  }
  return description;
}

Result<int> NormalizeRemindBefore(int minutes) {
  if (minutes < 0 || minutes > kRemindBeforeMaxMinutes) {
    return Error::Invalid("remind_before_minutes", "must be 0 to 525600 minutes");
  }
  return minutes;
}

// Each reminder is exactly one of the two forms; exact duplicates collapse
// (the first stays), so "remind me 30 minutes before" twice is one reminder.
Result<std::vector<ReminderSpec>> NormalizeReminders(const std::vector<ReminderSpec>& specs) {
  std::vector<FieldError> errors;
  std::vector<ReminderSpec> unique;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const ReminderSpec& spec = specs[i];
    const std::string field = "reminders[" + std::to_string(i) + "]";
    if (spec.before_minutes.has_value() == spec.at.has_value()) {
      errors.push_back({field, "must have exactly one of before_minutes or at"});
    } else if (spec.before_minutes &&
               (*spec.before_minutes < 0 || *spec.before_minutes > kRemindBeforeMaxMinutes)) {
      errors.push_back({field + ".before_minutes", "must be 0 to 525600 minutes"});
    } else if (std::find(unique.begin(), unique.end(), spec) == unique.end()) {
      unique.push_back(spec);
    }
  }
  if (unique.size() > kMaxRemindersPerTask) {
    errors.push_back({"reminders", "must hold at most 10 reminders"});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return unique;
}

// The lead the shorthand reads from a reminder list: its first relative one.
std::optional<int> FirstLead(const std::vector<ReminderSpec>& specs) {
  for (const ReminderSpec& spec : specs) {
    if (spec.before_minutes) return spec.before_minutes;
  }
  return std::nullopt;
}

// The shorthand as a reminder list: one relative reminder, or none.
std::vector<ReminderSpec> ShorthandReminders(std::optional<int> minutes) {
  if (!minutes) return {};
  return {ReminderSpec{.before_minutes = *minutes, .at = std::nullopt}};
}

// remind_before_minutes beside `reminders` must say the same thing, so that a
// client echoing a task back is not refused; otherwise it is a contradiction.
void CheckShorthandAgrees(std::optional<int> minutes, const std::vector<ReminderSpec>& specs,
                          std::vector<FieldError>& errors) {
  if (minutes == FirstLead(specs)) return;
  for (const FieldError& error : errors) {
    if (error.field == "remind_before_minutes") return;  // already out of range
  }
  errors.push_back({"remind_before_minutes",
                    "must match the first relative reminder in reminders, or be left out"});
}

// Dates a zone offset cannot push outside the years RFC 3339 can write.
Result<LocalDate> NormalizeDueDate(LocalDate date) {
  const int year = static_cast<int>(date.year());
  if (!date.ok() || year < 2 || year > 9998) {
    return Error::Invalid("due_at", "must be a date between 0002-01-01 and 9998-12-31");
  }
  return date;
}

Result<Recurrence> NormalizeTaskRecurrence(const Recurrence& recurrence) {
  return NormalizeRecurrence(recurrence, "recurrence");
}

struct KeyedTag {
  std::string key;  // FoldCase(name)
  std::string name;
};

// Trims and checks each name, collapses case-insensitive duplicates (the first
// spelling wins) and sorts by folded name. Bad names are reported as "tags[i]".
Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& names) {
  std::vector<FieldError> errors;
  std::vector<KeyedTag> tags;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto name = NormalizeTagName(names[i], "tags[" + std::to_string(i) + "]");
    if (!name.ok()) {
      validation::AppendErrors(std::move(name).take_error(), errors);
      continue;
    }
    std::string key = FoldCase(*name);
    if (seen.insert(key).second) tags.push_back({std::move(key), std::move(name).value()});
  }
  if (tags.size() > kMaxTagsPerTask) {
    errors.push_back({"tags", "must hold at most 50 distinct tags"});
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));

  std::sort(tags.begin(), tags.end(),
            [](const KeyedTag& a, const KeyedTag& b) { return a.key < b.key; });
  std::vector<std::string> sorted;
  sorted.reserve(tags.size());
  for (KeyedTag& tag : tags) sorted.push_back(std::move(tag.name));
  return sorted;
}

std::vector<std::string> FoldedKeys(const std::vector<std::string>& names) {
  std::vector<std::string> keys;
  keys.reserve(names.size());
  for (const std::string& name : names) keys.push_back(FoldCase(name));
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Assigns `value` to `field` when they differ; true when it did.
template <class T>
bool Assign(T& field, const T& value) {
  if (field == value) return false;
  field = value;
  return true;
}

// Zone and due date; true when due_at, all_day or the zone changed. An
// all-day task keeps its local date when only the zone changes.
bool ApplyDue(Task& task, const TaskPatch& patch) {
  const std::string old_zone = task.timezone;
  bool changed = false;
  if (patch.timezone) changed |= Assign(task.timezone, *patch.timezone);
  if (patch.due_at) {
    changed |= Assign(task.due_at, *patch.due_at);
    changed |= Assign(task.all_day, false);
  } else if (patch.due_date) {
    if (std::optional<Instant> start = StartOfLocalDate(*patch.due_date, task.timezone)) {
      changed |= Assign(task.due_at, start);
      changed |= Assign(task.all_day, true);
    }
  } else if (task.all_day && task.due_at && task.timezone != old_zone) {
    const std::optional<LocalDate> date = LocalDateOf(*task.due_at, old_zone);
    if (date) {
      if (std::optional<Instant> start = StartOfLocalDate(*date, task.timezone)) {
        changed |= Assign(task.due_at, start);
      }
    }
  }
  return changed;
}

// A new recurrence starts a series at the current due date; a moved due date
// re-anchors the schedule of a recurring task (as Todoist does when a
// recurring task is rescheduled by hand).
bool ApplyRecurrence(Task& task, const TaskPatch& patch, bool due_moved) {
  if (patch.recurrence && *patch.recurrence != task.recurrence) {
    task.recurrence = *patch.recurrence;
    task.series_start = task.recurrence ? task.due_at : std::nullopt;
    task.occurrence_index = 1;
    return true;
  }
  if (due_moved && task.recurrence) task.series_start = task.due_at;
  return false;
}

bool ApplyReminders(Task& task, const TaskPatch& patch, bool schedule_changed) {
  const std::vector<Reminder> before = task.reminders;
  if (patch.reminders) {
    SetReminders(task, *patch.reminders);
  } else if (patch.remind_before_minutes) {
    SetReminders(task, ShorthandReminders(*patch.remind_before_minutes));
  }
  if (schedule_changed) PlanReminders(task, /*schedule_changed=*/true);
  return task.reminders != before;
}

}  // namespace

std::string_view ToString(TaskStatus status) {
  return kStatusNames[status == TaskStatus::kCompleted ? 1 : 0];
}

std::optional<TaskStatus> ParseTaskStatus(std::string_view text) {
  if (text == kStatusNames[0]) return TaskStatus::kPending;
  if (text == kStatusNames[1]) return TaskStatus::kCompleted;
  return std::nullopt;
}

std::string_view ToString(Priority priority) {
  const int rank = static_cast<int>(priority);
  if (rank < 1 || rank > 4) return "";  // only reachable through a bad cast
  return kPriorityNames[rank - 1];
}

std::optional<Priority> ParsePriority(std::string_view text) {
  for (std::size_t i = 0; i < kPriorityNames.size(); ++i) {
    if (text == kPriorityNames[i]) return static_cast<Priority>(i + 1);
  }
  return std::nullopt;
}

Result<TaskDraft> NormalizeDraft(TaskDraft draft) {
  std::vector<FieldError> errors;
  Collect(NormalizeTitle(draft.title), draft.title, errors);
  Collect(NormalizeDescription(std::move(draft.description)), draft.description, errors);
  if (draft.timezone) {
    Collect(validation::NormalizeTimeZone(*draft.timezone, "timezone"), *draft.timezone, errors);
  }
  Collect(NormalizeTags(draft.tags), draft.tags, errors);
  if (draft.remind_before_minutes) {
    Collect(NormalizeRemindBefore(*draft.remind_before_minutes), *draft.remind_before_minutes,
            errors);
  }
  if (draft.due_at && draft.due_date) {
    errors.push_back({"due_at", "must be either a date-time or a date"});
  }
  if (draft.due_date) Collect(NormalizeDueDate(*draft.due_date), *draft.due_date, errors);
  if (draft.recurrence) {
    Collect(NormalizeTaskRecurrence(*draft.recurrence), *draft.recurrence, errors);
    if (!draft.due_at && !draft.due_date) errors.push_back({"recurrence", "requires due_at"});
  }
  if (draft.reminders) {
    const std::size_t before = errors.size();
    Collect(NormalizeReminders(*draft.reminders), *draft.reminders, errors);
    if (errors.size() == before && draft.remind_before_minutes) {
      CheckShorthandAgrees(draft.remind_before_minutes, *draft.reminders, errors);
    }
  } else if (draft.remind_before_minutes) {
    draft.reminders = ShorthandReminders(draft.remind_before_minutes);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return draft;
}

Result<TaskPatch> NormalizePatch(TaskPatch patch) {
  std::vector<FieldError> errors;
  if (patch.title) Collect(NormalizeTitle(*patch.title), *patch.title, errors);
  if (patch.description) {
    // null clears to "": the normalised patch holds the cleared text itself.
    std::string description;
    Collect(NormalizeDescription(patch.description->value_or("")), description, errors);
    patch.description = std::optional<std::string>(std::move(description));
  }
  if (patch.timezone) {
    Collect(validation::NormalizeTimeZone(*patch.timezone, "timezone"), *patch.timezone, errors);
  }
  if (patch.tags) Collect(NormalizeTags(*patch.tags), *patch.tags, errors);
  if (patch.remind_before_minutes && *patch.remind_before_minutes) {
    Collect(NormalizeRemindBefore(**patch.remind_before_minutes), **patch.remind_before_minutes,
            errors);
  }
  if (patch.due_at && patch.due_date) {
    errors.push_back({"due_at", "must be either a date-time or a date"});
  }
  if (patch.due_date) Collect(NormalizeDueDate(*patch.due_date), *patch.due_date, errors);
  if (patch.recurrence && *patch.recurrence) {
    Collect(NormalizeTaskRecurrence(**patch.recurrence), **patch.recurrence, errors);
  }
  if (patch.reminders) {
    const std::size_t before = errors.size();
    Collect(NormalizeReminders(*patch.reminders), *patch.reminders, errors);
    if (errors.size() == before && patch.remind_before_minutes) {
      CheckShorthandAgrees(*patch.remind_before_minutes, *patch.reminders, errors);
    }
  } else if (patch.remind_before_minutes) {
    patch.reminders = ShorthandReminders(*patch.remind_before_minutes);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return patch;
}

bool ApplyPatch(Task& task, const TaskPatch& patch) {
  bool changed = false;
  if (patch.title) changed |= Assign(task.title, *patch.title);
  if (patch.description) changed |= Assign(task.description, patch.description->value_or(""));
  if (patch.priority) changed |= Assign(task.priority, *patch.priority);
  // Tags are identified by folded name: "Work" for a task tagged "work" is no change.
  if (patch.tags && FoldedKeys(task.tags) != FoldedKeys(*patch.tags)) {
    task.tags = *patch.tags;
    changed = true;
  }
  const std::optional<Instant> old_due = task.due_at;
  const bool schedule_changed = ApplyDue(task, patch);
  changed |= schedule_changed;
  changed |= ApplyRecurrence(task, patch, /*due_moved=*/task.due_at != old_due);
  changed |= ApplyReminders(task, patch, schedule_changed);
  return changed;
}

Status CheckSchedule(const Task& task) {
  if (task.recurrence && !task.due_at) return Error::Invalid("recurrence", "requires due_at");
  return {};
}

}  // namespace taskflow
