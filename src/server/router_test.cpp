#include "server/router.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace taskflow {
namespace {

namespace json = boost::json;

HttpRequest Request(std::string method, std::string path) {
  HttpRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.target = request.path;
  return request;
}

// A handler that answers with its name and its captures, to see who ran.
Handler Named(std::string name) {
  return [name](const HttpRequest&, const PathParams& params) {
    HttpResponse response;
    response.body = name;
    for (const auto& [key, value] : params.values) response.body += " " + key + "=" + value;
    return response;
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/health", Named("health"));
    router_.Add("GET", "/api/tasks", Named("list"));
    router_.Add("POST", "/api/tasks", Named("create"));
    router_.Add("GET", "/api/tasks/{id}", Named("get"));
    router_.Add("PATCH", "/api/tasks/{id}", Named("patch"));
    router_.Add("DELETE", "/api/tasks/{id}", Named("delete"));
    router_.Add("POST", "/api/tasks/{id}/complete", Named("complete"));
    router_.Add("POST", "/api/auth/login", Named("login"), RouteCost::kBlocking);
    router_.Add("POST", "/api/tags", Named("create tag"), RouteCost::kStoreWrite);
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPaths) {
  EXPECT_EQ(router_.Dispatch(Request("GET", "/health")).body, "health");
  EXPECT_EQ(router_.Dispatch(Request("GET", "/api/tasks")).body, "list");
  EXPECT_EQ(router_.Dispatch(Request("POST", "/api/tasks")).body, "create");
}

TEST_F(RouterTest, CapturesNamedSegments) {
  EXPECT_EQ(router_.Dispatch(Request("GET", "/api/tasks/abc")).body, "get id=abc");
  EXPECT_EQ(router_.Dispatch(Request("POST", "/api/tasks/x-1/complete")).body, "complete id=x-1");
}

TEST_F(RouterTest, PathParamsGetReturnsEmptyForUnknownNames) {
  const Router::Match match = router_.Resolve("GET", "/api/tasks/42");
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(match.params.get("id"), "42");
  EXPECT_EQ(match.params.get("other"), "");
}

TEST_F(RouterTest, UnknownPathIsA404Problem) {
  for (const char* path : {"/", "/nope", "/api", "/api/tasks/1/2", "/api/tasks/1/uncomplete",
                           "/api/tasks/", "/health/", "/a/b/c/d/e/f/g/h/i/j/k"}) {
    const HttpResponse response = router_.Dispatch(Request("GET", path));
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json") << path;
    EXPECT_EQ(json::parse(response.body).at("type"), "urn:taskflow:problem:not-found") << path;
  }
}

TEST_F(RouterTest, KnownPathWithAnotherMethodIs405WithSortedAllow) {
  const HttpResponse response = router_.Dispatch(Request("PUT", "/api/tasks/7"));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "DELETE, GET, PATCH");
  const json::value body = json::parse(response.body);
  EXPECT_EQ(body.at("type"), "urn:taskflow:problem:method-not-allowed");
  EXPECT_EQ(body.at("status"), 405);
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
  EXPECT_EQ(router_.Dispatch(Request("get", "/health")).status, 405);
}

TEST_F(RouterTest, AllowListsEachMethodOnce) {
  router_.Add("GET", "/api/tasks", Named("shadowed"));
  const HttpResponse response = router_.Dispatch(Request("DELETE", "/api/tasks"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.at(0).second, "GET, POST");
}

TEST_F(RouterTest, FirstRegisteredRouteWins) {
  router_.Add("GET", "/api/tasks", Named("shadowed"));
  EXPECT_EQ(router_.Dispatch(Request("GET", "/api/tasks")).body, "list");
}

TEST_F(RouterTest, ResolveReportsTheCost) {
  EXPECT_EQ(router_.Resolve("POST", "/api/auth/login").cost, RouteCost::kBlocking);
  EXPECT_EQ(router_.Resolve("GET", "/health").cost, RouteCost::kFast);
  EXPECT_EQ(router_.Resolve("POST", "/api/tags").cost, RouteCost::kStoreWrite);
  const Router::Match missing = router_.Resolve("GET", "/missing");
  EXPECT_EQ(missing.handler, nullptr);
  EXPECT_EQ(missing.status, 404);
}

TEST_F(RouterTest, AHandlerThatThrowsAnswersAGeneric500) {
  router_.Add("GET", "/boom", [](const HttpRequest&, const PathParams&) -> HttpResponse {
    throw std::runtime_error("secret internals");
  });
  router_.Add("GET", "/boom2",
              [](const HttpRequest&, const PathParams&) -> HttpResponse { throw 42; });
  for (const char* path : {"/boom", "/boom2"}) {
    const HttpResponse response = router_.Dispatch(Request("GET", path));
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("secret internals"), std::string::npos);
    EXPECT_EQ(json::parse(response.body).at("type"), "urn:taskflow:problem:internal");
  }
}

}  // namespace
}  // namespace taskflow
