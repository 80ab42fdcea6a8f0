#include "adapters/sqlite/wal_change_counter.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace taskflow::sqlite {
namespace {

// WalIndexHdr: u32 iVersion, u32 unused, u32 iChange, … (copy 0 at offset 0).
constexpr std::size_t kChangeCounterOffset = 8;
constexpr std::size_t kMappedBytes = 4096;  // SQLite sizes the file in 32 KiB regions

}  // namespace

std::unique_ptr<WalChangeCounter> WalChangeCounter::Open(const std::string& database_path) {
  const int fd = ::open((database_path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat status {};
  void* mapping = MAP_FAILED;
  // A page past the end of the file would fault when touched.
  if (::fstat(fd, &status) == 0 && static_cast<std::size_t>(status.st_size) >= kMappedBytes) {
    mapping = ::mmap(nullptr, kMappedBytes, PROT_READ, MAP_SHARED, fd, 0);
  }
  ::close(fd);  // the mapping keeps the file
  if (mapping == MAP_FAILED) return nullptr;
  return std::unique_ptr<WalChangeCounter>(new WalChangeCounter(mapping, kMappedBytes));
}

WalChangeCounter::WalChangeCounter(const void* mapping, std::size_t length)
    : mapping_(mapping), length_(length) {}

WalChangeCounter::~WalChangeCounter() { ::munmap(const_cast<void*>(mapping_), length_); }

std::uint32_t WalChangeCounter::Load() const {
  const auto* counter = reinterpret_cast<const std::uint32_t*>(
      static_cast<const unsigned char*>(mapping_) + kChangeCounterOffset);
  // Acquire: what this thread reads next is at least as new as the count.
  return __atomic_load_n(counter, __ATOMIC_ACQUIRE);
}

}  // namespace taskflow::sqlite
