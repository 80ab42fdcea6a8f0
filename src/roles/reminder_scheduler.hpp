// The notification service's clock: sleeps until the next pending reminder
// (task_reminders_pending), claims every due one in the database (marked sent
// in the claiming transaction, so two replicas never fire one twice), and
// appends a `reminders` event for each in that same transaction. Reminders
// that came due while nothing ran fire at start-up. Never for a completed or
// deleted task (the claim joins pending tasks; completing cancels them).
//
// Wake() is called when reminders may have changed (the notification
// consumer does, on every task-event), so a new or moved reminder is seen at
// once rather than at the next planned wake-up.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "ports/clock.hpp"
#include "ports/id_generator.hpp"
#include "ports/store.hpp"

namespace taskflow {

struct SchedulerOptions {
  int batch = 100;
  std::chrono::milliseconds max_sleep{30'000};  // looks again at least this often
  std::chrono::milliseconds retry_after_failure{1'000};
};

class ReminderScheduler {
 public:
  // `on_fired` runs after a claim committed events (e.g. wakes the relay).
  ReminderScheduler(Store& store, Clock& clock, IdGenerator& ids,
                    std::function<void()> on_fired = {}, SchedulerOptions options = {});
  ~ReminderScheduler();
  void Start();
  void Stop();
  void Wake();
  bool running() const { return running_; }

  // Claims and publishes every reminder due at clock.Now(); the number fired.
  Result<int> FireDue();

 private:
  void Loop();

  Store& store_;
  Clock& clock_;
  IdGenerator& ids_;
  std::function<void()> on_fired_;
  const SchedulerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;  // guarded by mutex_
  bool stop_ = false;   // guarded by mutex_
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace taskflow
