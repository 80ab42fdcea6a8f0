// What a consumer does with one message. ConsumerRunner calls it; the handler
// never sees retries, offsets or dead letters.
#pragma once

#include <string>
#include <vector>

#include "domain/result.hpp"
#include "ports/event_bus.hpp"
#include "ports/store.hpp"

namespace taskflow {

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual std::string group() const = 0;  // the consumer group, e.g. "audit-service"
  virtual std::vector<std::string> topics() const = 0;
  // kLive for a handler every process must run on every message (with a
  // group of its own); see SubscriptionKind.
  virtual SubscriptionKind subscription() const { return SubscriptionKind::kDurable; }

  // Side effects outside the database (a webhook, a live push), before the
  // transaction below: at least once.
  virtual Status Deliver(const BusMessage& message) {
    (void)message;
    return {};
  }
  // Side effects in the database, inside the transaction that records the
  // event processed: exactly once.
  virtual Status Apply(StoreWriter& tx, const BusMessage& message) {
    (void)tx, (void)message;
    return {};
  }
  // False when Apply does nothing for this message: with RecordsProcessed
  // also false, the runner then opens no write transaction for it at all.
  // Must be cheap (no decoding); when unsure, true.
  virtual bool Applies(const BusMessage& message) const {
    (void)message;
    return true;
  }
  // False for messages whose effect is ephemeral (a wake-up, a live push):
  // no processed_events row is written for them.
  virtual bool RecordsProcessed(const BusMessage& message) const {
    (void)message;
    return true;
  }
};

}  // namespace taskflow
