#include "adapters/llm/json_post.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace taskflow::llm {
namespace {

using std::chrono::milliseconds;

TEST(ParseRetryAfterTest, ReadsSecondsDatesAndOpenAisMilliseconds) {
  EXPECT_EQ(ParseRetryAfter("", ""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("7", ""), milliseconds(7000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", ""), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("1.5", ""), milliseconds(1000));
  EXPECT_EQ(ParseRetryAfter("7", "250"), milliseconds(250));
  EXPECT_EQ(ParseRetryAfter("", "250"), milliseconds(250));
  EXPECT_EQ(ParseRetryAfter("soon", ""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", ""), std::nullopt);
  // A date long past means now; a huge number is capped at a day.
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", ""), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("99999999999", ""), milliseconds(24LL * 3600 * 1000));
  // A date ahead: about that many seconds (whole seconds, counted from now).
  char date[64];
  const std::time_t ahead = std::time(nullptr) + 100;
  std::tm tm{};
  gmtime_r(&ahead, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  const std::optional<milliseconds> wait = ParseRetryAfter(date, "");
  ASSERT_TRUE(wait.has_value());
  EXPECT_GE(*wait, milliseconds(98000));
  EXPECT_LE(*wait, milliseconds(100000));
}

TEST(PostJsonTest, OtherSchemesAreNotFetched) {
  PostOutcome outcome = PostJson({.url = "file:///etc/passwd", .body = "{}"});
  EXPECT_NE(outcome.kind, PostOutcome::Kind::kAnswered);
  EXPECT_TRUE(outcome.body.empty());
}

}  // namespace
}  // namespace taskflow::llm
