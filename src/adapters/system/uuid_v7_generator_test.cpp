#include "adapters/system/uuid_v7_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/system/system_clock.hpp"
#include "ports/manual_clock.hpp"

namespace taskflow {
namespace {

using namespace std::chrono_literals;

// 2026-11-26T19:48:13.123Z
constexpr long long kStartMs = 1'795'722'493'123LL;

std::uint64_t HexValue(std::string_view hex) {
  std::uint64_t value = 0;
  for (char c : hex) {
    value = value * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  return value;
}

std::string WithoutDashes(const std::string& id) {
  std::string hex;
  for (char c : id) {
    if (c != '-') hex.push_back(c);
  }
  return hex;
}

TEST(UuidV7GeneratorTest, CanonicalLowerCaseTextWithVersionAndVariant) {
  ManualClock clock(FromUnixMillis(kStartMs));
  UuidV7Generator generator(clock);
  for (int i = 0; i < 100; ++i) {
    const std::string id = generator.NewId();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_TRUE(IsUuidText(id)) << id;
    EXPECT_EQ(id, [&] {
      std::string lower = id;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](char c) { return static_cast<char>(std::tolower(c)); });
      return lower;
    }());
    EXPECT_EQ(id[14], '7') << "version nibble";
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << "variant bits 10";
  }
}

TEST(UuidV7GeneratorTest, EmbedsTheClockMilliseconds) {
  ManualClock clock(FromUnixMillis(kStartMs));
  UuidV7Generator generator(clock);
  const std::string hex = WithoutDashes(generator.NewId());
  EXPECT_EQ(HexValue(hex.substr(0, 12)), static_cast<std::uint64_t>(kStartMs));
  clock.Advance(1500ms);
  EXPECT_EQ(HexValue(WithoutDashes(generator.NewId()).substr(0, 12)),
            static_cast<std::uint64_t>(kStartMs + 1500));
}

TEST(UuidV7GeneratorTest, StrictlyIncreasingWithinOneMillisecond) {
  ManualClock clock(FromUnixMillis(kStartMs));
  UuidV7Generator generator(clock);
  std::string previous = generator.NewId();
  // 10,000 ids in one frozen millisecond: more than the 12-bit counter holds,
  // so the generator must borrow later milliseconds and still keep order.
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = generator.NewId();
    ASSERT_LT(previous, id) << "at " << i;
    previous = id;
  }
}

TEST(UuidV7GeneratorTest, StaysOrderedWhenTheClockStepsBack) {
  ManualClock clock(FromUnixMillis(kStartMs));
  UuidV7Generator generator(clock);
  const std::string before = generator.NewId();
  clock.Set(FromUnixMillis(kStartMs - 60'000));
  const std::string after = generator.NewId();
  EXPECT_LT(before, after);
}

TEST(UuidV7GeneratorTest, RandomPartDiffersBetweenGenerators) {
  ManualClock clock(FromUnixMillis(kStartMs));
  UuidV7Generator a(clock);
  UuidV7Generator b(clock);
  EXPECT_NE(WithoutDashes(a.NewId()).substr(16), WithoutDashes(b.NewId()).substr(16));
}

TEST(UuidV7GeneratorTest, ThreadSafeUniqueAndOrderedPerThread) {
  SystemClock clock;
  UuidV7Generator generator(clock);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5'000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(generator.NewId());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : ids) {
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
    all.insert(list.begin(), list.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

struct UuidTextCase {
  std::string text;
  bool valid;
};

class IsUuidTextTest : public testing::TestWithParam<UuidTextCase> {};

TEST_P(IsUuidTextTest, Classifies) {
  EXPECT_EQ(IsUuidText(GetParam().text), GetParam().valid) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IsUuidTextTest,
    testing::Values(UuidTextCase{"0190f1c2-3b4a-7def-8123-456789abcdef", true},
                    UuidTextCase{"0190F1C2-3B4A-7DEF-8123-456789ABCDEF", true},
                    UuidTextCase{"00000000-0000-0000-0000-000000000000", true},
                    UuidTextCase{"", false},
                    UuidTextCase{"0190f1c23b4a7def8123456789abcdef", false},
                    UuidTextCase{"{0190f1c2-3b4a-7def-8123-456789abcdef}", false},
                    UuidTextCase{"0190f1c2-3b4a-7def-8123-456789abcde", false},
                    UuidTextCase{"0190f1c2-3b4a-7def-8123-456789abcdeff", false},
                    UuidTextCase{"0190f1c2_3b4a-7def-8123-456789abcdef", false},
                    UuidTextCase{"0190f1c2-3b4a-7def-8123-456789abcdeg", false},
                    UuidTextCase{"0190f1c2-3b4a7-def-8123-456789abcdef", false},
                    UuidTextCase{" 0190f1c2-3b4a-7def-8123-456789abcde", false}));

TEST(SystemClockTest, NowIsCloseToTheWallClockInMilliseconds) {
  SystemClock clock;
  const auto before = std::chrono::system_clock::now();
  const Instant now = clock.Now();
  const auto after = std::chrono::system_clock::now();
  EXPECT_GE(now, std::chrono::floor<std::chrono::milliseconds>(before));
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace taskflow
