// Use cases of a user's webhooks: where the notification service POSTs their
// reminders, signed with the webhook's secret (shown once, on creation).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "domain/result.hpp"
#include "ports/event_records.hpp"

namespace taskflow {

inline constexpr int kMaxWebhooksPerUser = 10;
inline constexpr std::size_t kMaxWebhookUrlLength = 2048;

// Checks a webhook URL: http or https, a host, at most kMaxWebhookUrlLength,
// no credentials, no fragment, no whitespace or control characters.
Status CheckWebhookUrl(std::string_view url);

// Thread-safe.
class WebhookService {
 public:
  // `new_secret` makes a fresh random signing key (hex).
  WebhookService(Ports ports, std::function<std::string()> new_secret)
      : ports_(ports), new_secret_(std::move(new_secret)) {}

  // kInvalidArgument on "url"; kConflict past kMaxWebhooksPerUser.
  Result<Webhook> Create(const std::string& user_id, std::string url);
  Result<std::vector<Webhook>> List(const std::string& user_id);
  Status Delete(const std::string& user_id, const std::string& webhook_id);

 private:
  Ports ports_;
  std::function<std::string()> new_secret_;
};

}  // namespace taskflow
