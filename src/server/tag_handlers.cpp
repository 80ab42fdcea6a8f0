// /api/tags: list with task counts, create, rename or recolour, delete.
#include "server/handlers.hpp"

namespace taskflow {
namespace {

HttpResponse TagResult(int status, const Result<TagWithCount>& tag) {
  if (!tag.ok()) return ErrorResponse(tag.error());
  return JsonResponse(status, EncodeTag(*tag));
}

HttpResponse TagNotFound() { return ErrorResponse(Error::NotFound("tag not found")); }

HttpResponse ListTags(TagService& tags, const std::string& user_id) {
  Result<std::vector<TagWithCount>> list = tags.List(user_id);
  if (!list.ok()) return ErrorResponse(list.error());
  return JsonResponse(200, EncodeTagList(*list));
}

HttpResponse CreateTag(TagService& tags, const HttpRequest& request, const std::string& user_id) {
  TagDraft draft;
  if (auto rejected = DecodeBody(request, &DecodeTagDraft, draft)) return *rejected;
  Result<TagWithCount> tag = tags.Create(user_id, std::move(draft));
  if (!tag.ok()) return ErrorResponse(tag.error());
  HttpResponse response = JsonResponse(201, EncodeTag(*tag));
  response.headers.emplace_back("Location", "/api/tags/" + tag->tag.id);
  return response;
}

HttpResponse PatchTag(TagService& tags, const HttpRequest& request, const std::string& user_id,
                      const std::string& tag_id) {
  TagPatch patch;
  if (auto rejected = DecodeBody(request, &DecodeTagPatch, patch)) return *rejected;
  return TagResult(200, tags.Update(user_id, tag_id, std::move(patch)));
}

HttpResponse DeleteTag(TagService& tags, const std::string& user_id, const std::string& tag_id) {
  Status deleted = tags.Delete(user_id, tag_id);
  if (!deleted.ok()) return ErrorResponse(deleted.error());
  return NoContent();
}

}  // namespace

void RegisterTagRoutes(Router& router, const ApiServices& services) {
  TagService& tags = services.tags;
  AccountService& accounts = services.accounts;
  router.Add(
      "GET", "/api/tags",
      WithAuth(accounts, [&tags](const HttpRequest&, const PathParams&,
                                 const std::string& user_id) { return ListTags(tags, user_id); }));
  router.Add("POST", "/api/tags",
             WithAuth(accounts, [&tags](const HttpRequest& request, const PathParams&,
                                        const std::string& user_id) {
               return CreateTag(tags, request, user_id);
             }),
             RouteCost::kStoreWrite);
  router.Add("PATCH", "/api/tags/{id}",
             WithAuth(accounts, [&tags](const HttpRequest& request, const PathParams& params,
                                        const std::string& user_id) {
               const std::string_view id = params.get("id");
               if (!IsIdText(id)) return TagNotFound();
               return PatchTag(tags, request, user_id, std::string(id));
             }),
             RouteCost::kStoreWrite);
  router.Add("DELETE", "/api/tags/{id}",
             WithAuth(accounts, [&tags](const HttpRequest&, const PathParams& params,
                                        const std::string& user_id) {
               const std::string_view id = params.get("id");
               if (!IsIdText(id)) return TagNotFound();
               return DeleteTag(tags, user_id, std::string(id));
             }),
             RouteCost::kStoreWrite);
}

}  // namespace taskflow
