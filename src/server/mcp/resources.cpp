#include "server/mcp/resources.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "domain/task_query.hpp"
#include "domain/time.hpp"
#include "domain/zoned_time.hpp"
#include "server/handlers.hpp"
#include "server/json_codec.hpp"

namespace taskflow::mcp {
namespace {

using std::chrono::days;
using std::chrono::milliseconds;

constexpr std::string_view kTaskPrefix = "task://";
constexpr std::string_view kViewPrefix = "tasks://";

struct ViewInfo {
  std::string_view name;
  std::string_view title;
  std::string_view description;
};
constexpr ViewInfo kViews[] = {
    {"today", "Due today", "The user's pending tasks due today, in the user's time zone."},
    {"overdue", "Overdue", "The user's pending tasks whose due date has passed."},
    {"upcoming", "Upcoming", "The user's pending tasks due in the 7 days after today."},
};

ResourceError Failure(const Error& error) {
  if (error.code == ErrorCode::kNotFound) return {kResourceNotFound, "resource not found: " + error.message};
  return {kInternalError, "cannot read the resource: " + error.message};
}

// Start of the local day `offset` days after the one holding `now`, in `zone`.
std::optional<Instant> DayStart(Instant now, const std::string& zone, int offset) {
  const std::optional<LocalTime> local = ToLocal(now, zone);
  if (!local) return std::nullopt;
  const auto day = std::chrono::floor<days>(*local) + days(offset);
  return ResolveLocal(LocalTime(std::chrono::duration_cast<milliseconds>(day.time_since_epoch())),
                      zone);
}

}  // namespace

json::array TaskResources::List() const {
  json::array list;
  for (const ViewInfo& view : kViews) {
    list.push_back(json::object{{"uri", std::string(kViewPrefix) + std::string(view.name)},
                                {"name", view.name},
                                {"title", view.title},
                                {"description", view.description},
                                {"mimeType", "application/json"}});
  }
  return list;
}

json::array TaskResources::Templates() const {
  return {json::object{{"uriTemplate", "task://{id}"},
                       {"name", "task"},
                       {"title", "A task"},
                       {"description", "One of the user's tasks by id, as the REST API shows it."},
                       {"mimeType", "application/json"}}};
}

std::variant<TaskView, ResourceError> TaskResources::View(const std::string& user_id,
                                                          std::string_view name) const {
  Result<User> user = services_.accounts.GetProfile(user_id);
  if (!user.ok()) return Failure(user.error());
  const Instant now = services_.clock.Now();
  TaskView view;
  view.timezone = user->timezone;
  const std::optional<Instant> today = DayStart(now, view.timezone, 0);
  const std::optional<Instant> tomorrow = DayStart(now, view.timezone, 1);
  const std::optional<Instant> week_end = DayStart(now, view.timezone, 8);
  if (!today || !tomorrow || !week_end) return ResourceError{kInternalError, "unknown time zone"};
  if (auto local = ToLocal(now, view.timezone)) {
    const std::chrono::year_month_day date{std::chrono::floor<days>(*local)};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    view.local_date = text;
  }
  TaskQuery query;
  query.status = TaskStatus::kPending;
  query.sort_by = SortField::kDueAt;
  query.sort_order = SortOrder::kAsc;
  query.limit = kMaxPageLimit;
  if (name == "today") {
    query.due_after = *today;
    query.due_before = *tomorrow - milliseconds(1);
  } else if (name == "overdue") {
    // Timed tasks due before now, all-day ones whose day is over (IsOverdue).
    query.overdue = OverdueCutoff{now, *today};
  } else if (name == "upcoming") {
    query.due_after = *tomorrow;
    query.due_before = *week_end - milliseconds(1);
  } else if (name == "completed-week") {
    query.status = TaskStatus::kCompleted;
    query.sort_by = SortField::kUpdatedAt;
    query.sort_order = SortOrder::kDesc;
  } else {
    return ResourceError{kResourceNotFound, "resource not found: no view named " + std::string(name)};
  }
  Result<TaskPage> page = services_.tasks.List(user_id, query);
  if (!page.ok()) return Failure(page.error());
  view.total = page->total;
  for (const Task& task : page->tasks) {
    if (name == "completed-week" &&
        (!task.completed_at || *task.completed_at < now - days(7))) {
      --view.total;
      continue;
    }
    view.tasks.push_back(json::parse(EncodeTask(task)));
  }
  return view;
}

std::variant<json::object, ResourceError> TaskResources::Read(const std::string& user_id,
                                                              std::string_view uri) const {
  std::string text;
  if (uri.starts_with(kTaskPrefix)) {
    const std::string id(uri.substr(kTaskPrefix.size()));
    if (!IsIdText(id)) return ResourceError{kResourceNotFound, "resource not found: " + std::string(uri)};
    Result<Task> task = services_.tasks.Get(user_id, id);
    if (!task.ok()) return Failure(task.error());
    text = EncodeTask(*task);
  } else if (uri.starts_with(kViewPrefix)) {
    const std::string_view name = uri.substr(kViewPrefix.size());
    bool known = false;
    for (const ViewInfo& view : kViews) known = known || view.name == name;
    if (!known) return ResourceError{kResourceNotFound, "resource not found: " + std::string(uri)};
    auto view = View(user_id, name);
    if (auto* error = std::get_if<ResourceError>(&view)) return *error;
    TaskView& tasks = std::get<TaskView>(view);
    text = json::serialize(json::object{{"view", name},
                                        {"timezone", tasks.timezone},
                                        {"date", tasks.local_date},
                                        {"total", tasks.total},
                                        {"tasks", std::move(tasks.tasks)}});
  } else {
    return ResourceError{kResourceNotFound, "resource not found: " + std::string(uri)};
  }
  return json::object{{"contents", json::array{json::object{{"uri", uri},
                                                            {"mimeType", "application/json"},
                                                            {"text", std::move(text)}}}}};
}

}  // namespace taskflow::mcp
