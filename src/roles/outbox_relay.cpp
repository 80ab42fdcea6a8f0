#include "roles/outbox_relay.hpp"

#include <algorithm>
#include <random>

#include "adapters/system/logging.hpp"

namespace taskflow {

namespace {

std::string RandomHolder() {
  std::random_device device;
  std::string holder = "relay-";
  constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 4; ++i) {
    const unsigned value = device();
    for (int shift = 28; shift >= 0; shift -= 4) holder += kHex[(value >> shift) & 0xF];
  }
  return holder;
}

}  // namespace

OutboxRelay::OutboxRelay(Store& store, EventBus& bus, Clock& clock, RelayOptions options)
    : store_(store), bus_(bus), clock_(clock), options_(options), holder_(RandomHolder()) {}

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
  ReleaseLease();
}

Result<bool> OutboxRelay::HoldLease() {
  const Instant now = clock_.Now();
  if (lease_until_ && now + options_.lease / 2 < *lease_until_) return true;
  const Instant until = now + options_.lease;
  bool taken = false;
  Status status = store_.Write([&](StoreWriter& tx) -> Status {
    taken = tx.TakeRelayLease(holder_, now, until);
    return {};
  });
  if (!status.ok()) return std::move(status).take_error();
  if (taken) {
    lease_until_ = until;
  } else {
    lease_until_.reset();
  }
  return taken;
}

// So that another replica's relay takes over at once rather than when the
// lease lapses. A failure only delays that.
void OutboxRelay::ReleaseLease() {
  if (!lease_until_) return;
  lease_until_.reset();
  (void)store_.Write([&](StoreWriter& tx) -> Status {
    tx.ReleaseRelayLease(holder_);
    return {};
  });
}

void OutboxRelay::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

Result<int> OutboxRelay::RunOnce() {
  Result<bool> leading = HoldLease();
  if (!leading.ok()) return std::move(leading).take_error();
  if (!*leading) return 0;
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
