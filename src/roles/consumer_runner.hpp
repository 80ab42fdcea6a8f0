// Runs one consumer: polls its subscription and settles each polled batch.
//
// The batched path (the normal case; SettleBatch):
//   1. one read transaction finds which messages of the batch are already in
//      processed_events (only those the handler records); they are skipped;
//   2. the handler's Deliver runs for each other message, in order;
//   3. one write transaction, for each delivered message in order, writes
//      processed_events (when recorded; the primary key decides a race: the
//      loser applies nothing) and the handler's Apply. No transaction at all
//      when no message records or applies anything (a wake-up, a live push);
//   4. the positions of the batch are committed once.
// The per-message path (Settle), where the batched one cannot go on:
//   - a Deliver failed: the messages delivered before it are written as
//     above, it goes alone (that Deliver was its first attempt), then the
//     batched path resumes after it;
//   - the write transaction failed (an Apply or a store error): it is rolled
//     back whole, then each message it held goes alone, so one bad message
//     neither blocks the others nor is lost, and nothing is half written.
//     Their Deliver runs again (at least once, as always), and their attempts
//     start over (which of them failed is not known);
//   - the read failed: the rest of the batch goes message by message.
//   Alone, a message is checked, delivered and written in transactions of its
//   own; on failure retried with exponential backoff, at most max_attempts
//   times (a malformed message, kInvalidArgument, is not retried), then sent
//   with its error to the dead-letter channel, and the next one goes on.
// Stop (SIGTERM) starts no new Deliver, writes what was delivered, and
// commits no position past a message that was not settled (a redelivered
// message is absorbed by processed_events). running() turns false when the
// loop is not running (for /ready).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

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

  // Settles a polled batch as the loop does, without committing it. Returns
  // how many of its first messages were settled: all unless stopped.
  std::size_t SettleBatch(std::span<const BusMessage> batch);
  // Settles one message on the per-message path, without committing it.
  // Returns false when stopped before it was settled (then it is not
  // committed).
  bool Settle(const BusMessage& message);

 private:
  // What one go of the batched path did with the front of a batch.
  struct BatchAttempt {
    std::size_t settled = 0;  // messages settled, from the front
    std::size_t alone = 0;    // then this many must go the per-message path
    // Not ok when the last of those failed its Deliver here: its first attempt.
    Status failed_delivery;
  };
  struct Delivered {
    const BusMessage* message;
    bool record;  // handler_.RecordsProcessed
  };

  void Loop();
  BatchAttempt SettleTogether(std::span<const BusMessage> batch);
  Result<std::vector<std::string>> ProcessedAmong(std::span<const BusMessage> batch);
  Status WriteTogether(const std::vector<Delivered>& delivered);
  void CommitPositions(std::span<const BusMessage> settled, std::chrono::milliseconds backoff);
  Status ProcessOnce(const BusMessage& message);
  // Settle, where `first_attempt`, when not ok, is the outcome of a first
  // attempt already made (a Deliver that failed on the batched path).
  bool SettleAlone(const BusMessage& message, Status first_attempt);
  bool StopRequested();
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
