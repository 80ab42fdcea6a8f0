#include "app/account_service.hpp"

#include "app/app_test_support.hpp"

namespace taskflow {
namespace {

using testing::AppTest;

class AccountServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    accounts_ = std::make_unique<AccountService>(ports());
  }
  std::unique_ptr<AccountService> accounts_;
};

TEST_F(AccountServiceTest, SignupCreatesAccountAndTokenForIt) {
  auto session = accounts_->Signup({.email = "  Ada@Example.COM ", .password = "correct horse",
                                    .name = "Ada"});
  ASSERT_TRUE(session.ok()) << session.error().message;
  EXPECT_EQ(session->user.email, "ada@example.com");
  EXPECT_EQ(session->user.name, "Ada");
  EXPECT_EQ(session->user.timezone, "UTC");
  auto user_id = accounts_->Authenticate(session->token);
  ASSERT_TRUE(user_id.ok());
  EXPECT_EQ(*user_id, session->user.id);
}

TEST_F(AccountServiceTest, SignupWithTakenEmailIsConflictWhateverTheCase) {
  ASSERT_TRUE(accounts_->Signup({.email = "bob@example.com", .password = "password1"}).ok());
  auto again = accounts_->Signup({.email = "BOB@example.com", .password = "password2"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_F(AccountServiceTest, SignupReportsEveryInvalidField) {
  auto result = accounts_->Signup({.email = "not-an-email", .password = "short"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& f : result.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("email", "password"));
}

TEST_F(AccountServiceTest, LoginChecksThePassword) {
  ASSERT_TRUE(accounts_->Signup({.email = "cy@example.com", .password = "s3cret-pass"}).ok());
  auto good = accounts_->Login("CY@example.com", "s3cret-pass");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->user.email, "cy@example.com");

  auto wrong = accounts_->Login("cy@example.com", "s3cret-pasS");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);

  auto unknown = accounts_->Login("nobody@example.com", "s3cret-pass");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(unknown.error().message, wrong.error().message);  // no account enumeration

  EXPECT_FALSE(accounts_->Login("not an email", "whatever1").ok());
}

TEST_F(AccountServiceTest, ForeignTokenCreatesProfileOnFirstUse) {
  // A token issued elsewhere with the same secret (the seed's Better Auth front end).
  JwtTokenService issuer(testing::kSecret, clock_);
  const std::string token = issuer.Issue("better-auth-user-42", "Dee@Example.com");
  auto user_id = accounts_->Authenticate(token);
  ASSERT_TRUE(user_id.ok()) << user_id.error().message;
  EXPECT_EQ(*user_id, "better-auth-user-42");

  auto profile = accounts_->GetProfile(*user_id);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->email, "dee@example.com");
  EXPECT_EQ(profile->timezone, "UTC");
  EXPECT_TRUE(accounts_->Authenticate(token).ok());  // second use finds it
}

TEST_F(AccountServiceTest, ForeignTokenWithTakenEmailStillGetsAProfile) {
  ASSERT_TRUE(accounts_->Signup({.email = "eve@example.com", .password = "password1"}).ok());
  JwtTokenService issuer(testing::kSecret, clock_);
  auto user_id = accounts_->Authenticate(issuer.Issue("external-eve", "eve@example.com"));
  ASSERT_TRUE(user_id.ok());
  auto profile = accounts_->GetProfile(*user_id);
  ASSERT_TRUE(profile.ok());
  EXPECT_EQ(profile->email, std::nullopt);
}

TEST_F(AccountServiceTest, RejectsTokensSignedWithAnotherSecret) {
  JwtTokenService forger("another-secret-another-secret-another", clock_);
  auto result = accounts_->Authenticate(forger.Issue("mallory", std::nullopt));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountServiceTest, RejectsExpiredTokens) {
  const std::string token = tokens_.Issue("late-user", std::nullopt);
  clock_.Advance(std::chrono::hours(24 * 8));
  auto result = accounts_->Authenticate(token);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountServiceTest, AVerifiedTokenStillExpires) {
  const std::string token = tokens_.Issue("busy-user", std::nullopt);
  ASSERT_TRUE(accounts_->Authenticate(token).ok());
  ASSERT_TRUE(accounts_->Authenticate(token).ok());  // served from the verified-token cache
  clock_.Advance(std::chrono::hours(24 * 7));
  auto result = accounts_->Authenticate(token);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountServiceTest, AuthenticationTellsWhenTheTokenExpiresVerifiedOrCached) {
  const Instant issued = clock_.Now();
  const std::string token = tokens_.Issue("timed-user", std::nullopt);
  auto first = accounts_->AuthenticateWithExpiry(token);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->user_id, "timed-user");
  EXPECT_EQ(first->expires_at, issued + std::chrono::hours(24 * 7));
  EXPECT_EQ(first->checked_at, issued);
  clock_.Advance(std::chrono::hours(1));
  auto cached = accounts_->AuthenticateWithExpiry(token);
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->expires_at, first->expires_at);
  EXPECT_EQ(cached->checked_at, issued + std::chrono::hours(1));
}

TEST_F(AccountServiceTest, AnAlteredTokenIsNeverACacheHit) {
  const std::string token = tokens_.Issue("careful-user", std::nullopt);
  ASSERT_TRUE(accounts_->Authenticate(token).ok());
  std::string altered = token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(accounts_->Authenticate(altered).ok());
}

TEST_F(AccountServiceTest, UpdateProfileValidatesTheZone) {
  const std::string id = NewUser(*accounts_);
  auto updated = accounts_->UpdateProfile(id, {.name = "Fay", .timezone = "Europe/Berlin"});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->timezone, "Europe/Berlin");
  EXPECT_EQ(updated->name, "Fay");

  auto bad = accounts_->UpdateProfile(id, {.name = std::nullopt, .timezone = "Mars/Olympus"});
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "timezone");
  EXPECT_EQ(accounts_->GetProfile(id)->timezone, "Europe/Berlin");
}

}  // namespace
}  // namespace taskflow
