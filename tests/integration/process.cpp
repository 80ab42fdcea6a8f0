#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace taskflow::integration {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> BuildEnvironment(const EnvVars& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("TASKFLOW_") || entry.starts_with("BETTER_AUTH_SECRET=")) continue;
    env.emplace_back(entry);
  }
  for (const auto& [name, value] : overrides) env.push_back(name + "=" + value);
  return env;
}

// Spawns `taskflow args…` with stdout and stderr on the write end of a pipe;
// returns the pid and the read end (close-on-exec), or pid -1.
std::pair<pid_t, int> Spawn(const std::vector<std::string>& args, const EnvVars& env,
                            const std::filesystem::path& working_dir) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {-1, -1};
  const std::string binary = TaskflowBinary();
  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = BuildEnvironment(env);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!working_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return {-1, -1};
  }
  return {pid, fds[0]};
}

// Waits for `pid` until `deadline`, polling; nullopt when it is still running.
std::optional<int> WaitUntil(pid_t pid, Clock::time_point deadline) {
  while (true) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (r < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The port of a `{"msg":"listening","address":"127.0.0.1:PORT"}` log line, or 0.
int ListeningPort(std::string_view line) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object()) return 0;
  const auto& o = v.get_object();
  const auto* msg = o.if_contains("msg");
  const auto* address = o.if_contains("address");
  if (msg == nullptr || !msg->is_string() || msg->get_string() != "listening") return 0;
  if (address == nullptr || !address->is_string()) return 0;
  std::string_view a = address->get_string();
  const auto colon = a.rfind(':');
  if (colon == std::string_view::npos) return 0;
  return std::atoi(std::string(a.substr(colon + 1)).c_str());
}

}  // namespace

std::string TaskflowBinary() {
  if (const char* b = std::getenv("TASKFLOW_BINARY"); b != nullptr && *b != '\0') return b;
  return TASKFLOW_BINARY_PATH;
}

CommandResult RunTaskflow(const std::vector<std::string>& args, const EnvVars& env,
                          const std::filesystem::path& working_dir, std::chrono::seconds timeout) {
  CommandResult result;
  auto [pid, fd] = Spawn(args, env, working_dir);
  if (pid < 0) {
    result.output = "cannot spawn " + TaskflowBinary() + ": " + std::strerror(errno);
    return result;
  }
  const auto deadline = Clock::now() + timeout;
  char buf[4096];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    result.output.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  std::optional<int> code = WaitUntil(pid, deadline);
  if (!code) {
    kill(pid, SIGKILL);
    WaitUntil(pid, Clock::now() + std::chrono::seconds(5));
    result.output += "\n[killed after timeout]";
    code = -1;
  }
  result.exit_code = *code;
  return result;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const EnvVars& env, std::string* error,
                                                    const std::filesystem::path& working_dir,
                                                    std::chrono::seconds timeout) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  auto [pid, fd] = Spawn({"serve"}, env, working_dir);
  if (pid < 0) {
    *error = "cannot spawn " + TaskflowBinary() + ": " + std::strerror(errno);
    return nullptr;
  }
  server->pid_ = pid;
  server->reader_ = std::thread([s = server.get(), fd] { s->ReadLoop(fd); });
  std::unique_lock lock(server->mutex_);
  const bool ready =
      server->changed_.wait_for(lock, timeout, [&] { return server->port_ != 0 || server->eof_; });
  if (!ready || server->port_ == 0) {
    *error =
        (ready ? "taskflow serve exited before listening"
               : "taskflow serve did not listen within " + std::to_string(timeout.count()) + " s") +
        std::string("; its log:\n") + server->log_;
    lock.unlock();
    server->Stop();
    return nullptr;
  }
  return server;
}

void ServerProcess::ReadLoop(int fd) {
  std::string pending;
  char buf[4096];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t eol;
    while ((eol = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, eol);
      pending.erase(0, eol + 1);
      const int port = port_ == 0 ? ListeningPort(line) : 0;
      std::lock_guard lock(mutex_);
      log_ += line;
      log_ += '\n';
      if (port != 0) port_ = port;
      changed_.notify_all();
    }
  }
  close(fd);
  std::lock_guard lock(mutex_);
  log_ += pending;
  eof_ = true;
  changed_.notify_all();
}

std::string ServerProcess::Log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

int ServerProcess::Stop(std::chrono::seconds grace) {
  if (exit_code_) return *exit_code_;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    std::optional<int> code = WaitUntil(pid_, Clock::now() + grace);
    if (!code) {
      kill(pid_, SIGKILL);
      WaitUntil(pid_, Clock::now() + std::chrono::seconds(5));
      code = -1;
    }
    exit_code_ = code;
    pid_ = -1;
  } else {
    exit_code_ = -1;
  }
  if (reader_.joinable()) reader_.join();
  return *exit_code_;
}

void ServerProcess::Kill() {
  if (exit_code_) return;
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitUntil(pid_, Clock::now() + std::chrono::seconds(5));
    pid_ = -1;
  }
  exit_code_ = -1;
  if (reader_.joinable()) reader_.join();
}

ServerProcess::~ServerProcess() { Stop(); }

}  // namespace taskflow::integration
