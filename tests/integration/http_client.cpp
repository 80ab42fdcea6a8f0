#include "http_client.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "append_only_log.hpp"

namespace taskflow::integration {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}

// Appends one JSON line per exchange to $TASKFLOW_CONTRACT_LOG.
class ContractLog {
 public:
  static ContractLog& Instance() {
    static ContractLog log;
    return log;
  }
  void Record(const Request& request, const Response& response) {
    if (!log_.is_open()) return;
    std::string path = request.target.substr(0, request.target.find('?'));
    boost::json::object headers;
    for (const auto& [name, value] : response.headers) {
      if (!headers.contains(name)) {
        headers[name] = value;
      }
    }
    boost::json::object line{{"method", request.method},
                             {"route", RouteTemplate(path)},
                             {"path", path},
                             {"status", response.status},
                             {"content_type", response.content_type},
                             {"headers", std::move(headers)},
                             {"body", response.body},
                             {"documented", request.documented},
                             {"test", CurrentTest()}};
    log_.Append(boost::json::serialize(line));
  }

 private:
  ContractLog() : log_(PathFromEnvironment()) {}
  static std::string PathFromEnvironment() {
    const char* path = std::getenv("TASKFLOW_CONTRACT_LOG");
    return path == nullptr ? "" : path;
  }
  static std::string CurrentTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return info == nullptr ? "" : std::string(info->test_suite_name()) + "." + info->name();
  }
  AppendOnlyLog log_;
};

size_t CollectBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t CollectHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<Response*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new response (after 100 Continue)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                                   Trim(line.substr(colon + 1)));
  }
  return size * count;
}

// Rules every answer of the API obeys; checked on each exchange.
void CheckUniversalRules(const Request& request, const Response& r) {
  const std::string what = request.method + " " + request.target + " → " + r.Describe();
  EXPECT_LT(r.status, 500) << "a server error: " << what;
  if (r.status == 204) {
    EXPECT_TRUE(r.body.empty()) << what;
    return;
  }
  if (r.status >= 400) {
    EXPECT_EQ(r.content_type, "application/problem+json") << what;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) {
      ADD_FAILURE() << "a problem that is not a JSON object: " << what;
      return;
    }
    const auto& o = v.get_object();
    for (const char* key : {"type", "title", "status", "detail", "errors"}) {
      EXPECT_TRUE(o.contains(key)) << "problem without '" << key << "': " << what;
    }
    if (const auto* s = o.if_contains("status"); s != nullptr && s->is_int64()) {
      EXPECT_EQ(s->as_int64(), r.status) << what;
    }
    if (r.status == 401) {
      EXPECT_TRUE(r.header("www-authenticate").value_or("").starts_with("Bearer")) << what;
    }
    if (r.status == 405) {
      EXPECT_TRUE(r.header("allow").has_value()) << what;
    }
  } else if (r.status >= 200 && r.status < 300) {
    EXPECT_EQ(r.content_type, "application/json") << what;
  }
}

}  // namespace

std::string WithQuery(std::string_view path, const QueryParams& params) {
  std::string target(path);
  char sep = '?';
  for (const auto& [name, value] : params) {
    target += sep;
    target += PercentEncode(name);
    target += '=';
    target += PercentEncode(value);
    sep = '&';
  }
  return target;
}

std::string RouteTemplate(std::string_view path) {
  const std::vector<std::string_view> p = Split(path);
  // Fixed routes beside /api/tasks/{id}.
  if (p.size() == 3 && p[0] == "api" && p[1] == "tasks" && (p[2] == "parse" || p[2] == "quick")) {
    return std::string(path);
  }
  if (p.size() >= 3 && p[0] == "api" && (p[1] == "tasks" || p[1] == "tags" || p[1] == "webhooks")) {
    std::string route = "/api/" + std::string(p[1]) + "/{id}";
    for (std::size_t i = 3; i < p.size(); ++i) route += "/" + std::string(p[i]);
    return route;
  }
  return std::string(path);
}

std::optional<std::string> Response::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return std::nullopt;
}

boost::json::value Response::json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) {
    ADD_FAILURE() << "not JSON: " << Describe();
    return nullptr;
  }
  return v;
}

std::string Response::Describe() const {
  constexpr std::size_t kMax = 600;
  return std::to_string(status) + " " + content_type + " " +
         (body.size() > kMax ? body.substr(0, kMax) + "…" : body);
}

HttpClient::HttpClient(std::string base_url) : base_url_(std::move(base_url)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

Response HttpClient::Send(const Request& request) {
  CURL* curl = static_cast<CURL*>(curl_);
  Response response;
  curl_easy_reset(curl);
  const std::string url = base_url_ + request.target;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  // Keep the request line exactly as written (no dot-segment squashing).
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Expect:");
  if (request.token) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + *request.token).c_str());
  }
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body->size()));
    headers = curl_slist_append(headers, request.content_type.empty()
                                             ? "Content-Type:"
                                             : ("Content-Type: " + request.content_type).c_str());
  } else if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(0));
    headers = curl_slist_append(headers, "Content-Type:");
  }
  for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    ADD_FAILURE() << request.method << " " << request.target
                  << ": transport error: " << curl_easy_strerror(rc);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  const std::string ct = response.header("content-type").value_or("");
  response.content_type = Lower(Trim(ct.substr(0, ct.find(';'))));
  CheckUniversalRules(request, response);
  ContractLog::Instance().Record(request, response);
  return response;
}

}  // namespace taskflow::integration
