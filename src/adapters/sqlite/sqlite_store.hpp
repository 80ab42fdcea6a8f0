// Store adapter over an SQLite file in WAL mode.
//
// Connection strategy: one writer connection (SQLite allows a single writer;
// BEGIN IMMEDIATE takes the lock up front so a transaction never fails
// half-way on SQLITE_BUSY) whose concurrent callers share transactions
// (group commit, write_queue.hpp), WAL checkpoints on a background thread
// (wal_checkpointer.hpp), and a pool of read-only connections so reads
// run in parallel with each other and with the writer (WAL readers see the last
// committed snapshot). Statements are prepared once per connection and cached.
#pragma once

#include <memory>
#include <string>

#include "domain/result.hpp"
#include "ports/store.hpp"

namespace taskflow {

struct SqliteOptions {
  std::string path;          // database file; created (with its directory) if absent
  int read_connections = 4;  // size of the reader pool
  int busy_timeout_ms = 5000;
  // Keyword search of an owner with at most this many tasks scans the folded
  // text of their tasks (about 1–2 µs a task); beyond, it goes through the
  // trigram index, whose cost grows with the number of tasks of *all* users
  // sharing the query's trigrams (5–20 ms for common words among 100,000
  // tasks). 0: always the index.
  int search_scan_max_tasks = 2000;
  // Group commit: writes that wait for the writer while another transaction
  // runs share the next one, this many at most (1: a transaction per write).
  int max_write_batch = 64;
  // A background checkpoint once the WAL holds this many pages (4 KiB); the
  // writer checkpoints inline at four times as many (wal_checkpointer.hpp).
  // A long interval lets a page written many times be copied back once: on
  // the POST benchmark 16,000 (64 MiB) took 1.4–1.8k to 2.3–2.5k writes/s
  // over 2,000.
  int wal_checkpoint_pages = 16000;
  // Tasks kept decoded for the task list (task_cache.hpp), some 1 KiB each;
  // 0: none, every page reads its rows from the table.
  int task_cache_entries = 50000;
};

// Opens the database and checks that migrations are current (kUnavailable
// with a message naming `taskflow migrate up` otherwise).
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace taskflow
