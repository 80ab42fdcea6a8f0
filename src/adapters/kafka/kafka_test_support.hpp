// Test-only: the Kafka brokers of the tests. The shared one of the CTest
// fixture `kafka_broker` (scripts/peers/kafka-up writes its KAFKA_* lines to
// the file named by TASKFLOW_KAFKA_ENV), and OwnBroker, a broker of one test
// alone for the tests that kill or stop it (never the shared one: other tests
// use it in parallel). Header-only, for the adapter's tests, the CLI's and the
// integration suite's.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

namespace taskflow::testing {

// The KEY=VALUE lines of `text`.
inline std::map<std::string, std::string> ParseEnvLines(const std::string& text) {
  std::map<std::string, std::string> values;
  std::stringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

// The address of the fixture's broker; a test failure (never a skip) without it.
inline std::string FixtureBootstrap() {
  const char* path = std::getenv("TASKFLOW_KAFKA_ENV");
  if (path == nullptr) {
    ADD_FAILURE() << "TASKFLOW_KAFKA_ENV is not set: run through ctest (fixture kafka_broker)";
    return "";
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string address = ParseEnvLines(text.str())["KAFKA_BOOTSTRAP_SERVERS"];
  if (address.empty()) ADD_FAILURE() << path << " names no broker: did kafka_broker_up fail?";
  return address;
}

// Runs a shell command: its exit code (-1 when it did not exit) and output.
inline std::pair<int, std::string> RunPeerScript(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "cannot run " + command};
  std::array<char, 4096> buffer{};
  size_t got = 0;
  while ((got = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), got);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A broker of one test in a temp dir of its own (kafka-up with no --dir),
// with Taskflow's topics when asked; stopped and its dir removed at the end.
// Kill (SIGKILL, a crash) and Restart (same dir, same port) for failure
// tests. `peers_dir` is scripts/peers.
class OwnBroker {
 public:
  OwnBroker(std::string peers_dir, bool with_topics) : peers_(std::move(peers_dir)) {
    const auto [code, out] = RunPeerScript("'" + peers_ + "/kafka-up' --env");
    std::map<std::string, std::string> env = ParseEnvLines(out);
    dir_ = env["KAFKA_DIR"];
    bootstrap_ = env["KAFKA_BOOTSTRAP_SERVERS"];
    if (code != 0 || dir_.empty() || bootstrap_.empty()) {
      ADD_FAILURE() << "kafka-up failed (" << code << "):\n" << out;
      bootstrap_.clear();
      return;
    }
    if (with_topics) {
      const auto [made, said] = RunPeerScript("'" + peers_ + "/kafka-topics' --dir '" + dir_ + "'");
      if (made != 0) {
        ADD_FAILURE() << "kafka-topics failed:\n" << said;
        bootstrap_.clear();
      }
    }
  }
  ~OwnBroker() { Stop(); }
  OwnBroker(const OwnBroker&) = delete;
  OwnBroker& operator=(const OwnBroker&) = delete;

  // Empty when the broker could not be started (the test has failed then).
  const std::string& bootstrap() const { return bootstrap_; }
  const std::string& dir() const { return dir_; }

  // A controlled shutdown (kafka-down), which also removes the dir. Idempotent.
  void Stop() {
    if (dir_.empty()) return;
    const auto [code, out] = RunPeerScript("'" + peers_ + "/kafka-down' --dir '" + dir_ + "' 2>&1");
    if (code != 0) ADD_FAILURE() << "kafka-down failed:\n" << out;
    dir_.clear();
  }

  // SIGKILL: no controlled shutdown (a crash). True once the broker is gone.
  bool Kill() {
    std::ifstream in(dir_ + "/kafka.pid");
    long pid = 0;
    if (!(in >> pid) || pid <= 0 || ::kill(static_cast<pid_t>(pid), SIGKILL) != 0) return false;
    // Not our child: wait until it is gone or a zombie nobody has reaped yet.
    for (int i = 0; i < 200 && Alive(pid); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return !Alive(pid);
  }
  // Starts it again on its data dir and port; true when it answers.
  bool Restart() {
    const auto [code, out] = RunPeerScript("'" + peers_ + "/kafka-up' --dir '" + dir_ + "'");
    if (code != 0) ADD_FAILURE() << "kafka-up (restart) failed:\n" << out;
    return code == 0 && out.find(bootstrap_) != std::string::npos;
  }

 private:
  static bool Alive(long pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto paren = line.rfind(')');
    return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
  }

  std::string peers_;
  std::string dir_;
  std::string bootstrap_;
};

}  // namespace taskflow::testing
