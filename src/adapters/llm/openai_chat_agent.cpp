#include "adapters/llm/openai_chat_agent.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <chrono>
#include <optional>
#include <set>
#include <thread>

#include "adapters/llm/chat_completions.hpp"
#include "adapters/llm/json_post.hpp"
#include "adapters/system/logging.hpp"

namespace taskflow {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Less than this left of the deadline is not worth a request.
constexpr milliseconds kMinRequestTime{50};

// Why a turn ended without the model's final answer.
enum class Failure {
  kKeyRefused,   // 401, 403
  kNoModel,      // 404: unknown model or a wrong base URL
  kRefused,      // another 4xx: the endpoint will not take this request
  kUnavailable,  // 408, 429, 5xx, a broken connection, after the retries
  kUnreachable,  // no connection at all, after the retries
  kTimedOut,     // one request took longer than request_timeout
  kTooLarge,     // the answer passed max_response_bytes
  kUnreadable,   // not a chat-completions answer
  kDeadline,     // the whole turn took longer than timeout
};

struct Asked {
  std::optional<llm::ModelAnswer> answer;
  Failure failure = Failure::kUnavailable;
  long status = 0;
  std::optional<milliseconds> retry_after;
};

long long Millis(Steady::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

bool Retryable(long status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string ToolNames(const std::vector<ChatAction>& actions) {
  std::string names;
  for (const ChatAction& action : actions) names += (names.empty() ? "" : ", ") + action.tool;
  return names;
}

// The failure in plain words, and what was done before it.
std::string FailureReply(Failure failure, const Asked& asked, const OpenAiOptions& options,
                         const std::vector<ChatAction>& actions) {
  std::string reply;
  switch (failure) {
    case Failure::kKeyRefused:
      reply =
          "I can't reach the assistant: the model endpoint refused the API key. Please ask the "
          "administrator to check OPENAI_API_KEY.";
      break;
    case Failure::kNoModel:
      reply = "I can't reach the assistant: the model endpoint does not know the model \"" +
              options.model +
              "\" (or its address is wrong). Please ask the administrator to check "
              "OPENAI_MODEL and OPENAI_BASE_URL.";
      break;
    case Failure::kRefused:
      reply = "The model endpoint refused the request (HTTP " + std::to_string(asked.status) +
              "). Please try again, perhaps with a shorter message.";
      break;
    case Failure::kUnavailable:
      reply = "The model is unavailable right now";
      if (asked.status != 0) reply += " (HTTP " + std::to_string(asked.status) + ")";
      reply += "; please try again";
      if (asked.retry_after && *asked.retry_after >= std::chrono::seconds(2)) {
        reply += " in " +
                 std::to_string(
                     std::chrono::duration_cast<std::chrono::seconds>(*asked.retry_after).count()) +
                 " seconds";
      } else {
        reply += " in a moment";
      }
      reply += ".";
      break;
    case Failure::kUnreachable:
      reply = "The model endpoint cannot be reached right now; please try again in a moment.";
      break;
    case Failure::kTimedOut:
      reply = "The model did not answer in time; please try again.";
      break;
    case Failure::kTooLarge:
      reply = "The model's answer was too large to read; please try again.";
      break;
    case Failure::kUnreadable:
      reply = "The model endpoint gave an answer I could not read; please try again.";
      break;
    case Failure::kDeadline:
      reply = "This took too long, so I stopped; please try again.";
      break;
  }
  if (!actions.empty()) reply += " Before stopping, I ran: " + ToolNames(actions) + ".";
  return reply;
}

const char* FailureName(Failure failure) {
  switch (failure) {
    case Failure::kKeyRefused:
      return "key refused";
    case Failure::kNoModel:
      return "no such model";
    case Failure::kRefused:
      return "request refused";
    case Failure::kUnavailable:
      return "unavailable";
    case Failure::kUnreachable:
      return "unreachable";
    case Failure::kTimedOut:
      return "timed out";
    case Failure::kTooLarge:
      return "answer too large";
    case Failure::kUnreadable:
      return "unreadable answer";
    case Failure::kDeadline:
      return "deadline passed";
  }
  return "?";
}

enum class Next { kAnswer, kRetry, kGiveUp };

// Reads one outcome into `asked`: the model's answer, or why there is none
// and whether another attempt may help. `out.error` gets the reason to log.
Next Judge(llm::PostOutcome& out, bool capped_by_deadline, llm::CallIds& ids, Asked& asked) {
  asked.status = out.status;
  asked.retry_after = out.retry_after;
  switch (out.kind) {
    case llm::PostOutcome::Kind::kTimedOut:
      // A slow model would only be slow again: no retry.
      asked.failure = capped_by_deadline ? Failure::kDeadline : Failure::kTimedOut;
      return Next::kGiveUp;
    case llm::PostOutcome::Kind::kTooLarge:
      asked.failure = Failure::kTooLarge;
      return Next::kGiveUp;
    case llm::PostOutcome::Kind::kUnreachable:
      asked.failure = Failure::kUnreachable;
      return Next::kRetry;
    case llm::PostOutcome::Kind::kFailed:  // reset, empty or malformed HTTP answer
      asked.failure = Failure::kUnavailable;
      return Next::kRetry;
    case llm::PostOutcome::Kind::kAnswered:
      break;
  }
  if (out.status >= 200 && out.status <= 299) {
    Result<llm::ModelAnswer> answer = llm::ParseAnswer(out.body, ids);
    if (answer.ok()) {
      asked.answer = std::move(answer).value();
      return Next::kAnswer;
    }
    asked.failure = Failure::kUnreadable;
    out.error = answer.error().message;
    return Next::kGiveUp;
  }
  out.error = llm::ErrorMessageOf(out.body);
  if (out.status == 401 || out.status == 403) {
    asked.failure = Failure::kKeyRefused;
    return Next::kGiveUp;
  }
  if (out.status == 404) {
    asked.failure = Failure::kNoModel;
    return Next::kGiveUp;
  }
  if (Retryable(out.status)) {
    asked.failure = Failure::kUnavailable;
    return Next::kRetry;
  }
  asked.failure = Failure::kRefused;
  return Next::kGiveUp;
}

std::string SystemPrompt(Instant now) {
  return "You are Taskflow's assistant. You help the user manage their to-do tasks, only through "
         "the tools you are given; you have no other way to read or change tasks. Look tasks up "
         "(list_tasks, get_task) before changing them and use the ids the tools return; never "
         "invent an id. When several tasks could be meant, ask which one instead of guessing. "
         "When a tool answers with an error, fix the call or tell the user what went wrong. "
         "For a new task described in everyday words, prefer add_task with `text` (it reads "
         "dates, times, priorities and tags in the user's own time zone). Reply in short plain "
         "sentences, without JSON or ids unless the user asks for them. The current time is " +
         FormatRfc3339(now) + " (UTC).";
}

}  // namespace

struct OpenAiChatAgent::Impl {
  OpenAiOptions options;
  const ChatTools& tools;
  const Clock& clock;
  std::string url;
  boost::json::array definitions;
  std::set<std::string, std::less<>> tool_names;
  std::string tool_list;  // "add_task, list_tasks, …" for the model

  // Endpoint texts (error messages) may quote what we sent; never the key.
  std::string Redacted(std::string text) const {
    if (options.api_key.size() < 4) return text;
    for (std::size_t at = text.find(options.api_key); at != std::string::npos;
         at = text.find(options.api_key, at)) {
      text.replace(at, options.api_key.size(), "***");
    }
    return text;
  }

  // One model request, retried on 408/429/5xx and lost connections while the
  // deadline allows.
  Asked Ask(const std::string& body, llm::CallIds& ids, Steady::time_point deadline,
            int step) const {
    Asked asked;
    for (int attempt = 0;; ++attempt) {
      const Steady::duration left = deadline - Steady::now();
      if (left < kMinRequestTime) {
        asked.failure = Failure::kDeadline;
        return Failed(asked, llm::PostOutcome{}, step);
      }
      const bool capped_by_deadline = left < options.request_timeout;
      const auto started = Steady::now();
      llm::PostOutcome out = llm::PostJson(
          {.url = url,
           .bearer_token = options.api_key,
           .body = body,
           .timeout = capped_by_deadline ? std::chrono::duration_cast<milliseconds>(left)
                                         : options.request_timeout,
           .max_response_bytes = options.max_response_bytes});
      log::Debug("model request", {{"step", step},
                                   {"attempt", attempt + 1},
                                   {"status", static_cast<long long>(out.status)},
                                   {"elapsed_ms", Millis(Steady::now() - started)}});
      const Next next = Judge(out, capped_by_deadline, ids, asked);
      if (next == Next::kAnswer) return asked;
      if (next == Next::kGiveUp || attempt >= options.max_retries) {
        return Failed(asked, out, step);
      }
      const milliseconds wait = out.retry_after.value_or(options.retry_backoff * (1 << attempt));
      if (Steady::now() + wait + kMinRequestTime > deadline) {
        log::Warn("model endpoint asks to wait past the deadline", {{"wait_ms", Millis(wait)}});
        return Failed(asked, out, step);
      }
      log::Info("retrying the model request",
                {{"status", static_cast<long long>(out.status)}, {"wait_ms", Millis(wait)}});
      std::this_thread::sleep_for(wait);
    }
  }

  Asked Failed(const Asked& asked, const llm::PostOutcome& out, int step) const {
    log::Warn("model request failed", {{"reason", FailureName(asked.failure)},
                                       {"status", static_cast<long long>(out.status)},
                                       {"step", step},
                                       {"error", Redacted(out.error)}});
    return asked;
  }

  // Runs one call the model asked for, or tells the model why not; the text
  // of the tool message.
  std::string Run(const std::string& user_id, const llm::RequestedCall& call,
                  std::vector<ChatAction>& actions) const {
    const std::size_t cap = options.max_tool_result_chars;
    if (call.name.empty()) {
      return llm::ToolMessageContent(
          true, "the tool call names no function; the tools are: " + tool_list + ".", "", cap);
    }
    if (!tool_names.contains(call.name)) {
      log::Warn("the model called an unknown tool", {{"tool", call.name}});
      return llm::ToolMessageContent(
          true, "there is no tool named \"" + call.name + "\"; the tools are: " + tool_list + ".",
          "", cap);
    }
    if (!call.arguments_json) {
      log::Warn("the model sent unusable tool arguments", {{"tool", call.name}});
      return llm::ToolMessageContent(true, call.problem, "", cap);
    }
    const ToolOutcome outcome = tools.Call(user_id, call.name, *call.arguments_json);
    actions.push_back(ChatAction{.call_id = call.id,
                                 .tool = call.name,
                                 .arguments_json = *call.arguments_json,
                                 .is_error = outcome.is_error,
                                 .result_text = outcome.text,
                                 .result_json = outcome.structured_json});
    return llm::ToolMessageContent(outcome.is_error, outcome.text, outcome.structured_json, cap);
  }
};

OpenAiChatAgent::OpenAiChatAgent(OpenAiOptions options, const ChatTools& tools, const Clock& clock)
    : impl_(new Impl{.options = std::move(options), .tools = tools, .clock = clock}) {
  impl_->url = ChatCompletionsUrl(impl_->options.base_url);
  impl_->definitions = llm::ToolDefinitions(tools.Specs());
  for (const ToolSpec& spec : tools.Specs()) {
    impl_->tool_names.insert(spec.name);
    impl_->tool_list += (impl_->tool_list.empty() ? "" : ", ") + spec.name;
  }
}

OpenAiChatAgent::~OpenAiChatAgent() = default;

Result<AgentReply> OpenAiChatAgent::Respond(const std::string& user_id,
                                            const std::vector<ChatTurn>& history,
                                            std::string_view message) {
  if (user_id.empty()) return Error::Invalid("user_id", "is required");
  if (Trim(message).empty()) return Error::Invalid("message", "must not be empty");
  const Impl& impl = *impl_;
  const OpenAiOptions& options = impl.options;
  const Steady::time_point started = Steady::now();
  const Steady::time_point deadline = started + options.timeout;

  llm::CallIds ids;
  llm::Messages messages;
  messages.AddSystem(SystemPrompt(impl.clock.Now()));
  messages.AddHistory(history, ids, options.max_tool_result_chars);
  messages.AddUser(message);

  AgentReply reply;
  for (int step = 1; step <= options.max_steps; ++step) {
    const Asked asked =
        impl.Ask(llm::RequestBody(options.model, messages, impl.definitions), ids, deadline, step);
    if (!asked.answer) {
      reply.reply = FailureReply(asked.failure, asked, options, reply.actions);
      return reply;
    }
    const llm::ModelAnswer& answer = *asked.answer;
    if (answer.calls.empty()) {
      reply.reply = std::string(Trim(answer.content));
      if (reply.reply.empty()) {
        reply.reply = answer.finish_reason == "length"
                          ? "The model's answer was cut short; please try again."
                          : "The model sent an empty answer; please try again.";
        if (!reply.actions.empty()) reply.reply += " I ran: " + ToolNames(reply.actions) + ".";
      }
      log::Info("chat answered by the model", {{"steps", step},
                                               {"actions", static_cast<int>(reply.actions.size())},
                                               {"elapsed_ms", Millis(Steady::now() - started)}});
      return reply;
    }
    messages.AddAssistantCalls(answer.content, answer.calls);
    for (const llm::RequestedCall& call : answer.calls) {
      messages.AddToolResult(call.id, impl.Run(user_id, call, reply.actions));
    }
  }
  log::Warn("the model kept calling tools; stopped at the step bound",
            {{"steps", options.max_steps}});
  reply.reply = "I stopped after " + std::to_string(options.max_steps) +
                " rounds of tool calls without a final answer from the model; please try again "
                "with a simpler request.";
  if (!reply.actions.empty()) reply.reply += " So far I ran: " + ToolNames(reply.actions) + ".";
  return reply;
}

std::unique_ptr<ChatAgent> MakeOpenAiChatAgent(const OpenAiOptions& options, const ChatTools& tools,
                                               const Clock& clock) {
  log::Info("chat uses the LLM agent", {{"settings", DescribeOpenAiOptions(options)}});
  return std::make_unique<OpenAiChatAgent>(options, tools, clock);
}

}  // namespace taskflow
