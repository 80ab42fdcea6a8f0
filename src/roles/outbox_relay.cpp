#include "roles/outbox_relay.hpp"

#include <algorithm>

#include "adapters/system/logging.hpp"

namespace taskflow {

OutboxRelay::OutboxRelay(Store& store, EventBus& bus, Clock& clock, RelayOptions options)
    : store_(store), bus_(bus), clock_(clock), options_(options) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

Result<int> OutboxRelay::RunOnce() {
  std::vector<OutboxRecord> batch;
  Status read = store_.Read([&](StoreReader& tx) -> Status {
    batch = tx.UnpublishedOutbox(options_.batch);
    return {};
  });
  if (!read.ok()) return std::move(read).take_error();
  if (batch.empty()) return 0;
  if (Status published = bus_.Publish(batch); !published.ok()) {
    return std::move(published).take_error();
  }
  std::vector<std::int64_t> ids;
  ids.reserve(batch.size());
  for (const OutboxRecord& record : batch) ids.push_back(record.id);
  Status marked = store_.Write([&](StoreWriter& tx) -> Status {
    tx.MarkPublished(ids, clock_.Now());
    return {};
  });
  if (!marked.ok()) return std::move(marked).take_error();
  bus_.MarkedPublished(batch);
  return static_cast<int>(batch.size());
}

void OutboxRelay::Sleep(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [this] { return woken_ || stop_; });
  woken_ = false;
}

void OutboxRelay::Loop() {
  std::chrono::milliseconds backoff = options_.min_backoff;
  bool failing = false;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) break;
    }
    Result<int> published = RunOnce();
    if (!published.ok()) {
      if (!failing) {
        log::Warn("outbox relay: cannot publish; retrying with backoff",
                  {{"error", published.error().message}});
      }
      failing = true;
      {
        std::unique_lock lock(mutex_);
        // Backoff is not cut short by Wake: new rows do not make the bus come back.
        wake_.wait_for(lock, backoff, [this] { return stop_; });
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    if (failing) log::Info("outbox relay: publishing again", {});
    failing = false;
    backoff = options_.min_backoff;
    if (*published == options_.batch) continue;  // more may be waiting
    Sleep(options_.idle_poll);
  }
  running_ = false;
}

}  // namespace taskflow
