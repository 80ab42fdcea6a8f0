#include "event_log.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>

#include "append_only_log.hpp"

namespace taskflow::integration {

std::vector<std::vector<std::string>> QuerySqlite(const std::string& path, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot prepare " << sql << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.emplace_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << "query failed: " << sql << ": " << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

void ExecSqlite(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::string SqlitePathOf(const std::string& database_url) {
  constexpr std::string_view kPrefix = "sqlite:///";
  if (!database_url.starts_with(kPrefix)) return {};
  return database_url.substr(kPrefix.size());
}

std::vector<OutboxRow> ReadOutbox(const std::string& path) {
  std::vector<OutboxRow> rows;
  for (auto& r : QuerySqlite(path,
                             "SELECT id, topic, message_key, event_id, payload, "
                             "published_at IS NOT NULL FROM outbox ORDER BY id")) {
    rows.push_back(OutboxRow{.id = std::stoll(r[0]),
                             .topic = r[1],
                             .key = r[2],
                             .event_id = r[3],
                             .payload = r[4],
                             .published = r[5] == "1"});
  }
  return rows;
}

std::string EventsLogPath() {
  if (const char* log = std::getenv("TASKFLOW_EVENTS_LOG"); log != nullptr && *log != '\0') {
    return log;
  }
  // Beside the contract log (CTest sets that one for every integration test).
  if (const char* log = std::getenv("TASKFLOW_CONTRACT_LOG"); log != nullptr && *log != '\0') {
    return (std::filesystem::path(log).parent_path() / "events.jsonl").string();
  }
  return {};
}

void RecordEvents(const std::string& path) {
  const std::string log = EventsLogPath();
  if (log.empty() || path.empty()) return;
  AppendOnlyLog out(log);
  for (const OutboxRow& row : ReadOutbox(path)) {
    boost::json::object line{{"topic", row.topic},
                             {"key", row.key},
                             {"event_id", row.event_id},
                             {"payload", row.payload}};
    out.Append(boost::json::serialize(line));
  }
}

}  // namespace taskflow::integration
