#include "domain/user.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace taskflow {
namespace {

using testing::ElementsAre;

std::vector<std::string> FieldNames(const Error& error) {
  std::vector<std::string> names;
  for (const FieldError& field : error.fields) names.push_back(field.field);
  return names;
}

struct EmailCase {
  std::string input;
  std::optional<std::string> expected;  // nullopt: rejected
};

class NormalizeEmailTest : public testing::TestWithParam<EmailCase> {};

TEST_P(NormalizeEmailTest, Classifies) {
  const auto result = NormalizeEmail(GetParam().input, "email");
  if (GetParam().expected) {
    ASSERT_TRUE(result.ok()) << GetParam().input;
    EXPECT_EQ(*result, *GetParam().expected);
  } else {
    ASSERT_FALSE(result.ok()) << GetParam().input;
    EXPECT_THAT(FieldNames(result.error()), ElementsAre("email"));
  }
}

std::string EmailOfLength(std::size_t bytes) {
  const std::string domain = "@example.com";
  return std::string(bytes - domain.size(), 'a') + domain;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeEmailTest,
    testing::Values(
        EmailCase{"alice@example.com", "alice@example.com"},
        EmailCase{"  Alice@Example.COM \n", "alice@example.com"},
        EmailCase{"first.last+tag@mail.example.co.uk", "first.last+tag@mail.example.co.uk"},
        EmailCase{"J\xC3\x96RG@example.de", "j\xC3\xB6rg@example.de"},  // JÖRG -> jörg
        EmailCase{EmailOfLength(254), EmailOfLength(254)},
        EmailCase{EmailOfLength(255), std::nullopt}, EmailCase{"", std::nullopt},
        EmailCase{"alice", std::nullopt}, EmailCase{"@example.com", std::nullopt},
        EmailCase{"alice@", std::nullopt}, EmailCase{"alice@example", std::nullopt},
        EmailCase{"alice@@example.com", std::nullopt}, EmailCase{"a@b@example.com", std::nullopt},
        EmailCase{"alice@.com", std::nullopt}, EmailCase{"alice@example.", std::nullopt},
        EmailCase{"alice@example..com", std::nullopt},
        EmailCase{"ali ce@example.com", std::nullopt},
        EmailCase{"alice@exa\tmple.com", std::nullopt},
        EmailCase{"alice\xC2\xA0x@example.com", std::nullopt},  // NBSP inside
        EmailCase{std::string("alice\0@example.com", 18), std::nullopt},
        EmailCase{"alice@example.com\x7F", std::nullopt},
        EmailCase{"al\xFFice@example.com", std::nullopt}));

TEST(NormalizeSignupTest, AcceptsAndNormalises) {
  const auto result = NormalizeSignup({" Bob@Example.org ", "correct horse", "  Bob  "});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->email, "bob@example.org");
  EXPECT_EQ(result->password, "correct horse");  // never trimmed
  EXPECT_EQ(result->name, "Bob");
}

struct PasswordCase {
  std::string password;
  bool valid;
};

class SignupPasswordTest : public testing::TestWithParam<PasswordCase> {};

TEST_P(SignupPasswordTest, Checks) {
  const auto result = NormalizeSignup({"bob@example.org", GetParam().password, std::nullopt});
  EXPECT_EQ(result.ok(), GetParam().valid);
  if (!result.ok()) {
    EXPECT_THAT(FieldNames(result.error()), ElementsAre("password"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, SignupPasswordTest,
    testing::Values(PasswordCase{"12345678", true}, PasswordCase{"1234567", false},
                    PasswordCase{"", false}, PasswordCase{"        ", true},
                    // 8 code points in 16 bytes, and 7 code points in 14 bytes.
                    PasswordCase{"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9",
                                 true},
                    PasswordCase{"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", false},
                    PasswordCase{std::string(1024, 'p'), true},
                    PasswordCase{std::string(1025, 'p'), false},
                    PasswordCase{"12345678\xFF", false}));

TEST(NormalizeSignupTest, ReportsEveryFieldAndNeverEchoesThePassword) {
  const std::string password = "short";
  const auto result = NormalizeSignup({"nope", password, std::string(101, 'n')});
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FieldNames(result.error()), ElementsAre("email", "password", "name"));
  for (const FieldError& field : result.error().fields) {
    EXPECT_EQ(field.message.find(password), std::string::npos);
  }
  EXPECT_EQ(result.error().message.find(password), std::string::npos);
}

TEST(NormalizeSignupTest, NameRules) {
  EXPECT_TRUE(NormalizeSignup({"a@b.co", "12345678", std::string(100, 'n')}).ok());
  EXPECT_TRUE(NormalizeSignup({"a@b.co", "12345678", ""}).ok());
  EXPECT_FALSE(NormalizeSignup({"a@b.co", "12345678", "bad\nname"}).ok());
}

TEST(NormalizeProfilePatchTest, NameAndTimeZone) {
  const auto ok = NormalizeProfilePatch({"  Carol ", "America/Chicago"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name, "Carol");
  EXPECT_EQ(ok->timezone, "America/Chicago");

  EXPECT_TRUE(NormalizeProfilePatch({}).ok());

  const auto bad = NormalizeProfilePatch({std::string(101, 'x'), "Atlantis/Capital"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(FieldNames(bad.error()), ElementsAre("name", "timezone"));
}

}  // namespace
}  // namespace taskflow
