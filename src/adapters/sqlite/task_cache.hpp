// Tasks as the store last decoded them, so that a page of the task list
// reads its rows from the covering index alone.
//
// A row of the list costs the page far more than picking it (a descent of
// the table and some thirty columns each; docs/benchmarks.md), while its
// identity and version sit in the index the page is picked from. An entry
// answers for (id, version) only: every change of what a task shows bumps
// its version in the same transaction (tag renames and deletions too), and
// ids are never reused, so an entry can be outdated, never wrong, whichever
// snapshot or process wrote the row (the SQLite store's writes see to it:
// UpdateTask refuses an update without a new version, and new tag links move
// the version unless the write already did). Two changes keep the version,
// so the tasks they can touch are never kept: marking a reminder sent (not a
// change by the owner: it must not turn an If-Match stale) touches tasks
// with reminders, and deleting a task's recurrence parent clears the
// child's recurrence_parent_id through the foreign key (ON DELETE SET NULL).
// Rows edited by hand must get version = version + 1 too.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "domain/task.hpp"

namespace taskflow::sqlite {

class TaskCache {
 public:
  // At most `capacity` tasks (0: keeps none), the least recently used first out.
  explicit TaskCache(std::size_t capacity);
  TaskCache(const TaskCache&) = delete;
  TaskCache& operator=(const TaskCache&) = delete;

  // The task kept under `seq` (tasks.seq) when it is `id` at `version`.
  std::optional<Task> Find(std::int64_t seq, std::string_view id, std::int64_t version);
  // Keeps `task`, read from the row `seq`, unless it has reminders or a
  // recurrence parent.
  void Put(std::int64_t seq, const Task& task);

  std::size_t size() const;

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::list<std::pair<std::int64_t, Task>> recent;  // most recently used first
    std::unordered_map<std::int64_t, std::list<std::pair<std::int64_t, Task>>::iterator> by_seq;
  };
  Shard& ShardOf(std::int64_t seq);

  const std::size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace taskflow::sqlite
