// The Store contract for the chat tables (migration 5): conversations and
// their messages, per user. TEST_P cases of StoreContractTest, so every
// adapter binary that instantiates that suite and compiles this file runs them
// against its backend.
#include <string>
#include <vector>

#include "ports/manual_clock.hpp"
#include "ports/store_contract_test.hpp"

namespace taskflow::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Conversation MakeConversation(const std::string& id, const std::string& user_id,
                              long long updated_ms) {
  return Conversation{.id = id,
                      .user_id = user_id,
                      .title = "Talk " + id,
                      .created_at = At(1'000),
                      .updated_at = At(updated_ms)};
}

ChatMessageRecord MakeMessage(const std::string& id, const std::string& conversation_id,
                              const std::string& user_id, ChatRole role, long long created_ms) {
  return ChatMessageRecord{.id = id,
                           .conversation_id = conversation_id,
                           .user_id = user_id,
                           .role = role,
                           .content = "text of " + id,
                           .actions_json = role == ChatRole::kAssistant
                                               ? R"([{"tool":"list_tasks","arguments":{}}])"
                                               : "[]",
                           .created_at = At(created_ms)};
}

std::vector<std::string> ConversationIds(const ConversationPage& page) {
  std::vector<std::string> ids;
  for (const Conversation& c : page.conversations) ids.push_back(c.id);
  return ids;
}

std::vector<std::string> MessageIds(const std::vector<ChatMessageRecord>& messages) {
  std::vector<std::string> ids;
  for (const ChatMessageRecord& m : messages) ids.push_back(m.id);
  return ids;
}

}  // namespace

TEST_P(StoreContractTest, ConversationsRoundTripAndListByLatestActivity) {
  Write([](StoreWriter& tx) {
    tx.InsertConversation(MakeConversation("c1", "u1", 5'000));
    tx.InsertConversation(MakeConversation("c2", "u1", 7'000));
    tx.InsertConversation(MakeConversation("c3", "u1", 6'000));
  });
  const std::optional<Conversation> found =
      Read([](StoreReader& tx) { return tx.FindConversation("u1", "c2"); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, "u1");
  EXPECT_EQ(found->title, "Talk c2");
  EXPECT_EQ(found->created_at, At(1'000));
  EXPECT_EQ(found->updated_at, At(7'000));

  auto list = [&](long long offset, int limit) {
    return Read([&](StoreReader& tx) {
      return tx.ListConversations("u1", ConversationQuery{.offset = offset, .limit = limit});
    });
  };
  EXPECT_THAT(ConversationIds(list(0, 10)), ElementsAre("c2", "c3", "c1"));
  const ConversationPage second = list(1, 1);
  EXPECT_THAT(ConversationIds(second), ElementsAre("c3"));
  EXPECT_EQ(second.total, 3);

  // A new message moves its conversation to the top.
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.TouchConversation("u1", "c1", At(9'000)); }));
  EXPECT_THAT(ConversationIds(list(0, 10)), ElementsAre("c1", "c2", "c3"));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.TouchConversation("u1", "nope", At(1)); }));
}

// The clock does not move between writes (a busy server answers many messages
// in one millisecond): the conversation written last is still the most
// recently active. Ids break no such tie: c2 sorts after c1 whatever the
// order of the writes.
TEST_P(StoreContractTest, ConversationsActiveInTheSameMillisecondListTheLastWrittenFirst) {
  const ManualClock clock(At(5'000));
  int messages = 0;
  // What ChatService writes for one answered message: the conversation, new
  // or touched, and the message, in one transaction, at the clock's time.
  auto post = [&](const std::string& user_id, const std::string& conversation_id, bool create) {
    ChatMessageRecord message =
        MakeMessage("m" + std::to_string(++messages), conversation_id, user_id, ChatRole::kUser, 0);
    message.created_at = clock.Now();
    Write([&](StoreWriter& tx) {
      if (create) {
        Conversation conversation = MakeConversation(conversation_id, user_id, 0);
        conversation.updated_at = clock.Now();
        tx.InsertConversation(conversation);
      } else {
        EXPECT_TRUE(tx.TouchConversation(user_id, conversation_id, clock.Now()));
      }
      tx.InsertChatMessage(message);
    });
  };
  auto listed = [&](long long offset, int limit) {
    return ConversationIds(Read([&](StoreReader& tx) {
      return tx.ListConversations("u1", ConversationQuery{.offset = offset, .limit = limit});
    }));
  };

  post("u1", "c1", true);
  post("u1", "c2", true);
  EXPECT_THAT(listed(0, 10), ElementsAre("c2", "c1"));
  post("u1", "c1", false);
  EXPECT_THAT(listed(0, 10), ElementsAre("c1", "c2"));
  // Pages agree with the whole list.
  EXPECT_THAT(listed(0, 1), ElementsAre("c1"));
  EXPECT_THAT(listed(1, 1), ElementsAre("c2"));
  // Another user's later write does not reorder u1's list.
  post("u2", "c3", true);
  EXPECT_THAT(listed(0, 10), ElementsAre("c1", "c2"));
  post("u1", "c2", false);
  EXPECT_THAT(listed(0, 10), ElementsAre("c2", "c1"));
  // The newest messages deleted with their conversation: later writes still
  // rank after every earlier one.
  post("u1", "c4", true);
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteConversation("u1", "c4"); }));
  post("u1", "c1", false);
  EXPECT_THAT(listed(0, 10), ElementsAre("c1", "c2"));
}

TEST_P(StoreContractTest, MessagesKeepTheirOrderAndEveryField) {
  Write([](StoreWriter& tx) {
    tx.InsertConversation(MakeConversation("c1", "u1", 1'000));
    // Same millisecond: insertion order decides.
    tx.InsertChatMessage(MakeMessage("m1", "c1", "u1", ChatRole::kUser, 2'000));
    tx.InsertChatMessage(MakeMessage("m2", "c1", "u1", ChatRole::kAssistant, 2'000));
    tx.InsertChatMessage(MakeMessage("m3", "c1", "u1", ChatRole::kUser, 2'000));
    tx.InsertChatMessage(MakeMessage("m4", "c1", "u1", ChatRole::kAssistant, 3'000));
  });
  const ChatMessagePage all = Read([](StoreReader& tx) {
    return tx.ListChatMessages("u1", "c1", ChatMessageQuery{.offset = 0, .limit = 10});
  });
  EXPECT_EQ(all.total, 4);
  EXPECT_THAT(MessageIds(all.messages), ElementsAre("m1", "m2", "m3", "m4"));
  ASSERT_EQ(all.messages.size(), 4u);
  const ChatMessageRecord& reply = all.messages[1];
  EXPECT_EQ(reply.conversation_id, "c1");
  EXPECT_EQ(reply.user_id, "u1");
  EXPECT_EQ(reply.role, ChatRole::kAssistant);
  EXPECT_EQ(reply.content, "text of m2");
  EXPECT_EQ(reply.actions_json, R"([{"tool":"list_tasks","arguments":{}}])");
  EXPECT_EQ(reply.created_at, At(2'000));
  EXPECT_EQ(all.messages[0].role, ChatRole::kUser);
  EXPECT_EQ(all.messages[0].actions_json, "[]");

  const ChatMessagePage page = Read([](StoreReader& tx) {
    return tx.ListChatMessages("u1", "c1", ChatMessageQuery{.offset = 1, .limit = 2});
  });
  EXPECT_THAT(MessageIds(page.messages), ElementsAre("m2", "m3"));
  EXPECT_EQ(page.total, 4);

  // The history an agent sees: the last ones, oldest first.
  EXPECT_THAT(
      MessageIds(Read([](StoreReader& tx) { return tx.RecentChatMessages("u1", "c1", 3); })),
      ElementsAre("m2", "m3", "m4"));
  EXPECT_THAT(
      MessageIds(Read([](StoreReader& tx) { return tx.RecentChatMessages("u1", "c1", 10); })),
      ElementsAre("m1", "m2", "m3", "m4"));
}

TEST_P(StoreContractTest, AnotherUsersConversationIsInvisibleAndUnchangeable) {
  Write([](StoreWriter& tx) {
    tx.InsertConversation(MakeConversation("c1", "u1", 1'000));
    tx.InsertChatMessage(MakeMessage("m1", "c1", "u1", ChatRole::kUser, 2'000));
  });
  Read([](StoreReader& tx) {
    EXPECT_EQ(tx.FindConversation("u2", "c1"), std::nullopt);
    EXPECT_THAT(tx.ListConversations("u2", ConversationQuery{}).conversations, IsEmpty());
    EXPECT_EQ(tx.ListConversations("u2", ConversationQuery{}).total, 0);
    const ChatMessagePage page = tx.ListChatMessages("u2", "c1", ChatMessageQuery{});
    EXPECT_THAT(page.messages, IsEmpty());
    EXPECT_EQ(page.total, 0);
    EXPECT_THAT(tx.RecentChatMessages("u2", "c1", 10), IsEmpty());
    return true;
  });
  Write([](StoreWriter& tx) {
    EXPECT_FALSE(tx.TouchConversation("u2", "c1", At(5'000)));
    EXPECT_FALSE(tx.DeleteConversation("u2", "c1"));
  });
  const std::optional<Conversation> kept =
      Read([](StoreReader& tx) { return tx.FindConversation("u1", "c1"); });
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->updated_at, At(1'000));
  EXPECT_THAT(
      MessageIds(Read([](StoreReader& tx) { return tx.RecentChatMessages("u1", "c1", 10); })),
      ElementsAre("m1"));
}

TEST_P(StoreContractTest, DeletingAConversationDeletesItsMessagesOnly) {
  Write([](StoreWriter& tx) {
    tx.InsertConversation(MakeConversation("c1", "u1", 1'000));
    tx.InsertConversation(MakeConversation("c2", "u1", 1'000));
    tx.InsertChatMessage(MakeMessage("m1", "c1", "u1", ChatRole::kUser, 2'000));
    tx.InsertChatMessage(MakeMessage("m2", "c2", "u1", ChatRole::kUser, 2'000));
  });
  EXPECT_TRUE(Write([](StoreWriter& tx) { return tx.DeleteConversation("u1", "c1"); }));
  EXPECT_FALSE(Write([](StoreWriter& tx) { return tx.DeleteConversation("u1", "c1"); }));
  Read([](StoreReader& tx) {
    EXPECT_EQ(tx.FindConversation("u1", "c1"), std::nullopt);
    EXPECT_THAT(tx.RecentChatMessages("u1", "c1", 10), IsEmpty());
    EXPECT_THAT(MessageIds(tx.RecentChatMessages("u1", "c2", 10)), ElementsAre("m2"));
    return true;
  });
  // Its message ids are free again: the rows are gone, not hidden.
  Write([](StoreWriter& tx) {
    tx.InsertConversation(MakeConversation("c1", "u1", 3'000));
    tx.InsertChatMessage(MakeMessage("m1", "c1", "u1", ChatRole::kUser, 3'000));
  });
}

}  // namespace taskflow::testing
