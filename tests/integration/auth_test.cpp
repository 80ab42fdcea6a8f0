// Accounts (signup, login, /api/me) and bearer-token authentication.
#include "api_test.hpp"

namespace taskflow::integration {
namespace {

class AuthTest : public ApiTest {
 protected:
  // A unique address per call, so tests never collide on the shared server.
  static std::string NewEmail() { return "user-" + RandomUuid() + "@example.com"; }

  static std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Every authenticated route, with a method, for "no valid token → 401" checks.
  static std::vector<std::pair<std::string, std::string>> ProtectedRoutes() {
    const std::string id = RandomUuid();
    return {{"GET", "/api/me"},
            {"PATCH", "/api/me"},
            {"GET", "/api/tasks"},
            {"POST", "/api/tasks"},
            {"GET", "/api/tasks/" + id},
            {"PATCH", "/api/tasks/" + id},
            {"DELETE", "/api/tasks/" + id},
            {"POST", "/api/tasks/" + id + "/complete"},
            {"POST", "/api/tasks/" + id + "/reopen"},
            {"GET", "/api/tags"},
            {"POST", "/api/tags"},
            {"PATCH", "/api/tags/" + id},
            {"DELETE", "/api/tags/" + id}};
  }

  static Request ProtectedRequest(const std::string& method, const std::string& target) {
    Request request{.method = method, .target = target};
    if (method == "POST" || method == "PATCH") request.body = R"({"title":"t","name":"n"})";
    if (target.ends_with("/complete") || target.ends_with("/reopen")) request.body.reset();
    return request;
  }

  // Expects every protected route to answer 401 with `token` (or none).
  static void ExpectEverywhereUnauthenticated(const std::optional<std::string>& token,
                                              const std::vector<std::string>& raw_headers = {}) {
    for (const auto& [method, target] : ProtectedRoutes()) {
      SCOPED_TRACE(method + " " + target);
      Request request = ProtectedRequest(method, target);
      request.token = token;
      request.headers = raw_headers;
      ExpectProblem(Send(request), 401, "unauthenticated");
    }
  }
};

TEST_F(AuthTest, SignupCreatesAnAccountAndItsTokenWorks) {
  const std::string email = NewEmail();
  std::string upper = email;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const Response r =
      Post("/api/auth/signup", {{"email", upper}, {"password", "correct horse"}, {"name", "Ada"}},
           std::nullopt);
  ASSERT_EQ(r.status, 201) << r.Describe();
  const json::object session = r.json().as_object();
  const json::object user = session.at("user").as_object();
  EXPECT_EQ(Str(user, "email"), email) << "the address is stored lower-cased";
  EXPECT_EQ(Str(user, "name"), "Ada");
  EXPECT_EQ(Str(user, "timezone"), "UTC");
  EXPECT_FALSE(Str(user, "id").empty());
  EXPECT_EQ(r.body.find("correct horse"), std::string::npos) << "the password leaked";

  const Response me = Get("/api/me", Str(session, "token"));
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json().as_object(), user);
}

TEST_F(AuthTest, SignupWithoutANameWorks) {
  const Response r =
      Post("/api/auth/signup", {{"email", NewEmail()}, {"password", "12345678"}}, std::nullopt);
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_TRUE(r.json().at("user").at("name").is_string());
}

TEST_F(AuthTest, SignupRejectsAnEmailAlreadyTakenInAnyCase) {
  const std::string email = NewEmail();
  ASSERT_EQ(
      Post("/api/auth/signup", {{"email", email}, {"password", "password1"}}, std::nullopt).status,
      201);
  ExpectProblem(
      Post("/api/auth/signup", {{"email", email}, {"password", "password2"}}, std::nullopt), 409,
      "conflict");
  std::string shouted = email;
  shouted[0] = 'U';
  ExpectProblem(
      Post("/api/auth/signup", {{"email", shouted}, {"password", "password2"}}, std::nullopt), 409,
      "conflict");
  // The first password still logs in: the clash changed nothing.
  EXPECT_EQ(
      Post("/api/auth/login", {{"email", email}, {"password", "password1"}}, std::nullopt).status,
      200);
}

TEST_F(AuthTest, SignupValidatesEveryField) {
  ExpectProblem(Post("/api/auth/signup", {{"email", "not-an-email"}, {"password", "password1"}},
                     std::nullopt),
                422, "validation", "email");
  ExpectProblem(
      Post("/api/auth/signup", {{"email", NewEmail()}, {"password", "1234567"}}, std::nullopt), 422,
      "validation", "password");
  const Response both = Post("/api/auth/signup", json::object{}, std::nullopt);
  ExpectProblem(both, 422, "validation", "email");
  ExpectProblem(both, 422, "validation", "password");
  ExpectProblem(Post("/api/auth/signup", {{"email", 42}, {"password", "password1"}}, std::nullopt),
                422, "validation", "email");
  ExpectProblem(Post("/api/auth/signup", {{"email", NewEmail()}, {"password", true}}, std::nullopt),
                422, "validation", "password");
  ExpectProblem(Post("/api/auth/signup",
                     {{"email", NewEmail()}, {"password", "password1"}, {"name", 7}}, std::nullopt),
                422, "validation", "name");
  ExpectProblem(
      Post("/api/auth/signup",
           {{"email", NewEmail()}, {"password", "password1"}, {"name", std::string(101, 'n')}},
           std::nullopt),
      422, "validation", "name");
}

TEST_F(AuthTest, LoginReturnsATokenForTheSameUser) {
  const std::string email = NewEmail();
  const Response signup =
      Post("/api/auth/signup", {{"email", email}, {"password", "s3cret-pass"}}, std::nullopt);
  ASSERT_EQ(signup.status, 201) << signup.Describe();
  const Response login =
      Post("/api/auth/login", {{"email", email}, {"password", "s3cret-pass"}}, std::nullopt);
  ASSERT_EQ(login.status, 200) << login.Describe();
  const json::object session = login.json().as_object();
  EXPECT_EQ(session.at("user"), signup.json().at("user"));
  const Response me = Get("/api/me", Str(session, "token"));
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json(), signup.json().at("user"));

  std::string shouted = email;
  shouted[0] = 'U';
  EXPECT_EQ(Post("/api/auth/login", {{"email", shouted}, {"password", "s3cret-pass"}}, std::nullopt)
                .status,
            200)
      << "addresses are case-insensitive";
}

TEST_F(AuthTest, LoginRejectsWrongCredentials) {
  const std::string email = NewEmail();
  ASSERT_EQ(
      Post("/api/auth/signup", {{"email", email}, {"password", "right-password"}}, std::nullopt)
          .status,
      201);
  ExpectProblem(
      Post("/api/auth/login", {{"email", email}, {"password", "wrong-password"}}, std::nullopt),
      401, "unauthenticated");
  ExpectProblem(Post("/api/auth/login", {{"email", NewEmail()}, {"password", "right-password"}},
                     std::nullopt),
                401, "unauthenticated");
}

TEST_F(AuthTest, LoginValidatesItsBody) {
  ExpectProblem(Post("/api/auth/login", {{"email", NewEmail()}}, std::nullopt), 422, "validation",
                "password");
  ExpectProblem(Post("/api/auth/login", {{"password", "password1"}}, std::nullopt), 422,
                "validation", "email");
  ExpectProblem(Post("/api/auth/login", {{"email", 1}, {"password", "password1"}}, std::nullopt),
                422, "validation", "email");
}

TEST_F(AuthTest, LogsNeverHoldPasswordsSecretsOrTokens) {
  const std::string email = NewEmail();
  const std::string password = "pw-" + RandomUuid();
  const Response signup =
      Post("/api/auth/signup", {{"email", email}, {"password", password}}, std::nullopt);
  ASSERT_EQ(signup.status, 201) << signup.Describe();
  Post("/api/auth/login", {{"email", email}, {"password", password}}, std::nullopt);
  Post("/api/auth/login", {{"email", email}, {"password", password + "x"}}, std::nullopt);
  const std::string token = Str(signup.json().as_object(), "token");
  Get("/api/me", token);
  const std::string log = server().Log();
  EXPECT_EQ(log.find(password), std::string::npos) << "a password is in the log";
  EXPECT_EQ(log.find(TestSecret()), std::string::npos) << "the secret is in the log";
  EXPECT_EQ(log.find(token), std::string::npos) << "a token is in the log";
}

TEST_F(AuthTest, MissingAuthorizationAnswers401WithABearerChallenge) {
  ExpectEverywhereUnauthenticated(std::nullopt);
}

TEST_F(AuthTest, MalformedAuthorizationHeadersAnswer401) {
  const std::string valid = NewUser().token;
  for (const std::string& header :
       {std::string("Authorization: Basic dXNlcjpwYXNz"), std::string("Authorization: Bearer"),
        std::string("Authorization: Bearer "), std::string("Authorization: Token ") + valid,
        std::string("Authorization: ") + valid, std::string("Authorization: Bearer a.b"),
        std::string("Authorization: Bearer a.b.c"), std::string("Authorization: Bearer ...."),
        std::string("Authorization: Bearer ") + valid + "x",
        std::string("Authorization: Bearer ") + valid + " " + valid}) {
    SCOPED_TRACE(header);
    ExpectProblem(Send({.target = "/api/me", .headers = {header}}), 401, "unauthenticated");
  }
}

TEST_F(AuthTest, AlgNoneIsRejected) {
  const std::string payload =
      json::serialize(json::object{{"sub", RandomUuid()}, {"exp", Now() + 3600}});
  ExpectEverywhereUnauthenticated(
      SignJwt(R"({"alg":"none","typ":"JWT"})", payload, "", JwtAlgorithm::kNone));
  // "none" with a signature part that is nevertheless an HS256 MAC.
  const std::string with_mac =
      SignJwt(R"({"alg":"none","typ":"JWT"})", payload, TestSecret(), JwtAlgorithm::kHs256);
  ExpectProblem(Get("/api/me", with_mac), 401, "unauthenticated");
}

TEST_F(AuthTest, OtherAlgorithmsAreRejectedEvenWithTheRightKey) {
  const std::string payload =
      json::serialize(json::object{{"sub", RandomUuid()}, {"exp", Now() + 3600}});
  ExpectEverywhereUnauthenticated(
      SignJwt(R"({"alg":"HS512","typ":"JWT"})", payload, TestSecret(), JwtAlgorithm::kHs512));
  // An HS512 MAC under a header that claims HS256.
  ExpectProblem(Get("/api/me", SignJwt(R"({"alg":"HS256","typ":"JWT"})", payload, TestSecret(),
                                       JwtAlgorithm::kHs512)),
                401, "unauthenticated");
  ExpectProblem(Get("/api/me", SignJwt(R"({"alg":"RS256","typ":"JWT"})", payload, TestSecret(),
                                       JwtAlgorithm::kHs256)),
                401, "unauthenticated");
}

TEST_F(AuthTest, ABadSignatureIsRejected) {
  ExpectEverywhereUnauthenticated(MintToken(std::string(64, 'f'), RandomUuid()));
  // A valid token whose payload was swapped for another user's.
  const std::string token = MintToken(TestSecret(), RandomUuid());
  const std::string other = MintToken(TestSecret(), RandomUuid());
  const auto dot1 = token.find('.'), dot2 = token.rfind('.');
  const auto odot1 = other.find('.'), odot2 = other.rfind('.');
  const std::string forged =
      token.substr(0, dot1) + other.substr(odot1, odot2 - odot1) + token.substr(dot2);
  ExpectProblem(Get("/api/me", forged), 401, "unauthenticated");
}

TEST_F(AuthTest, ExpiredTokensAreRejected) {
  ExpectEverywhereUnauthenticated(
      MintToken(TestSecret(), RandomUuid(), -std::chrono::seconds(120)));
}

TEST_F(AuthTest, TokensWithoutSubOrExpAreRejected) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  for (const json::object& payload :
       {json::object{{"exp", Now() + 3600}}, json::object{{"sub", RandomUuid()}},
        json::object{{"sub", ""}, {"exp", Now() + 3600}},
        json::object{{"sub", 12345}, {"exp", Now() + 3600}},
        json::object{{"sub", RandomUuid()}, {"exp", "tomorrow"}}}) {
    SCOPED_TRACE(json::serialize(payload));
    ExpectProblem(Get("/api/me", SignJwt(header, json::serialize(payload), TestSecret(),
                                         JwtAlgorithm::kHs256)),
                  401, "unauthenticated");
  }
}

TEST_F(AuthTest, ATokenForAnUnknownSubjectCreatesTheProfile) {
  const TestUser user = NewUser();
  const Response me = Get("/api/me", user.token);
  ASSERT_EQ(me.status, 200) << me.Describe();
  const json::object profile = me.json().as_object();
  EXPECT_EQ(Str(profile, "id"), user.id);
  EXPECT_EQ(Str(profile, "timezone"), "UTC");
  // The profile persists: the same answer again, and tasks belong to it.
  EXPECT_EQ(Get("/api/me", user.token).json(), me.json());
  const json::object task = CreateTask(user, "first task of a token-only user");
  EXPECT_EQ(Str(GetTask(user, Str(task, "id")), "title"), "first task of a token-only user");
}

TEST_F(AuthTest, BetterAuthStyleSubjectsAreAccepted) {
  // Better Auth ids are random alphanumeric strings, not UUIDs.
  const std::string id = "Xk3Lq9ZpR2vT8mN4bC7dF1gH" + RandomUuid().substr(0, 8);
  const std::string token = MintToken(TestSecret(), id);
  const Response me = Get("/api/me", token);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(Str(me.json().as_object(), "id"), id);
  EXPECT_EQ(Post("/api/tasks", {{"title", "from the web front end"}}, token).status, 201);
}

TEST_F(AuthTest, SignupUsersAcceptTokensMintedElsewhere) {
  const Response signup =
      Post("/api/auth/signup", {{"email", NewEmail()}, {"password", "password1"}}, std::nullopt);
  ASSERT_EQ(signup.status, 201) << signup.Describe();
  const json::object user = signup.json().at("user").as_object();
  const Response me = Get("/api/me", MintToken(TestSecret(), Str(user, "id")));
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.json().as_object(), user);
}

TEST_F(AuthTest, ProfileNameAndTimezoneCanChange) {
  const TestUser user = NewUser();
  const Response r =
      Patch("/api/me", {{"name", "Grace"}, {"timezone", "Europe/Paris"}}, user.token);
  ASSERT_EQ(r.status, 200) << r.Describe();
  const json::object profile = r.json().as_object();
  EXPECT_EQ(Str(profile, "id"), user.id);
  EXPECT_EQ(Str(profile, "name"), "Grace");
  EXPECT_EQ(Str(profile, "timezone"), "Europe/Paris");
  EXPECT_EQ(Get("/api/me", user.token).json(), r.json());
  // An empty patch changes nothing.
  const Response same = Patch("/api/me", json::object{}, user.token);
  ASSERT_EQ(same.status, 200) << same.Describe();
  EXPECT_EQ(same.json(), r.json());
}

TEST_F(AuthTest, NewTasksDefaultToTheOwnersTimezone) {
  const TestUser user = NewUser();
  ASSERT_EQ(Patch("/api/me", {{"timezone", "Asia/Tokyo"}}, user.token).status, 200);
  EXPECT_EQ(Str(CreateTask(user, "zoned"), "timezone"), "Asia/Tokyo");
  EXPECT_EQ(
      Str(CreateTask(user, {{"title", "explicit"}, {"timezone", "America/New_York"}}), "timezone"),
      "America/New_York");
}

TEST_F(AuthTest, ProfilePatchValidatesFields) {
  const TestUser user = NewUser();
  ExpectProblem(Patch("/api/me", {{"timezone", "Mars/Olympus_Mons"}}, user.token), 422,
                "validation", "timezone");
  ExpectProblem(Patch("/api/me", {{"timezone", ""}}, user.token), 422, "validation", "timezone");
  ExpectProblem(Patch("/api/me", {{"timezone", 5}}, user.token), 422, "validation", "timezone");
  ExpectProblem(Patch("/api/me", {{"name", 5}}, user.token), 422, "validation", "name");
  ExpectProblem(Patch("/api/me", {{"name", std::string(101, 'x')}}, user.token), 422, "validation",
                "name");
  // Nothing was half-applied.
  const Response bad_pair =
      Patch("/api/me", {{"name", "Half"}, {"timezone", "Nowhere/Land"}}, user.token);
  ExpectProblem(bad_pair, 422, "validation", "timezone");
  const Response me = Get("/api/me", user.token);
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(Str(me.json().as_object(), "name"), "Half");
  EXPECT_EQ(Str(me.json().as_object(), "timezone"), "UTC");
}

}  // namespace
}  // namespace taskflow::integration
