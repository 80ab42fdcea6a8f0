// The events a test server really produced, read from its SQLite file (the
// outbox is the log), and the record of them that tests/contract checks
// against schemas/events/ (one JSON line per message).
#pragma once

#include <string>
#include <vector>

namespace taskflow::integration {

// The rows of `sql` (no parameters) on the SQLite file at `path`, each
// column as text ("NULL" for null). Fails the test on an error.
std::vector<std::vector<std::string>> QuerySqlite(const std::string& path, const std::string& sql);

// Runs `sql` (no result) on the SQLite file at `path`.
void ExecSqlite(const std::string& path, const std::string& sql);

// The file of a "sqlite:///…" database URL; empty for other backends.
std::string SqlitePathOf(const std::string& database_url);

struct OutboxRow {
  long long id = 0;
  std::string topic;
  std::string key;
  std::string event_id;
  std::string payload;
  bool published = false;
};
std::vector<OutboxRow> ReadOutbox(const std::string& path);

// Where events are recorded: $TASKFLOW_EVENTS_LOG, else events.jsonl beside
// $TASKFLOW_CONTRACT_LOG, else nowhere (empty).
std::string EventsLogPath();

// Appends every outbox message of the database at `path` to EventsLogPath().
void RecordEvents(const std::string& path);

}  // namespace taskflow::integration
