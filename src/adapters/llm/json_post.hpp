// One JSON POST over libcurl to a model endpoint, bounded in time and size.
// Says what happened instead of failing: answered (any status), timed out,
// too large, unreachable. Never logs; the bearer token is only put in the
// Authorization header.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace taskflow::llm {

struct PostOutcome {
  enum class Kind {
    kAnswered,     // an HTTP answer arrived (see status)
    kTimedOut,     // no complete answer within the timeout
    kTooLarge,     // the body passed the size cap; reading stopped
    kUnreachable,  // no connection (refused, DNS, TLS handshake)
    kFailed,       // anything else curl reports
  };
  Kind kind = Kind::kFailed;
  long status = 0;
  std::string body;
  // From Retry-After (seconds or an HTTP date) or retry-after-ms, when given.
  std::optional<std::chrono::milliseconds> retry_after;
  std::string error;  // curl's description, for logs (holds no header)
};

struct PostRequest {
  std::string url;
  std::string bearer_token;  // empty: no Authorization header
  std::string body;
  std::chrono::milliseconds timeout{30000};
  std::size_t max_response_bytes = 4 * 1024 * 1024;
};

// Thread-safe (one curl handle per call).
PostOutcome PostJson(const PostRequest& request);

// "120" → 120 s; an HTTP date → the time until it (0 when past); nullopt when
// unreadable. `retry_after_ms` (OpenAI's header) wins when both are given.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& retry_after,
                                                         const std::string& retry_after_ms);

}  // namespace taskflow::llm
