#include "adapters/llm/json_post.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace taskflow::llm {
namespace {

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Received {
  std::string body;
  std::size_t max_bytes = 0;
  bool too_large = false;
  std::string retry_after;
  std::string retry_after_ms;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  const size_t bytes = size * count;
  if (received->body.size() + bytes > received->max_bytes) {
    received->too_large = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR
  }
  received->body.append(data, bytes);
  return bytes;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Keeps the two headers a retry needs; a redirect's or a 100's headers are
// overwritten by the final answer's.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string value(Trim(line.substr(colon + 1)));
    if (name == "retry-after") received->retry_after = value;
    if (name == "retry-after-ms") received->retry_after_ms = value;
  }
  return size * count;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::optional<long long> WholeNumber(std::string_view text) {
  text = Trim(text);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || value < 0) return std::nullopt;
  // "1.5" seconds: the whole part is enough for a wait.
  if (end != text.data() + text.size() && *end != '.') return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& retry_after,
                                                         const std::string& retry_after_ms) {
  using std::chrono::milliseconds;
  constexpr long long kDay = 24LL * 3600;  // beyond any deadline; keeps the arithmetic small
  if (std::optional<long long> ms = WholeNumber(retry_after_ms)) {
    return milliseconds(std::min(*ms, kDay * 1000));
  }
  if (Trim(retry_after).empty()) return std::nullopt;
  if (std::optional<long long> seconds = WholeNumber(retry_after)) {
    return milliseconds(std::min(*seconds, kDay) * 1000);
  }
  const time_t when = curl_getdate(retry_after.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const long long wait = std::clamp<long long>(when - std::time(nullptr), 0, kDay);
  return milliseconds(wait * 1000);
}

PostOutcome PostJson(const PostRequest& request) {
  GlobalInitOnce();
  PostOutcome outcome;
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) {
    outcome.error = "cannot start libcurl";
    return outcome;
  }
  std::unique_ptr<curl_slist, CurlFree> headers;
  std::vector<std::string> lines = {"Content-Type: application/json", "Accept: application/json",
                                    "Expect:"};  // no 100-continue round trip
  if (!request.bearer_token.empty())
    lines.push_back("Authorization: Bearer " + request.bearer_token);
  for (const std::string& line : lines) {
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (appended == nullptr) {
      outcome.error = "out of memory";
      return outcome;
    }
    headers.release();
    headers.reset(appended);
  }
  Received received;
  received.max_bytes = request.max_response_bytes;
  const long timeout_ms = std::max<long>(1, static_cast<long>(request.timeout.count()));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "taskflow");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(timeout_ms, 10000));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  // A redirected POST would lose its body or carry the key elsewhere.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip etc.; the cap counts decoded bytes
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);
  const CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &outcome.status);
  outcome.retry_after = ParseRetryAfter(received.retry_after, received.retry_after_ms);
  if (received.too_large) {
    outcome.kind = PostOutcome::Kind::kTooLarge;
    outcome.error =
        "the answer is larger than " + std::to_string(request.max_response_bytes) + " bytes";
    return outcome;
  }
  if (rc != CURLE_OK) {
    outcome.error = curl_easy_strerror(rc);
    switch (rc) {
      case CURLE_OPERATION_TIMEDOUT:
        outcome.kind = PostOutcome::Kind::kTimedOut;
        break;
      case CURLE_COULDNT_CONNECT:
      case CURLE_COULDNT_RESOLVE_HOST:
      case CURLE_COULDNT_RESOLVE_PROXY:
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_PEER_FAILED_VERIFICATION:
        outcome.kind = PostOutcome::Kind::kUnreachable;
        break;
      default:
        outcome.kind = PostOutcome::Kind::kFailed;
    }
    return outcome;
  }
  outcome.kind = PostOutcome::Kind::kAnswered;
  outcome.body = std::move(received.body);
  return outcome;
}

}  // namespace taskflow::llm
