// WebhookSender over libcurl: POST application/json with
//   X-Taskflow-Event-Id: <event id>
//   X-Taskflow-Signature: sha256=<hex HMAC-SHA256 of the body, keyed by the webhook's secret>
// (the receiver recomputes it over the raw body and compares in constant time).
// A 2xx answer is delivered; anything else, or no answer within the timeout,
// is kUnavailable (the consumer retries, then dead-letters). Internal
// addresses (internal_address.hpp) are refused unless allowed: a webhook URL
// is user input and must not reach into the deployment's network.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "ports/webhook_sender.hpp"

namespace taskflow {

// "sha256=" + lower-case hex of HMAC-SHA256(secret, body).
std::string WebhookSignature(std::string_view secret, std::string_view body);

inline constexpr std::string_view kWebhookSignatureHeader = "X-Taskflow-Signature";
inline constexpr std::string_view kWebhookEventIdHeader = "X-Taskflow-Event-Id";

struct WebhookSenderOptions {
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
  // Development and tests, where receivers run on 127.0.0.1 or a private network.
  bool allow_internal_addresses = false;
};

class CurlWebhookSender final : public WebhookSender {
 public:
  explicit CurlWebhookSender(WebhookSenderOptions options = {});
  Status Send(const std::string& url, const std::string& secret, const std::string& event_id,
              const std::string& body) override;

 private:
  const WebhookSenderOptions options_;
};

}  // namespace taskflow
