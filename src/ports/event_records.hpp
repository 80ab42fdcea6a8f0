// Rows of the event tables (migration 4) as the Store port hands them out:
// the outbox, the consumers' dead letters, the activity log, webhooks and the
// reminders that came due. Plain values; no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/time.hpp"

namespace taskflow {

// One message of a topic, as written in the transaction of its change.
struct OutboxRecord {
  std::int64_t id = 0;  // assigned by the store; increases in commit order
  std::string topic;    // "task-events", "reminders", "task-updates"
  std::string key;      // partition key: the user id
  std::string event_id;
  std::string payload;  // the event as JSON
  Instant created_at{};
};

// A message a consumer gave up on (the in-process `<topic>-dlq`).
struct DeadLetter {
  std::string consumer;
  std::string topic;  // the topic it came from
  std::string key;
  std::string event_id;
  std::string payload;
  std::string error;  // the last failure
  int attempts = 0;
  Instant created_at{};
};

// One task-event in a user's activity log.
struct ActivityEntry {
  std::int64_t id = 0;  // assigned by the store
  std::string event_id;
  std::string user_id;
  std::string task_id;
  std::string event_type;  // created|updated|completed|reopened|deleted
  std::string task_data;   // the event's task_data, as JSON
  Instant occurred_at{};
};

struct ActivityQuery {
  std::optional<std::string> task_id;
  long long offset = 0;
  int limit = 50;
};

struct ActivityPage {
  std::vector<ActivityEntry> entries;  // newest first
  long long total = 0;
};

// Where a user's reminders are POSTed.
struct Webhook {
  std::string id;
  std::string user_id;
  std::string url;
  std::string secret;  // the HMAC-SHA256 key of the signature header
  Instant created_at{};
};

// A reminder the notification service claimed: marked sent in the claiming
// transaction, so no other replica fires it.
struct DueReminder {
  std::string reminder_id;
  std::string task_id;
  std::string user_id;
  std::string title;
  std::optional<Instant> due_at;
  Instant remind_at{};
};

}  // namespace taskflow
