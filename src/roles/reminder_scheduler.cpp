#include "roles/reminder_scheduler.hpp"

#include <algorithm>

#include "adapters/system/logging.hpp"
#include "app/event_messages.hpp"

namespace taskflow {

ReminderScheduler::ReminderScheduler(Store& store, Clock& clock, IdGenerator& ids,
                                     std::function<void()> on_fired, SchedulerOptions options)
    : store_(store), clock_(clock), ids_(ids), on_fired_(std::move(on_fired)), options_(options) {}

ReminderScheduler::~ReminderScheduler() { Stop(); }

void ReminderScheduler::Start() {
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void ReminderScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReminderScheduler::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

Result<int> ReminderScheduler::FireDue() {
  int fired = 0;
  while (true) {
    const Instant now = clock_.Now();
    int claimed = 0;
    Status status = store_.Write([&](StoreWriter& tx) -> Status {
      std::vector<DueReminder> due = tx.ClaimDueReminders(now, options_.batch);
      for (const DueReminder& reminder : due) AppendReminderEvent(tx, ids_, reminder);
      claimed = static_cast<int>(due.size());
      return {};
    });
    if (!status.ok()) return std::move(status).take_error();
    fired += claimed;
    if (claimed > 0 && on_fired_) on_fired_();
    if (claimed < options_.batch) return fired;
  }
}

void ReminderScheduler::Loop() {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) break;
      woken_ = false;
    }
    std::chrono::milliseconds sleep = options_.max_sleep;
    Result<int> fired = FireDue();
    if (!fired.ok()) {
      log::Warn("reminders: cannot claim due reminders", {{"error", fired.error().message}});
      sleep = options_.retry_after_failure;
    } else {
      std::optional<Instant> next;
      Status read = store_.Read([&](StoreReader& tx) -> Status {
        next = tx.NextReminderAt();
        return {};
      });
      if (!read.ok()) {
        sleep = options_.retry_after_failure;
      } else if (next) {
        const auto until =
            std::chrono::duration_cast<std::chrono::milliseconds>(*next - clock_.Now());
        sleep = std::clamp(until, std::chrono::milliseconds(0), options_.max_sleep);
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, sleep, [this] { return woken_ || stop_; });
  }
  running_ = false;
}

}  // namespace taskflow
