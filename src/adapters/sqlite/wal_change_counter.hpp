// Tells, with one memory load and no lock, whether any connection of any
// process has committed to a WAL database since an earlier look.
//
// Why: a read transaction costs a GET by id about as much as its query (a
// BEGIN, a COMMIT, and the WAL read-mark and file locks, system calls among
// them). A reader connection whose last snapshot is still the newest state
// can answer from it without starting another, and this is how it knows.
//
// How: SQLite keeps the WAL index in the shared-memory file next to the
// database ("<db>-shm"), which every connection of every process maps. Its
// header (https://www.sqlite.org/walformat.html, "The WAL-Index Header",
// stable since WAL appeared in 3.7.0) holds iChange, a 32-bit counter the
// writer increments with every commit before it writes the header, copy 1
// first and copy 0 last. This maps the first page of that file read-only and
// loads copy 0's counter. SQLite's API has no equivalent: PRAGMA
// data_version and the data-version file control only move at the start of a
// transaction, and the snapshot interface is not in Debian's build.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace taskflow::sqlite {

class WalChangeCounter {
 public:
  // The counter of the WAL database at `database_path`, whose "-shm" file a
  // connection of this process must hold open (it exists while any
  // connection has the database open in WAL mode). nullptr when it cannot be
  // mapped: the caller then starts a transaction for every read, as usual.
  static std::unique_ptr<WalChangeCounter> Open(const std::string& database_path);
  ~WalChangeCounter();
  WalChangeCounter(const WalChangeCounter&) = delete;
  WalChangeCounter& operator=(const WalChangeCounter&) = delete;

  // The number of commits so far, modulo 2^32: equal values mean no commit
  // came between two loads. A commit whose header is being written may or may
  // not be seen yet; until it is, no reader can see its data either.
  std::uint32_t Load() const;

 private:
  WalChangeCounter(const void* mapping, std::size_t length);

  const void* mapping_;
  std::size_t length_;
};

}  // namespace taskflow::sqlite
