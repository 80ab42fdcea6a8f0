#include "domain/user.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/text.hpp"
#include "domain/validation.hpp"

namespace taskflow {
namespace {

using validation::Collect;

constexpr std::string_view kEmailShapeMessage = "must be an email address like name@example.com";

// No white space of any kind and no control characters anywhere in an address.
bool HasSpaceOrControl(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0 || u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR) return true;
  }
  return false;
}

// A domain with at least two labels, none empty: "example.com", not "example",
// ".com", "example." or "a..b".
bool IsDomainShape(std::string_view domain) {
  if (domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? domain.size() : dot;
    if (end == start) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsEmailShape(std::string_view email) {
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  return !HasSpaceOrControl(email) && IsDomainShape(email.substr(at + 1));
}

// Passwords are taken as typed: white space counts and nothing is trimmed.
Result<std::string> NormalizePassword(std::string password) {
  if (!IsValidUtf8(password)) return Error::Invalid("password", "must be valid UTF-8");
  if (password.size() > kPasswordMaxBytes) {
    return Error::Invalid("password", "must be at most 1024 bytes");
  }
  if (CodePointCount(password) < kPasswordMinChars) {
    return Error::Invalid("password", "must be at least 8 characters");
  }
  return password;
}

Result<std::string> NormalizeName(std::string_view name) {
  return validation::NormalizeLine(name, "name", 0, kNameMaxChars);
}

}  // namespace

std::string_view ToString(DateOrder order) { return order == DateOrder::kDayMonth ? "DMY" : "MDY"; }

std::optional<DateOrder> ParseDateOrder(std::string_view text) {
  if (text == "MDY") return DateOrder::kMonthDay;
  if (text == "DMY") return DateOrder::kDayMonth;
  return std::nullopt;
}

Result<std::string> NormalizeEmail(std::string_view email, std::string_view field) {
  if (!IsValidUtf8(email)) return Error::Invalid(std::string(field), "must be valid UTF-8");
  std::string normalized = ToLowerCase(TrimUnicode(email));
  if (normalized.size() > kEmailMaxBytes) {
    return Error::Invalid(std::string(field), "must be at most 254 bytes");
  }
  if (!IsEmailShape(normalized)) {
    return Error::Invalid(std::string(field), std::string(kEmailShapeMessage));
  }
  return normalized;
}

Result<SignupDraft> NormalizeSignup(SignupDraft draft) {
  std::vector<FieldError> errors;
  Collect(NormalizeEmail(draft.email, "email"), draft.email, errors);
  Collect(NormalizePassword(std::move(draft.password)), draft.password, errors);
  if (draft.name) Collect(NormalizeName(*draft.name), *draft.name, errors);
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return draft;
}

Result<ProfilePatch> NormalizeProfilePatch(ProfilePatch patch) {
  std::vector<FieldError> errors;
  if (patch.name) Collect(NormalizeName(*patch.name), *patch.name, errors);
  if (patch.timezone) {
    Collect(validation::NormalizeTimeZone(*patch.timezone, "timezone"), *patch.timezone, errors);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return patch;
}

}  // namespace taskflow
