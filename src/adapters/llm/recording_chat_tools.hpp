// Tests only. A ChatTools double that records every call and answers with the
// outcome set for its tool; two tools with real JSON Schemas.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ports/chat_tools.hpp"

namespace taskflow::llm::testing {

struct RecordedCall {
  std::string user_id;
  std::string name;
  std::string arguments_json;
};

class RecordingChatTools final : public ChatTools {
 public:
  RecordingChatTools() {
    specs_ = {
        {"add_task", "Creates a task.",
         R"({"type":"object","properties":{"title":{"type":"string","minLength":1},)"
         R"("text":{"type":"string"}},"additionalProperties":false})"},
        {"list_tasks", "Lists the user's tasks.",
         R"({"type":"object","properties":{"q":{"type":"string"},)"
         R"("limit":{"type":"integer","minimum":1}}})"},
    };
  }

  const std::vector<ToolSpec>& Specs() const override { return specs_; }

  ToolOutcome Call(const std::string& user_id, std::string_view name,
                   std::string_view arguments_json) const override {
    std::lock_guard lock(mutex_);
    calls_.push_back({user_id, std::string(name), std::string(arguments_json)});
    if (auto it = outcomes_.find(std::string(name)); it != outcomes_.end()) return it->second;
    return {false, "{\"ok\":true,\"tool\":\"" + std::string(name) + "\"}",
            "{\"ok\":true,\"tool\":\"" + std::string(name) + "\"}"};
  }

  void SetOutcome(const std::string& name, ToolOutcome outcome) {
    std::lock_guard lock(mutex_);
    outcomes_[name] = std::move(outcome);
  }
  std::vector<RecordedCall> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::vector<ToolSpec> specs_;
  mutable std::mutex mutex_;
  mutable std::vector<RecordedCall> calls_;
  std::map<std::string, ToolOutcome> outcomes_;
};

}  // namespace taskflow::llm::testing
