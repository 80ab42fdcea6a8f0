// Changes to the trigram search index (tasks_fts, rowid = tasks.seq), made
// at once or deferred to the end of a group commit.
//
// FTS5 writes the terms it holds in memory to disk, as a new segment of its
// index, at every savepoint (its xSavepoint flushes them), and merges the
// segments later. A group commit gives each of its writes a savepoint
// (sqlite_store.cpp, RunGroupTransaction), so changing the index inside them
// wrote a segment per write, and the merges that followed rewrote them
// (deferred, a POST's server CPU went from 463–486 to 417–450 µs;
// docs/benchmarks.md). A group commit records its
// writes' changes in a DeferredTaskText instead and applies them after the
// last savepoint, so the whole batch's terms reach the disk once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace taskflow::sqlite {

class Connection;

struct TaskTextChange {
  enum class Kind { kInsert, kUpdate, kDelete };
  Kind kind = Kind::kInsert;
  std::int64_t seq = 0;         // tasks.seq, the index's rowid
  std::string title_key;        // folded title; unused by kDelete
  std::string description_key;  // folded description; unused by kDelete
};

// Runs `change` inside the transaction open on `connection`. Throws
// StoreFailure.
void ApplyTaskTextChange(Connection& connection, const TaskTextChange& change);

// The index changes of a group commit's writes, in the order they were made.
class DeferredTaskText {
 public:
  void Record(TaskTextChange change) { changes_.push_back(std::move(change)); }
  // Where the changes of the write about to run begin.
  std::size_t Mark() const { return changes_.size(); }
  // Forgets the changes recorded since `mark`: their write rolled back.
  void DropSince(std::size_t mark);
  void Clear() { changes_.clear(); }
  // Applies every change in order on `connection`, then forgets them.
  // Throws StoreFailure.
  void ApplyTo(Connection& connection);

 private:
  std::vector<TaskTextChange> changes_;
};

}  // namespace taskflow::sqlite
