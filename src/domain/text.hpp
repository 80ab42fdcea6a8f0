// Unicode text helpers shared by validation, search and sorting. Pure (ICU).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow {

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// Number of Unicode code points in well-formed UTF-8 text.
std::size_t CodePointCount(std::string_view text);

// Removes leading and trailing Unicode white space (including NBSP, U+2028 …).
std::string TrimUnicode(std::string_view text);

// Full Unicode case folding (ICU u_strFoldCase, default options): the key under
// which "CAFÉ", "Café" and "café" are equal. Used for search, tag names, title sort.
std::string FoldCase(std::string_view text);

// True when the text holds a C0/C1 control character (tab and newline included).
bool HasControlCharacters(std::string_view text);

// Same, but tab, line feed and carriage return are allowed: the rule for
// multi-line text such as a task description.
bool HasControlCharactersExceptLineBreaks(std::string_view text);

// Lower-cases with the root locale (ICU u_strToLower semantics). Unlike
// FoldCase it keeps "ß" as is: used where the text must stay a spelling of
// itself, such as an email address.
std::string ToLowerCase(std::string_view text);

// Equal when ASCII letters are compared without case (protocol tokens: HTTP
// schemes and header values, cron names); other bytes must match exactly.
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b);

}  // namespace taskflow
