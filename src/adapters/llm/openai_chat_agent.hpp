// ChatAgent over an OpenAI-compatible chat-completions endpoint (OpenAI,
// Azure OpenAI's v1 API, Ollama, llama.cpp's llama-server, vLLM …): the
// tool-calling loop over the ChatTools specs.
//
// One Respond: POST {base_url}/chat/completions with the model, a system
// prompt, the stored history (earlier tool calls and results replayed with
// matching ids), the message and the tools; run every tool call the model
// asks for through ChatTools::Call and send the results back as "tool"
// messages; stop at the first answer without tool calls. Bounded by
// max_steps requests, a per-request timeout and a total deadline. Whatever
// the endpoint does (refuses the key, is down, rate-limits, hangs, answers
// garbage or too much, loops), the user gets a plain reply saying so, with
// the actions already made; Respond fails only on the caller's own faults.
#pragma once

#include <memory>

#include "adapters/llm/openai_options.hpp"
#include "ports/chat_agent.hpp"
#include "ports/chat_tools.hpp"
#include "ports/clock.hpp"

namespace taskflow {

class OpenAiChatAgent final : public ChatAgent {
 public:
  // `tools` and `clock` must outlive the agent. Thread-safe: no state is
  // shared between calls but the immutable options and tool definitions.
  OpenAiChatAgent(OpenAiOptions options, const ChatTools& tools, const Clock& clock);
  ~OpenAiChatAgent() override;

  // kInvalidArgument for an empty user id or a blank message; every endpoint
  // failure is a reply instead.
  Result<AgentReply> Respond(const std::string& user_id, const std::vector<ChatTurn>& history,
                             std::string_view message) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What apps/taskflow calls when OPENAI_API_KEY is set (Config::llm).
std::unique_ptr<ChatAgent> MakeOpenAiChatAgent(const OpenAiOptions& options, const ChatTools& tools,
                                               const Clock& clock);

}  // namespace taskflow
