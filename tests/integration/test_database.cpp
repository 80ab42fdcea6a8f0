#include "test_database.hpp"

#include <unistd.h>

#include <boost/url.hpp>
#include <cstdlib>
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

// Runs psql against `url` with one SQL command; empty on success, else the output.
std::string RunPsql(const std::string& url, const std::string& sql) {
  const std::string command =
      "psql -X -q -v ON_ERROR_STOP=1 -d '" + url + "' -c '" + sql + "' 2>&1";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "cannot run psql";
  char buf[512];
  while (fgets(buf, sizeof buf, pipe) != nullptr) output += buf;
  const int status = pclose(pipe);
  if (status == 0) return {};
  return output.empty() ? "psql failed" : output;
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
    const char* admin = std::getenv("TASKFLOW_TEST_POSTGRES_URL");
    if (admin == nullptr || *admin == '\0') {
      *error = "TASKFLOW_TEST_BACKEND=postgresql needs TASKFLOW_TEST_POSTGRES_URL";
      return nullptr;
    }
    std::unique_ptr<TestDatabase> db(new TestDatabase());
    db->dir_ = MakeScratchDir();
    std::random_device rd;
    db->postgres_name_ = "taskflow_it_" + std::to_string(getpid()) + "_" + std::to_string(rd());
    if (std::string out = RunPsql(admin, "CREATE DATABASE " + db->postgres_name_); !out.empty()) {
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
    RunPsql(postgres_admin_url_, "DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
  }
  const char* keep = std::getenv("TASKFLOW_TEST_KEEP");
  if (!dir_.empty() && (keep == nullptr || std::string_view(keep) != "1")) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace taskflow::integration
