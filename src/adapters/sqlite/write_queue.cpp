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
  if (leader_active_) {
    // Woken once: when a batch that held this write is done, or when the
    // leader hands over to this write, the oldest still waiting.
    mine.wake.wait(lock, [&] { return mine.done || mine.leads; });
    if (mine.done) return std::move(mine.status);
  }
  leader_active_ = true;
  while (!mine.done) RunBatch(lock);
  HandOver();
  return std::move(mine.status);
}

void WriteQueue::RunBatch(std::unique_lock<std::mutex>& lock) {
  // The oldest waiting writes, which include the leader's own unless more
  // than max_batch_ were ahead of it (then it leads again after).
  const auto take = static_cast<std::ptrdiff_t>(std::min(max_batch_, waiting_.size()));
  std::vector<PendingWrite*> batch(waiting_.begin(), waiting_.begin() + take);
  waiting_.erase(waiting_.begin(), waiting_.begin() + take);
  lock.unlock();
  runner_(batch);
  lock.lock();
  for (PendingWrite* pending : batch) {
    pending->done = true;
    pending->wake.notify_one();
  }
}

// Called by the leader, its own write done, with the lock held: only the
// next leader wakes, not every waiting thread.
void WriteQueue::HandOver() {
  if (waiting_.empty()) {
    leader_active_ = false;
    return;
  }
  PendingWrite* next = waiting_.front();
  next->leads = true;
  next->wake.notify_one();
}

}  // namespace taskflow::sqlite
