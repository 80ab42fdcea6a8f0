// TokenService port: bearer tokens (JWT HS256 in production).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "domain/time.hpp"

namespace taskflow {

struct TokenClaims {
  std::string subject;               // the user id (`sub`)
  std::optional<std::string> email;  // optional claims a foreign issuer may set
  std::optional<std::string> name;
  Instant expires_at{};
};

class TokenService {
 public:
  virtual ~TokenService() = default;
  // Signs a token for `user_id` that expires after the configured lifetime.
  virtual std::string Issue(std::string_view user_id, std::optional<std::string_view> email) = 0;
  // Verifies signature, algorithm and expiry. kUnauthenticated with a reason
  // (safe to show the client) on any failure. Thread-safe.
  virtual Result<TokenClaims> Verify(std::string_view token) const = 0;
};

}  // namespace taskflow
