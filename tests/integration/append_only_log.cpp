#include "append_only_log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace taskflow::integration {

AppendOnlyLog::AppendOnlyLog(const std::string& path) {
  if (path.empty()) return;
  fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) ADD_FAILURE() << "cannot open the log " << path;
}

AppendOnlyLog::~AppendOnlyLog() {
  if (fd_ >= 0) close(fd_);
}

void AppendOnlyLog::Append(std::string_view line) {
  if (fd_ < 0) return;
  std::string text(line);
  text += '\n';
  std::lock_guard lock(mutex_);
  if (write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    ADD_FAILURE() << "cannot append to the log";
  }
}

}  // namespace taskflow::integration
