// Accounts and the bearer-token gate in front of every other /api route.

#include "domain/text.hpp"
#include "server/handlers.hpp"

namespace taskflow {
namespace {

// A token is the caller's credential: it must never be cached on the way.
HttpResponse SessionResponse(int status, const Session& session) {
  HttpResponse response = JsonResponse(status, EncodeSession(session));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse Signup(AccountService& accounts, const HttpRequest& request) {
  SignupDraft draft;
  if (auto rejected = DecodeBody(request, &DecodeSignup, draft)) return *rejected;
  Result<Session> session = accounts.Signup(std::move(draft));
  if (!session.ok()) return ErrorResponse(session.error());
  return SessionResponse(201, *session);
}

HttpResponse Login(AccountService& accounts, const HttpRequest& request) {
  LoginInput input;
  if (auto rejected = DecodeBody(request, &DecodeLogin, input)) return *rejected;
  Result<Session> session = accounts.Login(input.email, input.password);
  if (!session.ok()) return ErrorResponse(session.error());
  return SessionResponse(200, *session);
}

HttpResponse GetMe(AccountService& accounts, const std::string& user_id) {
  Result<User> user = accounts.GetProfile(user_id);
  if (!user.ok()) return ErrorResponse(user.error());
  return JsonResponse(200, EncodeUser(*user));
}

HttpResponse PatchMe(AccountService& accounts, const HttpRequest& request,
                     const std::string& user_id) {
  ProfilePatch patch;
  if (auto rejected = DecodeBody(request, &DecodeProfilePatch, patch)) return *rejected;
  Result<User> user = accounts.UpdateProfile(user_id, std::move(patch));
  if (!user.ok()) return ErrorResponse(user.error());
  return JsonResponse(200, EncodeUser(*user));
}

}  // namespace

HttpResponse Unauthenticated(std::string_view detail, bool token_presented) {
  HttpResponse response = ProblemResponse(401, detail);
  response.headers.emplace_back(
      "WWW-Authenticate", token_presented ? R"(Bearer realm="taskflow", error="invalid_token")"
                                          : R"(Bearer realm="taskflow")");
  return response;
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      !EqualsIgnoreAsciiCase(authorization.substr(0, kScheme.size()), kScheme) ||
      authorization[kScheme.size()] != ' ') {
    return std::nullopt;
  }
  std::string_view token = authorization.substr(kScheme.size());
  const auto first = token.find_first_not_of(' ');
  if (first == std::string_view::npos) return std::nullopt;
  token.remove_prefix(first);
  const auto last = token.find_last_not_of(" \t");
  return token.substr(0, last + 1);
}

Handler WithAuth(AccountService& accounts, AuthedHandler handler) {
  return [&accounts, handler = std::move(handler)](const HttpRequest& request,
                                                   const PathParams& params) {
    const std::optional<std::string_view> token = BearerToken(request.header("authorization"));
    if (!token) return Unauthenticated("a bearer token is required", /*token_presented=*/false);
    Result<std::string> user_id = accounts.Authenticate(*token);
    if (!user_id.ok()) {
      if (user_id.error().code != ErrorCode::kUnauthenticated) {
        return ErrorResponse(user_id.error());
      }
      return Unauthenticated(user_id.error().message, /*token_presented=*/true);
    }
    return handler(request, params, *user_id);
  };
}

void RegisterAuthRoutes(Router& router, const ApiServices& services) {
  AccountService& accounts = services.accounts;
  // Signup and login hash a password (argon2id): they run off the I/O threads.
  router.Add(
      "POST", "/api/auth/signup",
      [&accounts](const HttpRequest& request, const PathParams&) {
        return Signup(accounts, request);
      },
      RouteCost::kBlocking);
  router.Add(
      "POST", "/api/auth/login",
      [&accounts](const HttpRequest& request, const PathParams&) {
        return Login(accounts, request);
      },
      RouteCost::kBlocking);
  router.Add("GET", "/api/me",
             WithAuth(accounts, [&accounts](const HttpRequest&, const PathParams&,
                                            const std::string& user_id) {
               return GetMe(accounts, user_id);
             }));
  router.Add("PATCH", "/api/me",
             WithAuth(accounts,
                      [&accounts](const HttpRequest& request, const PathParams&,
                                  const std::string& user_id) {
                        return PatchMe(accounts, request, user_id);
                      }),
             RouteCost::kStoreWrite);
}

}  // namespace taskflow
