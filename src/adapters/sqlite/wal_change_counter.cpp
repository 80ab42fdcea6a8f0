#include "adapters/sqlite/wal_change_counter.hpp"

#include <string_view>

#include "adapters/sqlite/sqlite_connection.hpp"

namespace taskflow::sqlite {
namespace {

constexpr int kWalIndexRegionBytes = 32768;  // SQLite's WALINDEX_PGSZ
// WalIndexHdr: u32 iVersion, u32 unused, u32 iChange, … (copy 0 at offset 0).
constexpr std::size_t kChangeCounterOffset = 8;

}  // namespace

std::unique_ptr<WalChangeCounter> WalChangeCounter::Open(Connection& connection) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(connection.handle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) !=
          SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return nullptr;
  }
  {
    ScopedStatement mode = connection.Prepare("PRAGMA journal_mode");
    if (!mode->Step() || mode->TextView(0) != "wal") return nullptr;
  }
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
