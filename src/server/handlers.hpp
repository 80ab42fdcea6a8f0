// Private to the server: helpers shared by the REST handlers and the three
// route groups that api_routes.cpp registers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/http_server.hpp"
#include "server/http_types.hpp"
#include "server/json_codec.hpp"
#include "server/problem.hpp"
#include "server/router.hpp"

namespace taskflow {

HttpResponse JsonResponse(int status, std::string body);

// /ready: 200 when the database answers and no background loop of the
// process is stopped; 503 naming what is not (the loops by name).
HttpResponse ReadinessAnswer(bool database_ok, const std::vector<std::string>& stopped_loops);
HttpResponse NoContent();

// 415 unless the request has no body or declares a JSON media type
// ("application/json", "application/*+json", parameters allowed).
std::optional<HttpResponse> RejectNonJsonBody(const HttpRequest& request);

// Runs `decode` on the body after the media-type check; `out` is set on success.
template <class T>
std::optional<HttpResponse> DecodeBody(const HttpRequest& request,
                                       Decoded<T> (*decode)(std::string_view), T& out) {
  if (auto rejected = RejectNonJsonBody(request)) return rejected;
  Decoded<T> decoded = decode(request.body);
  if (auto* problem = std::get_if<Problem>(&decoded)) return ProblemResponse(*problem);
  out = std::move(std::get<T>(decoded));
  return std::nullopt;
}

// Ids are UUID text; anything else cannot name a row, so it is a 404 without
// a database round trip.
bool IsIdText(std::string_view text);

// The credentials of an "Authorization: Bearer <token>" header (scheme
// matched case-insensitively); nullopt when there are none.
std::optional<std::string_view> BearerToken(std::string_view authorization);

// 401 with WWW-Authenticate; per RFC 6750 §3 it names the error
// (invalid_token) only when a token was presented.
HttpResponse Unauthenticated(std::string_view detail, bool token_presented);

// A handler that runs only for an authenticated caller, with the caller's id.
using AuthedHandler =
    std::function<HttpResponse(const HttpRequest&, const PathParams&, const std::string& user_id)>;
Handler WithAuth(AccountService& accounts, AuthedHandler handler);

// A parsed If-Match header: absent or "*" (no version check), or the strong
// numeric entity-tags it lists (weak or non-numeric tags never match).
struct IfMatch {
  bool check = false;  // false: no precondition
  std::vector<std::int64_t> versions;
};
// nullopt when the header is not valid If-Match syntax.
std::optional<IfMatch> ParseIfMatch(const HttpRequest& request);

// True when If-None-Match is "*" or lists the task's ETag (weak comparison,
// RFC 9110 §13.1.2): the client's copy is current and a 304 will do.
bool IfNoneMatchHolds(const HttpRequest& request, std::int64_t version);

// `"<version>"`, the ETag of a task.
std::string TaskETag(std::int64_t version);

void RegisterAuthRoutes(Router& router, const ApiServices& services);
void RegisterTaskRoutes(Router& router, const ApiServices& services);
void RegisterTagRoutes(Router& router, const ApiServices& services);
void RegisterEventRoutes(Router& router, const ApiServices& services);
// Needs services.chat.
void RegisterChatRoutes(Router& router, const ApiServices& services);

}  // namespace taskflow
