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

bool ConsumerRunner::StopRequested() {
  std::lock_guard lock(mutex_);
  return stop_;
}

std::size_t ConsumerRunner::SettleBatch(std::span<const BusMessage> batch) {
  std::size_t settled = 0;
  // Every round moves on: SettleTogether skips or delivers the first message
  // before it looks at Stop, or leaves it to the per-message path.
  while (settled < batch.size()) {
    const BatchAttempt attempt = SettleTogether(batch.subspan(settled));
    settled += attempt.settled;
    for (std::size_t i = 0; i < attempt.alone; ++i) {
      // The last of them may be the one whose Deliver failed just now: that
      // was its first attempt, and counts as one.
      const bool delivered_once = i + 1 == attempt.alone && !attempt.failed_delivery.ok();
      if (!SettleAlone(batch[settled], delivered_once ? attempt.failed_delivery : Status{})) {
        return settled;
      }
      ++settled;
      if (StopRequested()) return settled;
    }
    if (StopRequested()) return settled;
  }
  return settled;
}

ConsumerRunner::BatchAttempt ConsumerRunner::SettleTogether(std::span<const BusMessage> batch) {
  Result<std::vector<std::string>> processed = ProcessedAmong(batch);
  if (!processed.ok()) {
    // The per-message path reads again, with retries.
    log::Warn("consumer: cannot read which messages are processed; settling them one by one",
              {{"group", group_}, {"error", processed.error().message}});
    return {.settled = 0, .alone = batch.size()};
  }
  std::vector<Delivered> delivered;
  std::size_t reached = 0;  // messages skipped or delivered, from the front
  Status failed_delivery;
  while (reached < batch.size()) {
    const BusMessage& message = batch[reached];
    const bool record = handler_.RecordsProcessed(message);
    if (!record || std::ranges::find(*processed, message.event_id) == processed->end()) {
      // A failed Deliver is retried (and logged) on the per-message path.
      failed_delivery = handler_.Deliver(message);
      if (!failed_delivery.ok()) break;
      delivered.push_back({.message = &message, .record = record});
      // A second copy in this batch (a redelivery) is then skipped, as it
      // would be once this batch's transaction has recorded the first.
      if (record) processed->push_back(message.event_id);
    }
    ++reached;
    // Finish the message in flight even when asked to stop, but start no new one.
    if (StopRequested()) break;
  }
  const std::size_t failed = failed_delivery.ok() ? 0 : 1;
  if (Status written = WriteTogether(delivered); !written.ok()) {
    // Rolled back whole: each message goes alone, so the bad one is retried
    // and dead-lettered by itself while the others are applied once. (Which
    // one failed is not known: its attempts start over, one more at most.)
    log::Warn("consumer: a batch transaction failed; settling its messages one by one",
              {{"group", group_}, {"messages", reached}, {"error", written.error().message}});
    return {.settled = 0, .alone = reached + failed, .failed_delivery = std::move(failed_delivery)};
  }
  return {.settled = reached, .alone = failed, .failed_delivery = std::move(failed_delivery)};
}

Result<std::vector<std::string>> ConsumerRunner::ProcessedAmong(std::span<const BusMessage> batch) {
  std::vector<std::string> recorded;
  for (const BusMessage& message : batch) {
    if (handler_.RecordsProcessed(message)) recorded.push_back(message.event_id);
  }
  std::vector<std::string> processed;
  if (recorded.empty()) return processed;  // nothing can be a duplicate: no transaction
  Status read = store_.Read([&](StoreReader& tx) -> Status {
    processed = tx.ProcessedAmong(group_, recorded);
    return {};
  });
  if (!read.ok()) return std::move(read).take_error();
  return processed;
}

Status ConsumerRunner::WriteTogether(const std::vector<Delivered>& delivered) {
  const bool writes = std::ranges::any_of(delivered, [this](const Delivered& item) {
    return item.record || handler_.Applies(*item.message);
  });
  if (!writes) return {};  // a wake-up or a live push: no transaction to queue
  return store_.Write([&](StoreWriter& tx) -> Status {
    for (const Delivered& item : delivered) {
      if (item.record && !tx.MarkProcessed(group_, item.message->event_id, clock_.Now())) continue;
      if (!handler_.Applies(*item.message)) continue;
      if (Status applied = handler_.Apply(tx, *item.message); !applied.ok()) return applied;
    }
    return {};
  });
}

// A batch of one: the same read, Deliver and write as the batched path.
Status ConsumerRunner::ProcessOnce(const BusMessage& message) {
  const std::span<const BusMessage> one(&message, 1);
  Result<std::vector<std::string>> processed = ProcessedAmong(one);
  if (!processed.ok()) return std::move(processed).take_error();
  if (!processed->empty()) return {};
  if (Status delivered = handler_.Deliver(message); !delivered.ok()) return delivered;
  return WriteTogether({{.message = &message, .record = handler_.RecordsProcessed(message)}});
}

bool ConsumerRunner::Settle(const BusMessage& message) { return SettleAlone(message, Status{}); }

bool ConsumerRunner::SettleAlone(const BusMessage& message, Status first_attempt) {
  Status status = std::move(first_attempt);
  int attempt = 1;
  for (;; ++attempt) {
    // An error here is the first attempt's outcome, made on the batched path.
    if (attempt > 1 || status.ok()) status = ProcessOnce(message);
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

// Positions are committed once per batch (the last settled message of each
// topic/partition): a crash redelivers at most one batch, which
// processed_events absorbs.
void ConsumerRunner::CommitPositions(std::span<const BusMessage> settled,
                                     std::chrono::milliseconds backoff) {
  std::map<std::pair<std::string, int>, const BusMessage*> last;
  for (const BusMessage& message : settled) last[{message.topic, message.partition}] = &message;
  for (const auto& [where, message] : last) {
    while (true) {
      Status committed = subscription_->Commit(*message);
      if (committed.ok()) break;
      log::Warn("consumer: cannot commit",
                {{"group", group_}, {"error", committed.error().message}});
      if (!SleepUnlessStopped(backoff)) break;
    }
  }
}

void ConsumerRunner::Loop() {
  std::chrono::milliseconds backoff = retry_.first_backoff;
  while (true) {
    if (StopRequested()) break;
    Result<std::vector<BusMessage>> batch = subscription_->Poll(std::chrono::milliseconds(500));
    if (!batch.ok()) {
      log::Warn("consumer: cannot poll", {{"group", group_}, {"error", batch.error().message}});
      if (!SleepUnlessStopped(backoff)) break;
      backoff = std::min(backoff * 2, retry_.max_backoff);
      continue;
    }
    backoff = retry_.first_backoff;
    const std::span<const BusMessage> messages(*batch);
    CommitPositions(messages.first(SettleBatch(messages)), backoff);
  }
  running_ = false;
}

}  // namespace taskflow
