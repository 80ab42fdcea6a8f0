// Runs the real `taskflow` binary: one-shot CLI commands and the HTTP server.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace taskflow::integration {

// Environment overrides for a child process. The child inherits the test's
// environment minus every TASKFLOW_* variable and BETTER_AUTH_SECRET, plus these.
using EnvVars = std::vector<std::pair<std::string, std::string>>;

// Path of the binary under test: $TASKFLOW_BINARY, else the one CMake built.
std::string TaskflowBinary();

struct CommandResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string output;  // stdout and stderr, interleaved
};

// Runs `taskflow <args…>` to completion (killed after `timeout`), in
// `working_dir` when given.
CommandResult RunTaskflow(const std::vector<std::string>& args, const EnvVars& env,
                          const std::filesystem::path& working_dir = {},
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// A `taskflow serve` child process. Reads its stderr (JSON log lines) on a
// thread, learns the port from the "listening" line, and stops it with SIGTERM.
class ServerProcess {
 public:
  // Starts the server with `env` (in `working_dir` when given) and waits (at
  // most `timeout`) for it to listen. Returns null and fills `error` (with the
  // log) when it does not.
  static std::unique_ptr<ServerProcess> Start(
      const EnvVars& env, std::string* error, const std::filesystem::path& working_dir = {},
      std::chrono::seconds timeout = std::chrono::seconds(10));
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Everything the server wrote to stderr/stdout so far.
  std::string Log() const;
  // SIGTERM, then waits up to `grace` (SIGKILL after). Returns the exit code,
  // or -1 when it did not exit normally. Idempotent.
  int Stop(std::chrono::seconds grace = std::chrono::seconds(10));
  // SIGKILL: no clean shutdown (a crash). Waits for the exit. Idempotent.
  void Kill();
  pid_t pid() const { return pid_; }

 private:
  ServerProcess() = default;
  void ReadLoop(int fd);

  pid_t pid_ = -1;
  int port_ = 0;
  std::optional<int> exit_code_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  bool eof_ = false;
};

}  // namespace taskflow::integration
