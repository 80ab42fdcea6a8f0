// recurring-task-service: on "completed" of a recurring task, creates its next
// occurrence (CreateNextOccurrence, app) and appends its "created" events, in
// the transaction that records the event processed. Exactly once: the
// processed_events row and the unique previous_occurrence_id both say so, and
// a completion whose occurrence the API made inline was recorded processed
// in that same transaction (TaskServiceOptions::inline_next_occurrence).
#pragma once

#include "ports/clock.hpp"
#include "ports/id_generator.hpp"
#include "roles/event_handler.hpp"

namespace taskflow {

// Applies is left true: every message is recorded processed, so its
// transaction runs whatever the type, and telling a completion apart means
// decoding the payload, which Apply does anyway.
class RecurringHandler final : public EventHandler {
 public:
  RecurringHandler(Clock& clock, IdGenerator& ids) : clock_(clock), ids_(ids) {}
  std::string group() const override;
  std::vector<std::string> topics() const override;
  Status Apply(StoreWriter& tx, const BusMessage& message) override;

 private:
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace taskflow
