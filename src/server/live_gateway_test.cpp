#include "server/live_gateway.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/app_test_support.hpp"
#include "roles/live_hub.hpp"

namespace taskflow {
namespace {

using ::testing::HasSubstr;

std::string_view Header(const HttpResponse& response, std::string_view name) {
  for (const auto& [k, v] : response.headers) {
    if (k == name) return v;
  }
  return {};
}

std::string ProblemField(const HttpResponse& response) {
  const auto problem = boost::json::parse(response.body).as_object();
  const auto& errors = problem.at("errors").as_array();
  return errors.empty() ? "" : std::string(errors[0].as_object().at("field").as_string());
}

HttpRequest Handshake() {
  HttpRequest request;
  request.method = "GET";
  request.target = "/ws";
  request.path = "/ws";
  request.headers = {{"host", "localhost"},
                     {"upgrade", "websocket"},
                     {"connection", "keep-alive, Upgrade"},
                     {"sec-websocket-version", "13"},
                     {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  return request;
}

void SetHeader(HttpRequest& request, std::string name, std::string value) {
  for (auto& [k, v] : request.headers) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  request.headers.emplace_back(std::move(name), std::move(value));
}

void RemoveHeader(HttpRequest& request, std::string_view name) {
  std::erase_if(request.headers, [&](const auto& header) { return header.first == name; });
}

TEST(LiveFrameTest, WrapsTheEventAsDataBesideItsType) {
  const std::string event = R"({"event_id":"e1","changes":{"title":"Pay \"rent\""}})";
  const auto frame = boost::json::parse(LiveFrame("task-update", event)).as_object();
  EXPECT_EQ(frame.at("type").as_string(), "task-update");
  EXPECT_EQ(frame.at("data"), boost::json::parse(event));
  EXPECT_EQ(frame.size(), 2u);
}

TEST(WebSocketHandshakeTest, AcceptsARegularHandshake) {
  EXPECT_FALSE(CheckWebSocketHandshake(Handshake()).has_value());
  HttpRequest any_case = Handshake();
  SetHeader(any_case, "upgrade", "WebSocket");
  SetHeader(any_case, "connection", "upgrade");
  EXPECT_FALSE(CheckWebSocketHandshake(any_case).has_value());
}

TEST(WebSocketHandshakeTest, APlainGetIsToldToUpgrade) {
  HttpRequest plain = Handshake();
  RemoveHeader(plain, "upgrade");
  auto refused = CheckWebSocketHandshake(plain);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 426);
  EXPECT_EQ(refused->content_type, "application/problem+json");
  EXPECT_EQ(Header(*refused, "Upgrade"), "websocket");
  EXPECT_EQ(ProblemField(*refused), "Upgrade");

  HttpRequest no_connection = Handshake();
  SetHeader(no_connection, "connection", "keep-alive");
  refused = CheckWebSocketHandshake(no_connection);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 426);
  EXPECT_EQ(ProblemField(*refused), "Connection");
}

TEST(WebSocketHandshakeTest, AnotherVersionIsToldVersion13) {
  HttpRequest old = Handshake();
  SetHeader(old, "sec-websocket-version", "8");
  auto refused = CheckWebSocketHandshake(old);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 426);
  EXPECT_EQ(Header(*refused, "Sec-WebSocket-Version"), "13");
  EXPECT_EQ(Header(*refused, "Upgrade"), "websocket");
  EXPECT_EQ(ProblemField(*refused), "Sec-WebSocket-Version");
}

TEST(WebSocketHandshakeTest, ABadKeyIsABadRequest) {
  for (const char* key : {"", "short==", "dGhlIHNhbXBsZSBub25jZQ",
                          "dGhlIHNhbXBsZSBub25jZ!==", "dGhlIHNhbXBsZSBub25jZQ=x"}) {
    HttpRequest request = Handshake();
    SetHeader(request, "sec-websocket-key", key);
    auto refused = CheckWebSocketHandshake(request);
    ASSERT_TRUE(refused.has_value()) << key;
    EXPECT_EQ(refused->status, 400) << key;
    EXPECT_EQ(ProblemField(*refused), "Sec-WebSocket-Key") << key;
  }
}

class FakeConnection final : public LiveConnection {
 public:
  void GoAway() override { ++went_away; }
  void Detach() override { ++detached; }
  int went_away = 0;
  int detached = 0;
};

class LiveGatewayTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    accounts_ = std::make_unique<AccountService>(ports());
  }
  std::unique_ptr<LiveGateway> Gateway(WebSocketOptions options = {}) {
    return std::make_unique<LiveGateway>(options, *accounts_, &hub_);
  }
  HttpRequest WithToken(const std::string& user_id) {
    HttpRequest request = Handshake();
    request.headers.emplace_back("authorization", "Bearer " + tokens_.Issue(user_id, std::nullopt));
    return request;
  }

  LiveHub hub_;
  std::unique_ptr<AccountService> accounts_;
};

TEST_F(LiveGatewayTest, WithoutTheRealtimeRoleTheRouteIsNotFoundHere) {
  LiveGateway gateway({}, *accounts_, nullptr);
  const HttpResponse answer = gateway.Admit(WithToken("u1"));
  EXPECT_EQ(answer.status, 404);
  EXPECT_THAT(answer.body, HasSubstr("realtime role"));
  EXPECT_EQ(answer.upgrade, nullptr);
}

TEST_F(LiveGatewayTest, AdmitsAValidTokenFromTheHeader) {
  auto gateway = Gateway();
  HttpResponse answer = gateway->Admit(WithToken("u1"));
  EXPECT_EQ(answer.status, 101);
  ASSERT_NE(answer.upgrade, nullptr);
  EXPECT_EQ(answer.upgrade->user_id(), "u1");
  EXPECT_EQ(gateway->admitted(), 1u);
  answer.upgrade.reset();  // the slot goes back with the upgrade
  EXPECT_EQ(gateway->admitted(), 0u);
}

TEST_F(LiveGatewayTest, TheUpgradeCarriesWhenTheTokenExpires) {
  using std::chrono::steady_clock;
  auto gateway = Gateway();
  JwtTokenService short_lived(testing::kSecret, clock_, std::chrono::seconds(2));
  HttpRequest request = Handshake();
  request.headers.emplace_back("authorization", "Bearer " + short_lived.Issue("u1", std::nullopt));
  const auto before = steady_clock::now();
  HttpResponse answer = gateway->Admit(request);
  const auto after = steady_clock::now();
  ASSERT_NE(answer.upgrade, nullptr) << answer.body;
  EXPECT_GE(answer.upgrade->token_expiry(), before + std::chrono::seconds(2));
  EXPECT_LE(answer.upgrade->token_expiry(), after + std::chrono::seconds(2));
}

TEST_F(LiveGatewayTest, ACachedTokenHasLessLifeLeftLater) {
  using std::chrono::steady_clock;
  auto gateway = Gateway();
  const std::string token = tokens_.Issue("u1", std::nullopt);  // a week
  HttpRequest request = Handshake();
  request.headers.emplace_back("authorization", "Bearer " + token);
  HttpResponse first = gateway->Admit(request);
  ASSERT_NE(first.upgrade, nullptr);
  clock_.Advance(std::chrono::hours(24 * 7) - std::chrono::seconds(5));
  const auto before = steady_clock::now();
  HttpResponse second = gateway->Admit(request);  // served from the verified-token cache
  const auto after = steady_clock::now();
  ASSERT_NE(second.upgrade, nullptr);
  EXPECT_GE(second.upgrade->token_expiry(), before + std::chrono::seconds(5));
  EXPECT_LE(second.upgrade->token_expiry(), after + std::chrono::seconds(5));
}

TEST_F(LiveGatewayTest, ATokenForCenturiesDoesNotOverflowTheSteadyClock) {
  auto gateway = Gateway();
  JwtTokenService forever(testing::kSecret, clock_, std::chrono::hours(24 * 365 * 7000));
  HttpRequest request = Handshake();
  request.headers.emplace_back("authorization", "Bearer " + forever.Issue("u1", std::nullopt));
  HttpResponse answer = gateway->Admit(request);
  ASSERT_NE(answer.upgrade, nullptr) << answer.body;
  EXPECT_GT(answer.upgrade->token_expiry(),
            std::chrono::steady_clock::now() + std::chrono::hours(24 * 365 * 5));
}

TEST_F(LiveGatewayTest, AdmitsAValidTokenFromTheQuery) {
  auto gateway = Gateway();
  HttpRequest request = Handshake();
  request.query = {{"token", tokens_.Issue("u2", std::nullopt)}};
  HttpResponse answer = gateway->Admit(request);
  ASSERT_NE(answer.upgrade, nullptr);
  EXPECT_EQ(answer.upgrade->user_id(), "u2");
}

TEST_F(LiveGatewayTest, RefusesAMissingTokenWith401) {
  auto gateway = Gateway();
  const HttpResponse answer = gateway->Admit(Handshake());
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.content_type, "application/problem+json");
  EXPECT_EQ(Header(answer, "WWW-Authenticate"), R"(Bearer realm="taskflow")");
  EXPECT_EQ(gateway->admitted(), 0u);
}

TEST_F(LiveGatewayTest, RefusesABadTokenWith401InEitherPlace) {
  auto gateway = Gateway();
  JwtTokenService forger("another-secret-another-secret-another", clock_);
  HttpRequest in_header = Handshake();
  in_header.headers.emplace_back("authorization", "Bearer " + forger.Issue("u1", std::nullopt));
  HttpRequest in_query = Handshake();
  in_query.query = {{"token", "not.a.jwt"}};
  // A header present decides, even when the query holds a good token.
  HttpRequest bad_header_good_query = Handshake();
  bad_header_good_query.headers.emplace_back("authorization", "Basic dXNlcjpwdw==");
  bad_header_good_query.query = {{"token", tokens_.Issue("u1", std::nullopt)}};
  for (const HttpRequest& request : {in_header, in_query, bad_header_good_query}) {
    const HttpResponse answer = gateway->Admit(request);
    EXPECT_EQ(answer.status, 401) << answer.body;
    EXPECT_THAT(std::string(Header(answer, "WWW-Authenticate")), HasSubstr("Bearer realm"));
    EXPECT_EQ(answer.upgrade, nullptr);
  }
  EXPECT_EQ(gateway->admitted(), 0u);
}

TEST_F(LiveGatewayTest, AuthenticatesBeforeLookingAtTheHandshake) {
  auto gateway = Gateway();
  HttpRequest plain = Handshake();
  RemoveHeader(plain, "upgrade");
  EXPECT_EQ(gateway->Admit(plain).status, 401);
  plain.headers.emplace_back("authorization", "Bearer " + tokens_.Issue("u1", std::nullopt));
  EXPECT_EQ(gateway->Admit(plain).status, 426);
}

TEST_F(LiveGatewayTest, CapsTheConnectionsOfOneUser) {
  auto gateway = Gateway({.max_connections_per_user = 2});
  HttpResponse first = gateway->Admit(WithToken("u1"));
  HttpResponse second = gateway->Admit(WithToken("u1"));
  ASSERT_NE(second.upgrade, nullptr);
  const HttpResponse third = gateway->Admit(WithToken("u1"));
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(Header(third, "Retry-After"), "5");
  EXPECT_NE(gateway->Admit(WithToken("u2")).upgrade, nullptr);  // others are not affected
  second.upgrade.reset();
  EXPECT_NE(gateway->Admit(WithToken("u1")).upgrade, nullptr);
}

TEST_F(LiveGatewayTest, CapsTheConnectionsOfTheProcess) {
  auto gateway = Gateway({.max_connections = 2});
  HttpResponse first = gateway->Admit(WithToken("u1"));
  HttpResponse second = gateway->Admit(WithToken("u2"));
  const HttpResponse third = gateway->Admit(WithToken("u3"));
  EXPECT_EQ(third.status, 503);
  EXPECT_EQ(Header(third, "Retry-After"), "5");
  first.upgrade.reset();
  EXPECT_NE(gateway->Admit(WithToken("u3")).upgrade, nullptr);
}

TEST_F(LiveGatewayTest, StoppingAsksEveryConnectionToGoAwayAndRefusesNewOnes) {
  auto gateway = Gateway();
  FakeConnection a, b;
  EXPECT_TRUE(gateway->Register(&a));
  EXPECT_TRUE(gateway->Register(&b));
  gateway->Unregister(&b);
  gateway->GoAwayAll();
  EXPECT_EQ(a.went_away, 1);
  EXPECT_EQ(b.went_away, 0);
  EXPECT_EQ(gateway->Admit(WithToken("u1")).status, 503);
  FakeConnection late;
  EXPECT_FALSE(gateway->Register(&late));  // finished its handshake too late: closes at once
  gateway->DetachAll();
  EXPECT_EQ(a.detached, 1);
  EXPECT_EQ(late.detached, 1);
  gateway->Unregister(&a);
  gateway->Unregister(&late);
}

TEST_F(LiveGatewayTest, WaitsUntilEverySlotIsGivenBack) {
  auto gateway = Gateway();
  EXPECT_TRUE(gateway->WaitUntilIdle(std::chrono::steady_clock::now()));
  HttpResponse held = gateway->Admit(WithToken("u1"));
  EXPECT_FALSE(
      gateway->WaitUntilIdle(std::chrono::steady_clock::now() + std::chrono::milliseconds(10)));
  std::thread release([&] { held.upgrade.reset(); });
  EXPECT_TRUE(gateway->WaitUntilIdle(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  release.join();
}

}  // namespace
}  // namespace taskflow
