// Group commit for the single SQLite writer.
//
// SQLite serialises writers, and a commit costs far more than the typical
// Taskflow change it carries (WAL frames for every touched index page, the
// FTS segment the transaction flushes). WriteQueue lets the threads that call
// Store::Write at the same time share one transaction: the first caller to
// find no batch running becomes the leader, takes every waiting write (up to
// a bound), runs them through the batch runner, and wakes their callers; the
// others just wait for their result. Alone, a write runs as its own batch of
// one, with no added delay (there is no timer: batches form only from
// writes that were already waiting). Each waiting thread is woken exactly
// once: by the leader whose batch held its write, or to lead the next batch
// (a shared condition variable woke every waiting thread after each batch;
// context switches cost a write more than its SQL on the benchmark).
//
// The runner gives every write its own savepoint, so a write that fails
// leaves the batch and the others commit (see sqlite_store.cpp).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <span>

#include "domain/result.hpp"
#include "ports/store.hpp"

namespace taskflow::sqlite {

using WriteWork = std::function<Status(StoreWriter&)>;

// One Store::Write call waiting in the queue. The flags and the condition
// variable are guarded by the queue's mutex.
struct PendingWrite {
  const WriteWork* work = nullptr;
  Status status;
  bool done = false;   // its batch has run: status is set
  bool leads = false;  // handed the leadership by the previous leader
  std::condition_variable wake;
};

class WriteQueue {
 public:
  // Runs `batch` (oldest first) and sets the status of each. Must not throw.
  using BatchRunner = std::function<void(std::span<PendingWrite* const> batch)>;

  WriteQueue(BatchRunner runner, std::size_t max_batch);
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Blocks until `work` has run in a committed (or failed) batch.
  Status Submit(const WriteWork& work);

  // Writes queued and not yet taken by a batch (tests observe batching with it).
  std::size_t waiting() const;

 private:
  void RunBatch(std::unique_lock<std::mutex>& lock);
  void HandOver();

  const BatchRunner runner_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::deque<PendingWrite*> waiting_;  // guarded by mutex_
  bool leader_active_ = false;         // guarded by mutex_
};

}  // namespace taskflow::sqlite
