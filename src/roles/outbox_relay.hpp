// The outbox relay: publishes unpublished outbox rows in id order to the
// EventBus and marks them published, with exponential backoff while the bus
// refuses. A crash between publish and mark republishes (at least once);
// nothing is ever lost. CRUD calls never wait on it.
//
// Every process runs one, and several processes may share a database
// (replicas): only the holder of the database's relay lease publishes, so
// the same rows are not published twice in the normal case. The holder
// renews it while it runs and gives it up on Stop; a crashed holder's lease
// lapses and another relay takes over.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
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
  // How long a taken lease lasts; renewed once half of it has passed. After a
  // crash, events wait this long for another relay (or the restarted one).
  // A leader waiting out a bus outage may lose it: harmless, the next one
  // finds the bus down too.
  std::chrono::milliseconds lease{10'000};
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

  // One pass: publishes and marks up to `batch` rows. The number published
  // (0 too when another relay holds the lease), or the bus's or the store's
  // error. (Public for tests.)
  Result<int> RunOnce();

 private:
  void Loop();
  // True when this relay holds the lease, taking or renewing it if needed.
  Result<bool> HoldLease();
  void ReleaseLease();
  // Sleeps up to `delay` unless woken or stopped.
  void Sleep(std::chrono::milliseconds delay);

  Store& store_;
  EventBus& bus_;
  Clock& clock_;
  const RelayOptions options_;
  const std::string holder_;  // random: tells this relay from the others
  std::optional<Instant> lease_until_;  // used by the relay's thread only
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;  // guarded by mutex_
  bool stop_ = false;   // guarded by mutex_
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace taskflow
