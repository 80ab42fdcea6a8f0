// The next occurrence of a recurring task: the one place it is made.
//
// Today TaskService::Complete calls it inside the transaction that completes
// the task, so the occurrence exists as soon as the completion is answered.
// The recurring-task consumer (issue 4) will call the same function when it
// consumes a "completed" event instead; the REST answer of complete (200 with
// the completed task) does not change when it moves.
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
