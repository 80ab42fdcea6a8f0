#include "test_database.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <boost/url.hpp>
#include <cstdlib>
#include <fstream>
#include <random>

namespace taskflow::integration {
namespace {

std::filesystem::path MakeScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/taskflow-it-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return std::filesystem::path(pattern);
}

// Runs one SQL command on `url` (libpq directly: no password on a command
// line); empty on success, else the error.
std::string RunSql(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQerrorMessage(conn);
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

// The server's URL: TASKFLOW_TEST_POSTGRES_URL, or TASKFLOW_DATABASE_URL of
// the KEY=value file TASKFLOW_TEST_POSTGRES_ENV_FILE names.
std::string PostgresServerUrl() {
  const char* url = std::getenv("TASKFLOW_TEST_POSTGRES_URL");
  if (url != nullptr && *url != '\0') return url;
  const char* file = std::getenv("TASKFLOW_TEST_POSTGRES_ENV_FILE");
  if (file == nullptr || *file == '\0') return {};
  std::ifstream in(file);
  constexpr std::string_view kKey = "TASKFLOW_DATABASE_URL=";
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(kKey)) return line.substr(kKey.size());
  }
  return {};
}

}  // namespace

std::string TestBackendName() {
  const char* b = std::getenv("TASKFLOW_TEST_BACKEND");
  return b != nullptr && *b != '\0' ? std::string(b) : std::string("sqlite");
}

std::unique_ptr<TestDatabase> TestDatabase::CreateSqlite(std::string* error) {
  std::unique_ptr<TestDatabase> db(new TestDatabase());
  db->dir_ = MakeScratchDir();
  if (db->dir_.empty()) {
    *error = "cannot create a temp directory";
    return nullptr;
  }
  // SQLAlchemy style: sqlite:/// + an absolute path gives four slashes.
  db->url_ = "sqlite:///" + (db->dir_ / "taskflow.db").string();
  return db;
}

std::unique_ptr<TestDatabase> TestDatabase::Create(std::string* error) {
  const std::string backend = TestBackendName();
  if (backend == "sqlite") return CreateSqlite(error);
  if (backend == "postgresql") {
    const std::string admin = PostgresServerUrl();
    if (admin.empty()) {
      *error =
          "TASKFLOW_TEST_BACKEND=postgresql needs TASKFLOW_TEST_POSTGRES_URL or "
          "TASKFLOW_TEST_POSTGRES_ENV_FILE";
      return nullptr;
    }
    std::unique_ptr<TestDatabase> db(new TestDatabase());
    db->dir_ = MakeScratchDir();
    std::random_device rd;
    db->postgres_name_ = "taskflow_it_" + std::to_string(getpid()) + "_" + std::to_string(rd());
    if (std::string out = RunSql(admin, "CREATE DATABASE " + db->postgres_name_); !out.empty()) {
      *error = "cannot create database " + db->postgres_name_ + ": " + out;
      return nullptr;
    }
    db->postgres_admin_url_ = admin;
    boost::urls::url url(boost::urls::parse_uri(admin).value());
    url.set_path("/" + db->postgres_name_);
    db->url_ = std::string(url.buffer());
    return db;
  }
  *error = "unknown TASKFLOW_TEST_BACKEND '" + backend + "' (sqlite or postgresql)";
  return nullptr;
}

TestDatabase::~TestDatabase() {
  if (!postgres_name_.empty() && !postgres_admin_url_.empty()) {
    RunSql(postgres_admin_url_, "DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
  }
  const char* keep = std::getenv("TASKFLOW_TEST_KEEP");
  if (!dir_.empty() && (keep == nullptr || std::string_view(keep) != "1")) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace taskflow::integration
