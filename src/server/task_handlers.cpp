// /api/tasks: create, read, list, change, complete, reopen, delete, and
// natural-language parse and quick add.
#include <algorithm>
#include <charconv>

#include "domain/task_query.hpp"
#include "server/handlers.hpp"

namespace taskflow {
namespace {

// Every single-task answer carries the version as a strong ETag.
HttpResponse TaskResponse(int status, const Task& task) {
  HttpResponse response = JsonResponse(status, EncodeTask(task));
  response.headers.emplace_back("ETag", TaskETag(task.version));
  return response;
}

HttpResponse TaskResult(const Result<Task>& task) {
  if (!task.ok()) return ErrorResponse(task.error());
  return TaskResponse(200, *task);
}

HttpResponse TaskNotFound() { return ErrorResponse(Error::NotFound("task not found")); }

HttpResponse BadIfMatch() {
  return ProblemResponse(400, "the If-Match header is malformed",
                         {FieldError{"If-Match", "must be * or a list of entity-tags like \"3\""}});
}

HttpResponse StaleVersion() {
  return ErrorResponse(Error::Precondition("the task has changed since the version in If-Match"));
}

// Turns If-Match into the one version the service checks atomically. With a
// list of candidates, the current version is read first: when it is one of
// them the write is made conditional on exactly it, so a concurrent change in
// between still fails with 412.
struct VersionCheck {
  std::optional<std::int64_t> version;
  std::optional<HttpResponse> answer;  // set: answer this instead
};
VersionCheck ResolveIfMatch(TaskService& tasks, const IfMatch& if_match, const std::string& user_id,
                            const std::string& task_id) {
  if (!if_match.check) return {};
  if (if_match.versions.size() == 1) return {if_match.versions.front(), std::nullopt};
  Result<Task> current = tasks.Get(user_id, task_id);
  if (!current.ok()) return {std::nullopt, ErrorResponse(current.error())};
  const auto& versions = if_match.versions;
  if (std::find(versions.begin(), versions.end(), current->version) == versions.end()) {
    return {std::nullopt, StaleVersion()};
  }
  return {current->version, std::nullopt};
}

HttpResponse CreateTask(TaskService& tasks, const HttpRequest& request,
                        const std::string& user_id) {
  TaskDraft draft;
  if (auto rejected = DecodeBody(request, &DecodeTaskDraft, draft)) return *rejected;
  Result<Task> task = tasks.Create(user_id, std::move(draft));
  if (!task.ok()) return ErrorResponse(task.error());
  HttpResponse response = TaskResponse(201, *task);
  response.headers.emplace_back("Location", "/api/tasks/" + task->id);
  return response;
}

// Creates nothing: what quick add reads in the text.
HttpResponse ParseTask(TaskService& tasks, const HttpRequest& request, const std::string& user_id) {
  QuickAddInput input;
  if (auto rejected = DecodeBody(request, &DecodeQuickAddInput, input)) return *rejected;
  Result<QuickAddResult> parsed = tasks.ParseQuickAdd(user_id, std::move(input));
  if (!parsed.ok()) return ErrorResponse(parsed.error());
  return JsonResponse(200, EncodeQuickAddResult(*parsed));
}

// Only `text` is used: quick add reads it now, in the user's zone.
HttpResponse QuickAddTask(TaskService& tasks, const HttpRequest& request,
                          const std::string& user_id) {
  QuickAddInput input;
  if (auto rejected = DecodeBody(request, &DecodeQuickAddInput, input)) return *rejected;
  Result<Task> task = tasks.QuickAdd(user_id, std::move(input.text));
  if (!task.ok()) return ErrorResponse(task.error());
  HttpResponse response = TaskResponse(201, *task);
  response.headers.emplace_back("Location", "/api/tasks/" + task->id);
  return response;
}

HttpResponse ListTasks(TaskService& tasks, const HttpRequest& request, const std::string& user_id) {
  Result<TaskQuery> query = ParseTaskQuery(request.query);
  if (!query.ok()) return ErrorResponse(query.error());
  Result<TaskPage> page = tasks.List(user_id, *query);
  if (!page.ok()) return ErrorResponse(page.error());
  return JsonResponse(200, EncodeTaskPage(*page, query->offset, query->limit));
}

HttpResponse GetTask(TaskService& tasks, const HttpRequest& request, const std::string& user_id,
                     const std::string& task_id) {
  Result<Task> task = tasks.Get(user_id, task_id);
  if (!task.ok()) return ErrorResponse(task.error());
  if (IfNoneMatchHolds(request, task->version)) {
    HttpResponse response;
    response.status = 304;
    response.content_type.clear();
    response.headers.emplace_back("ETag", TaskETag(task->version));
    return response;
  }
  return TaskResponse(200, *task);
}

HttpResponse PatchTask(TaskService& tasks, const HttpRequest& request, const std::string& user_id,
                       const std::string& task_id) {
  const std::optional<IfMatch> if_match = ParseIfMatch(request);
  if (!if_match) return BadIfMatch();
  TaskPatch patch;
  if (auto rejected = DecodeBody(request, &DecodeTaskPatch, patch)) return *rejected;
  VersionCheck check = ResolveIfMatch(tasks, *if_match, user_id, task_id);
  if (check.answer) return std::move(*check.answer);
  return TaskResult(tasks.Update(user_id, task_id, std::move(patch), check.version));
}

HttpResponse DeleteTask(TaskService& tasks, const HttpRequest& request, const std::string& user_id,
                        const std::string& task_id) {
  const std::optional<IfMatch> if_match = ParseIfMatch(request);
  if (!if_match) return BadIfMatch();
  VersionCheck check = ResolveIfMatch(tasks, *if_match, user_id, task_id);
  if (check.answer) return std::move(*check.answer);
  Status deleted = tasks.Delete(user_id, task_id, check.version);
  if (!deleted.ok()) return ErrorResponse(deleted.error());
  return NoContent();
}

// Adapts a handler of one task to the router: authenticates, then checks the
// {id} capture (non-UUID text is a plain 404).
using TaskHandler = std::function<HttpResponse(
    TaskService&, const HttpRequest&, const std::string& user_id, const std::string& task_id)>;
Handler OneTask(const ApiServices& services, TaskHandler handler) {
  TaskService& tasks = services.tasks;
  return WithAuth(services.accounts, [&tasks, handler = std::move(handler)](
                                         const HttpRequest& request, const PathParams& params,
                                         const std::string& user_id) {
    const std::string_view id = params.get("id");
    if (!IsIdText(id)) return TaskNotFound();
    return handler(tasks, request, user_id, std::string(id));
  });
}

}  // namespace

std::string TaskETag(std::int64_t version) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, version);
  std::string etag;
  etag.reserve(static_cast<std::size_t>(end - buffer) + 2);
  etag += '"';
  etag.append(buffer, end);
  etag += '"';
  return etag;
}

void RegisterTaskRoutes(Router& router, const ApiServices& services) {
  TaskService& tasks = services.tasks;
  router.Add("POST", "/api/tasks",
             WithAuth(services.accounts, [&tasks](const HttpRequest& request, const PathParams&,
                                                  const std::string& user_id) {
               return CreateTask(tasks, request, user_id);
             }),
             RouteCost::kStoreWrite);
  router.Add("GET", "/api/tasks",
             WithAuth(services.accounts, [&tasks](const HttpRequest& request, const PathParams&,
                                                  const std::string& user_id) {
               return ListTasks(tasks, request, user_id);
             }));
  router.Add("POST", "/api/tasks/parse",
             WithAuth(services.accounts, [&tasks](const HttpRequest& request, const PathParams&,
                                                  const std::string& user_id) {
               return ParseTask(tasks, request, user_id);
             }));
  router.Add("POST", "/api/tasks/quick",
             WithAuth(services.accounts, [&tasks](const HttpRequest& request, const PathParams&,
                                                  const std::string& user_id) {
               return QuickAddTask(tasks, request, user_id);
             }),
             RouteCost::kStoreWrite);
  router.Add("GET", "/api/tasks/{id}", OneTask(services, GetTask));
  router.Add("PATCH", "/api/tasks/{id}", OneTask(services, PatchTask), RouteCost::kStoreWrite);
  router.Add("DELETE", "/api/tasks/{id}", OneTask(services, DeleteTask), RouteCost::kStoreWrite);
  router.Add("POST", "/api/tasks/{id}/complete",
             OneTask(services, [](TaskService& tasks, const HttpRequest&,
                                  const std::string& user_id, const std::string& task_id) {
               return TaskResult(tasks.Complete(user_id, task_id));
             }),
             RouteCost::kStoreWrite);
  router.Add("POST", "/api/tasks/{id}/reopen",
             OneTask(services, [](TaskService& tasks, const HttpRequest&,
                                  const std::string& user_id, const std::string& task_id) {
               return TaskResult(tasks.Reopen(user_id, task_id));
             }),
             RouteCost::kStoreWrite);
}

}  // namespace taskflow
