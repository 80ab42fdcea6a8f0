#include "roles/consumer_runner.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "adapters/system/logging.hpp"

namespace taskflow {

std::chrono::milliseconds BackoffBefore(const RetryPolicy& policy, int attempt) {
  std::chrono::milliseconds delay = policy.first_backoff;
  for (int i = 2; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

ConsumerRunner::ConsumerRunner(EventBus& bus, Store& store, Clock& clock, EventHandler& handler,
                               RetryPolicy retry)
    : bus_(bus),
      store_(store),
      clock_(clock),
      handler_(handler),
      retry_(retry),
      group_(handler.group()),
      subscription_(bus.Subscribe(handler.group(), handler.topics(), handler.subscription())) {}

ConsumerRunner::~ConsumerRunner() { Stop(); }

void ConsumerRunner::Start() {
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void ConsumerRunner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  subscription_->Wake();
  if (thread_.joinable()) thread_.join();
}

bool ConsumerRunner::SleepUnlessStopped(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_cv_.wait_for(lock, delay, [this] { return stop_; });
}

Status ConsumerRunner::ProcessOnce(const BusMessage& message) {
  const bool record = handler_.RecordsProcessed(message);
  if (record) {
    bool done = false;
    Status read = store_.Read([&](StoreReader& tx) -> Status {
      done = tx.IsProcessed(group_, message.event_id);
      return {};
    });
    if (!read.ok()) return read;
    if (done) return {};
  }
  if (Status delivered = handler_.Deliver(message); !delivered.ok()) return delivered;
  if (!record && !handler_.Applies(message)) return {};  // nothing to write: no transaction
  return store_.Write([&](StoreWriter& tx) -> Status {
    if (record && !tx.MarkProcessed(group_, message.event_id, clock_.Now())) return {};
    return handler_.Apply(tx, message);
  });
}

bool ConsumerRunner::Settle(const BusMessage& message) {
  Status status;
  int attempt = 1;
  for (;; ++attempt) {
    status = ProcessOnce(message);
    if (status.ok()) return true;
    const bool permanent = status.error().code == ErrorCode::kInvalidArgument;
    if (permanent || attempt >= retry_.max_attempts) break;
    log::Warn("consumer: retrying a message", {{"group", group_},
                                               {"topic", message.topic},
                                               {"event_id", message.event_id},
                                               {"attempt", attempt},
                                               {"error", status.error().message}});
    if (!SleepUnlessStopped(BackoffBefore(retry_, attempt + 1))) return false;
  }
  std::string error = status.error().message;
  for (const FieldError& field : status.error().fields) {
    error += "; " + field.field + ": " + field.message;
  }
  log::Error("consumer: giving up on a message; sent to the dead-letter topic",
             {{"group", group_},
              {"topic", message.topic},
              {"event_id", message.event_id},
              {"attempts", attempt},
              {"error", error}});
  DeadLetter letter{.consumer = group_,
                    .topic = message.topic,
                    .key = message.key,
                    .event_id = message.event_id,
                    .payload = message.payload,
                    .error = error,
                    .attempts = attempt,
                    .created_at = clock_.Now()};
  // The dead-letter channel itself may be down: keep trying (with backoff)
  // rather than drop the message or commit past it.
  for (int tries = 1;; ++tries) {
    if (bus_.PublishDeadLetter(letter).ok()) return true;
    if (!SleepUnlessStopped(BackoffBefore(retry_, std::min(tries + 1, 30)))) return false;
  }
}

void ConsumerRunner::Loop() {
  std::chrono::milliseconds backoff = retry_.first_backoff;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) break;
    }
    Result<std::vector<BusMessage>> batch = subscription_->Poll(std::chrono::milliseconds(500));
    if (!batch.ok()) {
      log::Warn("consumer: cannot poll", {{"group", group_}, {"error", batch.error().message}});
      if (!SleepUnlessStopped(backoff)) break;
      backoff = std::min(backoff * 2, retry_.max_backoff);
      continue;
    }
    backoff = retry_.first_backoff;
    // Positions are committed once per batch (the last settled message of
    // each topic/partition): a crash redelivers at most one batch, which
    // processed_events absorbs.
    std::map<std::pair<std::string, int>, const BusMessage*> settled;
    for (const BusMessage& message : *batch) {
      // Finish the message in flight even when asked to stop, but start no new one.
      if (!Settle(message)) break;
      settled[{message.topic, message.partition}] = &message;
      std::lock_guard lock(mutex_);
      if (stop_) break;
    }
    for (const auto& [where, message] : settled) {
      while (true) {
        Status committed = subscription_->Commit(*message);
        if (committed.ok()) break;
        log::Warn("consumer: cannot commit",
                  {{"group", group_}, {"error", committed.error().message}});
        if (!SleepUnlessStopped(backoff)) break;
      }
    }
  }
  running_ = false;
}

}  // namespace taskflow
