#include "adapters/sqlite/sqlite_events.hpp"

#include <algorithm>
#include <string_view>

namespace taskflow::sqlite {
namespace {

// ---- SQL (every value a bound parameter) ----

constexpr std::string_view kSelectUnpublished =
    "SELECT id, topic, message_key, event_id, payload, created_at FROM outbox "
    "WHERE published_at IS NULL ORDER BY id LIMIT ?";
constexpr std::string_view kSelectPublished =
    "SELECT id, topic, message_key, event_id, payload, created_at FROM outbox "
    "WHERE topic = ? AND id > ? AND published_at IS NOT NULL ORDER BY id LIMIT ?";
constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (topic, message_key, event_id, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kMarkPublished =
    "UPDATE outbox SET published_at = ?2 WHERE id = ?1 AND published_at IS NULL";

constexpr std::string_view kSelectOffset =
    "SELECT position FROM consumer_offsets WHERE consumer = ? AND topic = ?";
constexpr std::string_view kUpsertOffset =
    "INSERT INTO consumer_offsets (consumer, topic, position) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (consumer, topic) DO UPDATE SET position = max(position, excluded.position)";
// MAX over the outbox_topic (topic, id) index: one seek.
constexpr std::string_view kOutboxHead = "SELECT max(id) FROM outbox WHERE topic = ?";
constexpr std::string_view kDeleteOffsets = "DELETE FROM consumer_offsets WHERE consumer = ?";
constexpr std::string_view kLowestOffset =
    "SELECT min(position) FROM consumer_offsets WHERE topic = ?";
constexpr std::string_view kIsProcessed =
    "SELECT count(*) FROM processed_events WHERE consumer = ? AND event_id = ?";
constexpr std::string_view kInsertProcessed =
    "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?) "
    "ON CONFLICT (consumer, event_id) DO NOTHING";
// Pruning looks at a window of the oldest rows through an index (outbox_topic;
// the primary key of processed_events), never at the whole table: neither
// published_at nor processed_at has an index, and none is needed.
constexpr std::string_view kPruneOutbox =
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE topic = ?1 ORDER BY id LIMIT ?4) "
    "AND id <= ?2 AND published_at IS NOT NULL AND published_at < ?3";
// Each consumer's name once, by skipping through the primary key (a loose
// index scan), not by reading every row.
constexpr std::string_view kProcessedConsumers =
    "WITH RECURSIVE c(name) AS (SELECT min(consumer) FROM processed_events UNION ALL "
    "SELECT (SELECT min(consumer) FROM processed_events WHERE consumer > c.name) FROM c "
    "WHERE c.name IS NOT NULL) SELECT name FROM c WHERE name IS NOT NULL";
constexpr std::string_view kPruneProcessed =
    "DELETE FROM processed_events WHERE consumer = ?1 AND event_id IN (SELECT event_id FROM "
    "processed_events WHERE consumer = ?1 ORDER BY event_id LIMIT ?3) AND processed_at < ?2";
constexpr std::string_view kInsertDeadLetter =
    "INSERT INTO dead_letters (consumer, topic, message_key, event_id, payload, error, attempts, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

constexpr std::string_view kInsertActivity =
    "INSERT INTO activity_log (event_id, user_id, task_id, event_type, task_data, occurred_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";

constexpr std::string_view kInsertWebhook =
    "INSERT INTO webhooks (id, user_id, url, secret, created_at) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view kDeleteWebhook = "DELETE FROM webhooks WHERE id = ? AND user_id = ?";
constexpr std::string_view kSelectWebhooks =
    "SELECT id, user_id, url, secret, created_at FROM webhooks WHERE user_id = ? "
    "ORDER BY created_at, id";

// The lease changes hands only once it has expired.
constexpr std::string_view kTakeLease =
    "INSERT INTO relay_leases (name, holder, expires_at) VALUES ('outbox', ?1, ?3) "
    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE relay_leases.holder = excluded.holder OR relay_leases.expires_at <= ?2";
constexpr std::string_view kReleaseLease =
    "UPDATE relay_leases SET expires_at = 0 WHERE name = 'outbox' AND holder = ?";

// task_reminders_pending (migration 3) serves both: a range of remind_at over
// unsent, planned reminders.
constexpr std::string_view kNextReminderAt =
    "SELECT r.remind_at FROM task_reminders r JOIN tasks t ON t.id = r.task_id "
    "WHERE r.sent_at IS NULL AND r.remind_at IS NOT NULL AND t.status = 'pending' "
    "ORDER BY r.remind_at LIMIT 1";
constexpr std::string_view kSelectDueReminders =
    "SELECT r.task_id, r.position, r.id, r.user_id, r.remind_at, t.title, t.due_at "
    "FROM task_reminders r JOIN tasks t ON t.id = r.task_id "
    "WHERE r.sent_at IS NULL AND r.remind_at IS NOT NULL AND r.remind_at <= ?1 "
    "AND t.status = 'pending' ORDER BY r.remind_at LIMIT ?2";
constexpr std::string_view kMarkReminderSent =
    "UPDATE task_reminders SET sent_at = ?3 WHERE task_id = ?1 AND position = ?2 "
    "AND sent_at IS NULL";
// The task's summary (Task::reminder_sent): every reminder sent.
constexpr std::string_view kSummarizeSent =
    "UPDATE tasks SET reminder_sent = NOT EXISTS (SELECT 1 FROM task_reminders "
    "WHERE task_id = ?1 AND sent_at IS NULL) WHERE id = ?1";

OutboxRecord DecodeOutbox(const Statement& s) {
  return OutboxRecord{.id = s.Int64(0),
                      .topic = s.Text(1),
                      .key = s.Text(2),
                      .event_id = s.Text(3),
                      .payload = s.Text(4),
                      .created_at = FromUnixMillis(s.Int64(5))};
}

}  // namespace

std::vector<OutboxRecord> UnpublishedOutbox(Connection& db, int limit) {
  std::vector<OutboxRecord> records;
  ScopedStatement s = db.Prepare(kSelectUnpublished);
  s->BindInt64(1, limit);
  while (s->Step()) records.push_back(DecodeOutbox(*s));
  return records;
}

std::vector<OutboxRecord> PublishedOutbox(Connection& db, const std::string& topic,
                                          std::int64_t after_id, int limit) {
  std::vector<OutboxRecord> records;
  ScopedStatement s = db.Prepare(kSelectPublished);
  s->BindText(1, topic);
  s->BindInt64(2, after_id);
  s->BindInt64(3, limit);
  while (s->Step()) records.push_back(DecodeOutbox(*s));
  return records;
}

void AppendOutbox(Connection& db, OutboxRecord& record) {
  ScopedStatement s = db.Prepare(kInsertOutbox);
  s->BindText(1, record.topic);
  s->BindText(2, record.key);
  s->BindText(3, record.event_id);
  s->BindText(4, record.payload);
  s->BindInt64(5, ToUnixMillis(record.created_at));
  s->Step();
  record.id = db.LastInsertRowid();
}

void MarkPublished(Connection& db, const std::vector<std::int64_t>& ids, Instant now) {
  for (std::int64_t id : ids) {
    ScopedStatement s = db.Prepare(kMarkPublished);
    s->BindInt64(1, id);
    s->BindInt64(2, ToUnixMillis(now));
    s->Step();
  }
}

std::int64_t ConsumerOffset(Connection& db, const std::string& consumer, const std::string& topic) {
  ScopedStatement s = db.Prepare(kSelectOffset);
  s->BindText(1, consumer);
  s->BindText(2, topic);
  return s->Step() ? s->Int64(0) : 0;
}

void SetConsumerOffset(Connection& db, const std::string& consumer, const std::string& topic,
                       std::int64_t position) {
  ScopedStatement s = db.Prepare(kUpsertOffset);
  s->BindText(1, consumer);
  s->BindText(2, topic);
  s->BindInt64(3, position);
  s->Step();
}

bool IsProcessed(Connection& db, const std::string& consumer, const std::string& event_id) {
  ScopedStatement s = db.Prepare(kIsProcessed);
  s->BindText(1, consumer);
  s->BindText(2, event_id);
  s->Step();
  return s->Int64(0) > 0;
}

// One primary-key probe per id through the cached statement: SQLite is in
// process, so a query per id costs no round trip, and the ids need no
// encoding into a list parameter.
std::vector<std::string> ProcessedAmong(Connection& db, const std::string& consumer,
                                        const std::vector<std::string>& event_ids) {
  std::vector<std::string> processed;
  for (const std::string& event_id : event_ids) {
    if (std::find(processed.begin(), processed.end(), event_id) != processed.end()) continue;
    if (IsProcessed(db, consumer, event_id)) processed.push_back(event_id);
  }
  return processed;
}

bool MarkProcessed(Connection& db, const std::string& consumer, const std::string& event_id,
                   Instant now) {
  ScopedStatement s = db.Prepare(kInsertProcessed);
  s->BindText(1, consumer);
  s->BindText(2, event_id);
  s->BindInt64(3, ToUnixMillis(now));
  s->Step();
  return db.Changes() == 1;
}

std::optional<std::int64_t> LowestConsumerOffset(Connection& db, const std::string& topic) {
  ScopedStatement s = db.Prepare(kLowestOffset);
  s->BindText(1, topic);
  s->Step();
  if (s->IsNull(0)) return std::nullopt;
  return s->Int64(0);
}

std::int64_t OutboxHead(Connection& db, const std::string& topic) {
  ScopedStatement s = db.Prepare(kOutboxHead);
  s->BindText(1, topic);
  s->Step();
  return s->IsNull(0) ? 0 : s->Int64(0);
}

int DeleteConsumerOffsets(Connection& db, const std::string& consumer) {
  ScopedStatement s = db.Prepare(kDeleteOffsets);
  s->BindText(1, consumer);
  s->Step();
  return static_cast<int>(db.Changes());
}

int PruneOutbox(Connection& db, const std::string& topic, std::int64_t through_id,
                Instant published_before, int window) {
  ScopedStatement s = db.Prepare(kPruneOutbox);
  s->BindText(1, topic);
  s->BindInt64(2, through_id);
  s->BindInt64(3, ToUnixMillis(published_before));
  s->BindInt64(4, window);
  s->Step();
  return static_cast<int>(db.Changes());
}

int PruneProcessedEvents(Connection& db, Instant processed_before, int window) {
  std::vector<std::string> consumers;
  {
    ScopedStatement s = db.Prepare(kProcessedConsumers);
    while (s->Step()) consumers.push_back(s->Text(0));
  }
  int deleted = 0;
  for (const std::string& consumer : consumers) {
    ScopedStatement s = db.Prepare(kPruneProcessed);
    s->BindText(1, consumer);
    s->BindInt64(2, ToUnixMillis(processed_before));
    s->BindInt64(3, window);
    s->Step();
    deleted += static_cast<int>(db.Changes());
  }
  return deleted;
}

void InsertDeadLetter(Connection& db, const DeadLetter& letter) {
  ScopedStatement s = db.Prepare(kInsertDeadLetter);
  s->BindText(1, letter.consumer);
  s->BindText(2, letter.topic);
  s->BindText(3, letter.key);
  s->BindText(4, letter.event_id);
  s->BindText(5, letter.payload);
  s->BindText(6, letter.error);
  s->BindInt64(7, letter.attempts);
  s->BindInt64(8, ToUnixMillis(letter.created_at));
  s->Step();
}

bool InsertActivity(Connection& db, const ActivityEntry& entry) {
  ScopedStatement s = db.Prepare(kInsertActivity);
  s->BindText(1, entry.event_id);
  s->BindText(2, entry.user_id);
  s->BindText(3, entry.task_id);
  s->BindText(4, entry.event_type);
  s->BindText(5, entry.task_data);
  s->BindInt64(6, ToUnixMillis(entry.occurred_at));
  s->Step();
  return db.Changes() == 1;
}

ActivityPage ListActivity(Connection& db, const std::string& user_id, const ActivityQuery& query) {
  ActivityPage page;
  const bool of_task = query.task_id.has_value();
  {
    ScopedStatement s = db.Prepare(of_task ? kListTaskActivitySql : kListActivitySql);
    s->BindText(1, user_id);
    if (of_task) s->BindText(2, *query.task_id);
    s->BindInt64(3, query.limit);
    s->BindInt64(4, query.offset);
    while (s->Step()) {
      page.entries.push_back(ActivityEntry{.id = s->Int64(0),
                                           .event_id = s->Text(1),
                                           .user_id = s->Text(2),
                                           .task_id = s->Text(3),
                                           .event_type = s->Text(4),
                                           .task_data = s->Text(5),
                                           .occurred_at = FromUnixMillis(s->Int64(6))});
    }
  }
  ScopedStatement s = db.Prepare(of_task ? kCountTaskActivitySql : kCountActivitySql);
  s->BindText(1, user_id);
  if (of_task) s->BindText(2, *query.task_id);
  s->Step();
  page.total = s->Int64(0);
  return page;
}

void InsertWebhook(Connection& db, const Webhook& webhook) {
  ScopedStatement s = db.Prepare(kInsertWebhook);
  s->BindText(1, webhook.id);
  s->BindText(2, webhook.user_id);
  s->BindText(3, webhook.url);
  s->BindText(4, webhook.secret);
  s->BindInt64(5, ToUnixMillis(webhook.created_at));
  s->Step();
}

bool DeleteWebhook(Connection& db, const std::string& user_id, const std::string& webhook_id) {
  ScopedStatement s = db.Prepare(kDeleteWebhook);
  s->BindText(1, webhook_id);
  s->BindText(2, user_id);
  s->Step();
  return db.Changes() == 1;
}

std::vector<Webhook> ListWebhooks(Connection& db, const std::string& user_id) {
  std::vector<Webhook> hooks;
  ScopedStatement s = db.Prepare(kSelectWebhooks);
  s->BindText(1, user_id);
  while (s->Step()) {
    hooks.push_back(Webhook{.id = s->Text(0),
                            .user_id = s->Text(1),
                            .url = s->Text(2),
                            .secret = s->Text(3),
                            .created_at = FromUnixMillis(s->Int64(4))});
  }
  return hooks;
}

bool TakeRelayLease(Connection& db, const std::string& holder, Instant now, Instant until) {
  ScopedStatement s = db.Prepare(kTakeLease);
  s->BindText(1, holder);
  s->BindInt64(2, ToUnixMillis(now));
  s->BindInt64(3, ToUnixMillis(until));
  s->Step();
  return db.Changes() == 1;
}

void ReleaseRelayLease(Connection& db, const std::string& holder) {
  ScopedStatement s = db.Prepare(kReleaseLease);
  s->BindText(1, holder);
  s->Step();
}

std::optional<Instant> NextReminderAt(Connection& db) {
  ScopedStatement s = db.Prepare(kNextReminderAt);
  if (!s->Step()) return std::nullopt;
  return FromUnixMillis(s->Int64(0));
}

std::vector<DueReminder> ClaimDueReminders(Connection& db, Instant now, int limit) {
  struct Row {
    DueReminder reminder;
    std::int64_t position;
  };
  std::vector<Row> rows;
  {
    ScopedStatement s = db.Prepare(kSelectDueReminders);
    s->BindInt64(1, ToUnixMillis(now));
    s->BindInt64(2, limit);
    while (s->Step()) {
      Row row;
      row.reminder.task_id = s->Text(0);
      row.position = s->Int64(1);
      row.reminder.reminder_id = s->Text(2);
      row.reminder.user_id = s->Text(3);
      row.reminder.remind_at = FromUnixMillis(s->Int64(4));
      row.reminder.title = s->Text(5);
      if (!s->IsNull(6)) row.reminder.due_at = FromUnixMillis(s->Int64(6));
      rows.push_back(std::move(row));
    }
  }
  std::vector<DueReminder> claimed;
  for (Row& row : rows) {
    {
      ScopedStatement s = db.Prepare(kMarkReminderSent);
      s->BindText(1, row.reminder.task_id);
      s->BindInt64(2, row.position);
      s->BindInt64(3, ToUnixMillis(now));
      s->Step();
      if (db.Changes() != 1) continue;
    }
    ScopedStatement s = db.Prepare(kSummarizeSent);
    s->BindText(1, row.reminder.task_id);
    s->Step();
    claimed.push_back(std::move(row.reminder));
  }
  return claimed;
}

}  // namespace taskflow::sqlite
