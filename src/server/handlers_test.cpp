#include "server/handlers.hpp"

#include <gtest/gtest.h>

namespace taskflow {
namespace {

HttpRequest WithHeader(std::string name, std::string value, std::string body = "") {
  HttpRequest request;
  request.headers.emplace_back(std::move(name), std::move(value));
  request.body = std::move(body);
  return request;
}

TEST(ReadinessTest, ReadyOnlyWithTheDatabaseAndEveryLoop) {
  EXPECT_EQ(ReadinessAnswer(true, {}).status, 200);
  const HttpResponse no_database = ReadinessAnswer(false, {});
  EXPECT_EQ(no_database.status, 503);
  EXPECT_NE(no_database.body.find("database"), std::string::npos);
  const HttpResponse stopped = ReadinessAnswer(true, {"outbox-relay", "audit-service"});
  EXPECT_EQ(stopped.status, 503);
  EXPECT_EQ(stopped.content_type, "application/problem+json");
  EXPECT_NE(stopped.body.find("outbox-relay, audit-service"), std::string::npos) << stopped.body;
}

TEST(BearerTokenTest, ReadsTheTokenWhateverTheSchemeCase) {
  EXPECT_EQ(BearerToken("Bearer abc.def.ghi"), "abc.def.ghi");
  EXPECT_EQ(BearerToken("bearer abc"), "abc");
  EXPECT_EQ(BearerToken("BEARER   abc  "), "abc");
}

TEST(BearerTokenTest, NoTokenWithoutTheBearerScheme) {
  for (const char* header :
       {"", "Bearer", "Bearer ", "Bearer    ", "Basic dXNlcjpwdw==", "Bearerabc", "Token abc"}) {
    EXPECT_FALSE(BearerToken(header)) << header;
  }
}

TEST(IfMatchTest, AbsentOrStarChecksNothing) {
  const std::optional<IfMatch> absent = ParseIfMatch(HttpRequest{});
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->check);
  const std::optional<IfMatch> star = ParseIfMatch(WithHeader("if-match", " * "));
  ASSERT_TRUE(star);
  EXPECT_FALSE(star->check);
}

TEST(IfMatchTest, StrongNumericTagsNameVersions) {
  const std::optional<IfMatch> one = ParseIfMatch(WithHeader("if-match", "\"3\""));
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->check);
  EXPECT_EQ(one->versions, std::vector<std::int64_t>{3});
  const std::optional<IfMatch> list = ParseIfMatch(WithHeader("if-match", "\"1\" , \"7\",\"12\""));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->versions, (std::vector<std::int64_t>{1, 7, 12}));
}

TEST(IfMatchTest, WeakOrForeignTagsNeverMatch) {
  for (const char* header : {"W/\"3\"", "\"abc\"", "\"\"", "\"0\"", "\"-1\"",
                             "\"99999999999999999999\"", "W/\"1\", \"x\""}) {
    const std::optional<IfMatch> if_match = ParseIfMatch(WithHeader("if-match", header));
    ASSERT_TRUE(if_match) << header;
    EXPECT_TRUE(if_match->check) << header;
    EXPECT_TRUE(if_match->versions.empty()) << header;
  }
}

TEST(IfMatchTest, MalformedHeadersAreRejected) {
  for (const char* header : {"3", "\"3", "3\"", "", "*, \"3\"", "\"a b\"", "w/\"3\"", ","}) {
    EXPECT_FALSE(ParseIfMatch(WithHeader("if-match", header))) << header;
  }
}

TEST(IfNoneMatchTest, MatchesTheCurrentVersionWeaklyOrStar) {
  EXPECT_TRUE(IfNoneMatchHolds(WithHeader("if-none-match", "\"4\""), 4));
  EXPECT_TRUE(IfNoneMatchHolds(WithHeader("if-none-match", "W/\"4\""), 4));
  EXPECT_TRUE(IfNoneMatchHolds(WithHeader("if-none-match", "\"1\", \"4\""), 4));
  EXPECT_TRUE(IfNoneMatchHolds(WithHeader("if-none-match", "*"), 4));
  EXPECT_FALSE(IfNoneMatchHolds(WithHeader("if-none-match", "\"3\""), 4));
  EXPECT_FALSE(IfNoneMatchHolds(WithHeader("if-none-match", "\"44\""), 4));
  EXPECT_FALSE(IfNoneMatchHolds(WithHeader("if-none-match", "garbage"), 4));
  EXPECT_FALSE(IfNoneMatchHolds(HttpRequest{}, 4));
}

TEST(TaskETagTest, IsTheQuotedVersion) {
  EXPECT_EQ(TaskETag(1), "\"1\"");
  EXPECT_EQ(TaskETag(1234567890123), "\"1234567890123\"");
}

TEST(IsIdTextTest, AcceptsCanonicalUuidsOnly) {
  EXPECT_TRUE(IsIdText("0190a0b0-0000-7000-8000-000000000001"));
  EXPECT_TRUE(IsIdText("0190A0B0-ABCD-7000-8000-00000000000F"));
  for (const char* bad :
       {"", "nope", "0190a0b0-0000-7000-8000-00000000000", "0190a0b0-0000-7000-8000-0000000000011",
        "0190a0b0+0000-7000-8000-000000000001", "0190a0b0-0000-7000-8000-00000000000g",
        "0190a0b000007000800000000000000001xxxx"}) {
    EXPECT_FALSE(IsIdText(bad)) << bad;
  }
}

TEST(JsonMediaTypeTest, AcceptsJsonAndSuffixesWithParameters) {
  for (const char* type :
       {"application/json", "Application/JSON", "application/json; charset=utf-8",
        "application/merge-patch+json", " application/problem+json ;q=1"}) {
    EXPECT_FALSE(RejectNonJsonBody(WithHeader("content-type", type, "{}"))) << type;
  }
  HttpRequest no_type;
  no_type.body = "{}";
  EXPECT_FALSE(RejectNonJsonBody(no_type));
}

TEST(JsonMediaTypeTest, RejectsOtherTypesWith415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/xml",
                           "json", "application/jsonx", "text/json"}) {
    const std::optional<HttpResponse> rejected =
        RejectNonJsonBody(WithHeader("content-type", type, "{}"));
    ASSERT_TRUE(rejected) << type;
    EXPECT_EQ(rejected->status, 415);
    EXPECT_EQ(rejected->content_type, "application/problem+json");
  }
}

TEST(JsonMediaTypeTest, ABodylessRequestMayCarryAnyType) {
  EXPECT_FALSE(RejectNonJsonBody(WithHeader("content-type", "text/plain")));
}

}  // namespace
}  // namespace taskflow
