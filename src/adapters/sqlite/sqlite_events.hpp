// Private to the SQLite adapter: the event tables of migration 4 (outbox,
// consumer offsets, processed events, dead letters, activity log, webhooks)
// and the claim of due reminders. Each function runs inside the caller's
// transaction on `db`; failures are thrown as StoreFailure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sqlite/sqlite_connection.hpp"
#include "ports/event_records.hpp"

namespace taskflow::sqlite {

std::vector<OutboxRecord> UnpublishedOutbox(Connection& db, int limit);
std::vector<OutboxRecord> PublishedOutbox(Connection& db, const std::string& topic,
                                          std::int64_t after_id, int limit);
void AppendOutbox(Connection& db, OutboxRecord& record);
void MarkPublished(Connection& db, const std::vector<std::int64_t>& ids, Instant now);

std::int64_t ConsumerOffset(Connection& db, const std::string& consumer, const std::string& topic);
void SetConsumerOffset(Connection& db, const std::string& consumer, const std::string& topic,
                       std::int64_t position);
std::optional<std::int64_t> LowestConsumerOffset(Connection& db, const std::string& topic);
std::int64_t OutboxHead(Connection& db, const std::string& topic);
int DeleteConsumerOffsets(Connection& db, const std::string& consumer);
int PruneOutbox(Connection& db, const std::string& topic, std::int64_t through_id,
                Instant published_before, int window);
int PruneProcessedEvents(Connection& db, Instant processed_before, int window);
bool IsProcessed(Connection& db, const std::string& consumer, const std::string& event_id);
std::vector<std::string> ProcessedAmong(Connection& db, const std::string& consumer,
                                        const std::vector<std::string>& event_ids);
bool MarkProcessed(Connection& db, const std::string& consumer, const std::string& event_id,
                   Instant now);
void InsertDeadLetter(Connection& db, const DeadLetter& letter);

// The activity queries, newest first (shown here for the plan tests): a
// user's is one range of activity_log_user; a task's one range of
// activity_log_task, which holds the owner too (migration 9). ?1 user id,
// ?2 task id, ?3 limit, ?4 offset.
inline constexpr std::string_view kListActivitySql =
    "SELECT id, event_id, user_id, task_id, event_type, task_data, occurred_at FROM activity_log "
    "WHERE user_id = ?1 ORDER BY id DESC LIMIT ?3 OFFSET ?4";
inline constexpr std::string_view kListTaskActivitySql =
    "SELECT id, event_id, user_id, task_id, event_type, task_data, occurred_at FROM activity_log "
    "WHERE task_id = ?2 AND user_id = ?1 ORDER BY id DESC LIMIT ?3 OFFSET ?4";
inline constexpr std::string_view kCountActivitySql =
    "SELECT count(*) FROM activity_log WHERE user_id = ?1";
inline constexpr std::string_view kCountTaskActivitySql =
    "SELECT count(*) FROM activity_log WHERE task_id = ?2 AND user_id = ?1";

bool InsertActivity(Connection& db, const ActivityEntry& entry);
ActivityPage ListActivity(Connection& db, const std::string& user_id, const ActivityQuery& query);

void InsertWebhook(Connection& db, const Webhook& webhook);
bool DeleteWebhook(Connection& db, const std::string& user_id, const std::string& webhook_id);
std::vector<Webhook> ListWebhooks(Connection& db, const std::string& user_id);

bool TakeRelayLease(Connection& db, const std::string& holder, Instant now, Instant until);
void ReleaseRelayLease(Connection& db, const std::string& holder);

std::optional<Instant> NextReminderAt(Connection& db);
std::vector<DueReminder> ClaimDueReminders(Connection& db, Instant now, int limit);

}  // namespace taskflow::sqlite
