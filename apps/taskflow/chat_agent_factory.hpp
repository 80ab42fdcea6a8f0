// Which chat agent a `serve` process answers /api/chat with: the LLM agent
// (adapters/llm) when OPENAI_API_KEY is set (Config::llm), the offline agent
// otherwise.
#pragma once

#include <memory>

#include "app/account_service.hpp"
#include "app/offline_agent.hpp"
#include "config.hpp"
#include "ports/chat_agent.hpp"
#include "ports/chat_tools.hpp"
#include "ports/clock.hpp"

namespace taskflow {

// The user's now, zone and date order, read from their profile on each call.
ChatContextSource UserChatContext(AccountService& accounts, Clock& clock);

// `tools`, `clock` and what `context` refers to must outlive the agent.
std::unique_ptr<ChatAgent> MakeChatAgent(const Config& config, const ChatTools& tools,
                                         ChatContextSource context, const Clock& clock);

}  // namespace taskflow
