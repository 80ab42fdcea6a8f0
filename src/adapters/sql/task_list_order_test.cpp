#include "adapters/sql/task_list_order.hpp"

#include <gtest/gtest.h>

#include <string>

namespace taskflow::sql {
namespace {

struct SortCase {
  SortField field;
  SortOrder order;
  std::string order_by;
};

class TaskListOrderTest : public ::testing::TestWithParam<SortCase> {};

TEST_P(TaskListOrderTest, OrderIsTotalWithNullsLast) {
  EXPECT_EQ(TaskListOrderBy(GetParam().field, GetParam().order),
            " ORDER BY " + GetParam().order_by);
}

INSTANTIATE_TEST_SUITE_P(
    AllSorts, TaskListOrderTest,
    ::testing::Values(
        SortCase{SortField::kCreatedAt, SortOrder::kAsc, "t.created_at ASC, t.id ASC"},
        SortCase{SortField::kCreatedAt, SortOrder::kDesc, "t.created_at DESC, t.id DESC"},
        SortCase{SortField::kUpdatedAt, SortOrder::kAsc, "t.updated_at ASC, t.id ASC"},
        SortCase{SortField::kUpdatedAt, SortOrder::kDesc, "t.updated_at DESC, t.id DESC"},
        SortCase{SortField::kDueAt, SortOrder::kAsc, "t.due_at ASC NULLS LAST, t.id ASC"},
        SortCase{SortField::kDueAt, SortOrder::kDesc, "t.due_at DESC NULLS LAST, t.id DESC"},
        // P1 is the highest priority: "desc" lists P1 first (rank ascending).
        SortCase{SortField::kPriority, SortOrder::kAsc, "t.priority DESC NULLS LAST, t.id ASC"},
        SortCase{SortField::kPriority, SortOrder::kDesc, "t.priority ASC NULLS LAST, t.id DESC"},
        SortCase{SortField::kTitle, SortOrder::kAsc, "t.title_key ASC, t.id ASC"},
        SortCase{SortField::kTitle, SortOrder::kDesc, "t.title_key DESC, t.id DESC"}));

}  // namespace
}  // namespace taskflow::sql
