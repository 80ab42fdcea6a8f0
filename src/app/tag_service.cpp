#include "app/tag_service.hpp"

#include "domain/text.hpp"

namespace taskflow {
namespace {

const Error kTagNotFound = Error::NotFound("tag not found");

Error NameTaken(const std::string& name) {
  return Error::Conflict("a tag named \"" + name + "\" already exists");
}

// The tag's entry in the user's list, which carries its task count.
std::optional<TagWithCount> FindWithCount(StoreReader& tx, const std::string& user_id,
                                          const std::string& tag_id) {
  for (TagWithCount& entry : tx.ListTags(user_id)) {
    if (entry.tag.id == tag_id) return std::move(entry);
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<TagWithCount>> TagService::List(const std::string& user_id) {
  std::vector<TagWithCount> tags;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    tags = tx.ListTags(user_id);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return tags;
}

Result<TagWithCount> TagService::Create(const std::string& user_id, TagDraft draft) {
  auto normalized = NormalizeTagDraft(std::move(draft));
  if (!normalized) return std::move(normalized).take_error();

  TagWithCount created{.tag = Tag{.id = ports_.ids.NewId(),
                                  .user_id = user_id,
                                  .name = std::move(normalized->name),
                                  .color = std::move(normalized->color)},
                       .task_count = 0};
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    if (!tx.InsertTag(created.tag)) return NameTaken(created.tag.name);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return created;
}

Result<TagWithCount> TagService::Update(const std::string& user_id, const std::string& tag_id,
                                        TagPatch patch) {
  auto normalized = NormalizeTagPatch(std::move(patch));
  if (!normalized) return std::move(normalized).take_error();

  std::optional<TagWithCount> entry;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    entry = FindWithCount(tx, user_id, tag_id);
    if (!entry) return kTagNotFound;
    Tag& tag = entry->tag;
    bool changed = false;
    if (normalized->name && *normalized->name != tag.name) {
      tag.name = *normalized->name;
      changed = true;
    }
    if (normalized->color && *normalized->color != tag.color) {
      tag.color = *normalized->color;
      changed = true;
    }
    if (changed && !tx.UpdateTag(tag, ports_.clock.Now())) return NameTaken(tag.name);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return std::move(*entry);
}

Status TagService::Delete(const std::string& user_id, const std::string& tag_id) {
  return ports_.store.Write([&](StoreWriter& tx) -> Status {
    if (!tx.DeleteTag(user_id, tag_id, ports_.clock.Now())) return kTagNotFound;
    return {};
  });
}

}  // namespace taskflow
