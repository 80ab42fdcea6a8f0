#include "domain/text.hpp"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace taskflow {
namespace {

// ICU's UTF-8 macros index with int32_t; longer inputs never reach the domain
// (bodies are capped at 1 MiB), but stay well-defined anyway by refusing them.
constexpr std::size_t kMaxIcuLength = INT32_MAX;

bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Calls `visit(code_point)` for each code point; ill-formed sequences arrive as
// a negative value. Stops early when `visit` returns false.
template <class Visitor>
void ForEachCodePoint(std::string_view text, Visitor visit) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (!visit(c)) return;
  }
}

std::string LowerAscii(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

// Runs an ICU UTF-8 case mapping; on failure the text is returned unchanged
// (ICU fails only on allocation failure or absurd lengths).
template <class Mapping>
std::string MapWithIcu(std::string_view text, Mapping mapping) {
  if (text.size() > kMaxIcuLength) return std::string(text);
  std::string mapped;
  const auto length = static_cast<int32_t>(text.size());
  icu::StringByteSink<std::string> sink(&mapped, length);
  UErrorCode status = U_ZERO_ERROR;
  mapping(icu::StringPiece(text.data(), length), sink, status);
  if (U_FAILURE(status)) return std::string(text);
  return mapped;
}

bool IsControl(UChar32 c) { return c >= 0 && u_charType(c) == U_CONTROL_CHAR; }

}  // namespace

bool IsValidUtf8(std::string_view text) {
  if (text.size() > kMaxIcuLength) return false;
  if (IsAscii(text)) return true;
  bool valid = true;
  ForEachCodePoint(text, [&](UChar32 c) { return valid = c >= 0; });
  return valid;
}

std::size_t CodePointCount(std::string_view text) {
  // Every code point has exactly one lead byte; continuation bytes are 10xxxxxx.
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string TrimUnicode(std::string_view text) {
  if (text.size() > kMaxIcuLength) return std::string(text);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());

  int32_t begin = 0;
  while (begin < length) {
    int32_t next = begin;
    UChar32 c;
    U8_NEXT(s, next, length, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    begin = next;
  }
  int32_t end = length;
  while (end > begin) {
    int32_t previous = end;
    UChar32 c;
    U8_PREV(s, begin, previous, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    end = previous;
  }
  return std::string(text.substr(begin, end - begin));
}

std::string FoldCase(std::string_view text) {
  // ASCII folds to ASCII by lower-casing A-Z: the common case, without ICU.
  if (IsAscii(text)) return LowerAscii(text);
  return MapWithIcu(text, [](icu::StringPiece source, icu::ByteSink& sink, UErrorCode& status) {
    icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT, source, sink, nullptr, status);
  });
}

std::string ToLowerCase(std::string_view text) {
  if (IsAscii(text)) return LowerAscii(text);
  return MapWithIcu(text, [](icu::StringPiece source, icu::ByteSink& sink, UErrorCode& status) {
    icu::CaseMap::utf8ToLower(/*locale=*/"", /*options=*/0, source, sink, nullptr, status);
  });
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool HasControlCharacters(std::string_view text) {
  if (text.size() > kMaxIcuLength) return true;
  bool found = false;
  ForEachCodePoint(text, [&](UChar32 c) { return !(found = IsControl(c)); });
  return found;
}

bool HasControlCharactersExceptLineBreaks(std::string_view text) {
  if (text.size() > kMaxIcuLength) return true;
  bool found = false;
  ForEachCodePoint(text, [&](UChar32 c) {
    found = IsControl(c) && c != '\t' && c != '\n' && c != '\r';
    return !found;
  });
  return found;
}

}  // namespace taskflow
