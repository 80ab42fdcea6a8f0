// The outbox relay: publishes unpublished outbox rows in id order to the
// EventBus and marks them published, with exponential backoff while the bus
// refuses. A crash between publish and mark republishes (at least once);
// nothing is ever lost. CRUD calls never wait on it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "ports/clock.hpp"
#include "ports/event_bus.hpp"
#include "ports/store.hpp"

namespace taskflow {

struct RelayOptions {
  int batch = 100;
  std::chrono::milliseconds idle_poll{250};  // looks again this often without Wake
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{10'000};
};

// Start/Stop from one thread; Wake from any.
class OutboxRelay {
 public:
  OutboxRelay(Store& store, EventBus& bus, Clock& clock, RelayOptions options = {});
  ~OutboxRelay();
  void Start();
  void Stop();  // finishes the batch in flight; idempotent
  // New rows were committed: publish now rather than at the next idle poll.
  void Wake();
  bool running() const { return running_; }

  // One pass: publishes and marks up to `batch` rows. The number published, or
  // the bus's or the store's error. (Public for tests.)
  Result<int> RunOnce();

 private:
  void Loop();
  // Sleeps up to `delay` unless woken or stopped.
  void Sleep(std::chrono::milliseconds delay);

  Store& store_;
  EventBus& bus_;
  Clock& clock_;
  const RelayOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;  // guarded by mutex_
  bool stop_ = false;   // guarded by mutex_
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace taskflow
