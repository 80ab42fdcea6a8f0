#include "server/response_stream.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace taskflow {
namespace {

TEST(ResponseStreamTest, TakesWhatWasSentInOrderAndWakesTheTransport) {
  ResponseStream stream;
  int wakes = 0;
  stream.Attach([&wakes] { ++wakes; });
  EXPECT_TRUE(stream.Send("a"));
  EXPECT_TRUE(stream.Send("b"));
  EXPECT_EQ(wakes, 2);
  ResponseStream::Batch batch = stream.Take();
  EXPECT_EQ(batch.data, "ab");
  EXPECT_FALSE(batch.closed);
  EXPECT_EQ(stream.Take().data, "");
}

TEST(ResponseStreamTest, DataSentBeforeTheTransportAttachesIsKept) {
  ResponseStream stream;
  EXPECT_TRUE(stream.Send("early"));
  stream.Attach([] {});
  EXPECT_EQ(stream.Take().data, "early");
}

TEST(ResponseStreamTest, CloseEndsAfterPendingDataAndRefusesMore) {
  ResponseStream stream;
  int wakes = 0;
  stream.Attach([&wakes] { ++wakes; });
  stream.Send("last");
  stream.Close();
  stream.Close();  // idempotent
  EXPECT_EQ(wakes, 2);
  EXPECT_TRUE(stream.finished());
  EXPECT_FALSE(stream.Send("late"));
  ResponseStream::Batch batch = stream.Take();
  EXPECT_EQ(batch.data, "last");
  EXPECT_TRUE(batch.closed);
}

TEST(ResponseStreamTest, AbandonDropsDataRunsTheCallbackOnceAndRefusesMore) {
  ResponseStream stream;
  int abandoned = 0;
  stream.OnAbandoned([&abandoned] { ++abandoned; });
  stream.Send("never written");
  stream.Abandon();
  stream.Abandon();
  EXPECT_EQ(abandoned, 1);
  EXPECT_TRUE(stream.finished());
  EXPECT_FALSE(stream.Send("x"));
  EXPECT_EQ(stream.Take().data, "");
}

TEST(ResponseStreamTest, ACallbackRegisteredAfterAbandonRunsAtOnce) {
  ResponseStream stream;
  stream.Abandon();
  bool ran = false;
  stream.OnAbandoned([&ran] { ran = true; });
  EXPECT_TRUE(ran);
}

TEST(ResponseStreamTest, HeartbeatSettingsAreKept) {
  ResponseStream stream(": ping\n\n", std::chrono::milliseconds(250));
  EXPECT_EQ(stream.heartbeat(), ": ping\n\n");
  EXPECT_EQ(stream.heartbeat_every(), std::chrono::milliseconds(250));
  EXPECT_TRUE(ResponseStream().heartbeat().empty());
}

TEST(ResponseStreamTest, ConcurrentSendersLoseNothing) {
  ResponseStream stream;
  std::atomic<int> wakes{0};
  stream.Attach([&wakes] { ++wakes; });
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&stream] {
      for (int i = 0; i < 1000; ++i) stream.Send("x");
    });
  }
  std::string received;
  while (received.size() < 4000) received += stream.Take().data;
  for (auto& sender : senders) sender.join();
  received += stream.Take().data;
  EXPECT_EQ(received.size(), 4000u);
  EXPECT_EQ(wakes.load(), 4000);
}

}  // namespace
}  // namespace taskflow
