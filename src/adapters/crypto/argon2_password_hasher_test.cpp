#include "adapters/crypto/argon2_password_hasher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>

namespace taskflow {
namespace {

class Argon2PasswordHasherTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitSodium()); }
  Argon2PasswordHasher hasher_{Argon2Limits::Minimum()};
};

TEST_F(Argon2PasswordHasherTest, HashIsArgon2idPhcString) {
  const auto hash = hasher_.Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_LT(hash->size(), static_cast<std::size_t>(crypto_pwhash_STRBYTES));
}

TEST_F(Argon2PasswordHasherTest, VerifiesTheRightPasswordOnly) {
  const auto hash = hasher_.Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher_.Verify(*hash, "correct horse battery staple"));
  for (const char* wrong : {"", "correct horse battery stapl", "Correct horse battery staple",
                            "correct horse battery staple "}) {
    EXPECT_FALSE(hasher_.Verify(*hash, wrong)) << wrong;
  }
}

TEST_F(Argon2PasswordHasherTest, SaltsEveryHash) {
  std::set<std::string> hashes;
  for (int i = 0; i < 3; ++i) hashes.insert(hasher_.Hash("same password").value());
  EXPECT_EQ(hashes.size(), 3u);
  for (const std::string& hash : hashes) EXPECT_TRUE(hasher_.Verify(hash, "same password"));
}

TEST_F(Argon2PasswordHasherTest, PasswordLengthIsExplicitSoNulBytesCount) {
  const std::string with_nul("pass\0word", 9);
  const auto hash = hasher_.Hash(with_nul);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hasher_.Verify(*hash, with_nul));
  EXPECT_FALSE(hasher_.Verify(*hash, "pass"));
  EXPECT_FALSE(hasher_.Verify(*hash, std::string("pass\0wore", 9)));
}

TEST_F(Argon2PasswordHasherTest, UnicodeAndLongPasswords) {
  const std::string unicode = "p\xC3\xA4ssw\xC3\xB6rd \xF0\x9F\x94\x91";
  EXPECT_TRUE(hasher_.Verify(hasher_.Hash(unicode).value(), unicode));
  const std::string long_password(1024, 'x');
  const std::string hash = hasher_.Hash(long_password).value();
  EXPECT_TRUE(hasher_.Verify(hash, long_password));
  EXPECT_FALSE(hasher_.Verify(hash, std::string(1023, 'x')));
}

TEST_F(Argon2PasswordHasherTest, StoredHashIsReadByLengthNotByNulTerminator) {
  const std::string hash = hasher_.Hash("secret-password").value();
  // The view ends where the hash ends; the bytes after it are not a terminator.
  const std::string buffer = hash + "trailing bytes that are not part of the hash";
  EXPECT_TRUE(hasher_.Verify(std::string_view(buffer.data(), hash.size()), "secret-password"));
  EXPECT_FALSE(hasher_.Verify(buffer, "secret-password"));
}

TEST_F(Argon2PasswordHasherTest, MalformedStoredHashesAreRejectedSafely) {
  const std::string hash = hasher_.Hash("secret-password").value();
  const std::string cases[] = {
      "",
      "not a hash",
      "$argon2id$",
      hash.substr(0, hash.size() - 5),                              // truncated
      hash.substr(0, 20) + std::string(1, '\0') + hash.substr(21),  // NUL inside
      hash + std::string(200, 'A'),                                 // longer than libsodium reads
      std::string(100'000, '$'),
      "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",  // bcrypt
  };
  for (const std::string& stored : cases) {
    EXPECT_FALSE(hasher_.Verify(stored, "secret-password")) << stored.substr(0, 40);
  }
}

TEST(Argon2LimitsTest, InteractiveMatchesLibsodium) {
  const Argon2Limits limits = Argon2Limits::Interactive();
  EXPECT_EQ(limits.ops, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(limits.mem_bytes, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
  EXPECT_EQ(limits.mem_bytes, 64u * 1024 * 1024);
  const Argon2Limits minimum = Argon2Limits::Minimum();
  EXPECT_LT(minimum.mem_bytes, limits.mem_bytes);
}

TEST(Argon2LimitsTest, InteractiveHashCarriesItsCost) {
  ASSERT_TRUE(InitSodium());
  Argon2PasswordHasher hasher;  // production default
  const std::string hash = hasher.Hash("interactive-cost").value();
  EXPECT_NE(hash.find("$m=65536,t=2,p=1$"), std::string::npos) << hash;
  EXPECT_TRUE(hasher.Verify(hash, "interactive-cost"));
  // A hash made with other limits still verifies: the PHC string carries them.
  Argon2PasswordHasher cheap(Argon2Limits::Minimum());
  EXPECT_TRUE(cheap.Verify(hash, "interactive-cost"));
}

TEST(RandomHexTest, LowerCaseHexOfTheRequestedSize) {
  EXPECT_EQ(RandomHex(0), "");
  for (std::size_t n : {1u, 16u, 32u}) {
    const std::string hex = RandomHex(n);
    ASSERT_EQ(hex.size(), 2 * n);
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
  }
  EXPECT_NE(RandomHex(32), RandomHex(32));
}

}  // namespace
}  // namespace taskflow
