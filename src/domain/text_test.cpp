#include "domain/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace taskflow {
namespace {

struct Utf8Case {
  std::string text;
  bool valid;
};

class IsValidUtf8Test : public testing::TestWithParam<Utf8Case> {};

TEST_P(IsValidUtf8Test, Classifies) { EXPECT_EQ(IsValidUtf8(GetParam().text), GetParam().valid); }

INSTANTIATE_TEST_SUITE_P(Table, IsValidUtf8Test,
                         testing::Values(Utf8Case{"", true}, Utf8Case{"plain ascii", true},
                                         Utf8Case{"caf\xC3\xA9", true},       // é
                                         Utf8Case{"\xE2\x82\xAC", true},      // €
                                         Utf8Case{"\xF0\x9F\x98\x80", true},  // 😀
                                         Utf8Case{std::string("a\0b", 3),
                                                  true},                       // NUL is well-formed
                                         Utf8Case{"\xC3", false},              // truncated
                                         Utf8Case{"\x80", false},              // lone continuation
                                         Utf8Case{"\xC0\xAF", false},          // overlong '/'
                                         Utf8Case{"\xE0\x80\xAF", false},      // overlong, 3 bytes
                                         Utf8Case{"\xED\xA0\x80", false},      // surrogate U+D800
                                         Utf8Case{"\xF4\x90\x80\x80", false},  // beyond U+10FFFF
                                         Utf8Case{"\xFF", false}, Utf8Case{"ok\xFE", false}));

TEST(CodePointCountTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(CodePointCount(""), 0u);
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("caf\xC3\xA9"), 4u);
  EXPECT_EQ(CodePointCount("\xF0\x9F\x98\x80\xE2\x82\xAC"), 2u);
  // A family emoji is 5 code points (3 people joined by 2 ZWJ), one glyph.
  EXPECT_EQ(
      CodePointCount("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"),
      5u);
}

struct TrimCase {
  std::string input;
  std::string expected;
};

class TrimUnicodeTest : public testing::TestWithParam<TrimCase> {};

TEST_P(TrimUnicodeTest, Trims) { EXPECT_EQ(TrimUnicode(GetParam().input), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    Table, TrimUnicodeTest,
    testing::Values(TrimCase{"", ""}, TrimCase{"   ", ""}, TrimCase{"abc", "abc"},
                    TrimCase{"  a b  ", "a b"}, TrimCase{"\t\n\r a\n", "a"},
                    TrimCase{"\xC2\xA0nbsp\xC2\xA0", "nbsp"},            // U+00A0
                    TrimCase{"\xE2\x80\xA8line\xE2\x80\xA9", "line"},    // U+2028, U+2029
                    TrimCase{"\xE3\x80\x80ideographic", "ideographic"},  // U+3000
                    TrimCase{"\xE2\x80\x83"
                             "em\xE2\x80\x83",
                             "em"},  // U+2003
                    TrimCase{"caf\xC3\xA9 ", "caf\xC3\xA9"},
                    // A zero-width space is not white space (Unicode: Cf), so it stays.
                    TrimCase{"\xE2\x80\x8Bx", "\xE2\x80\x8Bx"}));

struct FoldCaseRow {
  std::string input;
  std::string expected;
};

class FoldCaseTest : public testing::TestWithParam<FoldCaseRow> {};

TEST_P(FoldCaseTest, Folds) { EXPECT_EQ(FoldCase(GetParam().input), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    Table, FoldCaseTest,
    testing::Values(FoldCaseRow{"", ""}, FoldCaseRow{"Hello World 123", "hello world 123"},
                    FoldCaseRow{"CAF\xC3\x89", "caf\xC3\xA9"},  // CAFÉ -> café
                    FoldCaseRow{"Caf\xC3\xA9", "caf\xC3\xA9"},  // Café -> café
                    FoldCaseRow{"Stra\xC3\x9F"
                                "e",
                                "strasse"},  // Straße
                    FoldCaseRow{"STRASSE", "strasse"},
                    FoldCaseRow{"\xCE\xA3\xCE\x99\xCE\xA3", "\xCF\x83\xCE\xB9\xCF\x83"},  // ΣΙΣ
                    FoldCaseRow{"\xCF\x82", "\xCF\x83"},  // final sigma
                    FoldCaseRow{"\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC"}));  // 日本

TEST(FoldCaseKeyTest, MakesSpellingsEqual) {
  EXPECT_EQ(FoldCase("CAF\xC3\x89"), FoldCase("caf\xC3\xA9"));
  EXPECT_EQ(FoldCase("Stra\xC3\x9F"
                     "e"),
            FoldCase("STRASSE"));
}

TEST(ToLowerCaseTest, LowerCasesWithoutFolding) {
  EXPECT_EQ(ToLowerCase("Alice@Example.COM"), "alice@example.com");
  EXPECT_EQ(ToLowerCase("\xC3\x84RGER"), "\xC3\xA4rger");  // ÄRGER
  EXPECT_EQ(ToLowerCase("Stra\xC3\x9F"
                        "e"),
            "stra\xC3\x9F"
            "e");  // ß stays
}

struct ControlCase {
  std::string text;
  bool any_control;          // HasControlCharacters
  bool control_beyond_line;  // HasControlCharactersExceptLineBreaks
};

class ControlCharactersTest : public testing::TestWithParam<ControlCase> {};

TEST_P(ControlCharactersTest, Detects) {
  EXPECT_EQ(HasControlCharacters(GetParam().text), GetParam().any_control);
  EXPECT_EQ(HasControlCharactersExceptLineBreaks(GetParam().text), GetParam().control_beyond_line);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ControlCharactersTest,
    testing::Values(ControlCase{"", false, false}, ControlCase{"plain text", false, false},
                    ControlCase{"tab\there", true, false}, ControlCase{"line\nbreak", true, false},
                    ControlCase{"crlf\r\n", true, false},
                    ControlCase{std::string("nul\0", 4), true, true},
                    ControlCase{"bell\a", true, true}, ControlCase{"esc\x1B[0m", true, true},
                    ControlCase{"del\x7F", true, true},
                    ControlCase{"c1\xC2\x85", true, true},        // U+0085 NEL
                    ControlCase{"c1\xC2\x9F", true, true},        // U+009F
                    ControlCase{"nbsp\xC2\xA0ok", false, false},  // U+00A0 is not Cc
                    // Joiners in emoji sequences are format characters (Cf), not controls.
                    ControlCase{"\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", false, false},
                    ControlCase{"\xE2\x80\xA8", false, false}));  // U+2028 is Zl

TEST(EqualsIgnoreAsciiCaseTest, IgnoresTheCaseOfAsciiLettersOnly) {
  EXPECT_TRUE(EqualsIgnoreAsciiCase("Bearer", "bEARER"));
  EXPECT_TRUE(EqualsIgnoreAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("Bearer", "Bearer "));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("websocket", "websockeu"));
  EXPECT_FALSE(EqualsIgnoreAsciiCase("\xC3\xA9", "\xC3\x89"));  // é and É: not ASCII
  EXPECT_FALSE(EqualsIgnoreAsciiCase("@", "`"));                // 0x40 and 0x60 are not letters
}

}  // namespace
}  // namespace taskflow
