#include "adapters/bus/in_process_bus.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <utility>

namespace taskflow {
namespace {

class InProcessSubscription final : public EventSubscription {
 public:
  InProcessSubscription(InProcessBus& bus, std::string group, std::vector<std::string> topics,
                        SubscriptionKind kind)
      : bus_(bus), group_(std::move(group)), topics_(std::move(topics)), kind_(kind) {
    // A live subscription starts at the head as of now, not as of its first
    // Poll: what is written after Subscribe returns must reach it. Should the
    // store fail here, the first Poll tries again.
    if (kind_ == SubscriptionKind::kLive) (void)LoadCursors();
  }

  Result<std::vector<BusMessage>> Poll(std::chrono::milliseconds timeout) override {
    if (!loaded_) {
      Status loaded = LoadCursors();
      if (!loaded.ok()) return std::move(loaded).take_error();
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      woken_ = false;
      const std::uint64_t seen = bus_.generation();
      Result<std::vector<BusMessage>> messages = ReadNext();
      if (!messages.ok() || !messages->empty()) return messages;
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return messages;
      // Another process may publish too: look again at least every poll_interval.
      bus_.WaitForPublish(seen, std::min(deadline, now + bus_.options().poll_interval),
                          [this] { return woken_.load(); });
      if (woken_) return std::vector<BusMessage>{};
    }
  }

  Status Commit(const BusMessage& message) override {
    // A live cursor lives in memory only: no consumer_offsets row, so a
    // replica that is gone holds no outbox row back and leaves nothing behind.
    if (kind_ == SubscriptionKind::kLive) return {};
    return bus_.store().Write([&](StoreWriter& tx) -> Status {
      tx.SetConsumerOffset(group_, message.topic, message.offset);
      return {};
    });
  }

  void Wake() override {
    woken_ = true;
    bus_.NotifyAll();
  }

 private:
  Status LoadCursors() {
    Status status = bus_.store().Read([&](StoreReader& tx) -> Status {
      for (const std::string& topic : topics_) {
        fetched_[topic] = kind_ == SubscriptionKind::kLive ? tx.OutboxHead(topic)
                                                           : tx.ConsumerOffset(group_, topic);
      }
      return {};
    });
    if (status.ok()) loaded_ = true;
    return status;
  }

  // The published rows after each topic's fetch position, merged in outbox
  // (commit) order.
  Result<std::vector<BusMessage>> ReadNext() {
    std::vector<BusMessage> messages;
    Status status = bus_.store().Read([&](StoreReader& tx) -> Status {
      for (const std::string& topic : topics_) {
        for (OutboxRecord& record :
             tx.PublishedOutbox(topic, fetched_[topic], bus_.options().batch)) {
          messages.push_back(BusMessage{.topic = std::move(record.topic),
                                        .key = std::move(record.key),
                                        .event_id = std::move(record.event_id),
                                        .payload = std::move(record.payload),
                                        .partition = 0,
                                        .offset = record.id});
        }
      }
      return {};
    });
    if (!status.ok()) return std::move(status).take_error();
    std::sort(messages.begin(), messages.end(),
              [](const BusMessage& a, const BusMessage& b) { return a.offset < b.offset; });
    for (const BusMessage& message : messages) {
      fetched_[message.topic] = std::max(fetched_[message.topic], message.offset);
    }
    return messages;
  }

  InProcessBus& bus_;
  const std::string group_;
  const std::vector<std::string> topics_;
  const SubscriptionKind kind_;
  bool loaded_ = false;
  std::map<std::string, std::int64_t> fetched_;  // topic → last outbox id returned
  std::atomic<bool> woken_{false};
};

}  // namespace

InProcessBus::InProcessBus(Store& store, Clock& clock, InProcessBusOptions options)
    : store_(store), clock_(clock), options_(options) {}

// The rows are the log: the relay's committed mark makes them visible.
Status InProcessBus::Publish(const std::vector<OutboxRecord>&) { return {}; }

void InProcessBus::MarkedPublished(const std::vector<OutboxRecord>&) { NotifyAll(); }

std::unique_ptr<EventSubscription> InProcessBus::Subscribe(const std::string& group,
                                                           const std::vector<std::string>& topics,
                                                           SubscriptionKind kind) {
  return std::make_unique<InProcessSubscription>(*this, group, topics, kind);
}

Status InProcessBus::PublishDeadLetter(const DeadLetter& letter) {
  DeadLetter stamped = letter;
  stamped.created_at = clock_.Now();
  return store_.Write([&](StoreWriter& tx) -> Status {
    tx.InsertDeadLetter(stamped);
    return {};
  });
}

std::uint64_t InProcessBus::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void InProcessBus::NotifyAll() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  published_.notify_all();
}

}  // namespace taskflow
