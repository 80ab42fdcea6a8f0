#include "adapters/sqlite/sqlite_connection.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "domain/text.hpp"

namespace taskflow::sqlite {
namespace {

// Settings of every connection. WAL lets readers run beside the writer;
// synchronous=NORMAL is durable across application crashes in WAL mode and
// saves an fsync per commit; memory-mapped I/O lets the reader pool share the
// OS page cache instead of copying pages into each connection's cache; the
// map covers 1 GiB of file, as mapping costs address space only (SQLite caps
// it at 2 GiB), and pages past the map are read with a system call each.
constexpr const char* kCommonPragmas =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA cache_size = -8000;"
    "PRAGMA mmap_size = 1073741824;";
// Only a writable connection may switch the journal mode (it is persistent in
// the file, so readers inherit it). Debian builds SQLite with secure_delete on,
// which zeroes every freed page with an extra write; FAST zeroes deleted
// content only where that costs no extra I/O.
constexpr const char* kWriterPragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA secure_delete = FAST;";

// Statement cache bound: fixed statements number about thirty; the rest are
// list queries, whose shape depends on the filters present.
constexpr std::size_t kMaxCachedStatements = 128;

// taskflow_fold(text): taskflow::FoldCase, so SQL (migration backfills) folds
// exactly as the application does. NULL in, NULL out.
void FoldFunction(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const unsigned char* text = sqlite3_value_text(argv[0]);
  const int bytes = sqlite3_value_bytes(argv[0]);
  if (text == nullptr) {
    sqlite3_result_error_nomem(context);
    return;
  }
  // No exception may cross into SQLite's C frames.
  try {
    std::string folded = FoldCase(
        std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(bytes)));
    sqlite3_result_text64(context, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(context);
  } catch (...) {
    sqlite3_result_error(context, "taskflow_fold failed", -1);
  }
}

bool IsBlank(const char* text) {
  for (; *text != '\0'; ++text) {
    if (*text != ' ' && *text != '\n' && *text != '\t' && *text != '\r' && *text != ';') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsTransient(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_NOMEM:
    case SQLITE_INTERRUPT:
      return true;
    default:
      return false;
  }
}

void ThrowFailure(int code, std::string_view what, sqlite3* db) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw StoreFailure(std::move(message), IsTransient(code));
}

void EnsureParentDirectory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw StoreFailure("cannot create directory " + parent.string() + ": " + error.message(),
                       false);
  }
}

// ---- Statement ----

void Statement::Check(int rc, std::string_view what) const {
  if (rc != SQLITE_OK) Fail(rc, what);
}

void Statement::Fail(int rc, std::string_view what) const {
  ++*failures_;
  ThrowFailure(rc, what, db_);
}

void Statement::BindNull(int index) { Check(sqlite3_bind_null(stmt_, index), "bind"); }

void Statement::BindInt64(int index, std::int64_t value) {
  Check(sqlite3_bind_int64(stmt_, index, value), "bind");
}

void Statement::BindText(int index, std::string_view value) {
  Check(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      "bind");
}

void Statement::Bind(int index, const SqlValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    BindInt64(index, *number);
  } else {
    BindText(index, std::get<std::string>(value));
  }
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(rc, "step");
}

std::optional<bool> Statement::StepUnlessUniqueViolation() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return std::nullopt;
  Fail(rc, "step");
}

std::optional<std::int64_t> Statement::OptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}

std::string_view Statement::TextView(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    // NULL column, or out of memory while converting: tell the two apart.
    if (sqlite3_errcode(db_) == SQLITE_NOMEM) Fail(SQLITE_NOMEM, "column");
    return {};
  }
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<std::string> Statement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

void Statement::Reset() {
  // The code returned repeats the last step's error, already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// ---- Connection ----

std::unique_ptr<Connection> Connection::Open(const ConnectionOptions& options) {
  // Memory statistics put a process-wide mutex around every SQLite allocation,
  // serialising the reader threads; nothing here reads them. Only possible
  // before SQLite initialises: if something else initialised it first, the
  // call fails harmlessly.
  static std::once_flag configure_once;
  std::call_once(configure_once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });

  const int flags =
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  // Owns the handle from here on, also when opening failed.
  std::unique_ptr<Connection> connection(new Connection(db));
  if (rc != SQLITE_OK) ThrowFailure(rc, "cannot open database " + options.path, db);

  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  const int fold_rc = sqlite3_create_function_v2(
      db, "taskflow_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
      &FoldFunction, nullptr, nullptr, nullptr);
  if (fold_rc != SQLITE_OK) ThrowFailure(fold_rc, "cannot register taskflow_fold", db);
  if (!options.read_only) connection->ExecWhileBusy(kWriterPragmas, options.busy_timeout_ms);
  connection->Exec(kCommonPragmas);
  return connection;
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

ScopedStatement Connection::Prepare(std::string_view sql) {
  ++use_clock_;
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      ++failures_;
      ThrowFailure(rc, "prepare", db_);
    }
    auto statement = std::make_unique<Statement>(db_, stmt, &failures_);
    // One statement per cache entry: a second one would be silently ignored.
    const std::string rest(tail, sql.data() + sql.size());
    if (stmt == nullptr || !IsBlank(rest.c_str())) {
      ++failures_;
      throw StoreFailure("prepare: expected exactly one SQL statement", false);
    }
    it = cache_.emplace(std::string(sql), CachedStatement{std::move(statement), 0}).first;
  }
  it->second.last_used = use_clock_;
  return ScopedStatement(*it->second.statement);
}

void Connection::Run(std::string_view sql) {
  ScopedStatement statement = Prepare(sql);
  while (statement->Step()) {
  }
}

void Connection::Exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    ++failures_;
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw StoreFailure("exec: " + text, IsTransient(rc));
  }
}

void Connection::ExecWhileBusy(const char* sql, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    if ((rc & 0xff) != SQLITE_BUSY || Clock::now() >= deadline) {
      ++failures_;
      throw StoreFailure("exec: " + std::string(sqlite3_errmsg(db_)), IsTransient(rc));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

void Connection::RollbackQuietly() noexcept {
  if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Connection::TrimStatementCache() {
  if (cache_.size() <= kMaxCachedStatements) return;
  // Keep the most recently used half; the fixed statements are used all the
  // time and survive.
  std::vector<std::uint64_t> ticks;
  ticks.reserve(cache_.size());
  for (const auto& [sql, entry] : cache_) ticks.push_back(entry.last_used);
  const std::size_t keep = kMaxCachedStatements / 2;
  std::nth_element(ticks.begin(), ticks.end() - keep, ticks.end());
  const std::uint64_t cutoff = *(ticks.end() - keep);
  std::erase_if(cache_, [cutoff](const auto& item) { return item.second.last_used < cutoff; });
}

}  // namespace taskflow::sqlite
