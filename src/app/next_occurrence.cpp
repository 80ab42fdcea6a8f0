#include "app/next_occurrence.hpp"

#include <string>
#include <utility>
#include <vector>

#include "domain/text.hpp"

namespace taskflow {
namespace {

// The ids of the completed task's tags: they exist (the task carries them),
// so they are found, never created.
std::vector<std::string> TagIds(StoreWriter& tx, const Task& task) {
  std::vector<std::string> ids;
  ids.reserve(task.tags.size());
  for (const std::string& name : task.tags) {
    if (std::optional<Tag> tag = tx.FindTagByKey(task.user_id, FoldCase(name))) {
      ids.push_back(std::move(tag->id));
    }
  }
  return ids;
}

}  // namespace

NextOccurrenceResult CreateNextOccurrence(StoreWriter& tx, IdGenerator& ids, const Task& completed,
                                          Instant now) {
  if (completed.status != TaskStatus::kCompleted || !completed.recurrence || !completed.due_at) {
    return {};
  }
  std::optional<Task> next = MakeNextOccurrence(completed, now, ids.NewId());
  if (!next) return {NextOccurrenceOutcome::kSeriesEnded, std::nullopt};
  AssignReminderIds(*next, [&ids] { return ids.NewId(); });
  if (!tx.InsertNextOccurrence(*next))
    return {NextOccurrenceOutcome::kAlreadyCreated, std::nullopt};
  if (!next->tags.empty()) tx.SetTaskTags(next->id, TagIds(tx, completed));
  return {NextOccurrenceOutcome::kCreated, std::move(next)};
}

}  // namespace taskflow
