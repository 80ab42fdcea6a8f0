// Users: built-in accounts and profiles of users known only by a token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "domain/time.hpp"

namespace taskflow {

inline constexpr std::size_t kPasswordMinChars = 8;
inline constexpr std::size_t kPasswordMaxBytes = 1024;  // bounds argon2 work per request
inline constexpr std::size_t kEmailMaxBytes = 254;
inline constexpr std::size_t kNameMaxChars = 100;
inline constexpr std::size_t kUserIdMaxBytes = 255;

// How a numeric date such as "3/12" reads in quick add: month first (March 12,
// "MDY", the default) or day first (3 December, "DMY").
enum class DateOrder { kMonthDay, kDayMonth };
std::string_view ToString(DateOrder order);  // "MDY" | "DMY"
std::optional<DateOrder> ParseDateOrder(std::string_view text);

struct User {
  std::string id;
  std::optional<std::string> email;  // lower-cased; null for token-only users without one
  std::string name;
  std::string timezone = "UTC";      // IANA name, default zone of the user's tasks
  DateOrder date_order = DateOrder::kMonthDay;
  Instant created_at{};
  Instant updated_at{};
};

struct SignupDraft {
  std::string email;
  std::string password;
  std::optional<std::string> name;
};

struct ProfilePatch {
  std::optional<std::string> name;
  std::optional<std::string> timezone;
  std::optional<DateOrder> date_order;
};

// Checks the address shape (one '@', non-empty local part and domain with a
// dot, no spaces, at most 254 bytes) and lower-cases it.
Result<std::string> NormalizeEmail(std::string_view email, std::string_view field);

// Signup rules: valid email, password of 8+ characters, optional name ≤ 100.
Result<SignupDraft> NormalizeSignup(SignupDraft draft);
Result<ProfilePatch> NormalizeProfilePatch(ProfilePatch patch);

}  // namespace taskflow
