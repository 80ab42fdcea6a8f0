// Keeps the event tables bounded: deletes published outbox rows older than
// their retention and processed_events records older than theirs, in small
// batches (one short write transaction each, so writers are never held up
// for long), once per `interval`.
//
// With the in-process bus the published outbox rows are the log the
// consumers read (adapters/bus): a row no older than the cursor of every
// consumer group of its topic is kept whatever its age: the groups that have
// a cursor, and the `readers`, which count as being at the start until they
// have one. Live subscriptions (the realtime replicas) keep no cursor, so they
// hold nothing back. With Kafka the broker keeps the log and the outbox is
// only the relay's queue.
//
// processed_events makes redelivery harmless; its retention should be at
// least the longest topic retention (task-events: 7 days), so that a message
// still on a topic always finds its record.
//
// Every process may run one: pruning is idempotent, and concurrent pruners
// only share the work.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace taskflow {

// A consumer group of the in-process bus and one topic it reads.
struct OutboxReader {
  std::string group;
  std::string topic;
};

struct PruningOptions {
  std::chrono::milliseconds outbox_retention = std::chrono::hours(24 * 7);
  std::chrono::milliseconds processed_retention = std::chrono::hours(24 * 7);
  std::chrono::milliseconds interval = std::chrono::minutes(5);
  int window = 500;                 // rows looked at per batch (per topic, per consumer)
  std::vector<std::string> topics;  // the outbox's topics
  // Set with the in-process bus: the outbox is the log (see above).
  bool outbox_is_log = false;
  std::vector<OutboxReader> readers;
  // Groups gone for good (renamed, retired): their cursors are deleted at
  // each pass, so they stop holding outbox rows back.
  std::vector<std::string> retired_groups;
};

struct PruneCounts {
  long long outbox = 0;
  long long processed = 0;
};

// Start/Stop from one thread.
class EventPruner {
 public:
  EventPruner(Store& store, Clock& clock, PruningOptions options);
  ~EventPruner();
  void Start();
  void Stop();  // finishes the batch in flight; idempotent

  // One pass: batches until none deletes anything (or Stop). What it
  // deleted, or the store's error. (Public for tests.)
  Result<PruneCounts> RunOnce();

 private:
  void Loop();
  bool stopping();
  // Deletes the retired groups' cursors.
  Status ForgetRetiredGroups();
  // The highest outbox id of `topic` every reader has passed.
  Result<std::int64_t> Floor(const std::string& topic);

  Store& store_;
  Clock& clock_;
  const PruningOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace taskflow
