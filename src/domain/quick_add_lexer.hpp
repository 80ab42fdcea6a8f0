// Tokens of a quick-add line and a cursor over them. Internal to the quick-add
// parser (quick_add*.cpp); not part of the domain's public interface.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace taskflow::quick_add {

enum class TokenKind {
  kWord,   // a run of ASCII letters/digits and non-ASCII letters ("friday", "5pm", "café")
  kPunct,  // one punctuation or symbol code point ("#", ":", "’", "🔥")
};

struct Token {
  std::size_t start = 0;  // byte offsets into the input, [start, end)
  std::size_t end = 0;
  TokenKind kind = TokenKind::kWord;
  std::string lower;  // kWord: the bytes with ASCII letters lower-cased
  char punct = 0;     // kPunct: the ASCII character, typographic forms folded
                      // (’ → '\'', “ → '"', – → '-'); 0 for any other symbol
  int number = -1;    // kWord of 1..9 ASCII digits: its value
  bool ascii = true;  // kWord: only ASCII bytes
};

// Splits `text` into tokens; white space (ASCII, Unicode spaces) and control
// characters separate tokens and are not tokens themselves. Ill-formed UTF-8
// bytes count as letters, so they stay inside the words they touch. O(n).
std::vector<Token> Tokenize(std::string_view text);

// True when the two tokens touch (no white space between them).
inline bool Adjacent(const Token& a, const Token& b) { return a.end == b.start; }

// Whether a phrase may start at token `i` / end just before token `end`: it
// must not be glued to a word ("tomorrow's", "v3/12", "C#") or continue as a
// path, a decimal or a range ("5pm-6pm", "3/12/x").
bool IsStartBoundary(const std::vector<Token>& tokens, std::size_t i);
bool IsEndBoundary(const std::vector<Token>& tokens, std::size_t end);

// "5pm" → {5, "pm"}; "3rd" → {3, "rd"}; "30min" → {30, "min"}. Empty suffix
// and number -1 when the word does not start with 1..9 digits.
struct NumberWithSuffix {
  int number = -1;
  std::string_view suffix;
};
NumberWithSuffix SplitNumber(const Token& token);

// A read position in the token list that refuses tokens already claimed by
// another phrase. Cheap to copy: matchers work on a copy and commit by
// assigning it back.
class TokenCursor {
 public:
  TokenCursor(const std::vector<Token>& tokens, const std::vector<bool>& taken, std::size_t pos)
      : tokens_(&tokens), taken_(&taken), pos_(pos) {}

  std::size_t pos() const { return pos_; }

  // The token `ahead` places on, or nullptr past the end or when taken.
  // Inline: the readers call it for nearly every token they look at.
  const Token* Peek(std::size_t ahead = 0) const {
    const std::size_t i = pos_ + ahead;
    if (i >= tokens_->size() || (*taken_)[i]) return nullptr;
    return &(*tokens_)[i];
  }
  // Like Peek(), but only when that token touches the one before it.
  const Token* PeekAdjacent() const;

  bool AtWord(std::string_view word, std::size_t ahead = 0) const {
    const Token* t = Peek(ahead);
    return t != nullptr && t->kind == TokenKind::kWord && t->lower == word;
  }
  bool AtAnyWord(std::initializer_list<std::string_view> words) const;
  bool AtPunct(char c) const;

  // Each Take… advances past the token when it matches and returns whether it did.
  bool TakeWord(std::string_view word);
  bool TakeAnyWord(std::initializer_list<std::string_view> words);
  bool TakePunct(char c);
  bool TakeAdjacentPunct(char c);
  const Token* Take();  // any free token, or nullptr

 private:
  const std::vector<Token>* tokens_;
  const std::vector<bool>* taken_;
  std::size_t pos_;
};

}  // namespace taskflow::quick_add
