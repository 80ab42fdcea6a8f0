// /api/activity (the audit service's log of the caller's tasks) and
// /api/webhooks (where the notification service POSTs the caller's reminders).
#include <boost/json.hpp>
#include <charconv>

#include "server/handlers.hpp"

namespace taskflow {
namespace {

namespace json = boost::json;

std::optional<long long> ParseInteger(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// ?task_id=&limit=&offset=; every offending parameter is named.
Result<ActivityQuery> ParseActivityQuery(const HttpRequest& request) {
  ActivityQuery query;
  std::vector<FieldError> errors;
  for (const auto& [name, value] : request.query) {
    if (name == "task_id") {
      if (!IsIdText(value)) {
        errors.push_back({"task_id", "must be a task id (UUID)"});
      } else {
        query.task_id = value;
      }
    } else if (name == "limit") {
      const auto limit = ParseInteger(value);
      if (!limit || *limit < 1 || *limit > kMaxActivityLimit) {
        errors.push_back(
            {"limit", "must be an integer from 1 to " + std::to_string(kMaxActivityLimit)});
      } else {
        query.limit = static_cast<int>(*limit);
      }
    } else if (name == "offset") {
      const auto offset = ParseInteger(value);
      if (!offset || *offset < 0) {
        errors.push_back({"offset", "must be an integer of 0 or more"});
      } else {
        query.offset = *offset;
      }
    } else {
      errors.push_back({name, "is not a parameter of this operation"});
    }
  }
  if (!errors.empty()) return Error::Invalid(std::move(errors));
  return query;
}

std::string EncodeActivityPage(const ActivityPage& page, const ActivityQuery& query) {
  json::array items;
  for (const ActivityEntry& entry : page.entries) {
    boost::system::error_code ec;
    json::value data = json::parse(entry.task_data, ec);
    if (ec) data = json::object();
    items.push_back(json::object{{"event_id", entry.event_id},
                                 {"event_type", entry.event_type},
                                 {"task_id", entry.task_id},
                                 {"task_data", std::move(data)},
                                 {"occurred_at", FormatRfc3339(entry.occurred_at)}});
  }
  return json::serialize(json::object{{"items", std::move(items)},
                                      {"total", page.total},
                                      {"offset", query.offset},
                                      {"limit", query.limit}});
}

json::object EncodeWebhook(const Webhook& hook) {
  return json::object{
      {"id", hook.id}, {"url", hook.url}, {"created_at", FormatRfc3339(hook.created_at)}};
}

// {"url": "<http(s) URL>"}
Decoded<std::string> DecodeWebhookDraft(std::string_view body) {
  Decoded<json::value> value = ParseObjectBody(body);
  if (auto* problem = std::get_if<Problem>(&value)) return std::move(*problem);
  const json::object& o = std::get<json::value>(value).get_object();
  std::vector<FieldError> errors;
  for (const auto& member : o) {
    if (member.key() != "url") {
      errors.push_back({std::string(member.key()), "is not a field of a webhook"});
    }
  }
  const json::value* url = o.if_contains("url");
  if (url == nullptr || !url->is_string()) errors.push_back({"url", "must be a string"});
  if (!errors.empty()) {
    return Problem{422, "the request has invalid fields", std::move(errors)};
  }
  return std::string(url->as_string());
}

}  // namespace

void RegisterEventRoutes(Router& router, const ApiServices& services) {
  AccountService& accounts = services.accounts;
  ActivityService& activity = services.activity;
  WebhookService& webhooks = services.webhooks;
  router.Add("GET", "/api/activity",
             WithAuth(accounts, [&activity](const HttpRequest& request, const PathParams&,
                                            const std::string& user_id) {
               Result<ActivityQuery> query = ParseActivityQuery(request);
               if (!query.ok()) return ErrorResponse(query.error());
               Result<ActivityPage> page = activity.List(user_id, *query);
               if (!page.ok()) return ErrorResponse(page.error());
               return JsonResponse(200, EncodeActivityPage(*page, *query));
             }));
  router.Add("GET", "/api/webhooks",
             WithAuth(accounts, [&webhooks](const HttpRequest&, const PathParams&,
                                            const std::string& user_id) {
               Result<std::vector<Webhook>> list = webhooks.List(user_id);
               if (!list.ok()) return ErrorResponse(list.error());
               json::array items;
               for (const Webhook& hook : *list) items.push_back(EncodeWebhook(hook));
               return JsonResponse(200, json::serialize(json::object{{"webhooks", items}}));
             }));
  router.Add("POST", "/api/webhooks",
             WithAuth(accounts, [&webhooks](const HttpRequest& request, const PathParams&,
                                            const std::string& user_id) {
               std::string url;
               if (auto rejected = DecodeBody(request, &DecodeWebhookDraft, url)) {
                 return *rejected;
               }
               Result<Webhook> hook = webhooks.Create(user_id, std::move(url));
               if (!hook.ok()) return ErrorResponse(hook.error());
               json::object body = EncodeWebhook(*hook);
               body["secret"] = hook->secret;  // shown once
               HttpResponse response = JsonResponse(201, json::serialize(body));
               response.headers.emplace_back("Location", "/api/webhooks/" + hook->id);
               return response;
             }));
  router.Add("DELETE", "/api/webhooks/{id}",
             WithAuth(accounts, [&webhooks](const HttpRequest&, const PathParams& params,
                                            const std::string& user_id) {
               const std::string_view id = params.get("id");
               if (!IsIdText(id)) return ErrorResponse(Error::NotFound("webhook not found"));
               Status deleted = webhooks.Delete(user_id, std::string(id));
               if (!deleted.ok()) return ErrorResponse(deleted.error());
               return NoContent();
             }));
}

}  // namespace taskflow
