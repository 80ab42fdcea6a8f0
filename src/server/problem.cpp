#include "server/problem.hpp"

#include "adapters/system/logging.hpp"
#include "server/json_codec.hpp"

namespace taskflow {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ProblemSlug(int status) {
  switch (status) {
    case 400:
      return "malformed-request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 405:
      return "method-not-allowed";
    case 409:
      return "conflict";
    case 412:
      return "precondition-failed";
    case 413:
      return "payload-too-large";
    case 415:
      return "unsupported-media-type";
    case 422:
      return "validation";
    case 426:
      return "upgrade-required";
    case 429:
      return "too-many-requests";
    case 431:
      return "header-too-large";
    case 500:
      return "internal";
    case 503:
      return "unavailable";
    default:
      return "error";
  }
}

std::string_view ProblemTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

HttpResponse ProblemResponse(int status, std::string_view detail,
                             const std::vector<FieldError>& errors) {
  HttpResponse response;
  response.status = status;
  response.content_type = kProblemContentType;
  std::string& out = response.body;
  out.reserve(160 + detail.size() + errors.size() * 64);
  out += R"({"type":"urn:taskflow:problem:)";
  out += ProblemSlug(status);
  out += R"(","title":)";
  AppendJsonString(out, ProblemTitle(status));
  out += R"(,"status":)";
  out += std::to_string(status);
  out += R"(,"detail":)";
  AppendJsonString(out, detail);
  out += R"(,"errors":[)";
  bool first = true;
  for (const FieldError& e : errors) {
    if (!first) out += ',';
    first = false;
    out += R"({"field":)";
    AppendJsonString(out, e.field);
    out += R"(,"message":)";
    AppendJsonString(out, e.message);
    out += '}';
  }
  out += "]}";
  return response;
}

HttpResponse ProblemResponse(const Problem& problem) {
  return ProblemResponse(problem.status, problem.detail, problem.errors);
}

HttpResponse ErrorResponse(const Error& error) {
  const int status = HttpStatusOf(error.code);
  if (status == 500) {
    log::Error("internal error", {{"detail", error.message}});
    return ProblemResponse(500, "an internal error occurred; it has been logged");
  }
  if (status == 503) {
    // The adapter's reason may quote SQL or file paths: log it, answer plainly.
    log::Warn("unavailable", {{"detail", error.message}});
    HttpResponse response = ProblemResponse(503, "the service is unavailable; retry shortly");
    response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  HttpResponse response = ProblemResponse(status, error.message, error.fields);
  if (status == 401) {
    response.headers.emplace_back("WWW-Authenticate", R"(Bearer realm="taskflow")");
  }
  return response;
}

}  // namespace taskflow
