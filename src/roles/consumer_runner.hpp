// Runs one consumer: polls its subscription, and for each message
//   1. skips it when processed_events already holds (group, event_id);
//   2. runs the handler's Deliver, then, in one transaction, writes
//      processed_events and the handler's Apply (the primary key decides a
//      race: the loser writes nothing);
//   3. on failure retries with exponential backoff, at most max_attempts
//      times (a malformed message, kInvalidArgument, is not retried), then
//      sends it with its error to the dead-letter channel and goes on;
//   4. commits the positions of the batch it settled.
// Stop (SIGTERM) finishes the message in flight and commits it; running()
// turns false when the loop is not running (for /ready).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "ports/clock.hpp"
#include "ports/event_bus.hpp"
#include "ports/store.hpp"
#include "roles/event_handler.hpp"

namespace taskflow {

struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{5'000};
};

// The backoff before attempt `attempt` (2, 3 …): first_backoff doubled each
// time, capped at max_backoff.
std::chrono::milliseconds BackoffBefore(const RetryPolicy& policy, int attempt);

class ConsumerRunner {
 public:
  ConsumerRunner(EventBus& bus, Store& store, Clock& clock, EventHandler& handler,
                 RetryPolicy retry = {});
  ~ConsumerRunner();
  void Start();
  void Stop();  // idempotent
  bool running() const { return running_; }
  const std::string& group() const { return group_; }

  // Processes one message as the loop does, without committing it. Returns
  // false when stopped before it was settled (then it is not committed).
  bool Settle(const BusMessage& message);

 private:
  void Loop();
  Status ProcessOnce(const BusMessage& message);
  bool SleepUnlessStopped(std::chrono::milliseconds delay);

  EventBus& bus_;
  Store& store_;
  Clock& clock_;
  EventHandler& handler_;
  const RetryPolicy retry_;
  const std::string group_;
  std::unique_ptr<EventSubscription> subscription_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;  // guarded by mutex_
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace taskflow
