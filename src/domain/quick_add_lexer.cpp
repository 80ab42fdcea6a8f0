#include "domain/quick_add_lexer.hpp"

#include <cstdint>

namespace taskflow::quick_add {
namespace {

enum class CharClass { kSpace, kLetter, kPunct };

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};

// Decodes one UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF). An ill-formed sequence yields one invalid byte.
Decoded DecodeUtf8(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) return {};
    value = (value << 6) | (c & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length, true};
}

bool InRange(char32_t c, char32_t low, char32_t high) { return c >= low && c <= high; }

bool IsAsciiAlnum(char32_t c) {
  return InRange(c, 'a', 'z') || InRange(c, 'A', 'Z') || InRange(c, '0', '9');
}

bool IsUnicodeSpace(char32_t c) {
  return InRange(c, 0x80, 0xA0) ||  // C1 controls, NBSP
         c == 0x1680 || InRange(c, 0x2000, 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// Punctuation and symbols that end a word or a tag: Latin-1 signs, general
// punctuation, arrows and other symbols, CJK and full-width punctuation, and
// emoji. Everything else outside ASCII counts as a letter, so "café",
// "Straße" and "日本" are single words.
bool IsUnicodePunct(char32_t c) {
  if (InRange(c, 0xA1, 0xBF)) return c != 0xAA && c != 0xB5 && c != 0xBA;
  return c == 0xD7 || c == 0xF7 || InRange(c, 0x2010, 0x2027) || InRange(c, 0x2030, 0x205E) ||
         InRange(c, 0x2190, 0x2BFF) || InRange(c, 0x3001, 0x303F) || InRange(c, 0xFE10, 0xFE19) ||
         InRange(c, 0xFE30, 0xFE6F) || c == 0xFE0F || InRange(c, 0xFF01, 0xFF0F) ||
         InRange(c, 0xFF1A, 0xFF20) || InRange(c, 0xFF3B, 0xFF40) || InRange(c, 0xFF5B, 0xFF65) ||
         InRange(c, 0x1F000, 0x1FAFF);
}

CharClass Classify(const Decoded& d) {
  if (!d.valid) return CharClass::kLetter;  // keep stray bytes inside their word
  const char32_t c = d.code_point;
  if (c < 0x80) {
    if (c <= 0x20 || c == 0x7F) return CharClass::kSpace;
    return IsAsciiAlnum(c) ? CharClass::kLetter : CharClass::kPunct;
  }
  if (IsUnicodeSpace(c)) return CharClass::kSpace;
  return IsUnicodePunct(c) ? CharClass::kPunct : CharClass::kLetter;
}

char FoldPunct(char32_t c) {
  if (c < 0x80) return static_cast<char>(c);
  switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x02BC:
      return '\'';
    case 0x201C:
    case 0x201D:
      return '"';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
      return '-';
    case 0x2026:
      return '.';
    default:
      return 0;
  }
}

Token MakeWord(std::string_view text, std::size_t start, std::size_t end) {
  Token token;
  token.start = start;
  token.end = end;
  token.lower.reserve(end - start);
  bool digits_only = true;
  for (std::size_t i = start; i < end; ++i) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) token.ascii = false;
    if (c < '0' || c > '9') digits_only = false;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    token.lower.push_back(c);
  }
  constexpr std::size_t kMaxNumberDigits = 9;  // fits an int with room to multiply
  if (digits_only && end - start <= kMaxNumberDigits) {
    int value = 0;
    for (std::size_t i = start; i < end; ++i) value = value * 10 + (text[i] - '0');
    token.number = value;
  }
  return token;
}

Token MakePunct(std::size_t start, std::size_t end, char punct) {
  Token token;
  token.start = start;
  token.end = end;
  token.kind = TokenKind::kPunct;
  token.punct = punct;
  return token;
}

bool IsWord(const Token& t) { return t.kind == TokenKind::kWord; }

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  std::size_t word_start = std::string_view::npos;
  auto close_word = [&](std::size_t at) {
    if (word_start == std::string_view::npos) return;
    tokens.push_back(MakeWord(text, word_start, at));
    word_start = std::string_view::npos;
  };
  while (i < text.size()) {
    const Decoded d = DecodeUtf8(text, i);
    switch (Classify(d)) {
      case CharClass::kLetter:
        if (word_start == std::string_view::npos) word_start = i;
        break;
      case CharClass::kSpace:
        close_word(i);
        break;
      case CharClass::kPunct:
        close_word(i);
        tokens.push_back(MakePunct(i, i + d.length, FoldPunct(d.code_point)));
        break;
    }
    i += d.length;
  }
  close_word(text.size());
  return tokens;
}

bool IsStartBoundary(const std::vector<Token>& tokens, std::size_t i) {
  if (i == 0 || i > tokens.size()) return true;
  const Token& before = tokens[i - 1];
  if (!Adjacent(before, tokens[i])) return true;
  if (IsWord(before)) return false;
  switch (before.punct) {
    case '(':
    case '[':
    case '{':
    case '"':
    case ',':
    case ';':
      return true;
    case '\'':  // an opening quote, unless it is an apostrophe inside a word
      return i < 2 || !Adjacent(tokens[i - 2], before) || !IsWord(tokens[i - 2]);
    default:
      return false;
  }
}

bool IsEndBoundary(const std::vector<Token>& tokens, std::size_t end) {
  if (end == 0 || end >= tokens.size()) return true;
  const Token& after = tokens[end];
  if (!Adjacent(tokens[end - 1], after)) return true;
  if (IsWord(after)) return false;
  const bool word_follows =
      end + 1 < tokens.size() && Adjacent(after, tokens[end + 1]) && IsWord(tokens[end + 1]);
  switch (after.punct) {
    case ',':
    case ';':
    case '!':
    case '?':
    case ')':
    case ']':
    case '}':
    case '"':
      return true;
    case '.':
    case ':':
    case '\'':  // "friday's", "9.30", "5pm:x" continue the word
      return !word_follows;
    default:  // '/', '-', '#', '@', '+', symbols…: part of something longer
      return false;
  }
}

NumberWithSuffix SplitNumber(const Token& token) {
  if (!IsWord(token)) return {};
  std::size_t digits = 0;
  while (digits < token.lower.size() && token.lower[digits] >= '0' && token.lower[digits] <= '9') {
    ++digits;
  }
  constexpr std::size_t kMaxDigits = 9;
  if (digits == 0 || digits > kMaxDigits) return {};
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) value = value * 10 + (token.lower[i] - '0');
  return {value, std::string_view(token.lower).substr(digits)};
}

const Token* TokenCursor::PeekAdjacent() const {
  const Token* next = Peek();
  if (next == nullptr || pos_ == 0 || !Adjacent((*tokens_)[pos_ - 1], *next)) return nullptr;
  return next;
}

bool TokenCursor::AtAnyWord(std::initializer_list<std::string_view> words) const {
  for (std::string_view w : words) {
    if (AtWord(w)) return true;
  }
  return false;
}

bool TokenCursor::AtPunct(char c) const {
  const Token* t = Peek();
  return t != nullptr && t->kind == TokenKind::kPunct && t->punct == c;
}

bool TokenCursor::TakeWord(std::string_view word) {
  if (!AtWord(word)) return false;
  ++pos_;
  return true;
}

bool TokenCursor::TakeAnyWord(std::initializer_list<std::string_view> words) {
  if (!AtAnyWord(words)) return false;
  ++pos_;
  return true;
}

bool TokenCursor::TakePunct(char c) {
  if (!AtPunct(c)) return false;
  ++pos_;
  return true;
}

bool TokenCursor::TakeAdjacentPunct(char c) {
  if (PeekAdjacent() == nullptr || !AtPunct(c)) return false;
  ++pos_;
  return true;
}

const Token* TokenCursor::Take() {
  const Token* t = Peek();
  if (t != nullptr) ++pos_;
  return t;
}

}  // namespace taskflow::quick_add
