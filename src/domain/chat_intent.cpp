#include "domain/chat_intent.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace taskflow::chat {

std::string_view ToString(IntentKind kind) {
  switch (kind) {
    case IntentKind::kUnknown: return "unknown";
    case IntentKind::kHelp: return "help";
    case IntentKind::kAdd: return "add";
    case IntentKind::kList: return "list";
    case IntentKind::kComplete: return "complete";
    case IntentKind::kReopen: return "reopen";
    case IntentKind::kDelete: return "delete";
    case IntentKind::kReschedule: return "reschedule";
    case IntentKind::kReprioritise: return "reprioritise";
    case IntentKind::kTag: return "tag";
  }
  return "unknown";
}

std::string_view ToString(DueWindow window) {
  switch (window) {
    case DueWindow::kAny: return "any";
    case DueWindow::kOverdue: return "overdue";
    case DueWindow::kToday: return "today";
    case DueWindow::kTomorrow: return "tomorrow";
    case DueWindow::kThisWeek: return "this_week";
    case DueWindow::kNextWeek: return "next_week";
    case DueWindow::kUpcoming: return "upcoming";
    case DueWindow::kNoDate: return "no_date";
  }
  return "any";
}

namespace {

// The message twice, byte for byte aligned: `lower` (ASCII lower-cased) for
// matching and `text` (as written) for what goes into a task.
struct Phrase {
  std::string_view lower;
  std::string_view text;

  bool empty() const { return lower.empty(); }
  Phrase Sub(std::size_t from, std::size_t count = std::string_view::npos) const {
    return {lower.substr(from, count), text.substr(from, count)};
  }
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '#' || c == '@' ||
         static_cast<unsigned char>(c) >= 0x80;
}

Phrase Trim(Phrase p) {
  std::size_t begin = 0;
  std::size_t end = p.lower.size();
  while (begin < end && IsSpace(p.lower[begin])) ++begin;
  while (end > begin && (IsSpace(p.lower[end - 1]) || p.lower[end - 1] == '.' ||
                         p.lower[end - 1] == '!' || p.lower[end - 1] == '?' ||
                         p.lower[end - 1] == ',' || p.lower[end - 1] == ':')) {
    --end;
  }
  return p.Sub(begin, end - begin);
}

bool AtWordEnd(std::string_view s, std::size_t pos) {
  return pos >= s.size() || !IsWordChar(s[pos]);
}

// `p` starts with `words` as whole words: consumes them (and a ':' after).
bool Eat(Phrase& p, std::string_view words) {
  if (!p.lower.starts_with(words) || !AtWordEnd(p.lower, words.size())) return false;
  std::size_t next = words.size();
  while (next < p.lower.size() && (IsSpace(p.lower[next]) || p.lower[next] == ':')) ++next;
  p = p.Sub(next);
  return true;
}

template <std::size_t N>
bool EatAny(Phrase& p, const std::array<std::string_view, N>& options) {
  for (std::string_view option : options) {
    if (Eat(p, option)) return true;
  }
  return false;
}

// `p` ends with `words` as whole words: drops them.
bool EatSuffix(Phrase& p, std::string_view words) {
  if (!p.lower.ends_with(words)) return false;
  const std::size_t at = p.lower.size() - words.size();
  if (at > 0 && IsWordChar(p.lower[at - 1])) return false;
  p = Trim(p.Sub(0, at));
  return true;
}

template <std::size_t N>
bool EatAnySuffix(Phrase& p, const std::array<std::string_view, N>& options) {
  for (std::string_view option : options) {
    if (EatSuffix(p, option)) return true;
  }
  return false;
}

// The last whole-word occurrence of `word` with text on both sides: splits
// there ("move call bob to friday" → "call bob" | "friday").
std::optional<std::pair<Phrase, Phrase>> SplitLast(const Phrase& p, std::string_view word) {
  const std::string needle = " " + std::string(word) + " ";
  const std::size_t at = p.lower.rfind(needle);
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  Phrase left = Trim(p.Sub(0, at));
  Phrase right = Trim(p.Sub(at + needle.size()));
  if (left.empty() || right.empty()) return std::nullopt;
  return std::make_pair(left, right);
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !IsWordChar(s[i])) ++i;
    const std::size_t start = i;
    while (i < s.size() && IsWordChar(s[i])) ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

// A whole-word phrase anywhere in `s`.
bool HasPhrase(std::string_view s, std::string_view phrase) {
  for (std::size_t at = s.find(phrase); at != std::string_view::npos;
       at = s.find(phrase, at + 1)) {
    const bool starts = at == 0 || !IsWordChar(s[at - 1]);
    if (starts && AtWordEnd(s, at + phrase.size())) return true;
  }
  return false;
}

// ---- task references ----

std::optional<int> SmallNumber(std::string_view word) {
  static constexpr std::array<std::string_view, 10> kCardinals = {
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
  static constexpr std::array<std::string_view, 10> kOrdinals = {
      "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};
  for (std::size_t i = 0; i < kCardinals.size(); ++i) {
    if (word == kCardinals[i] || word == kOrdinals[i]) return static_cast<int>(i) + 1;
  }
  // "2", "#2", "2nd", "3rd", "4th", "21st"
  if (word.starts_with('#')) word.remove_prefix(1);
  std::size_t digits = 0;
  while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[digits]))) ++digits;
  if (digits == 0 || digits > 4) return std::nullopt;
  const std::string_view suffix = word.substr(digits);
  if (!suffix.empty() && suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) value = value * 10 + (word[i] - '0');
  if (value < 1) return std::nullopt;
  return value;
}

TaskReference ParseReference(Phrase p) {
  p = Trim(p);
  static constexpr std::array<std::string_view, 4> kPolite = {"please", "for me", "now",
                                                              "already"};
  while (EatAnySuffix(p, kPolite)) {
  }
  static constexpr std::array<std::string_view, 10> kLeading = {
      "the task called", "the task named", "the task", "task number", "task", "number",
      "item", "no.", "the", "my"};
  while (EatAny(p, kLeading)) {
  }
  static constexpr std::array<std::string_view, 4> kTrailing = {"one", "task", "item", "todo"};
  while (EatAnySuffix(p, kTrailing)) {
  }
  // "that one", "this one" lose "one" above; the same for a bare "one".
  TaskReference reference;
  if (p.empty()) return reference;
  if (p.lower == "it" || p.lower == "that" || p.lower == "this" || p.lower == "them") {
    reference.kind = TaskReference::Kind::kLast;
    return reference;
  }
  if (std::optional<int> number = SmallNumber(p.lower)) {
    reference.kind = TaskReference::Kind::kNumber;
    reference.number = *number;
    return reference;
  }
  // "a", "the" inside stay: "call the bank" must still match its title.
  reference.kind = TaskReference::Kind::kTitle;
  reference.words = std::string(p.lower);
  return reference;
}

// ---- priorities ----

std::optional<Priority> ParsePriorityWords(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, Priority>, 22> kWords = {{
      {"p1", Priority::kP1},
      {"p2", Priority::kP2},
      {"p3", Priority::kP3},
      {"p4", Priority::kP4},
      {"priority 1", Priority::kP1},
      {"priority 2", Priority::kP2},
      {"priority 3", Priority::kP3},
      {"priority 4", Priority::kP4},
      {"top priority", Priority::kP1},
      {"highest priority", Priority::kP1},
      {"urgent", Priority::kP1},
      {"critical", Priority::kP1},
      {"high priority", Priority::kP2},
      {"important", Priority::kP2},
      {"high", Priority::kP2},
      {"medium priority", Priority::kP3},
      {"normal priority", Priority::kP3},
      {"medium", Priority::kP3},
      {"normal", Priority::kP3},
      {"low priority", Priority::kP4},
      {"lowest priority", Priority::kP4},
      {"low", Priority::kP4},
  }};
  for (const auto& [words, priority] : kWords) {
    if (s == words) return priority;
  }
  return std::nullopt;
}

// "high priority" or "p2" at the end of `p`, after an optional "a"/"as"/"to".
std::optional<Priority> EatPrioritySuffix(Phrase& p, std::string_view* matched = nullptr) {
  const std::vector<std::string_view> words = Words(p.lower);
  for (std::size_t take = std::min<std::size_t>(words.size(), 2); take >= 1; --take) {
    const std::size_t start = static_cast<std::size_t>(words[words.size() - take].data() -
                                                       p.lower.data());
    const std::string_view tail = p.lower.substr(start);
    if (std::optional<Priority> priority = ParsePriorityWords(tail)) {
      if (matched != nullptr) *matched = tail;
      p = Trim(p.Sub(0, start));
      return priority;
    }
  }
  return std::nullopt;
}

// ---- tags ----

std::vector<std::string> ParseTagList(std::string_view s) {
  std::vector<std::string> tags;
  for (std::string_view word : Words(s)) {
    while (!word.empty() && (word.front() == '#' || word.front() == '@')) word.remove_prefix(1);
    if (word.empty() || word == "and" || word == "tag" || word == "tags" || word == "label" ||
        word == "labels" || word == "the" || word == "as") {
      continue;
    }
    tags.emplace_back(word);
  }
  return tags;
}

// ---- the intents, tried in order ----

bool IsHelp(std::string_view s) {
  static constexpr std::array<std::string_view, 17> kHelp = {
      "hi",         "hello",           "hey",           "help",       "help me",
      "hi there",   "hello there",     "good morning",  "good evening", "thanks",
      "thank you",  "what can you do", "how does this work", "commands", "menu",
      "what do you do", "who are you"};
  return std::find(kHelp.begin(), kHelp.end(), s) != kHelp.end();
}

std::optional<Intent> ParseTag(Phrase p) {
  Intent intent;
  intent.kind = IntentKind::kTag;
  // add (the) tag(s)/label(s) Y to X
  static constexpr std::array<std::string_view, 8> kAddTag = {
      "add the tags", "add the tag", "add tags", "add tag", "add the labels", "add the label",
      "add labels", "add label"};
  if (EatAny(p, kAddTag)) {
    auto split = SplitLast(p, "to");
    if (!split) return std::nullopt;
    intent.tags = ParseTagList(split->first.lower);
    intent.target = ParseReference(split->second);
    if (intent.tags.empty() || intent.target.kind == TaskReference::Kind::kNone) return std::nullopt;
    return intent;
  }
  // tag/label X with/as Y
  static constexpr std::array<std::string_view, 2> kTagVerb = {"tag", "label"};
  if (EatAny(p, kTagVerb)) {
    auto split = SplitLast(p, "with");
    if (!split) split = SplitLast(p, "as");
    if (!split) return std::nullopt;
    intent.target = ParseReference(split->first);
    intent.tags = ParseTagList(split->second.lower);
    if (intent.tags.empty() || intent.target.kind == TaskReference::Kind::kNone) return std::nullopt;
    return intent;
  }
  return std::nullopt;
}

std::optional<Intent> ParseReprioritise(Phrase p, bool list_like) {
  Intent intent;
  intent.kind = IntentKind::kReprioritise;
  auto finish = [&](Phrase target, std::optional<Priority> priority) -> std::optional<Intent> {
    intent.target = ParseReference(target);
    if (!priority || intent.target.kind == TaskReference::Kind::kNone) return std::nullopt;
    intent.priority = priority;
    return intent;
  };
  static constexpr std::array<std::string_view, 2> kRaise = {"prioritize", "prioritise"};
  if (EatAny(p, kRaise)) return finish(p, Priority::kP1);
  static constexpr std::array<std::string_view, 2> kLower = {"deprioritize", "deprioritise"};
  if (EatAny(p, kLower)) return finish(p, Priority::kP4);
  // set/change the priority of X to Y
  static constexpr std::array<std::string_view, 6> kPriorityOf = {
      "set the priority of", "change the priority of", "set priority of",
      "change priority of", "update the priority of", "update priority of"};
  if (EatAny(p, kPriorityOf)) {
    auto split = SplitLast(p, "to");
    if (!split) return std::nullopt;
    return finish(split->first, ParsePriorityWords(split->second.lower));
  }
  // make/set/mark/change X (as|to) (a) Y
  static constexpr std::array<std::string_view, 4> kVerb = {"make", "set", "mark", "change"};
  Phrase rest = p;
  if (EatAny(rest, kVerb)) {
    std::optional<Priority> priority = EatPrioritySuffix(rest);
    if (!priority) return std::nullopt;
    static constexpr std::array<std::string_view, 4> kJoin = {"as a", "as", "to", "a"};
    EatAnySuffix(rest, kJoin);
    static constexpr std::array<std::string_view, 1> kPriorityWord = {"priority"};
    EatAnySuffix(rest, kPriorityWord);
    return finish(rest, priority);
  }
  // X is urgent / X is high priority ("what is urgent?" is a question)
  if (auto split = list_like ? std::nullopt : SplitLast(p, "is")) {
    if (std::optional<Priority> priority = ParsePriorityWords(split->second.lower)) {
      return finish(split->first, priority);
    }
  }
  return std::nullopt;
}

std::optional<Intent> ParseReschedule(Phrase p, bool list_like) {
  Intent intent;
  intent.kind = IntentKind::kReschedule;
  auto finish = [&](Phrase target, Phrase due) -> std::optional<Intent> {
    intent.target = ParseReference(target);
    intent.due_text = std::string(Trim(due).text);
    if (intent.due_text.empty() || intent.target.kind == TaskReference::Kind::kNone) {
      return std::nullopt;
    }
    return intent;
  };
  static constexpr std::array<std::string_view, 8> kDueOf = {
      "change the due date of", "set the due date of", "change the due date for",
      "set the due date for", "change due date of", "set due date of", "change the date of",
      "update the due date of"};
  if (EatAny(p, kDueOf)) {
    auto split = SplitLast(p, "to");
    if (!split) return std::nullopt;
    return finish(split->first, split->second);
  }
  static constexpr std::array<std::string_view, 9> kMove = {
      "move", "reschedule", "postpone", "push back", "push", "delay", "defer", "shift", "bump"};
  Phrase rest = p;
  if (!EatAny(rest, kMove)) {
    // make X due Y / X is due Y ("what is due today?" is a question)
    if (auto split = list_like ? std::nullopt : SplitLast(p, "due")) {
      Phrase target = split->first;
      static constexpr std::array<std::string_view, 2> kMake = {"make", "set"};
      static constexpr std::array<std::string_view, 1> kIs = {"is"};
      if (EatAny(target, kMake) || EatAnySuffix(target, kIs)) return finish(target, split->second);
    }
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 6> kConnectors = {"to", "until", "till",
                                                                  "for", "on", "by"};
  for (std::string_view connector : kConnectors) {
    if (auto split = SplitLast(rest, connector)) {
      Phrase target = split->first;
      static constexpr std::array<std::string_view, 1> kBack = {"back"};
      EatAnySuffix(target, kBack);
      return finish(target, split->second);
    }
  }
  // "postpone X" without a date: to tomorrow, as "postpone" means in Todoist.
  if (p.lower.starts_with("postpone") || p.lower.starts_with("delay") ||
      p.lower.starts_with("defer")) {
    intent.target = ParseReference(rest);
    if (intent.target.kind == TaskReference::Kind::kNone) return std::nullopt;
    intent.due_text = "tomorrow";
    return intent;
  }
  return std::nullopt;
}

std::optional<Intent> ParseStatusChange(Phrase p) {
  Intent intent;
  auto finish = [&](IntentKind kind, Phrase target) -> std::optional<Intent> {
    intent.kind = kind;
    intent.target = ParseReference(target);
    if (intent.target.kind == TaskReference::Kind::kNone) return std::nullopt;
    return intent;
  };
  // mark X as (not) done
  static constexpr std::array<std::string_view, 3> kMark = {"mark", "set", "flag"};
  Phrase rest = p;
  if (EatAny(rest, kMark)) {
    static constexpr std::array<std::string_view, 12> kUndone = {
        "as not done", "not done", "as undone", "undone", "as incomplete", "incomplete",
        "as pending", "pending", "as open", "as not completed", "not completed", "as todo"};
    if (EatAnySuffix(rest, kUndone)) return finish(IntentKind::kReopen, rest);
    static constexpr std::array<std::string_view, 8> kDone = {
        "as done", "done", "as complete", "complete", "as completed", "completed", "as finished",
        "finished"};
    if (EatAnySuffix(rest, kDone)) return finish(IntentKind::kComplete, rest);
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 8> kReopen = {
      "reopen", "re-open", "uncomplete", "un-complete", "unmark", "undo", "reactivate",
      "open again"};
  if (EatAny(p, kReopen)) return finish(IntentKind::kReopen, p);

  static constexpr std::array<std::string_view, 24> kComplete = {
      "i'm done with", "im done with",   "i am done with", "i've finished", "i have finished",
      "ive finished",  "i've completed", "i have completed", "i've done",   "i have done",
      "i finished",    "i completed",    "i did",          "done with",     "finished with",
      "finished",      "finish",         "completed",      "complete",      "check off",
      "tick off",      "cross off",      "close",          "done"};
  if (EatAny(p, kComplete)) {
    static constexpr std::array<std::string_view, 1> kOff = {"off"};
    EatAnySuffix(p, kOff);
    return finish(IntentKind::kComplete, p);
  }
  // X is done / X is finished / X done
  static constexpr std::array<std::string_view, 10> kDoneSuffix = {
      "is done", "is finished", "is complete", "is completed", "is not done", "isn't done",
      "is no longer done", "done", "finished", "completed"};
  for (std::string_view suffix : kDoneSuffix) {
    Phrase target = p;
    if (EatSuffix(target, suffix)) {
      const bool undone = suffix.find("not") != std::string_view::npos ||
                          suffix.find("n't") != std::string_view::npos ||
                          suffix.find("no longer") != std::string_view::npos;
      return finish(undone ? IntentKind::kReopen : IntentKind::kComplete, target);
    }
  }
  return std::nullopt;
}

std::optional<Intent> ParseDelete(Phrase p) {
  static constexpr std::array<std::string_view, 13> kDelete = {
      "delete", "remove", "drop", "cancel", "get rid of", "forget about", "forget", "erase",
      "trash", "discard", "scrap", "throw away", "clear"};
  if (!EatAny(p, kDelete)) return std::nullopt;
  static constexpr std::array<std::string_view, 4> kFrom = {"from my list", "from the list",
                                                            "from my tasks", "from my todo list"};
  EatAnySuffix(p, kFrom);
  Intent intent;
  intent.kind = IntentKind::kDelete;
  intent.target = ParseReference(p);
  if (intent.target.kind == TaskReference::Kind::kNone) return std::nullopt;
  return intent;
}

std::optional<Intent> ParseAdd(Phrase p) {
  static constexpr std::array<std::string_view, 30> kAdd = {
      "remind me to",        "remind me about",   "remind me",          "add a new task to",
      "add a new task",      "add a task to",     "add a task",         "add task to",
      "add task",            "add a todo",        "add todo",           "add",
      "create a new task to", "create a task to", "create a new task",  "create a task",
      "create task",         "create",            "new task",           "new todo",
      "todo",                "to do",             "i need to",          "i have to",
      "i must",              "i should",          "don't let me forget to", "dont let me forget to",
      "don't forget to",     "remember to"};
  static constexpr std::array<std::string_view, 1> kPut = {"put"};
  Phrase rest = p;
  const bool put = EatAny(rest, kPut);
  if (!put && !EatAny(rest, kAdd)) return std::nullopt;
  static constexpr std::array<std::string_view, 8> kToList = {
      "to my list", "on my list", "to the list", "on the list", "to my tasks", "to my todo list",
      "on my todo list", "to my to do list"};
  const bool to_list = EatAnySuffix(rest, kToList);
  if (put && !to_list) return std::nullopt;
  rest = Trim(rest);
  if (rest.empty()) return std::nullopt;
  Intent intent;
  intent.kind = IntentKind::kAdd;
  intent.add_text = std::string(rest.text);
  return intent;
}

// ---- list ----

bool LooksLikeList(std::string_view s) {
  if (s.starts_with("get rid of")) return false;
  static constexpr std::array<std::string_view, 26> kStarts = {
      "show",    "list",      "display",  "give me",  "what",     "what's",  "whats",
      "which",   "anything",  "any",      "do i have", "find",    "search",  "get",
      "see",     "view",      "tell me",  "are there", "is there", "how many", "my tasks",
      "my todo", "tasks",     "todo list", "agenda",  "overdue"};
  Phrase probe{s, s};
  for (std::string_view start : kStarts) {
    Phrase copy = probe;
    if (Eat(copy, start)) return true;
  }
  return false;
}

DueWindow ParseDueWindow(std::string_view s) {
  if (HasPhrase(s, "overdue") || HasPhrase(s, "past due") || HasPhrase(s, "late") ||
      HasPhrase(s, "missed")) {
    return DueWindow::kOverdue;
  }
  if (HasPhrase(s, "no due date") || HasPhrase(s, "without a due date") ||
      HasPhrase(s, "without due date") || HasPhrase(s, "no date") || HasPhrase(s, "undated") ||
      HasPhrase(s, "someday")) {
    return DueWindow::kNoDate;
  }
  if (HasPhrase(s, "today") || HasPhrase(s, "today's") || HasPhrase(s, "tonight")) {
    return DueWindow::kToday;
  }
  if (HasPhrase(s, "tomorrow") || HasPhrase(s, "tomorrow's")) return DueWindow::kTomorrow;
  if (HasPhrase(s, "next week")) return DueWindow::kNextWeek;
  if (HasPhrase(s, "this week") || HasPhrase(s, "the week") || HasPhrase(s, "this week's")) {
    return DueWindow::kThisWeek;
  }
  if (HasPhrase(s, "upcoming") || HasPhrase(s, "coming up") || HasPhrase(s, "soon") ||
      HasPhrase(s, "next few days")) {
    return DueWindow::kUpcoming;
  }
  return DueWindow::kAny;
}

std::vector<Priority> ParseListPriorities(std::string_view s) {
  for (int level = 1; level <= 4; ++level) {
    const std::string p = "p" + std::to_string(level);
    const std::string words = "priority " + std::to_string(level);
    if (HasPhrase(s, p) || HasPhrase(s, words)) return {static_cast<Priority>(level)};
  }
  if (HasPhrase(s, "urgent") || HasPhrase(s, "critical") || HasPhrase(s, "top priority")) {
    return {Priority::kP1};
  }
  if (HasPhrase(s, "high priority") || HasPhrase(s, "high-priority") ||
      HasPhrase(s, "important")) {
    return {Priority::kP1, Priority::kP2};
  }
  if (HasPhrase(s, "medium priority") || HasPhrase(s, "normal priority")) return {Priority::kP3};
  if (HasPhrase(s, "low priority") || HasPhrase(s, "low-priority")) return {Priority::kP4};
  return {};
}

// Words that may stand before "tasks" without being a tag ("my open tasks").
bool IsListWord(std::string_view word) {
  static constexpr std::array<std::string_view, 54> kWords = {
      "find",      "search",    "get",       "view",      "see",       "give",      "me",
      "display",
      "my",        "the",       "all",       "open",      "pending",   "completed", "done",
      "finished",  "overdue",   "today's",   "tomorrow's", "urgent",   "important", "priority",
      "high",      "low",       "medium",    "normal",    "p1",        "p2",        "p3",
      "p4",        "these",     "those",     "any",       "of",        "due",       "new",
      "recent",    "upcoming",  "remaining", "other",     "some",      "which",     "what",
      "many",      "late",      "current",   "active",    "incomplete", "unfinished", "week's",
      "critical",  "outstanding", "show",    "list"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

std::vector<std::string> ParseListTags(std::string_view s) {
  std::vector<std::string> tags;
  const std::vector<std::string_view> words = Words(s);
  auto add = [&](std::string_view tag) {
    while (!tag.empty() && (tag.front() == '#' || tag.front() == '@')) tag.remove_prefix(1);
    if (!tag.empty() && std::find(tags.begin(), tags.end(), tag) == tags.end()) {
      tags.emplace_back(tag);
    }
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view word = words[i];
    if (word.size() > 1 && (word.front() == '#' || word.front() == '@')) add(word);
    const bool tagged = (word == "tagged" || word == "labelled" || word == "labeled");
    if (tagged && i + 1 < words.size()) {
      std::size_t next = i + 1;
      if ((words[next] == "with" || words[next] == "as") && next + 1 < words.size()) ++next;
      add(words[next]);
    }
    const bool noun = word == "tasks" || word == "task" || word == "todos" || word == "items" ||
                      word == "stuff" || word == "things";
    if (noun && i > 0 && !IsListWord(words[i - 1]) && !SmallNumber(words[i - 1])) {
      add(words[i - 1]);
    }
  }
  return tags;
}

std::string ParseListText(std::string_view s) {
  // "find dentist", "search for the tax forms", "look for milk"
  Phrase search{s, s};
  static constexpr std::array<std::string_view, 4> kSearch = {"search for", "look for", "search",
                                                              "find"};
  if (EatAny(search, kSearch)) {
    static constexpr std::array<std::string_view, 9> kNoise = {
        "my", "the", "tasks", "task", "about", "with", "containing", "mentioning", "called"};
    while (EatAny(search, kNoise)) {
    }
    return std::string(search.lower);
  }
  static constexpr std::array<std::string_view, 9> kMarkers = {
      "about", "containing", "mentioning", "matching", "called", "named", "search for",
      "with the word", "that mention"};
  for (std::string_view marker : kMarkers) {
    const std::size_t at = s.find(std::string(marker) + " ");
    if (at != std::string_view::npos && (at == 0 || !IsWordChar(s[at - 1]))) {
      Phrase rest = Trim(Phrase{s, s}.Sub(at + marker.size() + 1));
      static constexpr std::array<std::string_view, 2> kArticles = {"the", "my"};
      EatAny(rest, kArticles);
      return std::string(rest.lower);
    }
  }
  return {};
}

Intent ParseList(std::string_view s) {
  Intent intent;
  intent.kind = IntentKind::kList;
  ListFilter& filter = intent.filter;
  filter.due = ParseDueWindow(s);
  filter.priorities = ParseListPriorities(s);
  filter.tags = ParseListTags(s);
  filter.text = ParseListText(s);
  if (HasPhrase(s, "completed") || HasPhrase(s, "finished") || HasPhrase(s, "done") ||
      HasPhrase(s, "did i finish") || HasPhrase(s, "did i complete") || HasPhrase(s, "did i do")) {
    filter.status = TaskStatus::kCompleted;
  } else if (HasPhrase(s, "all tasks") || HasPhrase(s, "all my tasks") ||
             HasPhrase(s, "everything") || HasPhrase(s, "all of my tasks")) {
    filter.all_statuses = true;
  } else {
    filter.status = TaskStatus::kPending;
  }
  return intent;
}

// Curly apostrophes (phone keyboards) as straight ones: same byte count is
// not needed, both copies of a Phrase are built from the result.
std::string StraightApostrophes(std::string_view message) {
  std::string text(message);
  for (std::size_t at = text.find("\xE2\x80\x99"); at != std::string::npos;
       at = text.find("\xE2\x80\x99", at)) {
    text.replace(at, 3, "'");
  }
  return text;
}

}  // namespace

Intent ParseChatMessage(std::string_view message) {
  const std::string text = StraightApostrophes(message);
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Phrase p = Trim(Phrase{lower, text});
  if (p.empty()) return {};

  static constexpr std::array<std::string_view, 14> kPolite = {
      "please", "pls", "can you please", "could you please", "can you", "could you", "would you",
      "will you", "hey", "ok", "okay", "ok so", "so", "now"};
  while (EatAny(p, kPolite)) {
  }
  static constexpr std::array<std::string_view, 3> kThanks = {"please", "thanks", "thank you"};
  while (EatAnySuffix(p, kThanks)) {
  }
  p = Trim(p);
  if (p.empty() || IsHelp(p.lower)) return Intent{.kind = IntentKind::kHelp};

  // Order matters: "add tag x to y" is a tag, "remind me to move x to
  // friday" an add, "what is due today?" a question, not a reschedule.
  const bool list_like = LooksLikeList(p.lower);
  if (auto intent = ParseTag(p)) return *intent;
  if (auto intent = ParseAdd(p)) return *intent;
  if (auto intent = ParseReprioritise(p, list_like)) return *intent;
  if (auto intent = ParseReschedule(p, list_like)) return *intent;
  if (list_like) return ParseList(p.lower);
  if (auto intent = ParseStatusChange(p)) return *intent;
  if (auto intent = ParseDelete(p)) return *intent;
  return {};
}

TaskReference ParseTaskReference(std::string_view message) {
  const std::string text = StraightApostrophes(message);
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ParseReference(Phrase{lower, text});
}

}  // namespace taskflow::chat
