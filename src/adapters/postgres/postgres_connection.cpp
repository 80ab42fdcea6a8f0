#include "adapters/postgres/postgres_connection.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace taskflow::postgres {
namespace {

// Fixed statements number about thirty; the rest are list queries, whose
// shape depends on the filters present.
constexpr std::size_t kMaxCachedStatements = 128;

// Bounds the wait for an unreachable server; a URL's own connect_timeout wins.
constexpr const char* kDefaultConnectTimeoutSeconds = "10";

std::string TrimTrailingSpace(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The passwords `url` may carry, in every form an error message of libpq
// could echo: as parsed, and as written in a URI's user info.
std::vector<std::string> SecretsOf(const std::string& url) {
  std::vector<std::string> secrets;
  char* error = nullptr;
  if (PQconninfoOption* options = PQconninfoParse(url.c_str(), &error)) {
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (std::string_view(o->keyword) == "password" && o->val != nullptr && *o->val != '\0') {
        secrets.emplace_back(o->val);
      }
    }
    PQconninfoFree(options);
  }
  PQfreemem(error);
  const std::size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    const std::size_t at = url.find('@', start);
    const std::size_t slash = url.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = url.find(':', start);
      if (colon != std::string::npos && colon < at && colon + 1 < at) {
        secrets.push_back(url.substr(colon + 1, at - colon - 1));
      }
    }
  }
  return secrets;
}

// Connection errors may quote parts of the URL (an invalid percent-encoding,
// say): no password may reach a log through them.
std::string Redact(std::string message, const std::string& url) {
  for (const std::string& secret : SecretsOf(url)) {
    for (std::size_t at = message.find(secret); at != std::string::npos;
         at = message.find(secret, at + 3)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

// Notices ("extension already exists, skipping" …) would go to stderr,
// between the JSON log lines: they carry nothing the adapter acts on.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

bool IsRetryableSqlState(std::string_view sqlstate) { return sqlstate.starts_with("40"); }

bool IsTransientSqlState(std::string_view sqlstate) {
  if (IsRetryableSqlState(sqlstate)) return true;
  if (sqlstate.starts_with("08")) return true;  // connection exception
  if (sqlstate.starts_with("53")) return true;  // insufficient resources (too many connections …)
  if (sqlstate.starts_with("57")) return true;  // operator intervention: shutdown, canceled
  return sqlstate == "55P03";                   // lock_not_available (lock_timeout)
}

bool SqlFailure::retryable() const { return IsRetryableSqlState(sqlstate_); }

namespace {

void AppendQuoted(std::string& literal, std::string_view value) {
  literal += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') literal += '\\';
    literal += c;
  }
  literal += '"';
}

}  // namespace

std::string ArrayLiteral(std::span<const std::string> values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    AppendQuoted(literal, values[i]);
  }
  literal += '}';
  return literal;
}

std::string ArrayLiteral(std::span<const Param> values) {
  std::string literal = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) literal += ',';
    if (values[i]) {
      AppendQuoted(literal, *values[i]);
    } else {
      literal += "NULL";  // unquoted: SQL NULL ("NULL" quoted is the text)
    }
  }
  literal += '}';
  return literal;
}

std::string EscapeLike(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// ---- Rows ----

long long Rows::affected() const {
  const std::string_view count = PQcmdTuples(result_);
  long long value = 0;
  std::from_chars(count.data(), count.data() + count.size(), value);
  return value;
}

std::string_view Rows::TextView(int row, int column) const {
  return {PQgetvalue(result_, row, column),
          static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::optional<std::string> Rows::OptionalText(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Text(row, column);
}

std::int64_t Rows::Int64(int row, int column) const {
  const std::string_view text = TextView(row, column);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw StoreFailure("column " + std::to_string(column) + " is not an integer", false);
  }
  return value;
}

std::optional<std::int64_t> Rows::OptionalInt64(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int64(row, column);
}

// ---- Connection ----

std::unique_ptr<Connection> Connection::Open(const std::string& url) {
  // Entries before dbname are defaults the URL may override; entries after
  // it override the URL (libpq processes the arrays in order).
  const char* const keywords[] = {"fallback_application_name", "connect_timeout", "dbname",
                                  "client_encoding", nullptr};
  const char* const values[] = {"taskflow", kDefaultConnectTimeoutSeconds, url.c_str(), "UTF8",
                                nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) throw SqlFailure("cannot connect to PostgreSQL: out of memory", "", true);
  // Owns the handle from here on, also when connecting failed.
  std::unique_ptr<Connection> connection(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    throw SqlFailure(
        "cannot connect to PostgreSQL: " + Redact(TrimTrailingSpace(PQerrorMessage(conn)), url),
        "08001", true);
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::Fail(PGresult* result, std::string_view what) {
  ++failures_;
  std::string sqlstate;
  std::string message;
  if (result != nullptr) {
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = state;
    // The primary message only: the DETAIL of a constraint violation quotes
    // the row's values, which have no place in logs.
    if (const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) {
      message = primary;
    }
    PQclear(result);
  }
  if (message.empty()) message = TrimTrailingSpace(PQerrorMessage(conn_));
  if (message.empty()) message = "unknown error";
  const bool transient = IsTransientSqlState(sqlstate) || broken();
  std::string text(what);
  text += ": ";
  text += message;
  if (!sqlstate.empty()) text += " (SQLSTATE " + sqlstate + ")";
  throw SqlFailure(std::move(text), std::move(sqlstate), transient);
}

const std::string& Connection::Prepared(std::string_view sql, int param_count) {
  ++use_clock_;
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string name = "taskflow_" + std::to_string(++next_statement_);
    const std::string text(sql);
    PGresult* result = PQprepare(conn_, name.c_str(), text.c_str(), param_count, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) Fail(result, "prepare");
    PQclear(result);
    it = statements_.emplace(text, CachedStatement{std::move(name), 0}).first;
  }
  it->second.last_used = use_clock_;
  return it->second.name;
}

Rows Connection::Exec(std::string_view sql, std::span<const Param> params) {
  const std::string& name = Prepared(sql, static_cast<int>(params.size()));
  std::vector<const char*> values(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    values[i] = params[i] ? params[i]->c_str() : nullptr;
  }
  PGresult* result = PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                    values.data(), nullptr, nullptr, /*resultFormat=*/0);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Fail(result, "statement");
  return Rows(result);
}

void Connection::Run(const char* sql) {
  PGresult* result = PQexec(conn_, sql);
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Fail(result, "exec");
  PQclear(result);
}

bool Connection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

void Connection::RollbackQuietly() noexcept {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  if (status != PQTRANS_INTRANS && status != PQTRANS_INERROR) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

void Connection::TrimStatementCache() {
  if (statements_.size() <= kMaxCachedStatements || broken()) return;
  // Keep the most recently used half; the fixed statements are used all the
  // time and survive.
  std::vector<std::uint64_t> ticks;
  ticks.reserve(statements_.size());
  for (const auto& [sql, entry] : statements_) ticks.push_back(entry.last_used);
  const std::size_t keep = kMaxCachedStatements / 2;
  std::nth_element(ticks.begin(), ticks.end() - keep, ticks.end());
  const std::uint64_t cutoff = *(ticks.end() - keep);
  for (auto it = statements_.begin(); it != statements_.end();) {
    if (it->second.last_used < cutoff) {
      // The name is ours ("taskflow_<n>"): no quoting needed.
      PQclear(PQexec(conn_, ("DEALLOCATE " + it->second.name).c_str()));
      it = statements_.erase(it);
    } else {
      ++it;
    }
  }
}

// ---- ConnectionPool ----

ConnectionPool::ConnectionPool(std::string url, int size, std::chrono::milliseconds acquire_timeout)
    : url_(std::move(url)), size_(std::max(1, size)), acquire_timeout_(acquire_timeout) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::~Lease() {
  if (connection_ != nullptr) pool_->Return(std::move(connection_), discard_);
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  if (!available_.wait_for(lock, acquire_timeout_,
                           [&] { return !idle_.empty() || open_ < size_; })) {
    throw SqlFailure("no database connection became free within " +
                         std::to_string(acquire_timeout_.count()) + " ms (pool of " +
                         std::to_string(size_) + ")",
                     "", true);
  }
  if (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;  // the slot is ours while connecting, outside the lock
  lock.unlock();
  try {
    return Lease(*this, Connection::Open(url_));
  } catch (...) {
    lock.lock();
    --open_;
    lock.unlock();
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::Return(std::unique_ptr<Connection> connection, bool discard) {
  std::unique_ptr<Connection> closing;
  {
    std::lock_guard lock(mutex_);
    if (discard || connection->broken() || connection->InTransaction()) {
      closing = std::move(connection);
      --open_;
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  available_.notify_one();
  // `closing` is closed here, outside the lock: PQfinish talks to the server.
}

void ConnectionPool::CloseIdle() {
  std::vector<std::unique_ptr<Connection>> closing;
  {
    std::lock_guard lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  available_.notify_all();
}

}  // namespace taskflow::postgres
