// Micro-benchmarks of the per-request hot spots of GET /api/tasks/{id}:
// timestamp formatting, JWT verification and a store read by id. The HTTP
// benchmark is bench/run_http_bench.sh (wrk).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "adapters/crypto/jwt_token_service.hpp"
#include "adapters/sqlite/sqlite_migrations.hpp"
#include "adapters/sqlite/sqlite_store.hpp"
#include "domain/task.hpp"
#include "domain/time.hpp"
#include "domain/user.hpp"
#include "ports/manual_clock.hpp"
#include "ports/store.hpp"

namespace taskflow {
namespace {

// 2026-09-21T10:13:20.123Z: with milliseconds, the longer of the two forms.
constexpr long long kNowMillis = 1'790'000'000'123;

void BM_FormatRfc3339(benchmark::State& state) {
  Instant instant = FromUnixMillis(kNowMillis);
  for (auto _ : state) {
    benchmark::DoNotOptimize(FormatRfc3339(instant));
    instant += std::chrono::milliseconds(1);
  }
}
BENCHMARK(BM_FormatRfc3339);

void BM_ParseRfc3339(benchmark::State& state) {
  const std::string text = "2026-09-21T10:13:20.123+02:00";
  for (auto _ : state) benchmark::DoNotOptimize(ParseRfc3339(text));
}
BENCHMARK(BM_ParseRfc3339);

void BM_JwtVerify(benchmark::State& state) {
  ManualClock clock(FromUnixMillis(kNowMillis));
  JwtTokenService service("bench-secret-0123456789abcdef0123456789", clock);
  const std::string token = service.Issue("0190c8a4-7b2e-7c61-9a51-3f2d8e9b1c40", "a@example.com");
  for (auto _ : state) {
    auto claims = service.Verify(token);
    if (!claims) state.SkipWithError("token rejected");
    benchmark::DoNotOptimize(claims);
  }
}
BENCHMARK(BM_JwtVerify);

void BM_JwtIssue(benchmark::State& state) {
  ManualClock clock(FromUnixMillis(kNowMillis));
  JwtTokenService service("bench-secret-0123456789abcdef0123456789", clock);
  for (auto _ : state) {
    benchmark::DoNotOptimize(service.Issue("0190c8a4-7b2e-7c61-9a51-3f2d8e9b1c40", std::nullopt));
  }
}
BENCHMARK(BM_JwtIssue);

// A migrated database in a fresh temp directory, with kTasks tasks of one user.
class BenchDatabase {
 public:
  static constexpr int kTasks = 1000;

  BenchDatabase() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "taskflow-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    const std::string path = (dir_ / "bench.db").string();
    if (!SqliteMigrateUp(path)) std::abort();
    auto store = OpenSqliteStore(SqliteOptions{.path = path});
    if (!store) std::abort();
    store_ = std::move(store).value();
    const Instant now = FromUnixMillis(kNowMillis);
    const User user{.id = "user-1", .name = "Bench", .created_at = now, .updated_at = now};
    const Status seeded = store_->Write([&](StoreWriter& writer) -> Status {
      writer.InsertUser(user, std::nullopt);
      for (int i = 0; i < kTasks; ++i) {
        Task task;
        task.id = "task-" + std::to_string(i);
        task.user_id = user.id;
        task.title = "Task number " + std::to_string(i);
        task.description = "Some description of the task";
        task.created_at = now;
        task.updated_at = now;
        writer.InsertTask(task);
        ids_.push_back(task.id);
      }
      return {};
    });
    if (!seeded) std::abort();
  }
  ~BenchDatabase() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  Store& store() { return *store_; }
  const std::vector<std::string>& ids() const { return ids_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::vector<std::string> ids_;
};

// Store::Read of one task by id: the read transaction and the statement.
void BM_StoreFindTask(benchmark::State& state) {
  BenchDatabase db;
  const std::string user_id = "user-1";
  std::size_t next = 0;
  for (auto _ : state) {
    const std::string& id = db.ids()[next++ % db.ids().size()];
    std::optional<Task> found;
    const Status status = db.store().Read([&](StoreReader& reader) -> Status {
      found = reader.FindTask(user_id, id);
      return {};
    });
    if (!status || !found) state.SkipWithError("task not found");
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_StoreFindTask);

}  // namespace
}  // namespace taskflow

BENCHMARK_MAIN();
