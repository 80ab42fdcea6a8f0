#include "adapters/notify/curl_webhook_sender.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>

#include <memory>

#include "adapters/notify/internal_address.hpp"

namespace taskflow {
namespace {

// The answer's body is not needed: drop it.
size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// CURLOPT_OPENSOCKETFUNCTION: the one place that sees the address curl is
// about to connect to, after name resolution, for every attempt.
struct SocketGuard {
  bool allow_internal = false;
  bool refused = false;
};

curl_socket_t OpenGuardedSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(user);
  if (purpose != CURLSOCKTYPE_IPCXN ||
      (!guard->allow_internal && IsInternalAddress(&address->addr))) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

CurlWebhookSender::CurlWebhookSender(WebhookSenderOptions options) : options_(options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // reference-counted; safe to repeat
}

Status CurlWebhookSender::Send(const std::string& url, const std::string& secret,
                               const std::string& event_id, const std::string& body) {
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return Error::Unavailable("webhook: cannot start libcurl");
  std::unique_ptr<curl_slist, CurlFree> headers;
  for (const std::string& header :
       {std::string("Content-Type: application/json"),
        std::string(kWebhookEventIdHeader) + ": " + event_id,
        std::string(kWebhookSignatureHeader) + ": " + WebhookSignature(secret, body)}) {
    curl_slist* appended = curl_slist_append(headers.get(), header.c_str());
    if (appended == nullptr) return Error::Unavailable("webhook: out of memory");
    headers.release();
    headers.reset(appended);
  }
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  SocketGuard guard{.allow_internal = options_.allow_internal_addresses};
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &OpenGuardedSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &guard);
  // Through a proxy the guard would judge the proxy, not the receiver.
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK && guard.refused) {
    return Error::Unavailable(
        "webhook: refused to connect to an internal address (see "
        "TASKFLOW_WEBHOOK_ALLOW_INTERNAL)");
  }
  if (rc != CURLE_OK) {
    return Error::Unavailable(std::string("webhook: ") + curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    return Error::Unavailable("webhook: the receiver answered " + std::to_string(status));
  }
  return {};
}

}  // namespace taskflow
