#include "adapters/sqlite/wal_change_counter.hpp"

#include <string_view>

namespace taskflow::sqlite {
namespace {

constexpr int kWalIndexRegionBytes = 32768;  // SQLite's WALINDEX_PGSZ
// WalIndexHdr: u32 iVersion, u32 unused, u32 iChange, … (copy 0 at offset 0).
constexpr std::size_t kChangeCounterOffset = 8;

}  // namespace

std::unique_ptr<WalChangeCounter> WalChangeCounter::Open(sqlite3* db) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return nullptr;
  }
  char journal_mode[8] = {};
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* mode = sqlite3_column_text(statement, 0);
    for (std::size_t i = 0; mode != nullptr && mode[i] != 0 && i + 1 < sizeof journal_mode; ++i) {
      journal_mode[i] = static_cast<char>(mode[i]);
    }
  }
  sqlite3_finalize(statement);
  if (std::string_view(journal_mode) != "wal") return nullptr;
  // bExtend 0: only a region that exists; a WAL database has region 0 once
  // the connection has read it, which PRAGMA journal_mode did.
  volatile void* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kWalIndexRegionBytes, 0, &region) != SQLITE_OK ||
      region == nullptr) {
    return nullptr;
  }
  return std::unique_ptr<WalChangeCounter>(new WalChangeCounter(region));
}

std::uint32_t WalChangeCounter::Load() const {
  const auto* counter = reinterpret_cast<const volatile std::uint32_t*>(
      static_cast<const volatile unsigned char*>(wal_index_) + kChangeCounterOffset);
  // Acquire: what this thread reads next is at least as new as the count.
  return __atomic_load_n(counter, __ATOMIC_ACQUIRE);
}

}  // namespace taskflow::sqlite
