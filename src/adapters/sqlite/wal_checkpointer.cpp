#include "adapters/sqlite/wal_checkpointer.hpp"

#include <chrono>
#include <utility>

#include "adapters/sqlite/sqlite_connection.hpp"

namespace taskflow::sqlite {
namespace {

constexpr auto kReleaseInterval = std::chrono::seconds(1);

}  // namespace

WalCheckpointer::WalCheckpointer(const std::string& path, Connection& writer, int threshold_pages,
                                 int backstop_pages, SnapshotHooks hooks)
    : connection_(Connection::Open(ConnectionOptions{.path = path, .read_only = false})),
      writer_(writer.handle()),
      threshold_pages_(threshold_pages),
      backstop_pages_(backstop_pages),
      hooks_(std::move(hooks)) {
  // The hook replaces SQLite's auto-checkpoint on the writer. Our own
  // connection never writes, so its auto-checkpoint never fires.
  sqlite3_wal_hook(writer_, &WalCheckpointer::OnCommit, this);
  thread_ = std::thread([this] { Run(); });
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool WalCheckpointer::caught_up() const {
  std::lock_guard lock(mutex_);
  return served_ == requests_;
}

std::uint64_t WalCheckpointer::completed() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

// Called by SQLite on the writer's thread after each commit: a C callback, so
// nothing may throw out of it (nothing here throws; the hooks must not).
int WalCheckpointer::OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (wal_pages >= checkpointer->backstop_pages_) {
    // The thread is not keeping up (slow I/O, long readers): this writer
    // waits (busy timeout) for a checkpoint that copies everything and
    // restarts the WAL, which bounds its size whatever the timing. SQLite
    // answers BUSY at once, without waiting, while another checkpoint runs:
    // the thread's own is waited for here.
    checkpointer->Checkpoint(db, schema, SQLITE_CHECKPOINT_RESTART);
    return SQLITE_OK;
  }
  if (wal_pages >= checkpointer->threshold_pages_) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      ++checkpointer->requests_;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

int WalCheckpointer::Checkpoint(sqlite3* db, const char* schema, int mode) {
  std::lock_guard running(running_);
  hooks_.before_checkpoint();
  const int rc = sqlite3_wal_checkpoint_v2(db, schema, mode, nullptr, nullptr);
  hooks_.after_checkpoint();
  return rc;
}

void WalCheckpointer::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    // A failed attempt waits for the next signal rather than spinning.
    const bool signalled = wake_.wait_for(
        lock, kReleaseInterval, [&] { return attempted_ != requests_ || stopping_; });
    if (stopping_) return;
    if (!signalled) {
      // Quiet here, but another process may be writing: a snapshot kept by
      // an idle reader of ours would hold its checkpoints back.
      lock.unlock();
      hooks_.before_checkpoint();
      hooks_.after_checkpoint();
      lock.lock();
      continue;
    }
    const std::uint64_t serving = attempted_ = requests_;
    lock.unlock();
    // A failure (SQLITE_BUSY when another checkpoint runs, I/O) leaves the
    // WAL as it is: the next signal, or the backstop, tries again.
    const int rc = Checkpoint(connection_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE);
    lock.lock();
    if (rc == SQLITE_OK) {
      ++completed_;
      served_ = serving;
    }
  }
}

}  // namespace taskflow::sqlite
