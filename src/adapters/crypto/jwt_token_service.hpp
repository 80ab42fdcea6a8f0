// TokenService adapter: JSON Web Tokens signed with HMAC-SHA256 (RFC 7519/7515).
// Accepts only alg "HS256" (never "none" or another algorithm), checks the
// signature in constant time, requires `sub` (string) and `exp` (number) and
// rejects an expired token or one whose `nbf` lies in the future.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "ports/clock.hpp"
#include "ports/token_service.hpp"

namespace taskflow {

class JwtTokenService final : public TokenService {
 public:
  // `secret`: the shared HMAC key (BETTER_AUTH_SECRET). `lifetime` of issued tokens.
  JwtTokenService(std::string secret, const Clock& clock,
                  std::chrono::seconds lifetime = std::chrono::hours(24 * 7));
  std::string Issue(std::string_view user_id, std::optional<std::string_view> email) override;
  Result<TokenClaims> Verify(std::string_view token) const override;

 private:
  // The key schedule of HMAC-SHA256 under secret_, computed once (see .cpp).
  struct Hmac;

  std::string secret_;
  std::shared_ptr<const Hmac> hmac_;
  const Clock& clock_;
  std::chrono::seconds lifetime_;
};

// base64url without padding (RFC 4648 §5); decoding rejects padding and
// characters outside the alphabet.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace taskflow
