#include "adapters/sqlite/write_queue.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace taskflow::sqlite {

WriteQueue::WriteQueue(BatchRunner runner, std::size_t max_batch)
    : runner_(std::move(runner)), max_batch_(std::max<std::size_t>(1, max_batch)) {}

std::size_t WriteQueue::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

Status WriteQueue::Submit(const WriteWork& work) {
  PendingWrite mine{.work = &work};
  std::unique_lock lock(mutex_);
  waiting_.push_back(&mine);
  std::vector<PendingWrite*> batch;
  while (!mine.done) {
    if (leader_active_) {
      batch_done_.wait(lock);
      continue;
    }
    // Lead one batch: the oldest waiting writes, which include ours unless
    // more than max_batch_ were ahead of it (then we lead again after).
    leader_active_ = true;
    const std::size_t take = std::min(max_batch_, waiting_.size());
    batch.assign(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(take));
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(take));
    lock.unlock();
    runner_(batch);
    lock.lock();
    for (PendingWrite* pending : batch) pending->done = true;
    leader_active_ = false;
    batch_done_.notify_all();
  }
  return std::move(mine.status);
}

}  // namespace taskflow::sqlite
