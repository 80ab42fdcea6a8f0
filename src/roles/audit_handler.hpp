// audit-service: every task-event into the activity log, once.
#pragma once

#include "roles/event_handler.hpp"

namespace taskflow {

class AuditHandler final : public EventHandler {
 public:
  std::string group() const override;
  std::vector<std::string> topics() const override;
  Status Apply(StoreWriter& tx, const BusMessage& message) override;
};

}  // namespace taskflow
