#include "domain/tag.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace taskflow {
namespace {

using testing::ElementsAre;

struct NameCase {
  std::string input;
  std::optional<std::string> expected;  // nullopt: rejected
};

class NormalizeTagNameTest : public testing::TestWithParam<NameCase> {};

TEST_P(NormalizeTagNameTest, TrimsAndChecks) {
  const auto result = NormalizeTagName(GetParam().input, "tags[3]");
  if (GetParam().expected) {
    ASSERT_TRUE(result.ok()) << GetParam().input;
    EXPECT_EQ(*result, *GetParam().expected);
  } else {
    ASSERT_FALSE(result.ok()) << GetParam().input;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(result.error().fields.size(), 1u);
    EXPECT_EQ(result.error().fields[0].field, "tags[3]");
  }
}

INSTANTIATE_TEST_SUITE_P(Table, NormalizeTagNameTest,
                         testing::Values(NameCase{"work", "work"}, NameCase{"  Work  ", "Work"},
                                         NameCase{"caf\xC3\xA9", "caf\xC3\xA9"},
                                         NameCase{std::string(50, 'x'), std::string(50, 'x')},
                                         NameCase{"\xE2\x80\x83"
                                                  "deep work\xC2\xA0",
                                                  "deep work"},
                                         NameCase{"", std::nullopt}, NameCase{"   ", std::nullopt},
                                         NameCase{std::string(51, 'x'), std::nullopt},
                                         NameCase{"new\nline", std::nullopt},
                                         NameCase{"\x7F", std::nullopt},
                                         NameCase{"\xC3\x28", std::nullopt}));

struct ColorCase {
  std::string input;
  std::optional<std::string> expected;
};

class NormalizeColorTest : public testing::TestWithParam<ColorCase> {};

TEST_P(NormalizeColorTest, AcceptsHashAndSixHexDigits) {
  const auto result = NormalizeColor(GetParam().input, "color");
  if (GetParam().expected) {
    ASSERT_TRUE(result.ok()) << GetParam().input;
    EXPECT_EQ(*result, *GetParam().expected);
  } else {
    ASSERT_FALSE(result.ok()) << GetParam().input;
    EXPECT_EQ(result.error().fields,
              (std::vector<FieldError>{{"color", "must be a color like \"#1A2B3C\""}}));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeColorTest,
    testing::Values(ColorCase{"#1a2b3c", "#1A2B3C"}, ColorCase{"#FFFFFF", "#FFFFFF"},
                    ColorCase{"#000000", "#000000"}, ColorCase{"", std::nullopt},
                    ColorCase{"#", std::nullopt}, ColorCase{"1A2B3C", std::nullopt},
                    ColorCase{"#1A2B3", std::nullopt}, ColorCase{"#1A2B3C4", std::nullopt},
                    ColorCase{"#1A2B3G", std::nullopt}, ColorCase{"#fff", std::nullopt},
                    ColorCase{" #1A2B3C", std::nullopt}, ColorCase{"red", std::nullopt}));

TEST(NormalizeTagDraftTest, NormalisesNameAndColor) {
  const auto result = NormalizeTagDraft({" Errands ", "#abcdef"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->name, "Errands");
  EXPECT_EQ(result->color, "#ABCDEF");
  EXPECT_TRUE(NormalizeTagDraft({"plain", std::nullopt}).ok());
}

TEST(NormalizeTagDraftTest, ReportsNameAndColorTogether) {
  const auto result = NormalizeTagDraft({"", "blue"});
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.error().fields.size(), 2u);
  EXPECT_EQ(result.error().fields[0].field, "name");
  EXPECT_EQ(result.error().fields[1].field, "color");
}

TEST(NormalizeTagPatchTest, ChecksPresentFieldsAndAllowsClearingColor) {
  TagPatch clear;
  clear.color = std::optional<std::string>{};
  const auto cleared = NormalizeTagPatch(clear);
  ASSERT_TRUE(cleared.ok());
  ASSERT_TRUE(cleared->color.has_value());
  EXPECT_FALSE(cleared->color->has_value());

  TagPatch rename;
  rename.name = "  Home ";
  rename.color = std::optional<std::string>{"#00ff00"};
  const auto renamed = NormalizeTagPatch(rename);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(*renamed->name, "Home");
  EXPECT_EQ(**renamed->color, "#00FF00");

  TagPatch bad;
  bad.name = std::string(60, 'n');
  bad.color = std::optional<std::string>{"#12"};
  const auto rejected = NormalizeTagPatch(bad);
  ASSERT_FALSE(rejected.ok());
  std::vector<std::string> fields;
  for (const auto& f : rejected.error().fields) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("name", "color"));
}

}  // namespace
}  // namespace taskflow
