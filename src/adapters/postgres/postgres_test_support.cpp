#include "adapters/postgres/postgres_test_support.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string_view>

#ifndef TASKFLOW_PEERS_DIR
#error "TASKFLOW_PEERS_DIR must name scripts/peers"
#endif

namespace taskflow::testing {
namespace {

std::string Getenv(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

// The value of `key` in KEY=value lines (the output of pg-up --env).
std::string ValueOf(const std::string& lines, std::string_view key) {
  std::istringstream in(lines);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
        line[key.size()] == '=') {
      return line.substr(key.size() + 1);
    }
  }
  return {};
}

std::string ReadEnvFile(const std::string& path, std::string_view key) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return ValueOf(text.str(), key);
}

// Output of a shell command, or nullopt when it fails.
std::optional<std::string> RunCommand(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  if (pclose(pipe) != 0) return std::nullopt;
  return output;
}

// The cluster this process started itself (case 3 of PostgresServerUrl).
std::string& OwnClusterDir() {
  static std::string dir;
  return dir;
}

void StopOwnCluster() {
  if (OwnClusterDir().empty()) return;
  RunCommand(std::string(TASKFLOW_PEERS_DIR) + "/pg-down --dir '" + OwnClusterDir() +
             "' >/dev/null 2>&1");
}

std::string StartOwnCluster(std::string* error) {
  const auto output = RunCommand(std::string(TASKFLOW_PEERS_DIR) + "/pg-up --env");
  if (!output) {
    *error = "scripts/peers/pg-up failed (is PostgreSQL 15 installed?)";
    return {};
  }
  const std::string url = ValueOf(*output, "TASKFLOW_DATABASE_URL");
  OwnClusterDir() = ValueOf(*output, "PG_DIR");
  std::atexit(&StopOwnCluster);
  if (url.empty()) *error = "scripts/peers/pg-up printed no URL";
  return url;
}

PGconn* Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect: " << PQerrorMessage(conn);
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

}  // namespace

const std::string& PostgresServerUrl(std::string* error) {
  static std::mutex mutex;
  static std::string url;
  static std::string failure;
  std::lock_guard lock(mutex);
  if (url.empty() && failure.empty()) {
    url = Getenv("TASKFLOW_TEST_POSTGRES_URL");
    if (url.empty()) {
      const std::string file = Getenv("TASKFLOW_TEST_POSTGRES_ENV_FILE");
      if (!file.empty()) {
        url = ReadEnvFile(file, "TASKFLOW_DATABASE_URL");
        if (url.empty()) failure = "no TASKFLOW_DATABASE_URL in " + file;
      } else {
        url = StartOwnCluster(&failure);
      }
    }
  }
  if (url.empty() && error != nullptr) *error = failure;
  return url;
}

std::string WithDatabase(const std::string& url, const std::string& database) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const std::size_t query = url.find('?');
  std::string out = path == std::string::npos ? url.substr(0, query) : url.substr(0, path);
  out += "/" + database;
  if (query != std::string::npos) out += url.substr(query);
  return out;
}

ScratchDatabase::ScratchDatabase() {
  std::string error;
  server_url_ = PostgresServerUrl(&error);
  if (server_url_.empty()) {
    ADD_FAILURE() << "no PostgreSQL server for the tests: " << error;
    return;
  }
  static std::atomic<int> counter{0};
  name_ = "taskflow_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
          std::to_string(std::random_device{}() % 1'000'000);
  // The name is ours (letters, digits, underscores): no quoting needed.
  if (std::string failure = Execute(server_url_, "CREATE DATABASE " + name_); !failure.empty()) {
    ADD_FAILURE() << "cannot create database " << name_ << ": " << failure;
    name_.clear();
    return;
  }
  url_ = WithDatabase(server_url_, name_);
}

ScratchDatabase::~ScratchDatabase() {
  if (name_.empty()) return;
  Execute(server_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

std::vector<std::string> QueryColumn(const std::string& url, const std::string& sql) {
  std::vector<std::string> rows;
  PGconn* conn = Connect(url);
  if (conn == nullptr) return rows;
  PGresult* result = PQexec(conn, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    ADD_FAILURE() << sql << ": " << PQerrorMessage(conn);
  } else {
    for (int r = 0; r < PQntuples(result); ++r) {
      rows.emplace_back(PQgetisnull(result, r, 0) ? "NULL" : PQgetvalue(result, r, 0));
    }
  }
  PQclear(result);
  PQfinish(conn);
  return rows;
}

std::string Execute(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) error = PQerrorMessage(conn);
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

}  // namespace taskflow::testing
