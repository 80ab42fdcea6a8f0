#include "adapters/sqlite/task_text_index.hpp"

#include <string_view>

#include "adapters/sqlite/sqlite_connection.hpp"

namespace taskflow::sqlite {
namespace {

constexpr std::string_view kInsertTaskText =
    "INSERT INTO tasks_fts (rowid, title, description) VALUES (?, ?, ?)";
constexpr std::string_view kUpdateTaskText =
    "UPDATE tasks_fts SET title = ?2, description = ?3 WHERE rowid = ?1";
constexpr std::string_view kDeleteTaskText = "DELETE FROM tasks_fts WHERE rowid = ?";

std::string_view SqlOf(TaskTextChange::Kind kind) {
  switch (kind) {
    case TaskTextChange::Kind::kInsert:
      return kInsertTaskText;
    case TaskTextChange::Kind::kUpdate:
      return kUpdateTaskText;
    case TaskTextChange::Kind::kDelete:
      return kDeleteTaskText;
  }
  return kDeleteTaskText;
}

}  // namespace

void ApplyTaskTextChange(Connection& connection, const TaskTextChange& change) {
  ScopedStatement s = connection.Prepare(SqlOf(change.kind));
  s->BindInt64(1, change.seq);
  if (change.kind != TaskTextChange::Kind::kDelete) {
    s->BindText(2, change.title_key);
    s->BindText(3, change.description_key);
  }
  s->Step();
}

void DeferredTaskText::DropSince(std::size_t mark) {
  if (mark < changes_.size()) changes_.resize(mark);
}

void DeferredTaskText::ApplyTo(Connection& connection) {
  for (const TaskTextChange& change : changes_) ApplyTaskTextChange(connection, change);
  changes_.clear();
}

}  // namespace taskflow::sqlite
