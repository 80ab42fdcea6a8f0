#include "adapters/llm/openai_options.hpp"

#include <cctype>
#include <charconv>

namespace taskflow {
namespace {

constexpr std::string_view kKeyField = "OPENAI_API_KEY";
constexpr std::string_view kBaseUrlField = "OPENAI_BASE_URL";
constexpr std::string_view kModelField = "OPENAI_MODEL";
constexpr std::string_view kTimeoutField = "TASKFLOW_LLM_TIMEOUT";
constexpr std::string_view kRequestTimeoutField = "TASKFLOW_LLM_REQUEST_TIMEOUT";
constexpr std::string_view kStepsField = "TASKFLOW_LLM_MAX_STEPS";
constexpr int kMaxTimeoutSeconds = 600;

Error Invalid(std::string_view field, const std::string& message) {
  Error error = Error::Invalid(std::string(field), message);
  error.message = std::string(field) + ": " + message;
  return error;
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<int> WholeNumber(std::string_view field, std::string_view text, int low, int high,
                        std::string_view unit) {
  text = Trim(text);
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < low ||
      value > high) {
    return Invalid(field, "must be a whole number of " + std::string(unit) + " from " +
                              std::to_string(low) + " to " + std::to_string(high));
  }
  return value;
}

// http(s)://host[:port][/path][?query], no credentials, no fragment; the
// trailing slashes of the path dropped.
Result<std::string> ParseBaseUrl(std::string_view given) {
  std::string url(Trim(given));
  const std::size_t scheme_end = url.find("://");
  const std::string scheme =
      scheme_end == std::string::npos ? std::string() : LowerAscii(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return Invalid(kBaseUrlField, "must be an http:// or https:// URL, e.g. " +
                                      std::string(kDefaultOpenAiBaseUrl));
  }
  const std::size_t host_start = scheme_end + 3;
  const std::size_t host_end = url.find_first_of("/?#", host_start);
  const std::string authority = url.substr(host_start, host_end - host_start);
  if (authority.empty()) return Invalid(kBaseUrlField, "names no host");
  if (authority.find('@') != std::string::npos) {
    // Never echo it: the credentials would land in a log.
    return Invalid(kBaseUrlField, "must not hold credentials; the key goes in OPENAI_API_KEY");
  }
  for (char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return Invalid(kBaseUrlField, "must not contain spaces or control characters");
    }
  }
  if (url.find('#') != std::string::npos)
    return Invalid(kBaseUrlField, "must not have a #fragment");
  const std::size_t query = url.find('?');
  std::string path_part = url.substr(0, query);
  while (path_part.size() > host_start + authority.size() && path_part.back() == '/') {
    path_part.pop_back();
  }
  return path_part + (query == std::string::npos ? std::string() : url.substr(query));
}

}  // namespace

OpenAiSources OpenAiSourcesFromEnvironment(const std::function<const char*(const char*)>& lookup) {
  auto get = [&](const char* name) -> std::optional<std::string> {
    const char* value = lookup(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  return OpenAiSources{.api_key = get("OPENAI_API_KEY"),
                       .base_url = get("OPENAI_BASE_URL"),
                       .model = get("OPENAI_MODEL"),
                       .timeout = get("TASKFLOW_LLM_TIMEOUT"),
                       .request_timeout = get("TASKFLOW_LLM_REQUEST_TIMEOUT"),
                       .max_steps = get("TASKFLOW_LLM_MAX_STEPS")};
}

Result<std::optional<OpenAiOptions>> ResolveOpenAiOptions(const OpenAiSources& sources) {
  if (!sources.any()) return std::optional<OpenAiOptions>();
  OpenAiOptions options;
  const std::string_view key = sources.api_key ? Trim(*sources.api_key) : std::string_view();
  if (key.empty()) {
    return Invalid(kKeyField,
                   "is required for the LLM agent (any value for a server that needs none, such "
                   "as Ollama); unset every OPENAI_* and TASKFLOW_LLM_* variable for the offline "
                   "agent");
  }
  for (char c : key) {
    // A header value cannot carry them; say so without showing the key.
    if (std::iscntrl(static_cast<unsigned char>(c)) || c == ' ') {
      return Invalid(kKeyField, "must not contain spaces or control characters");
    }
  }
  options.api_key = std::string(key);
  if (sources.base_url) {
    Result<std::string> url = ParseBaseUrl(*sources.base_url);
    if (!url.ok()) return std::move(url).take_error();
    options.base_url = std::move(url).value();
  }
  if (sources.model) {
    const std::string_view model = Trim(*sources.model);
    if (model.empty() || model.size() > 200) {
      return Invalid(kModelField, "must be a model name of 1 to 200 characters");
    }
    options.model = std::string(model);
  }
  if (sources.timeout) {
    Result<int> seconds =
        WholeNumber(kTimeoutField, *sources.timeout, 1, kMaxTimeoutSeconds, "seconds");
    if (!seconds.ok()) return std::move(seconds).take_error();
    options.timeout = std::chrono::seconds(*seconds);
  }
  if (sources.request_timeout) {
    Result<int> seconds = WholeNumber(kRequestTimeoutField, *sources.request_timeout, 1,
                                      kMaxTimeoutSeconds, "seconds");
    if (!seconds.ok()) return std::move(seconds).take_error();
    options.request_timeout = std::chrono::seconds(*seconds);
  }
  if (options.request_timeout > options.timeout) {
    if (sources.request_timeout) {
      return Invalid(kRequestTimeoutField, "must not be longer than TASKFLOW_LLM_TIMEOUT (" +
                                               std::to_string(options.timeout.count() / 1000) +
                                               " s)");
    }
    options.request_timeout = options.timeout;  // only the total was given: one call may use it
  }
  if (sources.max_steps) {
    Result<int> steps = WholeNumber(kStepsField, *sources.max_steps, 1, kMaxLlmMaxSteps, "steps");
    if (!steps.ok()) return std::move(steps).take_error();
    options.max_steps = *steps;
  }
  return std::optional<OpenAiOptions>(std::move(options));
}

std::string ChatCompletionsUrl(std::string_view base_url) {
  const std::size_t query = base_url.find('?');
  std::string url(base_url.substr(0, query));
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/chat/completions";
  if (query != std::string_view::npos) url += base_url.substr(query);
  return url;
}

std::string DescribeOpenAiOptions(const OpenAiOptions& options) {
  // A gateway may take a token in the query string: leave it out.
  const std::size_t query = options.base_url.find('?');
  const std::string url =
      query == std::string::npos ? options.base_url : options.base_url.substr(0, query) + "?…";
  return "base_url=" + url + " model=" + options.model +
         " timeout_s=" + std::to_string(options.timeout.count() / 1000) +
         " request_timeout_s=" + std::to_string(options.request_timeout.count() / 1000) +
         " max_steps=" + std::to_string(options.max_steps) +
         " api_key=" + (options.api_key.empty() ? "" : "***");
}

}  // namespace taskflow
