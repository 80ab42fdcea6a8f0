#include "app/webhook_service.hpp"

#include <cctype>

namespace taskflow {

Status CheckWebhookUrl(std::string_view url) {
  const auto bad = [](std::string message) { return Error::Invalid("url", std::move(message)); };
  if (url.empty()) return bad("is required");
  if (url.size() > kMaxWebhookUrlLength) {
    return bad("must be at most " + std::to_string(kMaxWebhookUrlLength) + " characters");
  }
  for (char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return bad("must not contain spaces or control characters");
  }
  std::string lower(url.substr(0, 8));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t rest = 0;
  if (lower.starts_with("https://")) {
    rest = 8;
  } else if (lower.starts_with("http://")) {
    rest = 7;
  } else {
    return bad("must be an http:// or https:// URL");
  }
  const std::string_view authority = url.substr(rest, url.find_first_of("/?#", rest) - rest);
  if (authority.empty()) return bad("must name a host");
  if (authority.find('@') != std::string_view::npos) return bad("must not carry credentials");
  if (url.find('#') != std::string_view::npos) return bad("must not have a fragment");
  return {};
}

Result<Webhook> WebhookService::Create(const std::string& user_id, std::string url) {
  if (Status ok = CheckWebhookUrl(url); !ok.ok()) return std::move(ok).take_error();
  Webhook hook{.id = ports_.ids.NewId(),
               .user_id = user_id,
               .url = std::move(url),
               .secret = new_secret_(),
               .created_at = ports_.clock.Now()};
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    // The user's profile row exists: authenticating the request made it.
    if (tx.ListWebhooks(user_id).size() >= static_cast<std::size_t>(kMaxWebhooksPerUser)) {
      return Error::Conflict("a user may register at most " + std::to_string(kMaxWebhooksPerUser) +
                             " webhooks");
    }
    tx.InsertWebhook(hook);
    return {};
  });
  if (!status.ok()) return std::move(status).take_error();
  return hook;
}

Result<std::vector<Webhook>> WebhookService::List(const std::string& user_id) {
  std::vector<Webhook> hooks;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    hooks = tx.ListWebhooks(user_id);
    return {};
  });
  if (!status.ok()) return std::move(status).take_error();
  return hooks;
}

Status WebhookService::Delete(const std::string& user_id, const std::string& webhook_id) {
  return ports_.store.Write([&](StoreWriter& tx) -> Status {
    if (!tx.DeleteWebhook(user_id, webhook_id)) return Error::NotFound("webhook not found");
    return {};
  });
}

}  // namespace taskflow
