#include "domain/timezone.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace taskflow {
namespace {

struct ZoneCase {
  std::string name;
  bool known;
};

class IsKnownTimeZoneTest : public testing::TestWithParam<ZoneCase> {};

TEST_P(IsKnownTimeZoneTest, Classifies) {
  EXPECT_EQ(IsKnownTimeZone(GetParam().name), GetParam().known) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IsKnownTimeZoneTest,
    testing::Values(ZoneCase{"UTC", true}, ZoneCase{"Etc/UTC", true},
                    ZoneCase{"Europe/Berlin", true}, ZoneCase{"America/New_York", true},
                    ZoneCase{"Asia/Kolkata", true}, ZoneCase{"Australia/Lord_Howe", true},
                    ZoneCase{"America/Argentina/Buenos_Aires", true}, ZoneCase{"Etc/GMT+5", true},
                    ZoneCase{"localtime", false}, ZoneCase{"posixrules", false},
                    ZoneCase{"Etc/GMT-14", true}, ZoneCase{"", false},
                    ZoneCase{"Mars/Olympus_Mons", false}, ZoneCase{"Europe/Berlinx", false},
                    ZoneCase{"europe/berlin", false}, ZoneCase{"Europe/", false},
                    ZoneCase{"/Europe/Berlin", false}, ZoneCase{"Europe//Berlin", false},
                    ZoneCase{"../../etc/passwd", false}, ZoneCase{"Europe/../Europe/Berlin", false},
                    ZoneCase{"Europe/Berlin ", false}, ZoneCase{" UTC", false},
                    ZoneCase{std::string("UTC\0", 4), false}, ZoneCase{"+05:30", false},
                    ZoneCase{std::string(65, 'A'), false},
                    ZoneCase{std::string(100000, 'x'), false}));

TEST(IsKnownTimeZoneConcurrencyTest, ManyThreadsAgree) {
  std::vector<std::thread> threads;
  std::vector<int> known(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&known, t] {
      for (int i = 0; i < 200; ++i) {
        known[t] += IsKnownTimeZone("Europe/Paris") && !IsKnownTimeZone("Nowhere/Town");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : known) EXPECT_EQ(count, 200);
}

}  // namespace
}  // namespace taskflow
