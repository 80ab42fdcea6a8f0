#include "chat_agent_factory.hpp"

#include "adapters/llm/openai_chat_agent.hpp"
#include "adapters/system/logging.hpp"

namespace taskflow {

ChatContextSource UserChatContext(AccountService& accounts, Clock& clock) {
  return [&accounts, &clock](const std::string& user_id) -> Result<QuickAddContext> {
    Result<User> user = accounts.GetProfile(user_id);
    if (!user.ok()) return std::move(user).take_error();
    return QuickAddContext{
        .now = clock.Now(), .timezone = user->timezone, .date_order = user->date_order};
  };
}

std::unique_ptr<ChatAgent> MakeChatAgent(const Config& config, const ChatTools& tools,
                                         ChatContextSource context, const Clock& clock) {
  if (config.llm) {
    log::Info("chat agent", {{"agent", "llm"}, {"model", config.llm->model}});
    return MakeOpenAiChatAgent(*config.llm, tools, clock);
  }
  log::Info("chat agent", {{"agent", "offline"}});
  return std::make_unique<OfflineAgent>(tools, std::move(context));
}

}  // namespace taskflow
