// A log file that several test processes append to at once (ctest runs them
// in parallel): each line goes out in a single O_APPEND write, so lines never
// interleave. Buffered streams flush at arbitrary byte boundaries and do.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace taskflow::integration {

class AppendOnlyLog {
 public:
  // An empty path makes a log that drops everything.
  explicit AppendOnlyLog(const std::string& path);
  ~AppendOnlyLog();
  AppendOnlyLog(const AppendOnlyLog&) = delete;
  AppendOnlyLog& operator=(const AppendOnlyLog&) = delete;

  bool is_open() const { return fd_ >= 0; }
  // Appends `line` and a newline; fails the current test when the write is short.
  void Append(std::string_view line);

 private:
  int fd_ = -1;
  std::mutex mutex_;
};

}  // namespace taskflow::integration
