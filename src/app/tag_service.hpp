// Use cases of tags, scoped to `user_id` like TaskService.
#pragma once

#include <string>
#include <vector>

#include "app/services.hpp"
#include "domain/result.hpp"
#include "domain/tag.hpp"

namespace taskflow {

class TagService {
 public:
  explicit TagService(Ports ports) : ports_(ports) {}

  Result<std::vector<TagWithCount>> List(const std::string& user_id);
  // kConflict when the user has a tag of that name, case-insensitively.
  Result<TagWithCount> Create(const std::string& user_id, TagDraft draft);
  Result<TagWithCount> Update(const std::string& user_id, const std::string& tag_id, TagPatch patch);
  Status Delete(const std::string& user_id, const std::string& tag_id);

 private:
  Ports ports_;
};

}  // namespace taskflow
