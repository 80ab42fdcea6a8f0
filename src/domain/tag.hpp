// Tags: per-user labels, unique by case-folded name.
#pragma once

#include <optional>
#include <string>

#include "domain/result.hpp"

namespace taskflow {

struct Tag {
  std::string id;
  std::string user_id;
  std::string name;                  // as the user spelled it, trimmed
  std::optional<std::string> color;  // "#RRGGBB"
};

struct TagWithCount {
  Tag tag;
  long long task_count = 0;
};

struct TagDraft {
  std::string name;
  std::optional<std::string> color;
};

struct TagPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> color;  // null clears
};

// Trims and checks a tag name (1–50 characters, no control characters);
// `field` names the offending field in the error ("name", "tags[3]").
Result<std::string> NormalizeTagName(std::string_view name, std::string_view field);

// "#RRGGBB" with hex digits; returned upper-cased.
Result<std::string> NormalizeColor(std::string_view color, std::string_view field);

Result<TagDraft> NormalizeTagDraft(TagDraft draft);
Result<TagPatch> NormalizeTagPatch(TagPatch patch);

}  // namespace taskflow
