// Settings of the LLM chat agent, from OPENAI_API_KEY, OPENAI_BASE_URL,
// OPENAI_MODEL and the TASKFLOW_LLM_* knobs. Parsed by pure functions (as
// apps/taskflow/config does), so the rules are unit-tested without a model
// endpoint. The API key is never part of any message or description made here.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace taskflow {

inline constexpr std::string_view kDefaultOpenAiBaseUrl = "https://api.openai.com/v1";
// Small, cheap, good at tool calls, and served by OpenAI and Azure alike.
inline constexpr std::string_view kDefaultOpenAiModel = "gpt-4o-mini";
inline constexpr int kDefaultLlmMaxSteps = 8;
inline constexpr int kMaxLlmMaxSteps = 50;

// The variables as given; unset (or empty): not given.
struct OpenAiSources {
  std::optional<std::string> api_key;          // OPENAI_API_KEY
  std::optional<std::string> base_url;         // OPENAI_BASE_URL
  std::optional<std::string> model;            // OPENAI_MODEL
  std::optional<std::string> timeout;          // TASKFLOW_LLM_TIMEOUT (seconds, whole answer)
  std::optional<std::string> request_timeout;  // TASKFLOW_LLM_REQUEST_TIMEOUT (seconds, one call)
  std::optional<std::string> max_steps;        // TASKFLOW_LLM_MAX_STEPS
  bool any() const {
    return api_key || base_url || model || timeout || request_timeout || max_steps;
  }
};

OpenAiSources OpenAiSourcesFromEnvironment(const std::function<const char*(const char*)>& lookup);

struct OpenAiOptions {
  std::string api_key;  // sent as "Authorization: Bearer …"; never logged
  // Without a trailing slash; "/chat/completions" is appended (before a
  // query string, so Azure's "?api-version=…" form works too).
  std::string base_url = std::string(kDefaultOpenAiBaseUrl);
  std::string model = std::string(kDefaultOpenAiModel);
  // Everything one Respond may take: every model request, retry wait and
  // tool call. Past it, the user gets a plain "took too long" reply.
  std::chrono::milliseconds timeout{60000};
  // One HTTP request to the model (connect + answer), capped by what is left
  // of `timeout`.
  std::chrono::milliseconds request_timeout{30000};
  // Model requests per Respond (each may ask for several tool calls).
  int max_steps = kDefaultLlmMaxSteps;
  // Retries of one request answered 429, 5xx or not at all (connection refused).
  int max_retries = 2;
  // The first wait between retries when the server gives no Retry-After; doubles.
  std::chrono::milliseconds retry_backoff{500};
  // A model answer larger than this is refused (a runaway or hostile server).
  std::size_t max_response_bytes = 4 * 1024 * 1024;
  // A tool result longer than this is cut before it is sent to the model.
  std::size_t max_tool_result_chars = 32 * 1024;
};

// Unset when no OPENAI_* / TASKFLOW_LLM_* variable is given (the offline agent
// answers). The key is required once any of them is: a base URL or model
// without a key is refused rather than silently ignored (servers that need no
// key, such as Ollama, take any value). The base URL must be http(s) without
// credentials; timeouts are whole seconds from 1 to 600, the request timeout
// at most the total; steps 1 to kMaxLlmMaxSteps. kInvalidArgument naming the
// variable; no message quotes the key.
Result<std::optional<OpenAiOptions>> ResolveOpenAiOptions(const OpenAiSources& sources);

// "{base_url}/chat/completions", the path put before a query string if any.
std::string ChatCompletionsUrl(std::string_view base_url);

// For logs: every setting but the key (shown as "***").
std::string DescribeOpenAiOptions(const OpenAiOptions& options);

}  // namespace taskflow
