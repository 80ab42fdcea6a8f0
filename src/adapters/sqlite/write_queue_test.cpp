#include "adapters/sqlite/write_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace taskflow::sqlite {
namespace {

// A StoreWriter is never touched by these runners: the works are only identified.
Status Succeed(StoreWriter&) { return {}; }

// A runner that records its batches and can hold the first one until released.
class RecordingRunner {
 public:
  void operator()(std::span<PendingWrite* const> batch) {
    std::unique_lock lock(mutex_);
    batch_sizes_.push_back(batch.size());
    started_.notify_all();
    if (batch_sizes_.size() == 1) released_.wait(lock, [&] { return release_; });
    for (PendingWrite* pending : batch) {
      // Odd-numbered works fail: each caller must get its own status.
      const bool odd = (index_++ % 2) == 1;
      pending->status = odd ? Status(Error::Conflict("odd")) : Status{};
    }
  }
  void WaitForFirstBatch() {
    std::unique_lock lock(mutex_);
    started_.wait(lock, [&] { return !batch_sizes_.empty(); });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    release_ = true;
    released_.notify_all();
  }
  std::vector<std::size_t> batch_sizes() {
    std::lock_guard lock(mutex_);
    return batch_sizes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable started_;
  std::condition_variable released_;
  bool release_ = false;
  int index_ = 0;
  std::vector<std::size_t> batch_sizes_;
};

TEST(WriteQueueTest, ALoneWriteRunsAtOnceAsABatchOfOne) {
  RecordingRunner runner;
  runner.Release();
  WriteQueue queue([&](std::span<PendingWrite* const> batch) { runner(batch); }, 8);
  const WriteWork work = Succeed;
  EXPECT_TRUE(queue.Submit(work).ok());
  EXPECT_FALSE(queue.Submit(work).ok()) << "the runner fails every second write";
  EXPECT_EQ(runner.batch_sizes(), (std::vector<std::size_t>{1, 1}));
}

// Waits until `count` writes are queued behind the held first batch.
void WaitUntilQueued(const WriteQueue& queue, std::size_t count) {
  while (queue.waiting() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST(WriteQueueTest, WritesArrivingDuringABatchShareTheNextOneAndKeepTheirOwnStatus) {
  RecordingRunner runner;
  WriteQueue queue([&](std::span<PendingWrite* const> batch) { runner(batch); }, 64);
  const WriteWork work = Succeed;
  std::thread first([&] { EXPECT_TRUE(queue.Submit(work).ok()); });
  runner.WaitForFirstBatch();

  constexpr int kWaiting = 6;
  std::vector<Status> results(kWaiting);
  std::vector<std::thread> waiting;
  for (int i = 0; i < kWaiting; ++i) {
    waiting.emplace_back([&, i] { results[i] = queue.Submit(work); });
  }
  WaitUntilQueued(queue, kWaiting);
  runner.Release();
  first.join();
  for (auto& thread : waiting) thread.join();

  const std::vector<std::size_t> sizes = runner.batch_sizes();
  ASSERT_EQ(sizes.size(), 2u) << "the six waiting writes should share one transaction";
  EXPECT_EQ(sizes[1], static_cast<std::size_t>(kWaiting));
  int failed = 0;
  for (const Status& status : results) failed += status.ok() ? 0 : 1;
  EXPECT_EQ(failed, kWaiting / 2);
}

TEST(WriteQueueTest, ABatchNeverExceedsItsBound) {
  RecordingRunner runner;
  WriteQueue queue([&](std::span<PendingWrite* const> batch) { runner(batch); }, 2);
  const WriteWork work = Succeed;
  std::thread first([&] { (void)queue.Submit(work); });
  runner.WaitForFirstBatch();
  std::vector<std::thread> waiting;
  for (int i = 0; i < 5; ++i) waiting.emplace_back([&] { (void)queue.Submit(work); });
  WaitUntilQueued(queue, 5);
  runner.Release();
  first.join();
  for (auto& thread : waiting) thread.join();

  std::size_t total = 0;
  for (std::size_t size : runner.batch_sizes()) {
    EXPECT_LE(size, 2u);
    total += size;
  }
  EXPECT_EQ(total, 6u);
}

// A work whose outcome the runner reads off it (never called: no StoreWriter).
struct ScriptedWork {
  bool fail = false;
  Status operator()(StoreWriter&) const { return {}; }
};

// Many threads at once, small batches: every write runs exactly once, in a
// batch within the bound, and its caller gets its own status (the work
// decides it here), whoever led the batch that ran it.
TEST(WriteQueueTest, ManyWritersEachGetTheirOwnResultOnce) {
  constexpr int kThreads = 16;
  constexpr int kWritesEach = 200;
  std::mutex mutex;
  std::size_t largest_batch = 0;
  std::size_t runs = 0;
  WriteQueue queue(
      [&](std::span<PendingWrite* const> batch) {
        {
          std::lock_guard lock(mutex);
          largest_batch = std::max(largest_batch, batch.size());
          runs += batch.size();
        }
        for (PendingWrite* pending : batch) {
          const auto* scripted = pending->work->target<ScriptedWork>();
          pending->status = scripted->fail ? Status(Error::Conflict("no")) : Status{};
        }
      },
      4);
  std::vector<int> wrong(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const bool fail = (t + i) % 3 == 0;
        const WriteWork work = ScriptedWork{.fail = fail};
        if (queue.Submit(work).ok() == fail) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(runs, static_cast<std::size_t>(kThreads * kWritesEach));
  EXPECT_LE(largest_batch, 4u);
  EXPECT_EQ(queue.waiting(), 0u);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace taskflow::sqlite
