// Use cases of accounts: signup, login, authentication and the profile.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/services.hpp"
#include "domain/result.hpp"
#include "domain/user.hpp"

namespace taskflow {

struct Session {
  std::string token;
  User user;
};

// Whom a verified bearer token speaks for, and for how long: a long-lived
// connection (the WebSocket gateway) ends when its token does.
struct Authentication {
  std::string user_id;
  Instant expires_at{};  // the token's `exp`
  Instant checked_at{};  // the service clock when it was checked (expires_at is later)
};

// Thread-safe: holds only references to thread-safe ports, plus two bounded
// caches: user ids known to exist (users are never deleted) and tokens already
// verified (until their expiry).
class AccountService {
 public:
  explicit AccountService(Ports ports);
  ~AccountService();

  // kInvalidArgument for bad fields, kConflict when the email is taken.
  Result<Session> Signup(SignupDraft draft);
  // kUnauthenticated for an unknown email or a wrong password (same message).
  Result<Session> Login(std::string_view email, std::string_view password);

  // Verifies a bearer token and returns the caller's user id, creating the
  // profile of a user first seen through a token issued elsewhere.
  Result<std::string> Authenticate(std::string_view bearer_token);
  // The same, with the token's expiry.
  Result<Authentication> AuthenticateWithExpiry(std::string_view bearer_token);

  Result<User> GetProfile(const std::string& user_id);
  Result<User> UpdateProfile(const std::string& user_id, ProfilePatch patch);

 private:
  struct KnownUsers;
  struct VerifiedTokens;
  // Creates the profile of a user first seen through a valid token.
  Result<std::string> EnsureProfile(const TokenClaims& claims);

  Ports ports_;
  std::unique_ptr<KnownUsers> known_;
  std::unique_ptr<VerifiedTokens> tokens_;
};

}  // namespace taskflow
