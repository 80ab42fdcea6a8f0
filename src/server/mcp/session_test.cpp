#include "server/mcp/session.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "server/response_stream.hpp"

namespace taskflow::mcp {
namespace {

TEST(SessionTest, ProtocolVersionsWeSpeak) {
  EXPECT_TRUE(IsSupportedProtocolVersion("2025-11-25"));
  EXPECT_TRUE(IsSupportedProtocolVersion("2025-06-18"));
  EXPECT_TRUE(IsSupportedProtocolVersion("2025-03-26"));
  EXPECT_FALSE(IsSupportedProtocolVersion("2024-11-05"));
  EXPECT_FALSE(IsSupportedProtocolVersion(""));
}

TEST(SessionTest, LogLevelsParseAndFilter) {
  EXPECT_EQ(ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(ParseLogLevel("emergency"), LogLevel::kEmergency);
  EXPECT_FALSE(ParseLogLevel("warn"));
  EXPECT_FALSE(ParseLogLevel("INFO"));
  EXPECT_EQ(ToString(LogLevel::kNotice), "notice");
  Session session("s", "u", "2025-11-25");
  EXPECT_FALSE(session.Wants(LogLevel::kEmergency)) << "nothing until the client asks";
  session.set_log_level(LogLevel::kWarning);
  EXPECT_FALSE(session.Wants(LogLevel::kInfo));
  EXPECT_TRUE(session.Wants(LogLevel::kWarning));
  EXPECT_TRUE(session.Wants(LogLevel::kError));
}

TEST(SessionTest, IdsAreRandomHex) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = RandomSessionId();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(SessionRegistryTest, FindsASessionOnlyForItsUser) {
  SessionRegistry registry;
  auto session = registry.Create("alice", "2025-06-18");
  EXPECT_EQ(session->protocol_version(), "2025-06-18");
  EXPECT_EQ(registry.Find(session->id(), "alice"), session);
  EXPECT_EQ(registry.Find(session->id(), "bob"), nullptr);
  EXPECT_EQ(registry.Find("unknown", "alice"), nullptr);
  EXPECT_FALSE(registry.Remove(session->id(), "bob"));
  EXPECT_TRUE(registry.Remove(session->id(), "alice"));
  EXPECT_EQ(registry.Find(session->id(), "alice"), nullptr);
  EXPECT_FALSE(registry.Remove(session->id(), "alice"));
  EXPECT_EQ(registry.size(), 0u);
}

TEST(SessionRegistryTest, ACollidingIdIsDrawnAgain) {
  int calls = 0;
  SessionRegistry registry(10, std::chrono::hours(1), [&calls] {
    ++calls;
    return calls <= 2 ? std::string("same") : std::string("other");
  });
  EXPECT_EQ(registry.Create("u", "v")->id(), "same");
  EXPECT_EQ(registry.Create("u", "v")->id(), "other");
}

TEST(SessionRegistryTest, BeyondTheCapTheLeastRecentlyUsedGoes) {
  SessionRegistry registry(2, std::chrono::hours(1));
  auto first = registry.Create("u", "v");
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = registry.Create("u", "v");
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  registry.Find(first->id(), "u");  // first is now the most recent
  auto third = registry.Create("u", "v");
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_NE(registry.Find(first->id(), "u"), nullptr);
  EXPECT_EQ(registry.Find(second->id(), "u"), nullptr);
  EXPECT_NE(registry.Find(third->id(), "u"), nullptr);
}

TEST(SessionRegistryTest, IdleSessionsGoFirst) {
  SessionRegistry registry(2, std::chrono::milliseconds(0));
  auto first = registry.Create("u", "v");
  auto second = registry.Create("u", "v");
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  registry.Create("u", "v");
  EXPECT_EQ(registry.size(), 1u) << "both idle sessions were dropped";
}

TEST(SessionTest, StreamsCarryBroadcastsAndCloseWithTheSession) {
  SessionRegistry registry;
  auto session = registry.Create("u", "v");
  auto a = std::make_shared<ResponseStream>();
  auto b = std::make_shared<ResponseStream>();
  session->AddStream(a);
  session->AddStream(b);
  EXPECT_EQ(session->open_streams(), 2u);
  EXPECT_EQ(session->Broadcast("event"), 2u);
  EXPECT_EQ(a->Take().data, "event");
  b->Abandon();  // its client went away
  EXPECT_EQ(session->open_streams(), 1u);
  EXPECT_EQ(session->Broadcast("next"), 1u);
  registry.Remove(session->id(), "u");
  ResponseStream::Batch last = a->Take();
  EXPECT_EQ(last.data, "next");
  EXPECT_TRUE(last.closed);
  EXPECT_EQ(session->open_streams(), 0u);
}

}  // namespace
}  // namespace taskflow::mcp
