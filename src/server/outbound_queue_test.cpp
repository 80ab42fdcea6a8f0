#include "server/outbound_queue.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace taskflow {
namespace {

using ::testing::ElementsAre;
using Offer = OutboundQueue::Offer;

TEST(OutboundQueueTest, HandsOverFramesInOrderAndWakesOncePerBatch) {
  int wakes = 0;
  OutboundQueue queue({.max_frames = 10, .max_bytes = 100}, [&] { ++wakes; });
  EXPECT_EQ(queue.Push("a"), Offer::kQueued);
  EXPECT_EQ(queue.Push("bb"), Offer::kQueued);
  EXPECT_EQ(wakes, 1);  // the writer is already told
  EXPECT_EQ(queue.size(), 2u);
  EXPECT_EQ(queue.bytes(), 3u);
  EXPECT_THAT(queue.TakeAll(), ElementsAre("a", "bb"));
  EXPECT_EQ(queue.size(), 0u);
  EXPECT_EQ(queue.bytes(), 0u);
  EXPECT_TRUE(queue.TakeAll().empty());
  EXPECT_EQ(queue.Push("c"), Offer::kQueued);
  EXPECT_EQ(wakes, 2);  // a new batch after the take
}

TEST(OutboundQueueTest, OverflowsPastTheFrameBoundAndThenRefusesEverything) {
  int wakes = 0;
  OutboundQueue queue({.max_frames = 2, .max_bytes = 100}, [&] { ++wakes; });
  EXPECT_EQ(queue.Push("1"), Offer::kQueued);
  EXPECT_EQ(queue.Push("2"), Offer::kQueued);
  EXPECT_FALSE(queue.overflowed());
  EXPECT_EQ(queue.Push("3"), Offer::kOverflow);
  EXPECT_TRUE(queue.overflowed());
  EXPECT_EQ(wakes, 2);                   // the overflow wakes the writer even with a wake pending
  EXPECT_TRUE(queue.TakeAll().empty());  // nothing more is sent: the connection closes
  EXPECT_EQ(queue.Push("4"), Offer::kClosed);
  EXPECT_EQ(wakes, 2);
}

TEST(OutboundQueueTest, OverflowsPastTheByteBound) {
  OutboundQueue queue({.max_frames = 100, .max_bytes = 10}, [] {});
  EXPECT_EQ(queue.Push("12345"), Offer::kQueued);
  EXPECT_EQ(queue.Push("12345"), Offer::kQueued);  // exactly at the bound
  EXPECT_EQ(queue.Push("x"), Offer::kOverflow);
  EXPECT_TRUE(queue.overflowed());
}

TEST(OutboundQueueTest, AFrameLargerThanTheByteBoundOverflowsAnEmptyQueue) {
  OutboundQueue queue({.max_frames = 100, .max_bytes = 10}, [] {});
  EXPECT_EQ(queue.Push(std::string(11, 'x')), Offer::kOverflow);
}

TEST(OutboundQueueTest, TakingMakesRoomAgain) {
  OutboundQueue queue({.max_frames = 1, .max_bytes = 100}, [] {});
  EXPECT_EQ(queue.Push("1"), Offer::kQueued);
  queue.TakeAll();
  EXPECT_EQ(queue.Push("2"), Offer::kQueued);
  EXPECT_FALSE(queue.overflowed());
}

TEST(OutboundQueueTest, AfterCloseNothingIsQueuedAndNoWakeIsCalled) {
  int wakes = 0;
  OutboundQueue queue({.max_frames = 10, .max_bytes = 100}, [&] { ++wakes; });
  queue.Close();
  queue.Close();  // idempotent
  EXPECT_EQ(queue.Push("a"), Offer::kClosed);
  EXPECT_EQ(wakes, 0);
  EXPECT_FALSE(queue.overflowed());
  EXPECT_TRUE(queue.TakeAll().empty());
}

TEST(OutboundQueueTest, ConcurrentProducersNeverExceedTheBound) {
  constexpr std::size_t kBound = 50;
  OutboundQueue queue({.max_frames = kBound, .max_bytes = 1 << 20}, [] {});
  std::vector<std::thread> producers;
  std::atomic<int> queued{0};
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (queue.Push("frame") == Offer::kQueued) ++queued;
      }
    });
  }
  for (auto& producer : producers) producer.join();
  EXPECT_EQ(queued.load(), static_cast<int>(kBound));
  EXPECT_TRUE(queue.overflowed());
}

}  // namespace
}  // namespace taskflow
