// Two `taskflow serve` replicas on one database, hammered at once by clients
// that create, patch (with If-Match), complete, reopen and delete the same
// users' tasks through either replica. Afterwards every acknowledged write is
// visible through both, versions only grew, no two writers won the same
// If-Match, and counts agree. Meant for PostgreSQL (the distributed setup);
// it runs on whatever TASKFLOW_TEST_BACKEND selects.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "api_test.hpp"

namespace taskflow::integration {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kUsers = 3;
constexpr int kTasksPerUser = 6;
constexpr int kWorkersPerReplica = 4;
constexpr int kOperationsPerWorker = 120;

// What the clients observed, for the checks after the hammering.
struct Observations {
  std::mutex mutex;
  // Tasks whose creation was acknowledged (201), by owner.
  std::map<std::string, std::set<std::string>> created;  // user → task ids
  // Tasks whose deletion was acknowledged (204).
  std::set<std::string> deleted;
  // Every version a write answer acknowledged, with when the answer arrived.
  struct Ack {
    std::string task;
    std::int64_t version;
    Clock::time_point at;
  };
  std::vector<Ack> acks;
  // Every version a read answered, with when the request left.
  struct Seen {
    std::string task;
    std::int64_t version;
    Clock::time_point sent;
    int replica;
  };
  std::vector<Seen> reads;
  // Successful PATCHes with If-Match: (task, matched version) must be unique.
  std::vector<std::pair<std::string, std::int64_t>> conditional_wins;
  std::vector<std::string> failures;       // unexpected answers
  std::map<std::string, std::string> hot;  // user → the task most writers go for
  int conflicts = 0;                       // 412 answers
};

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    database_ = TestDatabase::Create(&error);
    ASSERT_TRUE(database_) << error;
    // Both start at once: each applies pending migrations at start, so the
    // migrations race too (PostgreSQL: under an advisory lock).
    std::string errors[2];
    std::thread starters[2];
    for (int r = 0; r < 2; ++r) {
      starters[r] = std::thread([&, r] {
        replicas_[r] = ServerProcess::Start(ServerEnv(database_->url(), TestSecret()), &errors[r],
                                            {}, std::chrono::seconds(30));
      });
    }
    for (auto& t : starters) t.join();
    for (int r = 0; r < 2; ++r) {
      ASSERT_TRUE(replicas_[r]) << "replica " << r << ": " << errors[r];
    }
  }

  void TearDown() override {
    for (auto& replica : replicas_) {
      if (replica) {
        EXPECT_EQ(replica->Stop(), 0) << replica->Log();
      }
    }
  }

  std::string BaseUrl(int replica) const { return replicas_[replica]->base_url(); }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ServerProcess> replicas_[2];
};

json::object AsObject(const Response& r) {
  json::value v = r.json();
  return v.is_object() ? v.get_object() : json::object{};
}

// One client thread: random operations on random tasks of random users,
// through one replica, reading through either.
void Hammer(int worker, const std::string (&base_urls)[2], const std::vector<TestUser>& users,
            Observations& seen) {
  const int home = worker % 2;
  HttpClient clients[2] = {HttpClient(base_urls[0]), HttpClient(base_urls[1])};
  std::mt19937 rng(static_cast<unsigned>(worker * 7919 + 17));
  const auto pick = [&rng](auto& items) -> decltype(auto) {
    return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(rng)];
  };
  const auto fail = [&](const std::string& what, const Response& r) {
    std::lock_guard lock(seen.mutex);
    seen.failures.push_back(what + " → " + r.Describe());
  };
  const auto ack = [&](const std::string& task, std::int64_t version) {
    std::lock_guard lock(seen.mutex);
    seen.acks.push_back({task, version, Clock::now()});
  };
  // GET through a random replica; the version, or 0 when gone.
  const auto read = [&](const TestUser& user, const std::string& task) -> std::int64_t {
    const int replica = static_cast<int>(rng() % 2);
    const Clock::time_point sent = Clock::now();
    const Response r = clients[replica].Send({.target = "/api/tasks/" + task, .token = user.token});
    if (r.status == 404) return 0;
    if (r.status != 200) {
      fail("GET " + task, r);
      return 0;
    }
    const std::int64_t version = Int(AsObject(r), "version");
    std::lock_guard lock(seen.mutex);
    seen.reads.push_back({task, version, sent, replica});
    return version;
  };

  for (int op = 0; op < kOperationsPerWorker; ++op) {
    const TestUser& user = pick(users);
    std::string task;
    {
      std::lock_guard lock(seen.mutex);
      const auto& ids = seen.created[user.id];
      // Often the user's hot task, so that writers through both replicas
      // contend for the same row.
      const auto hot = seen.hot.find(user.id);
      if (rng() % 10 < 4 && hot != seen.hot.end() && ids.contains(hot->second)) {
        task = hot->second;
      } else if (!ids.empty()) {
        task = *std::next(ids.begin(), static_cast<long>(rng() % ids.size()));
      }
    }
    HttpClient& http = clients[home];
    const int choice = static_cast<int>(rng() % 10);
    if (choice < 2 || task.empty()) {  // create
      const std::string title = "w" + std::to_string(worker) + " op" + std::to_string(op);
      const Response r =
          http.Send({.method = "POST",
                     .target = "/api/tasks",
                     .token = user.token,
                     .body = json::serialize(
                         json::object{{"title", title}, {"tags", json::array{"shared", "team"}}})});
      if (r.status != 201) {
        fail("POST /api/tasks", r);
        continue;
      }
      const json::object created = AsObject(r);
      const std::string id = Str(created, "id");
      ack(id, Int(created, "version"));
      std::lock_guard lock(seen.mutex);
      seen.created[user.id].insert(id);
    } else if (choice < 6) {  // patch with If-Match
      const std::int64_t version = read(user, task);
      if (version == 0) continue;
      const Response r =
          http.Send({.method = "PATCH",
                     .target = "/api/tasks/" + task,
                     .token = user.token,
                     .body = json::serialize(json::object{
                         {"title", "w" + std::to_string(worker) + " patch " + std::to_string(op)}}),
                     .headers = {"If-Match: \"" + std::to_string(version) + "\""}});
      if (r.status == 200) {
        const std::int64_t now = Int(AsObject(r), "version");
        if (now != version + 1) fail("PATCH If-Match " + std::to_string(version), r);
        ack(task, now);
        std::lock_guard lock(seen.mutex);
        seen.conditional_wins.emplace_back(task, version);
      } else if (r.status == 412) {
        std::lock_guard lock(seen.mutex);
        ++seen.conflicts;
      } else if (r.status != 404) {
        fail("PATCH " + task, r);
      }
    } else if (choice < 8) {  // complete or reopen
      const std::string action = rng() % 2 == 0 ? "/complete" : "/reopen";
      const Response r = http.Send(
          {.method = "POST", .target = "/api/tasks/" + task + action, .token = user.token});
      if (r.status == 200) {
        ack(task, Int(AsObject(r), "version"));
      } else if (r.status != 404) {
        fail("POST " + action, r);
      }
    } else if (choice < 9) {  // delete with If-Match
      const std::int64_t version = read(user, task);
      if (version == 0) continue;
      const Response r = http.Send({.method = "DELETE",
                                    .target = "/api/tasks/" + task,
                                    .token = user.token,
                                    .headers = {"If-Match: \"" + std::to_string(version) + "\""}});
      if (r.status == 204) {
        std::lock_guard lock(seen.mutex);
        seen.deleted.insert(task);
        seen.created[user.id].erase(task);
      } else if (r.status != 412 && r.status != 404) {
        fail("DELETE " + task, r);
      }
    } else {  // read only
      read(user, task);
    }
  }
}

TEST_F(ReplicasTest, TwoReplicasHammeredAtOnceStayConsistent) {
  const std::string base_urls[2] = {BaseUrl(0), BaseUrl(1)};
  std::vector<TestUser> users;
  for (int u = 0; u < kUsers; ++u) {
    const std::string id = RandomUuid();
    users.push_back(TestUser{id, MintToken(TestSecret(), id)});
  }
  Observations seen;

  // First sight of each user on both replicas at once: one profile each.
  {
    std::vector<std::thread> first;
    for (const TestUser& user : users) {
      for (int r = 0; r < 2; ++r) {
        first.emplace_back([&, r] {
          HttpClient http(base_urls[r]);
          const Response me = http.Send({.target = "/api/me", .token = user.token});
          EXPECT_EQ(me.status, 200) << me.Describe();
        });
      }
    }
    for (auto& t : first) t.join();
  }
  // Starting tasks, made through alternating replicas.
  for (const TestUser& user : users) {
    for (int i = 0; i < kTasksPerUser; ++i) {
      HttpClient http(base_urls[i % 2]);
      const Response r =
          http.Send({.method = "POST",
                     .target = "/api/tasks",
                     .token = user.token,
                     .body = json::serialize(json::object{{"title", "start " + std::to_string(i)},
                                                          {"tags", json::array{"shared"}}})});
      ASSERT_EQ(r.status, 201) << r.Describe();
      const json::object task = AsObject(r);
      seen.created[user.id].insert(Str(task, "id"));
      if (i == 0) seen.hot[user.id] = Str(task, "id");
      seen.acks.push_back({Str(task, "id"), 1, Clock::now()});
    }
  }

  std::vector<std::thread> workers;
  for (int w = 0; w < 2 * kWorkersPerReplica; ++w) {
    workers.emplace_back([&, w] { Hammer(w, base_urls, users, seen); });
  }
  for (auto& t : workers) t.join();

  // No answer outside the expected ones (never a 5xx, never a 409 …).
  for (const std::string& failure : seen.failures) ADD_FAILURE() << failure;

  // No lost update: of the PATCHes carrying one If-Match, at most one won.
  std::map<std::pair<std::string, std::int64_t>, int> wins;
  for (const auto& win : seen.conditional_wins) ++wins[win];
  for (const auto& [win, count] : wins) {
    EXPECT_EQ(count, 1) << "task " << win.first << ": " << count << " PATCHes with If-Match "
                        << win.second << " all succeeded";
  }
  EXPECT_GT(wins.size(), 10u) << "too few conditional writes succeeded to prove anything";
  RecordProperty("conditional_wins", static_cast<int>(wins.size()));
  RecordProperty("conflicts", seen.conflicts);
  std::printf("%zu conditional writes won, %d lost to a concurrent writer (412)\n", wins.size(),
              seen.conflicts);

  // Read-your-writes across replicas: a read sent after a write was
  // acknowledged sees that version or a later one, through either replica.
  std::map<std::string, std::vector<const Observations::Ack*>> acks_by_task;
  for (const auto& a : seen.acks) acks_by_task[a.task].push_back(&a);
  int stale = 0;
  for (const auto& read : seen.reads) {
    for (const auto* a : acks_by_task[read.task]) {
      if (a->at < read.sent && read.version < a->version) {
        if (++stale <= 5) {
          ADD_FAILURE() << "replica " << read.replica << " answered version " << read.version
                        << " of " << read.task << " after version " << a->version
                        << " was acknowledged";
        }
      }
    }
  }
  EXPECT_EQ(stale, 0);

  // Final state, through both replicas.
  HttpClient http[2] = {HttpClient(base_urls[0]), HttpClient(base_urls[1])};
  std::map<std::string, std::int64_t> highest;  // task → highest acknowledged version
  for (const auto& a : seen.acks) highest[a.task] = std::max(highest[a.task], a.version);
  for (const TestUser& user : users) {
    const std::set<std::string>& alive = seen.created[user.id];
    for (const std::string& id : alive) {
      const Response a = http[0].Send({.target = "/api/tasks/" + id, .token = user.token});
      const Response b = http[1].Send({.target = "/api/tasks/" + id, .token = user.token});
      ASSERT_EQ(a.status, 200) << a.Describe();
      ASSERT_EQ(b.status, 200) << b.Describe();
      EXPECT_EQ(a.json(), b.json()) << "the replicas disagree on " << id;
      EXPECT_EQ(Int(AsObject(a), "version"), highest[id])
          << id << " does not show its last acknowledged version";
    }
    for (int r = 0; r < 2; ++r) {
      // Every live task listed once, no deleted one, and the total agrees.
      std::set<std::string> listed;
      for (int offset = 0;; offset += 100) {
        const Response page =
            http[r].Send({.target = WithQuery(
                              "/api/tasks", {{"limit", "100"}, {"offset", std::to_string(offset)}}),
                          .token = user.token});
        ASSERT_EQ(page.status, 200) << page.Describe();
        const json::object body = AsObject(page);
        EXPECT_EQ(Int(body, "total"), static_cast<std::int64_t>(alive.size())) << "replica " << r;
        const json::array& tasks = body.at("tasks").as_array();
        for (const json::value& t : tasks) listed.insert(Str(t.as_object(), "id"));
        if (tasks.size() < 100) break;
      }
      EXPECT_EQ(listed, alive) << "replica " << r;
      // One "shared" tag (no duplicate from replicas racing to create it),
      // carried by every live task.
      const Response tags = http[r].Send({.target = "/api/tags", .token = user.token});
      ASSERT_EQ(tags.status, 200) << tags.Describe();
      int shared = 0;
      const json::value listed_tags = tags.json();
      for (const json::value& t : listed_tags.at("tags").as_array()) {
        if (Str(t.as_object(), "name") == "shared") {
          ++shared;
          EXPECT_EQ(Int(t.as_object(), "task_count"), static_cast<std::int64_t>(alive.size()));
        }
      }
      EXPECT_EQ(shared, 1) << json::serialize(listed_tags);
    }
  }
  for (const std::string& id : seen.deleted) {
    for (int r = 0; r < 2; ++r) {
      bool found = false;
      for (const TestUser& user : users) {
        found = found ||
                http[r].Send({.target = "/api/tasks/" + id, .token = user.token}).status != 404;
      }
      EXPECT_FALSE(found) << "deleted task " << id << " is still served by replica " << r;
    }
  }
}

}  // namespace
}  // namespace taskflow::integration
