// JSON bodies of the REST API: encoders for the answers, decoders for the
// requests. Decoders check JSON shape and types only; value rules (lengths,
// ranges, zone names) stay in the domain's Normalize* functions, which the
// use cases call. When a body has type errors, the decoder also runs the
// domain rules on what it could read, so one answer names every bad field.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/account_service.hpp"
#include "domain/quick_add.hpp"
#include "domain/quick_add_draft.hpp"
#include "domain/tag.hpp"
#include "domain/task.hpp"
#include "domain/task_query.hpp"
#include "domain/user.hpp"
#include "server/problem.hpp"

namespace taskflow {

// ---- Encoding (compact JSON, UTF-8 passed through) ----

// Appends `text` as a quoted JSON string, escaping quotes, backslashes and
// control characters.
void AppendJsonString(std::string& out, std::string_view text);

std::string EncodeTask(const Task& task);
std::string EncodeTaskPage(const TaskPage& page, long long offset, int limit);
std::string EncodeUser(const User& user);
std::string EncodeSession(const Session& session);  // {"token","user"}
std::string EncodeTag(const TagWithCount& tag);
std::string EncodeTagList(const std::vector<TagWithCount>& tags);  // {"tags":[…]}
// POST /api/tasks/parse: {"task": {title, priority, tags, due_at, all_day,
// timezone, recurrence, reminders}, "spans": [{start, end, kind, text}]}.
std::string EncodeQuickAddResult(const QuickAddResult& parsed);

// ---- Decoding ----

// A decoded body, or the problem to answer instead: 400 when the body is not
// JSON at all (field "body"), 422 when it is not an object or fields have the
// wrong type, are missing, or break a domain rule.
template <class T>
using Decoded = std::variant<T, Problem>;

struct LoginInput {
  std::string email;
  std::string password;
};

Decoded<TaskDraft> DecodeTaskDraft(std::string_view body);
Decoded<TaskPatch> DecodeTaskPatch(std::string_view body);
Decoded<TagDraft> DecodeTagDraft(std::string_view body);
Decoded<TagPatch> DecodeTagPatch(std::string_view body);
Decoded<SignupDraft> DecodeSignup(std::string_view body);
Decoded<LoginInput> DecodeLogin(std::string_view body);
Decoded<ProfilePatch> DecodeProfilePatch(std::string_view body);
// {"text", "now"?, "timezone"?} of POST /api/tasks/parse and /quick.
Decoded<QuickAddInput> DecodeQuickAddInput(std::string_view body);

// For a handler's own decoder: the body parsed as a JSON object (always an
// object when no problem), with the problems above for an empty body, bad
// JSON or another kind of value.
Decoded<boost::json::value> ParseObjectBody(std::string_view body);

}  // namespace taskflow
