#include "app/tag_service.hpp"

#include "app/event_messages.hpp"
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

// Every task of the user carrying the tag named `name_key`, as stored now.
std::vector<Task> TasksWithTag(StoreReader& tx, const std::string& user_id,
                               const std::string& name_key) {
  std::vector<Task> tasks;
  TaskQuery query;
  query.tag_keys = {name_key};
  query.limit = kMaxPageLimit;
  for (query.offset = 0;; query.offset += kMaxPageLimit) {
    TaskPage page = tx.ListTasks(user_id, query);
    for (Task& task : page.tasks) tasks.push_back(std::move(task));
    if (page.tasks.size() < static_cast<std::size_t>(kMaxPageLimit)) break;
  }
  return tasks;
}

// A rename or delete changes the representation of every task carrying the
// tag (the store bumps their versions): each gets its "updated" events.
void AppendTagChangeEvents(StoreWriter& tx, IdGenerator& ids, const std::vector<Task>& before,
                           Instant now) {
  for (const Task& old : before) {
    std::optional<Task> changed = tx.FindTask(old.user_id, old.id);
    if (changed) AppendTaskEvent(tx, ids, TaskEventType::kUpdated, &old, *changed, now);
  }
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
    const std::string old_name = tag.name;
    bool changed = false;
    if (normalized->name && *normalized->name != tag.name) {
      tag.name = *normalized->name;
      changed = true;
    }
    if (normalized->color && *normalized->color != tag.color) {
      tag.color = *normalized->color;
      changed = true;
    }
    if (!changed) return {};
    const bool renamed = tag.name != old_name;  // tasks show the name, not the colour
    std::vector<Task> affected;
    if (renamed) affected = TasksWithTag(tx, user_id, FoldCase(old_name));
    const Instant now = ports_.clock.Now();
    if (!tx.UpdateTag(tag, now)) return NameTaken(tag.name);
    AppendTagChangeEvents(tx, ports_.ids, affected, now);
    return {};
  });
  if (!status) return std::move(status).take_error();
  return std::move(*entry);
}

Status TagService::Delete(const std::string& user_id, const std::string& tag_id) {
  return ports_.store.Write([&](StoreWriter& tx) -> Status {
    std::optional<Tag> tag = tx.FindTag(user_id, tag_id);
    if (!tag) return kTagNotFound;
    std::vector<Task> affected = TasksWithTag(tx, user_id, FoldCase(tag->name));
    const Instant now = ports_.clock.Now();
    if (!tx.DeleteTag(user_id, tag_id, now)) return kTagNotFound;
    AppendTagChangeEvents(tx, ports_.ids, affected, now);
    return {};
  });
}

}  // namespace taskflow
