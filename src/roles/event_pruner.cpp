#include "roles/event_pruner.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "adapters/system/logging.hpp"

namespace taskflow {

EventPruner::EventPruner(Store& store, Clock& clock, PruningOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

EventPruner::~EventPruner() { Stop(); }

void EventPruner::Start() {
  {
    std::lock_guard lock(mutex_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void EventPruner::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool EventPruner::stopping() {
  std::lock_guard lock(mutex_);
  return stop_;
}

Result<std::int64_t> EventPruner::Floor(const std::string& topic) {
  std::int64_t floor = std::numeric_limits<std::int64_t>::max();
  if (!options_.outbox_is_log) return floor;
  Status read = store_.Read([&](StoreReader& tx) -> Status {
    if (std::optional<std::int64_t> lowest = tx.LowestConsumerOffset(topic)) {
      floor = std::min(floor, *lowest);
    }
    for (const OutboxReader& reader : options_.readers) {
      if (reader.topic == topic) floor = std::min(floor, tx.ConsumerOffset(reader.group, topic));
    }
    return {};
  });
  if (!read.ok()) return std::move(read).take_error();
  return floor;
}

Status EventPruner::ForgetRetiredGroups() {
  if (options_.retired_groups.empty()) return {};
  return store_.Write([&](StoreWriter& tx) -> Status {
    for (const std::string& group : options_.retired_groups) tx.DeleteConsumerOffsets(group);
    return {};
  });
}

Result<PruneCounts> EventPruner::RunOnce() {
  PruneCounts counts;
  const Instant now = clock_.Now();
  if (Status forgot = ForgetRetiredGroups(); !forgot.ok()) return std::move(forgot).take_error();
  for (const std::string& topic : options_.topics) {
    Result<std::int64_t> floor = Floor(topic);
    if (!floor.ok()) return std::move(floor).take_error();
    for (int deleted = 1; deleted > 0 && !stopping();) {
      Status wrote = store_.Write([&](StoreWriter& tx) -> Status {
        deleted = tx.PruneOutbox(topic, *floor, now - options_.outbox_retention, options_.window);
        return {};
      });
      if (!wrote.ok()) return std::move(wrote).take_error();
      counts.outbox += deleted;
    }
  }
  for (int deleted = 1; deleted > 0 && !stopping();) {
    Status wrote = store_.Write([&](StoreWriter& tx) -> Status {
      deleted = tx.PruneProcessedEvents(now - options_.processed_retention, options_.window);
      return {};
    });
    if (!wrote.ok()) return std::move(wrote).take_error();
    counts.processed += deleted;
  }
  return counts;
}

void EventPruner::Loop() {
  while (true) {
    Result<PruneCounts> pruned = RunOnce();
    if (!pruned.ok()) {
      log::Warn("event pruner: cannot prune; trying again later",
                {{"error", pruned.error().message}});
    } else if (pruned->outbox > 0 || pruned->processed > 0) {
      log::Info("event pruner: pruned",
                {{"outbox", pruned->outbox}, {"processed_events", pruned->processed}});
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, options_.interval, [this] { return stop_; })) break;
  }
}

}  // namespace taskflow
