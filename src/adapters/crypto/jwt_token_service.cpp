#include "adapters/crypto/jwt_token_service.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "domain/text.hpp"
#include "domain/user.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxTokenBytes = 8 * 1024;
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Latest second FormatRfc3339 can show (9999-12-31T23:59:59Z); later `exp`
// values are clamped to it so the conversion to milliseconds cannot overflow.
constexpr double kMaxExpSeconds = 253'402'300'799.0;

using Mac = std::array<unsigned char, 32>;  // SHA-256 output

int DecodeChar(char c) {
  const std::size_t index = kAlphabet.find(c);
  return index == std::string_view::npos ? -1 : static_cast<int>(index);
}

}  // namespace

// An HMAC-SHA256 context keyed once: the one-shot HMAC() looks the algorithm
// up by name and hashes the key pads again on every call, several times the
// cost of the MAC of a token itself. Each signature works on a copy, so the
// keyed context is only ever read and may be shared between threads.
struct JwtTokenService::Hmac {
  explicit Hmac(std::string_view key) {
    static const unsigned char kEmptyKey = 0;  // OpenSSL wants a non-null key pointer
    const auto* key_bytes =
        key.empty() ? &kEmptyKey : reinterpret_cast<const unsigned char*>(key.data());
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac != nullptr) keyed = EVP_MAC_CTX_new(mac);
    if (keyed != nullptr && EVP_MAC_init(keyed, key_bytes, key.size(), params) != 1) {
      EVP_MAC_CTX_free(keyed);
      keyed = nullptr;  // every Sign fails: tokens are neither issued signed nor accepted
    }
  }
  ~Hmac() {
    EVP_MAC_CTX_free(keyed);
    EVP_MAC_free(mac);
  }
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;

  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* keyed = nullptr;  // initialised with the key, never updated
};

namespace {

// HMAC-SHA256 of `data` under `key`; nullopt only if OpenSSL itself fails.
// (A template only because JwtTokenService::Hmac is private: deduced, not named.)
template <class Hmac>
std::optional<Mac> Sign(const Hmac& key, std::string_view data) {
  if (key.keyed == nullptr) return std::nullopt;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(key.keyed);
  if (ctx == nullptr) return std::nullopt;
  Mac mac{};
  std::size_t length = 0;
  const bool ok =
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
      EVP_MAC_final(ctx, mac.data(), &length, mac.size()) == 1 && length == mac.size();
  EVP_MAC_CTX_free(ctx);
  if (!ok) return std::nullopt;
  return mac;
}

std::string_view AsText(const Mac& mac) {
  return {reinterpret_cast<const char*>(mac.data()), mac.size()};
}

Error Reject(std::string reason) { return Error::Unauthenticated(std::move(reason)); }

// A JSON number as seconds; nullopt for any other type.
std::optional<double> NumericClaim(const json::value& value) {
  if (value.is_int64()) return static_cast<double>(value.as_int64());
  if (value.is_uint64()) return static_cast<double>(value.as_uint64());
  if (value.is_double()) return value.as_double();
  return std::nullopt;
}

std::optional<json::object> ParseObject(std::string_view base64url) {
  const auto text = Base64UrlDecode(base64url);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*text, ec);  // rejects ill-formed UTF-8 too
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

Status CheckHeader(const json::object& header) {
  const json::value* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return Reject("token header has no algorithm");
  if (alg->as_string() != "HS256") return Reject("token algorithm must be HS256");
  // RFC 7515 §4.1.11: extensions we do not understand must fail verification.
  if (header.contains("crit")) return Reject("token header has unsupported critical extensions");
  return {};
}

Result<std::string> SubjectOf(const json::object& payload) {
  const json::value* sub = payload.if_contains("sub");
  if (sub == nullptr || !sub->is_string()) return Reject("token has no subject");
  const std::string_view subject = sub->as_string();
  if (subject.empty() || subject.size() > kUserIdMaxBytes || HasControlCharacters(subject)) {
    return Reject("token subject is invalid");
  }
  return std::string(subject);
}

// Informational claims: kept when they are strings, ignored otherwise, so a
// foreign issuer's `"name": null` does not lock its user out.
std::optional<std::string> OptionalString(const json::object& payload, std::string_view key) {
  const json::value* value = payload.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

Result<TokenClaims> ClaimsOf(const json::object& payload, Instant now) {
  const double now_seconds = std::chrono::duration<double>(now.time_since_epoch()).count();

  auto subject = SubjectOf(payload);
  if (!subject) return std::move(subject).take_error();

  const json::value* exp_value = payload.if_contains("exp");
  if (exp_value == nullptr) return Reject("token has no expiry");
  const auto exp = NumericClaim(*exp_value);
  if (!exp) return Reject("token expiry is not a number");
  if (now_seconds >= *exp) return Reject("token has expired");

  if (const json::value* nbf_value = payload.if_contains("nbf")) {
    const auto nbf = NumericClaim(*nbf_value);
    if (!nbf) return Reject("token not-before is not a number");
    if (*nbf > now_seconds) return Reject("token is not valid yet");
  }

  TokenClaims claims;
  claims.subject = std::move(subject).value();
  claims.email = OptionalString(payload, "email");
  claims.name = OptionalString(payload, "name");
  const double expires = std::min(*exp, kMaxExpSeconds);
  claims.expires_at = Instant{std::chrono::milliseconds{static_cast<long long>(expires * 1000)}};
  return claims;
}

}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(bytes[i]) << 16) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8) |
                            static_cast<std::uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    if (rest == 2) out.push_back(kAlphabet[(n >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  // Unpadded lengths are 0, 2 or 3 modulo 4; a single leftover character
  // cannot hold a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = DecodeChar(c);
    if (value < 0) return std::nullopt;  // '=', '+', '/', white space …
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // The unused low bits of the last character must be zero: one encoding per value.
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

JwtTokenService::JwtTokenService(std::string secret, const Clock& clock,
                                 std::chrono::seconds lifetime)
    : secret_(std::move(secret)),
      hmac_(std::make_shared<const Hmac>(secret_)),
      clock_(clock),
      lifetime_(lifetime) {}

std::string JwtTokenService::Issue(std::string_view user_id,
                                   std::optional<std::string_view> email) {
  const auto now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
  json::object payload;
  payload["sub"] = user_id;
  if (email) payload["email"] = *email;
  payload["iat"] = now.time_since_epoch().count();
  payload["exp"] = (now + lifetime_).time_since_epoch().count();

  std::string token = Base64UrlEncode(kHeaderJson);
  token.push_back('.');
  token += Base64UrlEncode(json::serialize(payload));
  const auto mac = Sign(*hmac_, token);
  token.push_back('.');
  // Without a MAC (OpenSSL failure) the token carries no signature and every
  // verifier, this one included, rejects it.
  if (mac) token += Base64UrlEncode(AsText(*mac));
  return token;
}

Result<TokenClaims> JwtTokenService::Verify(std::string_view token) const {
  try {
    if (secret_.empty()) return Reject("token signing is not configured");
    if (token.size() > kMaxTokenBytes) return Reject("token is too long");

    const std::size_t first_dot = token.find('.');
    const std::size_t second_dot =
        first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos ||
        token.find('.', second_dot + 1) != std::string_view::npos) {
      return Reject("token must have three parts");
    }
    const std::string_view header_part = token.substr(0, first_dot);
    const std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
    const std::string_view signature_part = token.substr(second_dot + 1);

    const auto header = ParseObject(header_part);
    if (!header) return Reject("token header is malformed");
    if (auto status = CheckHeader(*header); !status) return std::move(status).take_error();

    const auto signature = Base64UrlDecode(signature_part);
    const auto expected = Sign(*hmac_, token.substr(0, second_dot));
    if (!signature || !expected || signature->size() != expected->size() ||
        CRYPTO_memcmp(signature->data(), expected->data(), expected->size()) != 0) {
      return Reject("token signature is invalid");
    }

    // Only a payload whose signature checked out gets parsed.
    const auto payload = ParseObject(payload_part);
    if (!payload) return Reject("token payload is malformed");
    return ClaimsOf(*payload, clock_.Now());
  } catch (const std::exception&) {
    return Reject("token could not be verified");  // allocation failure inside JSON parsing
  }
}

}  // namespace taskflow
