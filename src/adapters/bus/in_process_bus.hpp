// The standalone EventBus: no broker. The outbox table is the log: a message
// is "published" once the relay has marked its row, and each consumer group
// reads the published rows of its topics after its cursor (consumer_offsets),
// so nothing is lost across restarts and several processes sharing the
// database see the same log. Dead letters go to the dead_letters table (the
// in-process `<topic>-dlq`).
//
// A live subscription (SubscriptionKind::kLive) starts at the outbox head
// (OutboxHead) and keeps its cursor in memory only: it writes no
// consumer_offsets row, so it never holds the pruning of the outbox back and
// a replica that went away leaves nothing behind. Pruning may delete rows a
// live reader has not read only once they are past their retention (days),
// and then the reader skips them: a live push that late is worth nothing.
//
// MarkedPublished wakes the subscriptions of this process at once; a subscription
// also looks again every `poll_interval` for rows published by another
// process.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "ports/clock.hpp"
#include "ports/event_bus.hpp"
#include "ports/store.hpp"

namespace taskflow {

struct InProcessBusOptions {
  std::chrono::milliseconds poll_interval{200};
  int batch = 100;  // messages per topic per Poll
};

// Thread-safe. Outlives its subscriptions.
class InProcessBus final : public EventBus {
 public:
  InProcessBus(Store& store, Clock& clock, InProcessBusOptions options = {});

  Status Publish(const std::vector<OutboxRecord>& messages) override;
  void MarkedPublished(const std::vector<OutboxRecord>& messages) override;
  std::unique_ptr<EventSubscription> Subscribe(const std::string& group,
                                               const std::vector<std::string>& topics,
                                               SubscriptionKind kind) override;
  Status PublishDeadLetter(const DeadLetter& letter) override;

  // Bumped by Publish; subscriptions wait for it to change.
  std::uint64_t generation() const;
  // Waits until generation() != `seen`, `deadline`, or `woken()` holds.
  template <class Pred>
  void WaitForPublish(std::uint64_t seen, std::chrono::steady_clock::time_point deadline,
                      Pred woken) {
    std::unique_lock lock(mutex_);
    published_.wait_until(lock, deadline, [&] { return generation_ != seen || woken(); });
  }
  void NotifyAll();

  Store& store() { return store_; }
  const InProcessBusOptions& options() const { return options_; }

 private:
  Store& store_;
  Clock& clock_;
  const InProcessBusOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable published_;
  std::uint64_t generation_ = 0;  // guarded by mutex_
};

}  // namespace taskflow
