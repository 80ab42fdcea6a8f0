#include "domain/validation.hpp"

#include "domain/text.hpp"
#include "domain/timezone.hpp"

namespace taskflow::validation {
namespace {

std::string LengthMessage(std::size_t min_chars, std::size_t max_chars) {
  if (min_chars == 0) return "must be at most " + std::to_string(max_chars) + " characters";
  return "must be " + std::to_string(min_chars) + " to " + std::to_string(max_chars) +
         " characters after trimming";
}

}  // namespace

Result<std::string> NormalizeLine(std::string_view text, std::string_view field,
                                  std::size_t min_chars, std::size_t max_chars) {
  if (!IsValidUtf8(text)) return Error::Invalid(std::string(field), "must be valid UTF-8");
  std::string trimmed = TrimUnicode(text);
  const std::size_t length = CodePointCount(trimmed);
  if (length < min_chars || length > max_chars) {
    return Error::Invalid(std::string(field), LengthMessage(min_chars, max_chars));
  }
  if (HasControlCharacters(trimmed)) {
    return Error::Invalid(std::string(field), "must not contain control characters");
  }
  return trimmed;
}

Result<std::string> NormalizeTimeZone(std::string_view name, std::string_view field) {
  if (!IsKnownTimeZone(name)) {
    return Error::Invalid(std::string(field),
                          "must be a known IANA time zone such as \"Europe/Berlin\" or \"UTC\"");
  }
  return std::string(name);
}

}  // namespace taskflow::validation
