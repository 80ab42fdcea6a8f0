// The next occurrence of a recurring task: the one place it is made.
//
// TaskService::Complete calls it inside the transaction that completes the
// task when the process also runs the recurring role (standalone); otherwise
// the recurring-task consumer (roles/recurring_handler.hpp) calls it when it
// consumes the "completed" event. The REST answer of complete (200 with the
// completed task) is the same either way; docs/architecture.md, "The next
// occurrence: API or consumer, never both".
#pragma once

#include <optional>

#include "domain/task.hpp"
#include "domain/time.hpp"
#include "ports/id_generator.hpp"
#include "ports/store.hpp"

namespace taskflow {

enum class NextOccurrenceOutcome {
  kCreated,         // inserted, with its tags and reminders
  kAlreadyCreated,  // the task already had its next occurrence (the unique constraint said so)
  kSeriesEnded,     // until/count reached, or the schedule has no further occurrence
  kNotRecurring,    // no recurrence, not completed, or no due date
};

struct NextOccurrenceResult {
  NextOccurrenceOutcome outcome = NextOccurrenceOutcome::kNotRecurring;
  std::optional<Task> task;  // set for kCreated
};

// Creates the next occurrence of `completed` (a completed recurring task, as
// stored) inside the write transaction `tx`: MakeNextOccurrence (domain)
// computes it, `ids` names it and its reminders, the store inserts it unless
// it exists. `now` is its creation time. Idempotent: a second call for the
// same task answers kAlreadyCreated and writes nothing.
NextOccurrenceResult CreateNextOccurrence(StoreWriter& tx, IdGenerator& ids, const Task& completed,
                                          Instant now);

}  // namespace taskflow
