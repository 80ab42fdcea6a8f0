#include "server/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace taskflow {
namespace {

namespace json = boost::json;

std::string_view Header(const HttpResponse& response, std::string_view name) {
  for (const auto& [k, v] : response.headers) {
    if (k == name) return v;
  }
  return {};
}

TEST(ProblemTest, MapsEveryErrorCodeToItsStatus) {
  EXPECT_EQ(HttpStatusOf(ErrorCode::kInvalidArgument), 422);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kPreconditionFailed), 412);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kInternal), 500);
}

TEST(ProblemTest, EachStatusHasItsSlug) {
  const std::pair<int, std::string_view> expected[] = {
      {400, "malformed-request"}, {401, "unauthenticated"},
      {404, "not-found"},         {405, "method-not-allowed"},
      {409, "conflict"},          {412, "precondition-failed"},
      {413, "payload-too-large"}, {415, "unsupported-media-type"},
      {422, "validation"},        {500, "internal"},
      {503, "unavailable"},       {426, "upgrade-required"},
      {429, "too-many-requests"}};
  for (const auto& [status, slug] : expected) {
    EXPECT_EQ(ProblemSlug(status), slug) << status;
    const json::value body = json::parse(ProblemResponse(status, "d").body);
    EXPECT_EQ(body.at("type").as_string(), "urn:taskflow:problem:" + std::string(slug)) << status;
    EXPECT_EQ(body.at("title").as_string(), ProblemTitle(status)) << status;
    EXPECT_EQ(body.at("status"), status);
  }
}

TEST(ProblemTest, BodyHasEveryMemberAndAlwaysAnErrorsArray) {
  const HttpResponse response = ProblemResponse(404, "task not found");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/problem+json");
  const json::value body = json::parse(response.body);
  const json::object expected{{"type", "urn:taskflow:problem:not-found"},
                              {"title", "Not Found"},
                              {"status", 404},
                              {"detail", "task not found"},
                              {"errors", json::array{}}};
  EXPECT_EQ(body, expected);
}

TEST(ProblemTest, ValidationErrorsListEveryField) {
  const HttpResponse response = ErrorResponse(Error::Invalid(
      {FieldError{"title", "must be a string"}, FieldError{"tags[2]", "must be a string"}}));
  EXPECT_EQ(response.status, 422);
  const json::value body = json::parse(response.body);
  EXPECT_EQ(body.at("type"), "urn:taskflow:problem:validation");
  const json::array expected{json::object{{"field", "title"}, {"message", "must be a string"}},
                             json::object{{"field", "tags[2]"}, {"message", "must be a string"}}};
  EXPECT_EQ(body.at("errors"), expected);
}

TEST(ProblemTest, DetailIsEscaped) {
  const HttpResponse response = ProblemResponse(400, "quote \" backslash \\ newline \n bell \a");
  EXPECT_EQ(json::parse(response.body).at("detail"), "quote \" backslash \\ newline \n bell \a");
}

TEST(ProblemTest, UnauthenticatedAnswersCarryAChallenge) {
  const HttpResponse response = ErrorResponse(Error::Unauthenticated("wrong email or password"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(Header(response, "WWW-Authenticate"), R"(Bearer realm="taskflow")");
  EXPECT_EQ(json::parse(response.body).at("detail"), "wrong email or password");
}

TEST(ProblemTest, InternalErrorsHideTheirReason) {
  const HttpResponse response = ErrorResponse(Error::Internal("SQL: no such column x"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("no such column"), std::string::npos);
  EXPECT_EQ(json::parse(response.body).at("type"), "urn:taskflow:problem:internal");
}

TEST(ProblemTest, UnavailableHidesTheReasonAndSuggestsARetry) {
  const HttpResponse response = ErrorResponse(Error::Unavailable("database is locked: /srv/x.db"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body.find("/srv/x.db"), std::string::npos);
  EXPECT_EQ(Header(response, "Retry-After"), "1");
}

TEST(ProblemTest, OtherErrorsKeepTheirMessage) {
  EXPECT_EQ(json::parse(ErrorResponse(Error::Conflict("tag exists")).body).at("detail"),
            "tag exists");
  const HttpResponse stale = ErrorResponse(Error::Precondition("stale"));
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(json::parse(stale.body).at("type"), "urn:taskflow:problem:precondition-failed");
}

TEST(ProblemTest, ProblemValueRendersLikeTheFunction) {
  const Problem problem{400, "bad", {FieldError{"body", "syntax error"}}};
  EXPECT_EQ(ProblemResponse(problem).body, ProblemResponse(400, "bad", problem.errors).body);
}

}  // namespace
}  // namespace taskflow
