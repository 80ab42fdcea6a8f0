#include "domain/tag.hpp"

#include <string>
#include <utility>
#include <vector>

#include "domain/task.hpp"
#include "domain/validation.hpp"

namespace taskflow {
namespace {

using validation::Collect;

constexpr std::string_view kColorMessage = "must be a color like \"#1A2B3C\"";

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char UpperHex(char c) { return (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

Result<std::string> NormalizeTagName(std::string_view name, std::string_view field) {
  return validation::NormalizeLine(name, field, 1, kTagNameMaxChars);
}

Result<std::string> NormalizeColor(std::string_view color, std::string_view field) {
  if (color.size() != 7 || color[0] != '#') {
    return Error::Invalid(std::string(field), std::string(kColorMessage));
  }
  std::string upper(color);
  for (std::size_t i = 1; i < upper.size(); ++i) {
    if (!IsHexDigit(upper[i]))
      return Error::Invalid(std::string(field), std::string(kColorMessage));
    upper[i] = UpperHex(upper[i]);
  }
  return upper;
}

Result<TagDraft> NormalizeTagDraft(TagDraft draft) {
  std::vector<FieldError> errors;
  Collect(NormalizeTagName(draft.name, "name"), draft.name, errors);
  if (draft.color) Collect(NormalizeColor(*draft.color, "color"), *draft.color, errors);
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return draft;
}

Result<TagPatch> NormalizeTagPatch(TagPatch patch) {
  std::vector<FieldError> errors;
  if (patch.name) Collect(NormalizeTagName(*patch.name, "name"), *patch.name, errors);
  if (patch.color && *patch.color) {
    Collect(NormalizeColor(**patch.color, "color"), **patch.color, errors);
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return patch;
}

}  // namespace taskflow
