// Tells, with one memory load and no lock, whether any connection of any
// process has committed to a WAL database since an earlier look.
//
// Why: a read transaction costs a GET by id about as much as its query (a
// BEGIN, a COMMIT, and the WAL read-mark and file locks, system calls among
// them). A reader connection whose last snapshot is still the newest state
// can answer from it without starting another, and this is how it knows.
//
// How: SQLite keeps the WAL index in shared memory (the "-shm" file) that
// every connection of every process maps. Its header
// (https://www.sqlite.org/walformat.html, "The WAL-Index Header", stable
// since WAL appeared in 3.7.0) holds iChange, a 32-bit counter the writer
// increments with every commit before it writes the header, copy 1 first and
// copy 0 last. This asks the connection's VFS for the first region of that
// memory (xShmMap, SQLite's public VFS interface: SQLite's own mapping, so no
// file is opened here — closing a descriptor of the -shm file would drop the
// process's POSIX locks on it, SQLite's included) and loads copy 0's counter.
// SQLite's API has no equivalent: PRAGMA data_version and the data-version
// file control only move when a transaction starts, and the snapshot
// interface is not in Debian's build.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>

namespace taskflow::sqlite {

class Connection;

class WalChangeCounter {
 public:
  // The counter of the WAL database open on `connection`, valid while it
  // stays open; nullptr when its VFS has no shared memory for it (no WAL, an
  // old VFS): the caller then starts a transaction for every read, as usual.
  // Throws StoreFailure as the connection's statements do.
  static std::unique_ptr<WalChangeCounter> Open(Connection& connection);

  // The number of commits so far, modulo 2^32: equal values mean no commit
  // came between two loads. A commit whose header is being written may or may
  // not be seen yet; until it is, no reader can see its data either.
  std::uint32_t Load() const;

 private:
  explicit WalChangeCounter(const volatile void* wal_index) : wal_index_(wal_index) {}

  const volatile void* wal_index_;  // SQLite's mapping of the first WAL-index region
};

}  // namespace taskflow::sqlite
