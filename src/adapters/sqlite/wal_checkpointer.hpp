// Moves WAL checkpoints off the write path.
//
// By default SQLite checkpoints inside the commit that pushes the WAL past
// 1,000 pages: that writer copies the pages into the database file and
// fsyncs it while every other write waits behind it (a profile of the POST
// benchmark showed pwrite + fdatasync at ~40% of the server's time). Here the
// writer connection's WAL hook only signals a background thread, which runs
// PASSIVE checkpoints on its own connection (PASSIVE never blocks readers or
// the writer). As a backstop, should the thread fall far behind, the writer
// itself waits for a RESTART checkpoint, which bounds the WAL (it first waits
// for a checkpoint of the thread to end: SQLite would answer BUSY at once; a
// checkpoint of another process can still put the bound off).
//
// Around each checkpoint it calls the store's SnapshotHooks: a read snapshot
// kept by a reader connection pins the WAL frames it may still read, so no
// checkpoint of any process could copy past it or start the WAL over. Before:
// the store ends its idle readers' snapshots and keeps no new one (a reader
// that began one while a RESTART waits would otherwise keep it, since no
// commit comes to end it, and the RESTART would wait for the next release);
// after: it keeps them again. At least once a second it does both at once, for
// the checkpoints of other processes.
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

// Both run on the checkpointer's thread or inside the writer's commit: they
// must not throw nor use the writer.
struct SnapshotHooks {
  std::function<void()> before_checkpoint = [] {};
  std::function<void()> after_checkpoint = [] {};
};

class WalCheckpointer {
 public:
  // Signals a checkpoint once the WAL holds `threshold_pages`; checkpoints
  // inline on the writer beyond `backstop_pages`. Installs the WAL hook on
  // `writer` (which must outlive this object and use it from one thread at a
  // time, as every Connection) and opens its own connection to `path`.
  // Throws StoreFailure when the connection cannot be opened.
  WalCheckpointer(const std::string& path, Connection& writer, int threshold_pages,
                  int backstop_pages, SnapshotHooks hooks = {});
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
  // One checkpoint of `mode` on `db`, one at a time (running_), between the
  // snapshot hooks. Returns SQLite's result code.
  int Checkpoint(sqlite3* db, const char* schema, int mode);

  std::unique_ptr<Connection> connection_;
  sqlite3* writer_;
  const int threshold_pages_;
  const int backstop_pages_;
  const SnapshotHooks hooks_;
  // Held while this object's thread or the writer's backstop checkpoints.
  std::mutex running_;
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
