// libFuzzer target for the offline chat agent's message parser.
//
// Feeds arbitrary bytes to ParseChatMessage (and ParseTaskReference, which
// reads an answer to the agent's question) and aborts when an invariant
// breaks: text the intent carries (the task to add, the new due date, the
// title words) must come from the message, a reference must name something,
// and the fields of one kind never leak into another. Crashes, sanitizer
// reports and slow inputs (the parser must stay linear) are libFuzzer's.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/chat_intent.hpp"

namespace {

using taskflow::chat::IntentKind;
using taskflow::chat::TaskReference;

void Check(bool condition) {
  if (!condition) std::abort();
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// Curly apostrophes become straight ones before parsing.
std::string Normalised(std::string_view text) {
  std::string out(text);
  for (std::size_t at = out.find("\xE2\x80\x99"); at != std::string::npos;
       at = out.find("\xE2\x80\x99", at)) {
    out.replace(at, 3, "'");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // the API caps messages at 4 KiB
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const taskflow::chat::Intent intent = taskflow::chat::ParseChatMessage(message);
  const std::string text = Normalised(message);
  const std::string lower = Lower(text);

  const bool targets = intent.kind == IntentKind::kComplete || intent.kind == IntentKind::kReopen ||
                       intent.kind == IntentKind::kDelete || intent.kind == IntentKind::kReschedule ||
                       intent.kind == IntentKind::kReprioritise || intent.kind == IntentKind::kTag;
  if (targets) {
    Check(intent.target.kind != TaskReference::Kind::kNone);
    if (intent.target.kind == TaskReference::Kind::kNumber) Check(intent.target.number >= 1);
    if (intent.target.kind == TaskReference::Kind::kTitle) {
      Check(!intent.target.words.empty());
      Check(lower.find(intent.target.words) != std::string::npos);
    }
  } else {
    Check(intent.target.kind == TaskReference::Kind::kNone);
  }
  Check((intent.kind == IntentKind::kAdd) != intent.add_text.empty());
  if (intent.kind == IntentKind::kAdd) Check(text.find(intent.add_text) != std::string::npos);
  Check((intent.kind == IntentKind::kReschedule) != intent.due_text.empty());
  if (intent.kind == IntentKind::kReschedule && intent.due_text != "tomorrow") {
    Check(text.find(intent.due_text) != std::string::npos);
  }
  Check((intent.kind == IntentKind::kReprioritise) == intent.priority.has_value());
  Check((intent.kind == IntentKind::kTag) != intent.tags.empty());

  // The same message read as the answer to "Which one?".
  const TaskReference answer = taskflow::chat::ParseTaskReference(message);
  if (answer.kind == TaskReference::Kind::kNumber) Check(answer.number >= 1);
  if (answer.kind == TaskReference::Kind::kTitle) {
    Check(!answer.words.empty());
    Check(lower.find(answer.words) != std::string::npos);
  }
  return 0;
}
