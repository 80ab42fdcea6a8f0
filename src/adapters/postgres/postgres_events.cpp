#include "adapters/postgres/postgres_events.hpp"

#include <string_view>

#include "adapters/postgres/postgres_params.hpp"
#include "domain/time.hpp"

namespace taskflow::postgres {
namespace {

// ---- SQL (every value a parameter; instants in as RFC 3339, out as Unix ms) ----

// Outbox ids must increase in commit order: the in-process bus serves each
// topic to a consumer as "ids after its cursor", so a row committed after a
// higher id was served would never be seen. A sequence alone gives ids in
// insert order, so every transaction that appends takes this lock first and
// holds it to its commit (one appender at a time; SQLite has one writer anyway).
constexpr std::string_view kLockOutbox = "SELECT pg_advisory_xact_lock($1::integer, 0)";
constexpr std::int32_t kOutboxLockSpace = 0x74666F62;  // "tfob": taskflow outbox

constexpr std::string_view kSelectUnpublished =
    "SELECT id, topic, message_key, event_id, payload, "
    "(extract(epoch FROM created_at) * 1000)::bigint FROM outbox "
    "WHERE published_at IS NULL ORDER BY id LIMIT $1";
constexpr std::string_view kSelectPublished =
    "SELECT id, topic, message_key, event_id, payload, "
    "(extract(epoch FROM created_at) * 1000)::bigint FROM outbox "
    "WHERE topic = $1 AND id > $2 AND published_at IS NOT NULL ORDER BY id LIMIT $3";
constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (topic, message_key, event_id, payload, created_at) "
    "VALUES ($1, $2, $3, $4, $5::timestamptz) RETURNING id";
constexpr std::string_view kMarkPublished =
    "UPDATE outbox SET published_at = $2::timestamptz "
    "WHERE id = ANY($1::bigint[]) AND published_at IS NULL";

constexpr std::string_view kSelectOffset =
    "SELECT position FROM consumer_offsets WHERE consumer = $1 AND topic = $2";
constexpr std::string_view kUpsertOffset =
    "INSERT INTO consumer_offsets (consumer, topic, position) VALUES ($1, $2, $3) "
    "ON CONFLICT (consumer, topic) DO UPDATE "
    "SET position = greatest(consumer_offsets.position, excluded.position)";
// MAX over the outbox_topic (topic, id) index: one seek.
constexpr std::string_view kOutboxHead = "SELECT max(id) FROM outbox WHERE topic = $1";
constexpr std::string_view kDeleteOffsets = "DELETE FROM consumer_offsets WHERE consumer = $1";
constexpr std::string_view kLowestOffset =
    "SELECT min(position) FROM consumer_offsets WHERE topic = $1";
constexpr std::string_view kIsProcessed =
    "SELECT count(*) FROM processed_events WHERE consumer = $1 AND event_id = $2";
// The ids as one text[] parameter: one round trip for a whole batch; each row
// once (the primary key is (consumer, event_id)).
constexpr std::string_view kProcessedAmong =
    "SELECT event_id FROM processed_events "
    "WHERE consumer = $1 AND event_id = ANY($2::text[])";
constexpr std::string_view kInsertProcessed =
    "INSERT INTO processed_events (consumer, event_id, processed_at) "
    "VALUES ($1, $2, $3::timestamptz) ON CONFLICT (consumer, event_id) DO NOTHING";
// Pruning looks at a window of the oldest rows through an index (outbox_topic;
// the primary key of processed_events), never at the whole table: neither
// published_at nor processed_at has an index, and none is needed.
constexpr std::string_view kPruneOutbox =
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE topic = $1 ORDER BY id LIMIT $4) "
    "AND id <= $2 AND published_at IS NOT NULL AND published_at < $3::timestamptz";
// Each consumer's name once, by skipping through the primary key (a loose
// index scan), not by reading every row.
constexpr std::string_view kProcessedConsumers =
    "WITH RECURSIVE c(name) AS (SELECT min(consumer) FROM processed_events UNION ALL "
    "SELECT (SELECT min(consumer) FROM processed_events WHERE consumer > c.name) FROM c "
    "WHERE c.name IS NOT NULL) SELECT name FROM c WHERE name IS NOT NULL";
constexpr std::string_view kPruneProcessed =
    "DELETE FROM processed_events WHERE consumer = $1 AND event_id IN (SELECT event_id FROM "
    "processed_events WHERE consumer = $1 ORDER BY event_id LIMIT $3) "
    "AND processed_at < $2::timestamptz";
constexpr std::string_view kInsertDeadLetter =
    "INSERT INTO dead_letters (consumer, topic, message_key, event_id, payload, error, attempts, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)";

constexpr std::string_view kInsertActivity =
    "INSERT INTO activity_log (event_id, user_id, task_id, event_type, task_data, occurred_at) "
    "VALUES ($1, $2, $3, $4, $5, $6::timestamptz) ON CONFLICT (event_id) DO NOTHING";
constexpr std::string_view kSelectActivity =
    "SELECT id, event_id, user_id, task_id, event_type, task_data, "
    "(extract(epoch FROM occurred_at) * 1000)::bigint FROM activity_log "
    "WHERE user_id = $1 AND ($2::text IS NULL OR task_id = $2) ORDER BY id DESC "
    "LIMIT $3 OFFSET $4";
constexpr std::string_view kCountActivity =
    "SELECT count(*) FROM activity_log WHERE user_id = $1 AND ($2::text IS NULL OR task_id = $2)";

constexpr std::string_view kInsertWebhook =
    "INSERT INTO webhooks (id, user_id, url, secret, created_at) "
    "VALUES ($1, $2, $3, $4, $5::timestamptz)";
constexpr std::string_view kDeleteWebhook = "DELETE FROM webhooks WHERE id = $1 AND user_id = $2";
constexpr std::string_view kSelectWebhooks =
    "SELECT id, user_id, url, secret, (extract(epoch FROM created_at) * 1000)::bigint "
    "FROM webhooks WHERE user_id = $1 ORDER BY created_at, id";

// The lease changes hands only once it has expired; ON CONFLICT takes the
// row lock, so two relays racing for it see each other's change.
constexpr std::string_view kTakeLease =
    "INSERT INTO relay_leases (name, holder, expires_at) VALUES ('outbox', $1, $3::timestamptz) "
    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE relay_leases.holder = excluded.holder OR relay_leases.expires_at <= $2::timestamptz";
constexpr std::string_view kReleaseLease =
    "UPDATE relay_leases SET expires_at = 'epoch' WHERE name = 'outbox' AND holder = $1";

// task_reminders_pending (migration 3) serves both.
constexpr std::string_view kNextReminderAt =
    "SELECT (extract(epoch FROM r.remind_at) * 1000)::bigint FROM task_reminders r "
    "JOIN tasks t ON t.id = r.task_id "
    "WHERE r.sent_at IS NULL AND r.remind_at IS NOT NULL AND t.status = 'pending' "
    "ORDER BY r.remind_at LIMIT 1";
// Two notification replicas claim disjoint reminders: a row another claimer
// holds is skipped, and the UPDATE below re-checks sent_at.
constexpr std::string_view kSelectDueReminders =
    "SELECT r.task_id, r.position, r.id, r.user_id, "
    "(extract(epoch FROM r.remind_at) * 1000)::bigint, t.title, "
    "(extract(epoch FROM t.due_at) * 1000)::bigint "
    "FROM task_reminders r JOIN tasks t ON t.id = r.task_id "
    "WHERE r.sent_at IS NULL AND r.remind_at IS NOT NULL AND r.remind_at <= $1::timestamptz "
    "AND t.status = 'pending' ORDER BY r.remind_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED";
constexpr std::string_view kMarkReminderSent =
    "UPDATE task_reminders SET sent_at = $3::timestamptz WHERE task_id = $1 AND position = $2 "
    "AND sent_at IS NULL";
constexpr std::string_view kSummarizeSent =
    "UPDATE tasks SET reminder_sent = NOT EXISTS (SELECT 1 FROM task_reminders "
    "WHERE task_id = $1 AND sent_at IS NULL) WHERE id = $1";

OutboxRecord DecodeOutbox(const Rows& rows, int r) {
  return OutboxRecord{.id = rows.Int64(r, 0),
                      .topic = rows.Text(r, 1),
                      .key = rows.Text(r, 2),
                      .event_id = rows.Text(r, 3),
                      .payload = rows.Text(r, 4),
                      .created_at = FromUnixMillis(rows.Int64(r, 5))};
}

std::vector<OutboxRecord> DecodeOutboxRows(const Rows& rows) {
  std::vector<OutboxRecord> records;
  records.reserve(static_cast<std::size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) records.push_back(DecodeOutbox(rows, r));
  return records;
}

}  // namespace

std::vector<OutboxRecord> UnpublishedOutbox(Connection& db, int limit) {
  return DecodeOutboxRows(db.Exec(kSelectUnpublished, {Int(limit)}));
}

std::vector<OutboxRecord> PublishedOutbox(Connection& db, const std::string& topic,
                                          std::int64_t after_id, int limit) {
  return DecodeOutboxRows(db.Exec(kSelectPublished, {Text(topic), Int(after_id), Int(limit)}));
}

void AppendOutbox(Connection& db, OutboxRecord& record) {
  // Re-taking a lock the transaction holds is a no-op.
  db.Exec(kLockOutbox, {Int(kOutboxLockSpace)});
  Rows rows = db.Exec(kInsertOutbox, {Text(record.topic), Text(record.key), Text(record.event_id),
                                      Text(record.payload), Time(record.created_at)});
  record.id = rows.Int64(0, 0);
}

void MarkPublished(Connection& db, const std::vector<std::int64_t>& ids, Instant now) {
  if (ids.empty()) return;
  std::vector<std::string> texts;
  texts.reserve(ids.size());
  for (std::int64_t id : ids) texts.push_back(std::to_string(id));
  db.Exec(kMarkPublished, {ArrayLiteral(texts), Time(now)});
}

std::int64_t ConsumerOffset(Connection& db, const std::string& consumer,
                            const std::string& topic) {
  Rows rows = db.Exec(kSelectOffset, {Text(consumer), Text(topic)});
  return rows.empty() ? 0 : rows.Int64(0, 0);
}

void SetConsumerOffset(Connection& db, const std::string& consumer, const std::string& topic,
                       std::int64_t position) {
  db.Exec(kUpsertOffset, {Text(consumer), Text(topic), Int(position)});
}

bool IsProcessed(Connection& db, const std::string& consumer, const std::string& event_id) {
  return db.Exec(kIsProcessed, {Text(consumer), Text(event_id)}).Int64(0, 0) > 0;
}

std::vector<std::string> ProcessedAmong(Connection& db, const std::string& consumer,
                                        const std::vector<std::string>& event_ids) {
  if (event_ids.empty()) return {};
  Rows rows = db.Exec(kProcessedAmong, {Text(consumer), ArrayLiteral(event_ids)});
  std::vector<std::string> processed;
  processed.reserve(static_cast<std::size_t>(rows.size()));
  for (int row = 0; row < rows.size(); ++row) processed.push_back(rows.Text(row, 0));
  return processed;
}

bool MarkProcessed(Connection& db, const std::string& consumer, const std::string& event_id,
                   Instant now) {
  return db.Exec(kInsertProcessed, {Text(consumer), Text(event_id), Time(now)}).affected() == 1;
}

std::optional<std::int64_t> LowestConsumerOffset(Connection& db, const std::string& topic) {
  return db.Exec(kLowestOffset, {Text(topic)}).OptionalInt64(0, 0);
}

std::int64_t OutboxHead(Connection& db, const std::string& topic) {
  return db.Exec(kOutboxHead, {Text(topic)}).OptionalInt64(0, 0).value_or(0);
}

int DeleteConsumerOffsets(Connection& db, const std::string& consumer) {
  return static_cast<int>(db.Exec(kDeleteOffsets, {Text(consumer)}).affected());
}

int PruneOutbox(Connection& db, const std::string& topic, std::int64_t through_id,
                Instant published_before, int window) {
  return static_cast<int>(
      db.Exec(kPruneOutbox, {Text(topic), Int(through_id), Time(published_before), Int(window)})
          .affected());
}

int PruneProcessedEvents(Connection& db, Instant processed_before, int window) {
  Rows consumers = db.Exec(kProcessedConsumers);
  int deleted = 0;
  for (int row = 0; row < consumers.size(); ++row) {
    deleted += static_cast<int>(db.Exec(kPruneProcessed, {Text(consumers.Text(row, 0)),
                                                          Time(processed_before), Int(window)})
                                    .affected());
  }
  return deleted;
}

void InsertDeadLetter(Connection& db, const DeadLetter& letter) {
  db.Exec(kInsertDeadLetter,
          {Text(letter.consumer), Text(letter.topic), Text(letter.key), Text(letter.event_id),
           Text(letter.payload), Text(letter.error), Int(letter.attempts), Time(letter.created_at)});
}

bool InsertActivity(Connection& db, const ActivityEntry& entry) {
  return db.Exec(kInsertActivity, {Text(entry.event_id), Text(entry.user_id), Text(entry.task_id),
                                   Text(entry.event_type), Text(entry.task_data),
                                   Time(entry.occurred_at)})
             .affected() == 1;
}

ActivityPage ListActivity(Connection& db, const std::string& user_id,
                          const ActivityQuery& query) {
  const Param task_id = query.task_id ? Param(*query.task_id) : std::nullopt;
  ActivityPage page;
  Rows rows = db.Exec(kSelectActivity,
                      {Text(user_id), task_id, Int(query.limit), Int(query.offset)});
  for (int r = 0; r < rows.size(); ++r) {
    page.entries.push_back(ActivityEntry{.id = rows.Int64(r, 0),
                                         .event_id = rows.Text(r, 1),
                                         .user_id = rows.Text(r, 2),
                                         .task_id = rows.Text(r, 3),
                                         .event_type = rows.Text(r, 4),
                                         .task_data = rows.Text(r, 5),
                                         .occurred_at = FromUnixMillis(rows.Int64(r, 6))});
  }
  page.total = db.Exec(kCountActivity, {Text(user_id), task_id}).Int64(0, 0);
  return page;
}

void InsertWebhook(Connection& db, const Webhook& webhook) {
  db.Exec(kInsertWebhook, {Text(webhook.id), Text(webhook.user_id), Text(webhook.url),
                           Text(webhook.secret), Time(webhook.created_at)});
}

bool DeleteWebhook(Connection& db, const std::string& user_id, const std::string& webhook_id) {
  return db.Exec(kDeleteWebhook, {Text(webhook_id), Text(user_id)}).affected() == 1;
}

std::vector<Webhook> ListWebhooks(Connection& db, const std::string& user_id) {
  std::vector<Webhook> hooks;
  Rows rows = db.Exec(kSelectWebhooks, {Text(user_id)});
  for (int r = 0; r < rows.size(); ++r) {
    hooks.push_back(Webhook{.id = rows.Text(r, 0),
                            .user_id = rows.Text(r, 1),
                            .url = rows.Text(r, 2),
                            .secret = rows.Text(r, 3),
                            .created_at = FromUnixMillis(rows.Int64(r, 4))});
  }
  return hooks;
}

bool TakeRelayLease(Connection& db, const std::string& holder, Instant now, Instant until) {
  return db.Exec(kTakeLease, {Text(holder), Time(now), Time(until)}).affected() == 1;
}

void ReleaseRelayLease(Connection& db, const std::string& holder) {
  db.Exec(kReleaseLease, {Text(holder)});
}

std::optional<Instant> NextReminderAt(Connection& db) {
  Rows rows = db.Exec(kNextReminderAt);
  if (rows.empty()) return std::nullopt;
  return FromUnixMillis(rows.Int64(0, 0));
}

std::vector<DueReminder> ClaimDueReminders(Connection& db, Instant now, int limit) {
  Rows rows = db.Exec(kSelectDueReminders, {Time(now), Int(limit)});
  std::vector<DueReminder> claimed;
  for (int r = 0; r < rows.size(); ++r) {
    const std::string task_id = rows.Text(r, 0);
    const std::string position = rows.Text(r, 1);
    if (db.Exec(kMarkReminderSent, {task_id, position, Time(now)}).affected() != 1) continue;
    db.Exec(kSummarizeSent, {task_id});
    DueReminder reminder;
    reminder.task_id = task_id;
    reminder.reminder_id = rows.Text(r, 2);
    reminder.user_id = rows.Text(r, 3);
    reminder.remind_at = FromUnixMillis(rows.Int64(r, 4));
    reminder.title = rows.Text(r, 5);
    if (!rows.IsNull(r, 6)) reminder.due_at = FromUnixMillis(rows.Int64(r, 6));
    claimed.push_back(std::move(reminder));
  }
  return claimed;
}

}  // namespace taskflow::postgres
