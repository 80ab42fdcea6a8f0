#include "server/response_stream.hpp"

#include <utility>

namespace taskflow {

ResponseStream::ResponseStream(std::string heartbeat, std::chrono::milliseconds heartbeat_every)
    : heartbeat_(std::move(heartbeat)), heartbeat_every_(heartbeat_every) {}

bool ResponseStream::Send(std::string data) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || abandoned_) return false;
    pending_ += data;
    wake = wake_;
  }
  // Outside the lock: the transport's wake may take its own locks.
  if (wake) wake();
  return true;
}

void ResponseStream::Close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || abandoned_) return;
    closed_ = true;
    wake = wake_;
  }
  if (wake) wake();
}

bool ResponseStream::finished() const {
  std::lock_guard lock(mutex_);
  return closed_ || abandoned_;
}

void ResponseStream::OnAbandoned(std::function<void()> callback) {
  bool run_now = false;
  {
    std::lock_guard lock(mutex_);
    if (abandoned_) {
      run_now = true;
    } else {
      on_abandoned_ = std::move(callback);
    }
  }
  if (run_now && callback) callback();
}

void ResponseStream::Attach(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

ResponseStream::Batch ResponseStream::Take() {
  std::lock_guard lock(mutex_);
  Batch batch;
  batch.data = std::move(pending_);
  pending_.clear();
  batch.closed = closed_;
  return batch;
}

void ResponseStream::Abandon() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    if (abandoned_) return;
    abandoned_ = true;
    pending_.clear();
    wake_ = nullptr;
    callback = std::move(on_abandoned_);
    on_abandoned_ = nullptr;
  }
  if (callback) callback();
}

}  // namespace taskflow
