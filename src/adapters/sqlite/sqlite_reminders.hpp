// Private to the SQLite adapter: the task_reminders rows of a task (migration
// 3). A task's reminders are stored at positions 0..n-1 in the order of
// Task::reminders; the store writes them in the same transaction as the task.
// Failures are thrown as StoreFailure (see sqlite_connection.hpp).
#pragma once

#include <string_view>
#include <vector>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "domain/task.hpp"

namespace taskflow::sqlite {

// Inserts every reminder of `task` (each must have an id).
void InsertReminders(Connection& db, const Task& task);

// Makes the stored reminders of `task` equal to task.reminders. Writes
// nothing when they already are, updates rows in place when only their
// planning changed, and rewrites the list otherwise.
void SyncReminders(Connection& db, const Task& task);

}  // namespace taskflow::sqlite
