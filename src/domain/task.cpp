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
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return patch;
}

bool ApplyPatch(Task& task, const TaskPatch& patch) {
  bool changed = false;
  if (patch.title) changed |= Assign(task.title, *patch.title);
  if (patch.description) changed |= Assign(task.description, patch.description->value_or(""));
  if (patch.priority) changed |= Assign(task.priority, *patch.priority);
  if (patch.due_at) changed |= Assign(task.due_at, *patch.due_at);
  if (patch.timezone) changed |= Assign(task.timezone, *patch.timezone);
  // Tags are identified by folded name: "Work" for a task tagged "work" is no change.
  if (patch.tags && FoldedKeys(task.tags) != FoldedKeys(*patch.tags)) {
    task.tags = *patch.tags;
    changed = true;
  }
  if (patch.remind_before_minutes) {
    changed |= Assign(task.remind_before_minutes, *patch.remind_before_minutes);
  }
  return changed;
}

}  // namespace taskflow
