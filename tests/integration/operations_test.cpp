// /health, /ready, /openapi.json, the MCP metadata, unknown routes and methods.
#include <fstream>
#include <sstream>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class OperationsTest : public ApiTest {};

TEST_F(OperationsTest, HealthAnswersOkWithoutAuth) {
  const Response r = Get("/health", std::nullopt);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json(), json::parse(R"({"status":"ok"})"));
}

TEST_F(OperationsTest, ReadyAnswersReadyWithoutAuth) {
  const Response r = Get("/ready", std::nullopt);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json(), json::parse(R"({"status":"ready"})"));
}

TEST_F(OperationsTest, OpenApiDocumentIsTheOneInTheRepository) {
  const Response r = Get("/openapi.json", std::nullopt);
  ASSERT_EQ(r.status, 200) << r.Describe();
  std::ifstream file(TASKFLOW_OPENAPI_PATH);
  ASSERT_TRUE(file) << TASKFLOW_OPENAPI_PATH;
  std::stringstream text;
  text << file.rdbuf();
  const json::value served = r.json();
  EXPECT_EQ(served, json::parse(text.str()));
  ASSERT_TRUE(served.is_object());
  EXPECT_EQ(served.at("openapi"), "3.1.0");
}

// RFC 9728 metadata of the MCP endpoint (the MCP tests in tests/mcp/ cover /mcp itself).
TEST_F(OperationsTest, McpProtectedResourceMetadataNamesTheEndpoint) {
  for (const char* path :
       {"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"}) {
    const Response r = Get(path, std::nullopt);
    ASSERT_EQ(r.status, 200) << r.Describe();
    const json::value body = r.json();
    const json::object& metadata = body.as_object();
    const std::string resource(metadata.at("resource").as_string());
    EXPECT_TRUE(resource.starts_with("http://127.0.0.1:")) << resource;
    EXPECT_TRUE(resource.ends_with("/mcp")) << resource;
    EXPECT_EQ(metadata.at("bearer_methods_supported"), json::parse(R"(["header"])"));
  }
}

TEST_F(OperationsTest, UnknownRoutesAnswer404Problems) {
  const TestUser user = NewUser();
  for (const char* target :
       {"/nope", "/api/nope", "/api/tasks/0190d1a2-0000-7000-8000-000000000000/nope", "/api"}) {
    const Response r =
        Send({.method = "GET", .target = target, .token = user.token, .documented = false});
    ExpectProblem(r, 404, "not-found");
  }
}

TEST_F(OperationsTest, KnownPathsWithAnotherMethodAnswer405WithAllow) {
  const TestUser user = NewUser();
  const std::string task = "/api/tasks/" + RandomUuid();
  struct Case {
    std::string method, target;
    std::vector<std::string> allowed;
  };
  const std::vector<Case> cases = {
      {"PUT", "/api/tasks", {"GET", "POST"}},
      {"DELETE", "/api/tasks", {"GET", "POST"}},
      {"PUT", task, {"GET", "PATCH", "DELETE"}},
      {"POST", task, {"GET", "PATCH", "DELETE"}},
      {"GET", task + "/complete", {"POST"}},
      {"DELETE", task + "/reopen", {"POST"}},
      {"PUT", "/api/tags", {"GET", "POST"}},
      {"GET", "/api/tags/" + RandomUuid(), {"PATCH", "DELETE"}},
      {"DELETE", "/api/me", {"GET", "PATCH"}},
      {"GET", "/api/auth/signup", {"POST"}},
      {"GET", "/api/auth/login", {"POST"}},
      {"POST", "/health", {"GET"}},
      {"POST", "/ready", {"GET"}},
      {"DELETE", "/openapi.json", {"GET"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target);
    const Response r =
        Send({.method = c.method, .target = c.target, .token = user.token, .documented = false});
    ExpectProblem(r, 405, "method-not-allowed");
    const std::string allow = r.header("allow").value_or("");
    for (const std::string& m : c.allowed) {
      EXPECT_NE(allow.find(m), std::string::npos) << "Allow: " << allow << " lacks " << m;
    }
    EXPECT_EQ(allow.find(c.method), std::string::npos) << "Allow: " << allow;
  }
}

TEST_F(OperationsTest, HealthAndReadyIgnoreABadToken) {
  EXPECT_EQ(Get("/health", "not-a-token").status, 200);
  EXPECT_EQ(Get("/ready", "not-a-token").status, 200);
  EXPECT_EQ(Get("/openapi.json", "not-a-token").status, 200);
}

}  // namespace
}  // namespace taskflow::integration
