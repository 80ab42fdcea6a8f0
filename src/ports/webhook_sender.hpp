// WebhookSender port: POSTs a JSON body to a user's URL, signed with the
// webhook's secret (HMAC-SHA256 over the body, in a header).
#pragma once

#include <string>

#include "domain/result.hpp"

namespace taskflow {

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // Ok when the receiver answered 2xx; kUnavailable otherwise (unreachable,
  // timeout, other status). Thread-safe.
  virtual Status Send(const std::string& url, const std::string& secret,
                      const std::string& event_id, const std::string& body) = 0;
};

}  // namespace taskflow
