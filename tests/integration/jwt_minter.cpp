#include "jwt_minter.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

namespace taskflow::integration {

std::string Base64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::string SignJwt(std::string_view header_json, std::string_view payload_json,
                    std::string_view secret, JwtAlgorithm algorithm) {
  std::string signing_input = Base64Url(header_json) + "." + Base64Url(payload_json);
  if (algorithm == JwtAlgorithm::kNone) return signing_input + ".";
  const EVP_MD* md = algorithm == JwtAlgorithm::kHs256 ? EVP_sha256() : EVP_sha512();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(md, secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &mac_len);
  return signing_input + "." +
         Base64Url(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

std::string MintToken(std::string_view secret, std::string_view subject, std::chrono::seconds ttl) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  boost::json::object payload{{"sub", subject}, {"iat", now}, {"exp", now + ttl.count()}};
  return SignJwt(R"({"alg":"HS256","typ":"JWT"})", boost::json::serialize(payload), secret,
                 JwtAlgorithm::kHs256);
}

}  // namespace taskflow::integration
