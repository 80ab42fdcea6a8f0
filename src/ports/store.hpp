// Store port: the tasks, tags, users and conversations of every user, behind
// transactions.
//
// A use case runs its reads and writes inside Store::Read or Store::Write; the
// adapter begins a transaction, calls the function, and commits when it returns
// ok (rolls back otherwise). Repository methods report storage failures by
// throwing StoreFailure, which never leaves Read/Write: they turn it into
// Error{kUnavailable or kInternal}. Every method takes the owner's user id and
// never sees or changes another user's rows.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/result.hpp"
#include "domain/tag.hpp"
#include "domain/task.hpp"
#include "domain/task_query.hpp"
#include "domain/user.hpp"
#include "ports/chat_records.hpp"
#include "ports/event_records.hpp"

namespace taskflow {

// Thrown by repository methods inside a transaction only; caught by Read/Write.
class StoreFailure : public std::runtime_error {
 public:
  StoreFailure(std::string what, bool transient)
      : std::runtime_error(std::move(what)), transient_(transient) {}
  bool transient() const { return transient_; }  // busy/locked/unreachable: retry may help

 private:
  bool transient_;
};

struct Credentials {
  User user;
  std::string password_hash;
};

// Queries, valid in read and write transactions.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual std::optional<User> FindUser(const std::string& user_id) = 0;
  // `email` already lower-cased. Only users with a password are returned.
  virtual std::optional<Credentials> FindCredentials(const std::string& email) = 0;

  // The task with its tags and reminders, or nullopt when absent or not the user's.
  virtual std::optional<Task> FindTask(const std::string& user_id, const std::string& task_id) = 0;
  virtual TaskPage ListTasks(const std::string& user_id, const TaskQuery& query) = 0;

  virtual std::optional<Tag> FindTag(const std::string& user_id, const std::string& tag_id) = 0;
  // `name_key` is FoldCase(name).
  virtual std::optional<Tag> FindTagByKey(const std::string& user_id,
                                          const std::string& name_key) = 0;
  // All the user's tags with the number of their tasks, ordered by folded name.
  virtual std::vector<TagWithCount> ListTags(const std::string& user_id) = 0;

  // ---- events (migration 4) ----
  // Each has a default that fails the transaction, so that an adapter that
  // does not know migration 4 yet keeps building; every adapter must override
  // them.

  // Up to `limit` outbox rows not yet published, in id order.
  virtual std::vector<OutboxRecord> UnpublishedOutbox(int limit) {
    (void)limit;
    throw NotYetSupported("UnpublishedOutbox");
  }
  // Up to `limit` published rows of `topic` with id > after_id, in id order
  // (the log the in-process bus serves).
  virtual std::vector<OutboxRecord> PublishedOutbox(const std::string& topic, std::int64_t after_id,
                                                    int limit) {
    (void)topic, (void)after_id, (void)limit;
    throw NotYetSupported("PublishedOutbox");
  }
  // The in-process bus's cursor of `consumer` in `topic` (0: from the start).
  virtual std::int64_t ConsumerOffset(const std::string& consumer, const std::string& topic) {
    (void)consumer, (void)topic;
    throw NotYetSupported("ConsumerOffset");
  }
  // The highest outbox id of `topic`, published or not (0: none): where a
  // live subscription of the in-process bus starts.
  virtual std::int64_t OutboxHead(const std::string& topic) {
    (void)topic;
    throw NotYetSupported("OutboxHead");
  }
  // The lowest cursor any consumer group of the in-process bus has in
  // `topic`; nullopt when none has one. Rows past it are unread by someone.
  virtual std::optional<std::int64_t> LowestConsumerOffset(const std::string& topic) {
    (void)topic;
    throw NotYetSupported("LowestConsumerOffset");
  }
  virtual bool IsProcessed(const std::string& consumer, const std::string& event_id) {
    (void)consumer, (void)event_id;
    throw NotYetSupported("IsProcessed");
  }
  // Of `event_ids`, those `consumer` has processed (each once, in no
  // particular order): one query for a consumer's whole polled batch.
  virtual std::vector<std::string> ProcessedAmong(const std::string& consumer,
                                                  const std::vector<std::string>& event_ids) {
    (void)consumer, (void)event_ids;
    throw NotYetSupported("ProcessedAmong");
  }
  // The user's activity, newest first, optionally of one task.
  virtual ActivityPage ListActivity(const std::string& user_id, const ActivityQuery& query) {
    (void)user_id, (void)query;
    throw NotYetSupported("ListActivity");
  }
  virtual std::vector<Webhook> ListWebhooks(const std::string& user_id) {
    (void)user_id;
    throw NotYetSupported("ListWebhooks");
  }
  // The earliest remind_at of a reminder not yet sent of a pending task.
  virtual std::optional<Instant> NextReminderAt() { throw NotYetSupported("NextReminderAt"); }

  // ---- chat (migration 5; defaults fail the transaction, as above) ----

  // The conversation, or nullopt when absent or not the user's.
  virtual std::optional<Conversation> FindConversation(const std::string& user_id,
                                                       const std::string& conversation_id) {
    (void)user_id, (void)conversation_id;
    throw NotYetSupported("FindConversation");
  }
  // The user's conversations, most recently active first (updated_at
  // descending; in the same millisecond, the one whose newest message was
  // written last; then id), with the total count.
  virtual ConversationPage ListConversations(const std::string& user_id,
                                             const ConversationQuery& query) {
    (void)user_id, (void)query;
    throw NotYetSupported("ListConversations");
  }
  // A page of the conversation's messages, oldest first (empty when the
  // conversation is not the user's).
  virtual ChatMessagePage ListChatMessages(const std::string& user_id,
                                           const std::string& conversation_id,
                                           const ChatMessageQuery& query) {
    (void)user_id, (void)conversation_id, (void)query;
    throw NotYetSupported("ListChatMessages");
  }
  // The last `limit` messages of the conversation, oldest first: the history
  // an agent sees.
  virtual std::vector<ChatMessageRecord> RecentChatMessages(const std::string& user_id,
                                                            const std::string& conversation_id,
                                                            int limit) {
    (void)user_id, (void)conversation_id, (void)limit;
    throw NotYetSupported("RecentChatMessages");
  }

 protected:
  static StoreFailure NotYetSupported(const char* what) {
    return StoreFailure(std::string("this store does not implement ") + what + " yet", false);
  }
};

// Queries and changes, valid in write transactions.
class StoreWriter : public StoreReader {
 public:
  // False when the email is taken (the unique index decides, not a prior read).
  virtual bool InsertUser(const User& user, const std::optional<std::string>& password_hash) = 0;
  // Inserts the user unless a user with that id exists; a clashing email is
  // stored as null. True when a row was inserted.
  virtual bool EnsureUser(const User& user) = 0;
  virtual void UpdateUser(const User& user) = 0;

  // Inserts the task row and its reminders, which must all have ids (tags are
  // linked separately with SetTaskTags).
  virtual void InsertTask(const Task& task) = 0;
  // Inserts `task`, the next occurrence of the task named by its
  // previous_occurrence_id, with its reminders, unless that task already has
  // a next occurrence: a unique constraint on previous_occurrence_id decides
  // (not a prior read), so completing a task twice, or completing, reopening
  // and completing it again, never creates two. False then, and nothing is
  // written.
  // Every adapter must override it. The default only keeps an adapter that
  // does not know migration 3 yet building; it fails the transaction.
  virtual bool InsertNextOccurrence(const Task& task) {
    throw StoreFailure("this store cannot insert the next occurrence of task " +
                           task.previous_occurrence_id.value_or("?") + " yet",
                       false);
  }
  // Writes every column of `task`, and replaces its reminders with
  // task.reminders, when the stored version is `expected_version`; false
  // otherwise (absent, or changed since read).
  virtual bool UpdateTask(const Task& task, std::int64_t expected_version) = 0;
  // False when absent (or not the user's).
  virtual bool DeleteTask(const std::string& user_id, const std::string& task_id) = 0;
  // Replaces the task's tag links with exactly `tag_ids` (all the user's).
  virtual void SetTaskTags(const std::string& task_id, const std::vector<std::string>& tag_ids) = 0;

  // False when the user already has a tag with the same folded name.
  virtual bool InsertTag(const Tag& tag) = 0;
  // False on a name clash or when absent. A new spelling of the name bumps
  // version and updated_at of every task carrying the tag (they show its name).
  virtual bool UpdateTag(const Tag& tag, Instant now) = 0;
  // False when absent. Unlinks it from every task, bumping their version and updated_at.
  virtual bool DeleteTag(const std::string& user_id, const std::string& tag_id, Instant now) = 0;

  // ---- events (migration 4; defaults fail the transaction, see StoreReader) ----

  // Appends an event to the outbox; sets record.id.
  virtual void AppendOutbox(OutboxRecord& record) {
    (void)record;
    throw NotYetSupported("AppendOutbox");
  }
  // Marks these rows published at `now`.
  virtual void MarkPublished(const std::vector<std::int64_t>& ids, Instant now) {
    (void)ids, (void)now;
    throw NotYetSupported("MarkPublished");
  }
  virtual void SetConsumerOffset(const std::string& consumer, const std::string& topic,
                                 std::int64_t position) {
    (void)consumer, (void)topic, (void)position;
    throw NotYetSupported("SetConsumerOffset");
  }
  // Deletes every cursor of `consumer` (a group gone for good, which would
  // otherwise hold its topics' outbox rows back). How many were deleted.
  virtual int DeleteConsumerOffsets(const std::string& consumer) {
    (void)consumer;
    throw NotYetSupported("DeleteConsumerOffsets");
  }
  // Records that `consumer` applied `event_id`. False when it already had (a
  // primary key decides), and then nothing is written: the caller must not
  // apply the side effect again.
  virtual bool MarkProcessed(const std::string& consumer, const std::string& event_id,
                             Instant now) {
    (void)consumer, (void)event_id, (void)now;
    throw NotYetSupported("MarkProcessed");
  }
  // Pruning (bounded: each call looks at no more than `window` rows per
  // topic or consumer, however large the table, so a pass costs the same on
  // a table of a thousand rows or of a billion; the caller repeats it).
  //
  // Of the `window` oldest rows of `topic` (id order), deletes those published
  // before `published_before` whose id is at most `through_id` (the in-process
  // bus's lowest consumer cursor; INT64_MAX when the outbox is not the log).
  // An unpublished row is never deleted. Returns how many were deleted.
  virtual int PruneOutbox(const std::string& topic, std::int64_t through_id,
                          Instant published_before, int window) {
    (void)topic, (void)through_id, (void)published_before, (void)window;
    throw NotYetSupported("PruneOutbox");
  }
  // For each consumer, of its `window` first processed_events rows in
  // event_id order (UUIDv7 ids: the oldest first), deletes those processed
  // before `processed_before`. Returns how many were deleted.
  virtual int PruneProcessedEvents(Instant processed_before, int window) {
    (void)processed_before, (void)window;
    throw NotYetSupported("PruneProcessedEvents");
  }
  virtual void InsertDeadLetter(const DeadLetter& letter) {
    (void)letter;
    throw NotYetSupported("InsertDeadLetter");
  }
  // False when an entry of that event_id exists (redelivery).
  virtual bool InsertActivity(const ActivityEntry& entry) {
    (void)entry;
    throw NotYetSupported("InsertActivity");
  }
  virtual void InsertWebhook(const Webhook& webhook) {
    (void)webhook;
    throw NotYetSupported("InsertWebhook");
  }
  // False when absent (or not the user's).
  virtual bool DeleteWebhook(const std::string& user_id, const std::string& webhook_id) {
    (void)user_id, (void)webhook_id;
    throw NotYetSupported("DeleteWebhook");
  }
  // Takes or renews the outbox relay's lease for `holder` until `until`:
  // true when no other holder has it past `now`. One relay per database
  // publishes, so replicas do not publish the same rows twice.
  virtual bool TakeRelayLease(const std::string& holder, Instant now, Instant until) {
    (void)holder, (void)now, (void)until;
    throw NotYetSupported("TakeRelayLease");
  }
  // Gives the lease up (shutdown), if `holder` has it.
  virtual void ReleaseRelayLease(const std::string& holder) {
    (void)holder;
    throw NotYetSupported("ReleaseRelayLease");
  }
  // Claims up to `limit` reminders of pending tasks with remind_at <= now that
  // were not sent: marks them sent at `now` (and the task's reminder_sent
  // summary) in this transaction, so a concurrent claimer never gets them.
  virtual std::vector<DueReminder> ClaimDueReminders(Instant now, int limit) {
    (void)now, (void)limit;
    throw NotYetSupported("ClaimDueReminders");
  }

  // ---- chat (migration 5; defaults fail the transaction, see StoreReader) ----

  virtual void InsertConversation(const Conversation& conversation) {
    (void)conversation;
    throw NotYetSupported("InsertConversation");
  }
  // Sets updated_at; false when absent (or not the user's).
  virtual bool TouchConversation(const std::string& user_id, const std::string& conversation_id,
                                 Instant updated_at) {
    (void)user_id, (void)conversation_id, (void)updated_at;
    throw NotYetSupported("TouchConversation");
  }
  // Deletes the conversation and its messages; false when absent (or not the user's).
  virtual bool DeleteConversation(const std::string& user_id, const std::string& conversation_id) {
    (void)user_id, (void)conversation_id;
    throw NotYetSupported("DeleteConversation");
  }
  // Appends a message to a conversation of message.user_id (the caller
  // checked it is theirs). Messages keep their insertion order; the
  // conversation becomes the last written of its millisecond (ListConversations).
  virtual void InsertChatMessage(const ChatMessageRecord& message) {
    (void)message;
    throw NotYetSupported("InsertChatMessage");
  }
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `work` in a read transaction (a consistent snapshot). Thread-safe;
  // reads run in parallel with each other and with the writer.
  virtual Status Read(const std::function<Status(StoreReader&)>& work) = 0;
  // Runs `work` in a write transaction; commits when it returns ok. Thread-safe;
  // writers are serialised.
  virtual Status Write(const std::function<Status(StoreWriter&)>& work) = 0;
  // True when the database answers a trivial query (for /ready).
  virtual bool Ping() = 0;
};

}  // namespace taskflow
