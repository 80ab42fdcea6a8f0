#include "adapters/crypto/jwt_token_service.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "ports/manual_clock.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kSecret = "test-secret-with-enough-entropy-0123456789";
constexpr long long kNow = 1'795'722'493;  // 2026-11-26T19:48:13Z, in seconds

// An encoder independent of the one under test: OpenSSL's standard base64,
// made URL-safe and unpadded by hand.
std::string IndependentBase64Url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

// A token "issued elsewhere": header and payload as given, signed with HMAC
// over `digest` by OpenSSL directly.
std::string Mint(std::string_view header, std::string_view payload,
                 std::string_view secret = kSecret, const EVP_MD* digest = EVP_sha256()) {
  const std::string input = IndependentBase64Url(header) + "." + IndependentBase64Url(payload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(digest, secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." +
         IndependentBase64Url(std::string_view(reinterpret_cast<const char*>(mac), length));
}

constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

std::string Payload(const json::object& claims) { return json::serialize(claims); }

json::object ValidClaims() {
  return {{"sub", "user-123"}, {"iat", kNow - 10}, {"exp", kNow + 3600}};
}

class JwtTokenServiceTest : public testing::Test {
 protected:
  Result<TokenClaims> Verify(std::string_view token) const { return service_.Verify(token); }

  void ExpectRejected(std::string_view token, std::string_view why) const {
    const auto result = service_.Verify(token);
    ASSERT_FALSE(result.ok()) << why << ": " << token;
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthenticated) << why;
    EXPECT_FALSE(result.error().message.empty()) << why;
  }

  ManualClock clock_{FromUnixMillis(kNow * 1000)};
  JwtTokenService service_{std::string(kSecret), clock_, std::chrono::hours(1)};
};

TEST_F(JwtTokenServiceTest, IssuedTokenVerifies) {
  const std::string token = service_.Issue("user-123", "alice@example.com");
  const auto claims = Verify(token);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->subject, "user-123");
  EXPECT_EQ(claims->email, "alice@example.com");
  EXPECT_FALSE(claims->name.has_value());
  EXPECT_EQ(ToUnixMillis(claims->expires_at), (kNow + 3600) * 1000);
}

TEST_F(JwtTokenServiceTest, IssuedTokenHasTheDocumentedShape) {
  const std::string token = service_.Issue("user-123", std::nullopt);
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  ASSERT_NE(dot2, std::string::npos);
  EXPECT_EQ(token.find('='), std::string::npos) << "no padding";
  EXPECT_EQ(*Base64UrlDecode(token.substr(0, dot1)), kHs256Header);
  const json::value payload =
      json::parse(*Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1)));
  EXPECT_EQ(payload.at("sub").as_string(), "user-123");
  EXPECT_EQ(payload.at("iat").as_int64(), kNow);
  EXPECT_EQ(payload.at("exp").as_int64(), kNow + 3600);
  EXPECT_FALSE(payload.as_object().contains("email"));
  // The signature is what an independent HMAC-SHA256 over the first two parts gives.
  EXPECT_EQ(token, Mint(*Base64UrlDecode(token.substr(0, dot1)),
                        *Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1))));
}

TEST_F(JwtTokenServiceTest, IssuedTokenExpiresAfterItsLifetime) {
  const std::string token = service_.Issue("user-123", std::nullopt);
  clock_.Advance(3599s);
  EXPECT_TRUE(Verify(token).ok());
  clock_.Advance(1s);
  ExpectRejected(token, "exp reached");
}

TEST_F(JwtTokenServiceTest, AcceptsTokensIssuedElsewhereWithTheSameSecret) {
  json::object claims = ValidClaims();
  claims["email"] = "Bob@Example.com";
  claims["name"] = "Bob";
  claims["iss"] = "better-auth";
  claims["custom"] = json::array{1, 2, 3};
  const auto result = Verify(Mint(R"({"typ":"JWT","alg":"HS256","kid":"k1"})", Payload(claims)));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->subject, "user-123");
  EXPECT_EQ(result->email, "Bob@Example.com");
  EXPECT_EQ(result->name, "Bob");
}

TEST_F(JwtTokenServiceTest, AcceptsHeaderWithoutTypAndFractionalExp) {
  const auto result = Verify(Mint(R"({"alg":"HS256"})", R"({"sub":"u","exp":1795722500.5})"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(ToUnixMillis(result->expires_at), 1'795'722'500'500LL);
}

TEST_F(JwtTokenServiceTest, IgnoresOptionalClaimsOfOtherTypes) {
  json::object claims = ValidClaims();
  claims["email"] = nullptr;
  claims["name"] = 42;
  const auto result = Verify(Mint(kHs256Header, Payload(claims)));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_FALSE(result->email.has_value());
  EXPECT_FALSE(result->name.has_value());
}

TEST_F(JwtTokenServiceTest, RejectsForgedSignatures) {
  const std::string token = service_.Issue("user-123", std::nullopt);
  ExpectRejected(Mint(kHs256Header, Payload(ValidClaims()), "another-secret"), "other secret");

  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  ExpectRejected(flipped, "last signature character changed");

  // The payload changed after signing: a privilege escalation attempt.
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  json::object claims = ValidClaims();
  claims["sub"] = "admin";
  ExpectRejected(
      token.substr(0, dot1 + 1) + IndependentBase64Url(Payload(claims)) + token.substr(dot2),
      "payload swapped");

  ExpectRejected(token.substr(0, dot2 + 1), "signature removed");
  ExpectRejected(token.substr(0, token.size() - 2), "signature truncated");
  ExpectRejected(token + "AAAA", "signature extended");
}

TEST_F(JwtTokenServiceTest, RejectsAlgNoneWithAndWithoutSignature) {
  const std::string payload = IndependentBase64Url(Payload(ValidClaims()));
  for (const char* header :
       {R"({"alg":"none","typ":"JWT"})", R"({"alg":"None"})", R"({"alg":"NONE"})"}) {
    const std::string unsigned_token = IndependentBase64Url(header) + "." + payload + ".";
    ExpectRejected(unsigned_token, "alg none, empty signature");
    ExpectRejected(unsigned_token.substr(0, unsigned_token.size() - 1), "alg none, two parts");
    ExpectRejected(Mint(header, Payload(ValidClaims())), "alg none with an HS256 signature");
  }
}

TEST_F(JwtTokenServiceTest, RejectsOtherAlgorithmsAndBadHeaders) {
  const std::string payload = Payload(ValidClaims());
  ExpectRejected(Mint(R"({"alg":"HS512","typ":"JWT"})", payload, kSecret, EVP_sha512()),
                 "HS512 properly signed");
  ExpectRejected(Mint(R"({"alg":"HS384"})", payload, kSecret, EVP_sha384()), "HS384");
  ExpectRejected(Mint(R"({"alg":"RS256"})", payload), "RS256 (key confusion)");
  ExpectRejected(Mint(R"({"alg":"hs256"})", payload), "lower-case alg");
  ExpectRejected(Mint(R"({"typ":"JWT"})", payload), "missing alg");
  ExpectRejected(Mint(R"({"alg":null})", payload), "null alg");
  ExpectRejected(Mint(R"({"alg":["HS256"]})", payload), "alg not a string");
  ExpectRejected(Mint(R"({"alg":"HS256","crit":["exp"]})", payload), "crit present");
  ExpectRejected(Mint(R"(["HS256"])", payload), "header is an array");
  ExpectRejected(Mint(R"("HS256")", payload), "header is a string");
  ExpectRejected(Mint(R"({"alg":"HS256")", payload), "header JSON cut short");
  ExpectRejected(Mint("", payload), "empty header");
}

TEST_F(JwtTokenServiceTest, ExpiryRules) {
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":1795722493})"), "exp == now");
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":1795722000})"), "exp in the past");
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":-1})"), "negative exp");
  EXPECT_TRUE(Verify(Mint(kHs256Header, R"({"sub":"u","exp":1795722494})")).ok());
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u"})"), "exp missing");
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":"1795722999"})"), "exp a string");
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":null})"), "exp null");
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":true})"), "exp boolean");
  // Far-future expiries are fine and do not overflow the Instant.
  const auto far = Verify(Mint(kHs256Header, R"({"sub":"u","exp":1e300})"));
  ASSERT_TRUE(far.ok());
  EXPECT_EQ(FormatRfc3339(far->expires_at), "9999-12-31T23:59:59Z");
  EXPECT_TRUE(Verify(Mint(kHs256Header, R"({"sub":"u","exp":18446744073709551615})")).ok());
}

TEST_F(JwtTokenServiceTest, NotBeforeRules) {
  EXPECT_TRUE(Verify(Mint(kHs256Header, R"({"sub":"u","exp":1795799999,"nbf":1795722493})")).ok());
  EXPECT_TRUE(Verify(Mint(kHs256Header, R"({"sub":"u","exp":1795799999,"nbf":1})")).ok());
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":1795799999,"nbf":1795722494})"),
                 "nbf in the future");
  ExpectRejected(Mint(kHs256Header, R"({"sub":"u","exp":1795799999,"nbf":"0"})"), "nbf a string");
}

TEST_F(JwtTokenServiceTest, SubjectRules) {
  const auto with_sub = [](const json::value& sub) {
    json::object claims = ValidClaims();
    claims["sub"] = sub;
    return Mint(kHs256Header, Payload(claims));
  };
  ExpectRejected(Mint(kHs256Header, R"({"exp":1795799999})"), "sub missing");
  ExpectRejected(with_sub(""), "sub empty");
  ExpectRejected(with_sub(123), "sub a number");
  ExpectRejected(with_sub(nullptr), "sub null");
  ExpectRejected(with_sub(json::object{{"id", "u"}}), "sub an object");
  ExpectRejected(with_sub("user\n1"), "sub with a newline");
  ExpectRejected(with_sub(json::string(std::string_view("user\0", 5))), "sub with NUL");
  ExpectRejected(with_sub(json::string(256, 'u')), "sub over 255 bytes");
  EXPECT_TRUE(Verify(with_sub(json::string(255, 'u'))).ok());
  EXPECT_TRUE(Verify(with_sub("0190f1c2-3b4a-7def-8123-456789abcdef")).ok());
}

TEST_F(JwtTokenServiceTest, RejectsMalformedPayloads) {
  ExpectRejected(Mint(kHs256Header, R"(["sub","u"])"), "payload an array");
  ExpectRejected(Mint(kHs256Header, "not json"), "payload not JSON");
  ExpectRejected(Mint(kHs256Header, ""), "payload empty");
  ExpectRejected(Mint(kHs256Header, "{\"sub\":\"\xFF\",\"exp\":1795799999}"),
                 "payload with invalid UTF-8");
}

TEST_F(JwtTokenServiceTest, RejectsGarbage) {
  const std::string good = service_.Issue("user-123", std::nullopt);
  const std::vector<std::string> garbage = {
      "",
      ".",
      "..",
      "...",
      "a.b.c",
      "abc",
      "a.b",
      good + ".extra",
      " " + good,
      good + " ",
      "Bearer " + good,
      std::string(9000, 'a') + "." + "b.c",
      good.substr(0, good.find('.')) + "=." + good.substr(good.find('.') + 1),  // padding
      "eyJhbGciOiJIUzI1NiJ9+.e30.sig",
      "eyJhbGciOiJIUzI1NiJ9/.e30.sig",
      std::string("\0\0\0", 3),
      "\xFF\xFE.\xFF.\xFF",
  };
  for (const std::string& token : garbage) ExpectRejected(token, "garbage");
}

TEST_F(JwtTokenServiceTest, TokensOverEightKibibytesAreRejectedEvenIfSigned) {
  json::object claims = ValidClaims();
  claims["padding"] = json::string(7000, 'p');
  ExpectRejected(Mint(kHs256Header, Payload(claims)), "over 8 KiB");
  claims["padding"] = json::string(5000, 'p');
  EXPECT_TRUE(Verify(Mint(kHs256Header, Payload(claims))).ok());
}

TEST(JwtTokenServiceSecretTest, EmptySecretVerifiesNothing) {
  ManualClock clock(FromUnixMillis(kNow * 1000));
  JwtTokenService service("", clock);
  const std::string token = service.Issue("user-123", std::nullopt);
  EXPECT_FALSE(service.Verify(token).ok());
  EXPECT_FALSE(service.Verify(Mint(kHs256Header, R"({"sub":"u","exp":1795799999})", "")).ok());
}

TEST_F(JwtTokenServiceTest, ConcurrentVerification) {
  const std::string token = service_.Issue("user-123", std::nullopt);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) ok[t] += service_.Verify(token).ok();
    });
  }
  for (auto& thread : threads) thread.join();
  for (int count : ok) EXPECT_EQ(count, 500);
}

struct Base64Case {
  std::string bytes;
  std::string text;
};

class Base64UrlTest : public testing::TestWithParam<Base64Case> {};

TEST_P(Base64UrlTest, EncodesAndDecodes) {
  EXPECT_EQ(Base64UrlEncode(GetParam().bytes), GetParam().text);
  EXPECT_EQ(Base64UrlDecode(GetParam().text), GetParam().bytes);
}

// RFC 4648 §10 vectors, unpadded, plus the two URL-safe characters.
INSTANTIATE_TEST_SUITE_P(
    Rfc4648, Base64UrlTest,
    testing::Values(Base64Case{"", ""}, Base64Case{"f", "Zg"}, Base64Case{"fo", "Zm8"},
                    Base64Case{"foo", "Zm9v"}, Base64Case{"foob", "Zm9vYg"},
                    Base64Case{"fooba", "Zm9vYmE"}, Base64Case{"foobar", "Zm9vYmFy"},
                    Base64Case{"\xFB\xFF", "-_8"}, Base64Case{std::string("\0\0\0", 3), "AAAA"}));

TEST(Base64UrlDecodeTest, RejectsPaddingForeignCharactersAndNonCanonicalForms) {
  for (const char* bad : {"Zg==", "Zm8=", "Z", "Zm9vY", "Zm9v+A", "Zm9v/A", "Zm 9v", "Zm+v", "Zg\n",
                          "Zh", "Zm9", "Zm-"}) {  // the last three: non-zero unused bits
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << bad;
  }
  EXPECT_EQ(Base64UrlDecode("Zm8"), std::string("fo"));
}

TEST(Base64UrlRoundTripTest, AllByteValues) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (std::size_t length = 0; length <= bytes.size(); length += 17) {
    const std::string part = bytes.substr(0, length);
    EXPECT_EQ(Base64UrlEncode(part), IndependentBase64Url(part));
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(part)), part);
  }
}

}  // namespace
}  // namespace taskflow
