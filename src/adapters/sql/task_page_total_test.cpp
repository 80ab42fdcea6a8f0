#include "adapters/sql/task_page_total.hpp"

#include <gtest/gtest.h>

namespace taskflow::sql {
namespace {

TaskQuery Page(long long offset, int limit) {
  TaskQuery query;
  query.offset = offset;
  query.limit = limit;
  return query;
}

TEST(TaskPageTotalTest, AShortPageIsTheLastOne) {
  EXPECT_EQ(TotalFromPage(Page(0, 20), 7), 7);
  EXPECT_EQ(TotalFromPage(Page(40, 20), 3), 43);
  EXPECT_EQ(TotalFromPage(Page(0, 20), 0), 0) << "an empty first page: nothing matches";
}

TEST(TaskPageTotalTest, AFullPageOrAnEmptyLaterOneNeedsACount) {
  EXPECT_EQ(TotalFromPage(Page(0, 20), 20), std::nullopt);
  EXPECT_EQ(TotalFromPage(Page(60, 20), 20), std::nullopt);
  EXPECT_EQ(TotalFromPage(Page(60, 20), 0), std::nullopt) << "the offset may be past the end";
}

TEST(TaskPageTotalTest, MatchesReadPastThePageTellTheTotalUntilTheyFillTheLookahead) {
  EXPECT_EQ(TotalFromPage(Page(0, 20), 20, 100), 20) << "a full page and nothing past it";
  EXPECT_EQ(TotalFromPage(Page(0, 20), 119, 100), 119);
  EXPECT_EQ(TotalFromPage(Page(40, 20), 75, 100), 115);
  EXPECT_EQ(TotalFromPage(Page(0, 20), 120, 100), std::nullopt) << "there may be more";
  EXPECT_EQ(TotalFromPage(Page(60, 20), 0, 100), std::nullopt) << "the offset may be past the end";
}

}  // namespace
}  // namespace taskflow::sql
