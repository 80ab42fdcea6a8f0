// The chat use cases over the real SQLite store: conversations are created,
// continued, bounded, isolated and deleted; a message and its reply are stored
// together; bad input changes nothing.
#include "app/chat_service.hpp"

#include <boost/json.hpp>

#include "app/app_test_support.hpp"
#include "app/chat_actions_json.hpp"

namespace taskflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// A scripted agent (a double of our own port): answers "echo: <message>" with
// one recorded action, or fails when told to; keeps what it was given.
class ScriptedAgent final : public ChatAgent {
 public:
  Result<AgentReply> Respond(const std::string& user_id, const std::vector<ChatTurn>& history,
                             std::string_view message) override {
    users.push_back(user_id);
    histories.push_back(history);
    if (fail) return Error::Unavailable("agent down");
    return AgentReply{.reply = "echo: " + std::string(message),
                      .actions = {ChatAction{.call_id = "call_1",
                                             .tool = "list_tasks",
                                             .arguments_json = R"({"status":"pending"})",
                                             .is_error = false,
                                             .result_text = "none",
                                             .result_json = R"({"tasks":[],"total":0})"}}};
  }
  bool fail = false;
  std::vector<std::string> users;
  std::vector<std::vector<ChatTurn>> histories;
};

class ChatServiceTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    accounts_ = std::make_unique<AccountService>(ports());
    chat_ = std::make_unique<ChatService>(ports(), agent_);
    alice_ = NewUser(*accounts_);
    bob_ = NewUser(*accounts_);
  }

  ChatAnswer Send(const std::string& user, std::string message,
                  std::optional<std::string> conversation = std::nullopt) {
    Result<ChatAnswer> answer = chat_->Send(user, ChatRequest{conversation, std::move(message)});
    EXPECT_TRUE(answer.ok()) << answer.error().message;
    return answer.ok() ? *answer : ChatAnswer{};
  }
  std::vector<ChatMessageRecord> Messages(const std::string& user, const std::string& id) {
    auto page = chat_->ListMessages(user, id, ChatMessageQuery{.offset = 0, .limit = 200});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->messages : std::vector<ChatMessageRecord>{};
  }

  ScriptedAgent agent_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<ChatService> chat_;
  std::string alice_;
  std::string bob_;
};

TEST_F(ChatServiceTest, AFirstMessageStartsAConversationAndStoresBothMessages) {
  const ChatAnswer answer = Send(alice_, "  show my tasks\nplease");
  EXPECT_TRUE(answer.created);
  EXPECT_EQ(answer.reply, "echo:   show my tasks\nplease");
  ASSERT_THAT(answer.actions, SizeIs(1));
  EXPECT_THAT(agent_.histories.back(), ::testing::IsEmpty());

  auto list = chat_->ListConversations(alice_, ConversationQuery{});
  ASSERT_TRUE(list.ok());
  ASSERT_THAT(list->conversations, SizeIs(1));
  EXPECT_EQ(list->conversations[0].id, answer.conversation_id);
  EXPECT_EQ(list->conversations[0].title, "show my tasks");

  const auto messages = Messages(alice_, answer.conversation_id);
  ASSERT_THAT(messages, SizeIs(2));
  EXPECT_EQ(messages[0].role, ChatRole::kUser);
  EXPECT_EQ(messages[0].content, "  show my tasks\nplease");
  EXPECT_EQ(messages[0].actions_json, "[]");
  EXPECT_EQ(messages[1].role, ChatRole::kAssistant);
  EXPECT_EQ(messages[1].content, answer.reply);
  const std::vector<ChatAction> stored = DecodeChatActions(messages[1].actions_json);
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0].tool, "list_tasks");
  EXPECT_EQ(stored[0].arguments_json, R"({"status":"pending"})");
  EXPECT_EQ(stored[0].result_json, R"({"tasks":[],"total":0})");
  EXPECT_EQ(stored[0].result_text, "none");
}

TEST_F(ChatServiceTest, EachMessageSeesTheStoredHistoryCutToTheLatest) {
  const std::string id = Send(alice_, "message 0").conversation_id;
  for (int i = 1; i < 25; ++i) {
    EXPECT_FALSE(Send(alice_, "message " + std::to_string(i), id).created);
  }
  const std::vector<ChatTurn>& seen = agent_.histories.back();
  ASSERT_THAT(seen, SizeIs(kChatHistoryMessages));
  // 48 messages before the 25th: the oldest 8 are cut, oldest first.
  EXPECT_EQ(seen.front().content, "message 4");
  EXPECT_EQ(seen.front().role, ChatRole::kUser);
  EXPECT_EQ(seen.back().content, "echo: message 23");
  ASSERT_THAT(seen.back().actions, SizeIs(1));
  EXPECT_EQ(seen.back().actions[0].tool, "list_tasks");
  EXPECT_THAT(Messages(alice_, id), SizeIs(50));
}

TEST_F(ChatServiceTest, AnotherUsersOrAnUnknownConversationIsNotFound) {
  const std::string id = Send(alice_, "hello").conversation_id;
  for (const std::string& target : {id, ids_.NewId()}) {
    Result<ChatAnswer> sent = chat_->Send(bob_, ChatRequest{target, "hi"});
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().code, ErrorCode::kNotFound);
    auto read = chat_->ListMessages(bob_, target, ChatMessageQuery{});
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::kNotFound);
    Status deleted = chat_->DeleteConversation(bob_, target);
    ASSERT_FALSE(deleted.ok());
    EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
  }
  EXPECT_THAT(agent_.users, ElementsAre(alice_)) << "the agent never ran for bob";
  EXPECT_THAT(Messages(alice_, id), SizeIs(2));
  EXPECT_EQ(chat_->ListConversations(bob_, ConversationQuery{})->total, 0);
}

TEST_F(ChatServiceTest, BadMessagesAreRefusedNamingTheFieldAndStoreNothing) {
  const std::string too_long(kMaxChatMessageBytes + 1, 'a');
  for (const std::string& message :
       {std::string(), std::string(" \n\t"), too_long, std::string("caf\xC3", 4)}) {
    Result<ChatAnswer> sent = chat_->Send(alice_, ChatRequest{std::nullopt, message});
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().code, ErrorCode::kInvalidArgument);
    ASSERT_THAT(sent.error().fields, SizeIs(1));
    EXPECT_EQ(sent.error().fields[0].field, "message");
  }
  EXPECT_TRUE(Send(alice_, std::string(kMaxChatMessageBytes, 'a')).created) << "the limit itself";
  EXPECT_EQ(chat_->ListConversations(alice_, ConversationQuery{})->total, 1);
  EXPECT_THAT(agent_.users, SizeIs(1));
}

TEST_F(ChatServiceTest, AFailingAgentStoresNothing) {
  agent_.fail = true;
  Result<ChatAnswer> sent = chat_->Send(alice_, ChatRequest{std::nullopt, "hello"});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(chat_->ListConversations(alice_, ConversationQuery{})->total, 0);
}

TEST_F(ChatServiceTest, ConversationsListNewestActivityFirstAndDelete) {
  const std::string first = Send(alice_, "first").conversation_id;
  clock_.Advance(std::chrono::seconds(1));
  const std::string second = Send(alice_, "second").conversation_id;
  clock_.Advance(std::chrono::seconds(1));
  Send(alice_, "again", first);
  auto list = chat_->ListConversations(alice_, ConversationQuery{.offset = 0, .limit = 10});
  ASSERT_TRUE(list.ok());
  ASSERT_THAT(list->conversations, SizeIs(2));
  EXPECT_EQ(list->conversations[0].id, first);
  EXPECT_EQ(list->conversations[1].id, second);
  auto paged = chat_->ListConversations(alice_, ConversationQuery{.offset = 1, .limit = 1});
  ASSERT_TRUE(paged.ok());
  ASSERT_THAT(paged->conversations, SizeIs(1));
  EXPECT_EQ(paged->conversations[0].id, second);
  EXPECT_EQ(paged->total, 2);

  ASSERT_TRUE(chat_->DeleteConversation(alice_, first).ok());
  EXPECT_EQ(chat_->ListConversations(alice_, ConversationQuery{})->total, 1);
  Result<ChatAnswer> gone = chat_->Send(alice_, ChatRequest{first, "still there?"});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_F(ChatServiceTest, PagesOutOfRangeNameTheParameter) {
  for (int limit : {0, kMaxConversationLimit + 1}) {
    auto list = chat_->ListConversations(alice_, ConversationQuery{.offset = 0, .limit = limit});
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.error().fields.at(0).field, "limit");
  }
  auto list = chat_->ListConversations(alice_, ConversationQuery{.offset = -1, .limit = 5});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().fields.at(0).field, "offset");
  const std::string id = Send(alice_, "hello").conversation_id;
  auto messages = chat_->ListMessages(alice_, id, ChatMessageQuery{.offset = 0, .limit = 201});
  ASSERT_FALSE(messages.ok());
  EXPECT_EQ(messages.error().fields.at(0).field, "limit");
}

TEST(ConversationTitleTest, IsTheFirstLineTrimmedAndCut) {
  EXPECT_EQ(ConversationTitle("  Show my tasks  \nand more"), "Show my tasks");
  EXPECT_EQ(ConversationTitle("\n\n"), "Conversation");
  const std::string long_text(100, 'x');
  EXPECT_EQ(ConversationTitle(long_text), std::string(80, 'x') + "\xE2\x80\xA6");
  // Cut between characters, never inside one.
  std::string accents;
  for (int i = 0; i < 90; ++i) accents += "\xC3\xA9";
  std::string expected;
  for (int i = 0; i < 80; ++i) expected += "\xC3\xA9";
  EXPECT_EQ(ConversationTitle(accents), expected + "\xE2\x80\xA6");
}

TEST(ChatActionsJsonTest, RoundTripsAndEmbedsJson) {
  const std::vector<ChatAction> actions = {
      ChatAction{"call_1", "add_task", R"({"text":"x"})", false, "ok", R"({"id":"a"})"},
      ChatAction{"call_2", "get_task", "not json", true, "bad", "{}"}};
  const std::string encoded = EncodeChatActions(actions);
  EXPECT_THAT(encoded, HasSubstr(R"("arguments":{"text":"x"})"));
  EXPECT_THAT(encoded, HasSubstr(R"("arguments":"not json")"));
  EXPECT_THAT(encoded,
              HasSubstr(R"("result":{"isError":false,"content":"ok","structured":{"id":"a"}})"));
  const std::vector<ChatAction> decoded = DecodeChatActions(encoded);
  ASSERT_THAT(decoded, SizeIs(2));
  EXPECT_EQ(decoded[0].call_id, "call_1");
  EXPECT_EQ(decoded[0].arguments_json, R"({"text":"x"})");
  EXPECT_EQ(decoded[0].result_json, R"({"id":"a"})");
  EXPECT_EQ(decoded[1].arguments_json, "not json");
  EXPECT_TRUE(decoded[1].is_error);
  EXPECT_THAT(DecodeChatActions("garbage"), ::testing::IsEmpty());
}

}  // namespace
}  // namespace taskflow
