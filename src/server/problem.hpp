// RFC 9457 problem details: the one shape of every error answer.
//
// Body: {"type","title","status","detail","errors":[{"field","message"}]};
// `errors` is always present (empty when no field is to blame). The type is
// "urn:taskflow:problem:<slug>", one slug per status.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "server/http_types.hpp"

namespace taskflow {

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// An error answer before it is rendered; what request decoders return.
struct Problem {
  int status = 500;
  std::string detail;
  std::vector<FieldError> errors;
};

// The HTTP status of a use-case error kind.
int HttpStatusOf(ErrorCode code);

// "validation", "not-found" … for the statuses the API uses; "error" otherwise.
std::string_view ProblemSlug(int status);

// The standard reason phrase ("Unprocessable Content" …) used as the title.
std::string_view ProblemTitle(int status);

HttpResponse ProblemResponse(int status, std::string_view detail,
                             const std::vector<FieldError>& errors = {});
HttpResponse ProblemResponse(const Problem& problem);

// The one place where a use-case Error becomes an HTTP answer. A 500 logs the
// real reason and answers a generic detail, so internals never reach a client.
// A 401 carries `WWW-Authenticate: Bearer realm="taskflow"`.
HttpResponse ErrorResponse(const Error& error);

}  // namespace taskflow
