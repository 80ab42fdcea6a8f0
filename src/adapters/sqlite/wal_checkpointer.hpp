// Moves WAL checkpoints off the write path.
//
// By default SQLite checkpoints inside the commit that pushes the WAL past
// 1,000 pages: that writer copies the pages into the database file and
// fsyncs it while every other write waits behind it (a profile of the POST
// benchmark showed pwrite + fdatasync at ~40% of the server's time). Here the
// writer connection's WAL hook only signals a background thread, which runs
// PASSIVE checkpoints on its own connection (PASSIVE never blocks readers or
// the writer). As a backstop, should the thread fall far behind, the writer
// itself waits for a RESTART checkpoint, which bounds the WAL.
//
// Before each checkpoint, and at least once a second, it calls
// `release_snapshots`, with which the store ends the read snapshots its idle
// reader connections keep: a snapshot pins the WAL frames it may still read,
// so no checkpoint of any process could copy past it or start the WAL over.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace taskflow::sqlite {

class Connection;

class WalCheckpointer {
 public:
  // Signals a checkpoint once the WAL holds `threshold_pages`; checkpoints
  // inline on the writer beyond `backstop_pages`. Installs the WAL hook on
  // `writer` (which must outlive this object and use it from one thread at a
  // time, as every Connection) and opens its own connection to `path`.
  // `release_snapshots` runs on the thread or on the writer (inside its
  // commit: it must not throw nor use the writer). Throws StoreFailure when
  // the connection cannot be opened.
  WalCheckpointer(const std::string& path, Connection& writer, int threshold_pages,
                  int backstop_pages, std::function<void()> release_snapshots = [] {});
  // Stops the thread; SQLite checkpoints what is left when the last
  // connection closes.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints completed by the thread so far (for tests).
  std::uint64_t completed() const;
  // True when a checkpoint has completed that started after the last signal
  // (for tests: everything committed before then has been checkpointed).
  bool caught_up() const;

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run();

  std::unique_ptr<Connection> connection_;
  sqlite3* writer_;
  const int threshold_pages_;
  const int backstop_pages_;
  const std::function<void()> release_snapshots_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t requests_ = 0;   // signals so far; guarded by mutex_
  std::uint64_t attempted_ = 0;  // requests_ when the last checkpoint began; guarded
  std::uint64_t served_ = 0;     // requests_ when the last good checkpoint began; guarded
  bool stopping_ = false;        // guarded by mutex_
  std::uint64_t completed_ = 0;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace taskflow::sqlite
