#include "adapters/sql/task_list_order.hpp"

namespace taskflow::sql {
namespace {

constexpr std::string_view kOrderCreatedAsc = " ORDER BY t.created_at ASC, t.id ASC";
constexpr std::string_view kOrderCreatedDesc = " ORDER BY t.created_at DESC, t.id DESC";
constexpr std::string_view kOrderUpdatedAsc = " ORDER BY t.updated_at ASC, t.id ASC";
constexpr std::string_view kOrderUpdatedDesc = " ORDER BY t.updated_at DESC, t.id DESC";
constexpr std::string_view kOrderDueAsc = " ORDER BY t.due_at ASC NULLS LAST, t.id ASC";
constexpr std::string_view kOrderDueDesc = " ORDER BY t.due_at DESC NULLS LAST, t.id DESC";
constexpr std::string_view kOrderPriorityAsc =
    " ORDER BY t.priority DESC NULLS LAST, t.id ASC";  // P4 … P1, then none
constexpr std::string_view kOrderPriorityDesc =
    " ORDER BY t.priority ASC NULLS LAST, t.id DESC";  // P1 … P4, then none
constexpr std::string_view kOrderTitleAsc = " ORDER BY t.title_key ASC, t.id ASC";
constexpr std::string_view kOrderTitleDesc = " ORDER BY t.title_key DESC, t.id DESC";

}  // namespace

std::string_view TaskListOrderBy(SortField field, SortOrder order) {
  const bool asc = order == SortOrder::kAsc;
  switch (field) {
    case SortField::kCreatedAt:
      return asc ? kOrderCreatedAsc : kOrderCreatedDesc;
    case SortField::kUpdatedAt:
      return asc ? kOrderUpdatedAsc : kOrderUpdatedDesc;
    case SortField::kDueAt:
      return asc ? kOrderDueAsc : kOrderDueDesc;
    case SortField::kPriority:
      return asc ? kOrderPriorityAsc : kOrderPriorityDesc;
    case SortField::kTitle:
      return asc ? kOrderTitleAsc : kOrderTitleDesc;
  }
  return kOrderCreatedDesc;
}

}  // namespace taskflow::sql
