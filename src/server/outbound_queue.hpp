// The frames waiting to be written to one WebSocket connection, bounded in
// count and bytes. Producers (the realtime consumer, any thread) never block:
// a frame that does not fit overflows the queue, which then refuses
// everything, and the connection is closed (a slow client must not hold
// memory or stall anyone). The connection's writer drains it.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace taskflow {

struct OutboundLimits {
  std::size_t max_frames = 1024;
  std::size_t max_bytes = 1 << 20;
};

class OutboundQueue {
 public:
  enum class Offer {
    kQueued,    // the writer will send it
    kOverflow,  // did not fit: the queue is now closed and overflowed()
    kClosed,    // the queue was closed before: dropped
  };

  // `wake` tells the writer there is something to do (frames, or the
  // overflow). It is called under the queue's lock, once per batch (again
  // only after the next TakeAll) and never after Close() returned, so it may
  // post to an executor that lives until then. It must not call back into
  // the queue.
  OutboundQueue(OutboundLimits limits, std::function<void()> wake);

  // Thread-safe; never blocks on the writer.
  Offer Push(std::string frame);
  // Everything queued, in order (empty when nothing is). Thread-safe.
  std::deque<std::string> TakeAll();
  // No frame is accepted, and `wake` not called, after this returns. Idempotent.
  void Close();

  bool overflowed() const;
  std::size_t size() const;  // frames queued
  std::size_t bytes() const;

 private:
  const OutboundLimits limits_;
  const std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::deque<std::string> frames_;  // guarded by mutex_
  std::size_t bytes_ = 0;           // guarded by mutex_
  bool wake_pending_ = false;       // guarded by mutex_
  bool closed_ = false;             // guarded by mutex_
  bool overflowed_ = false;         // guarded by mutex_
};

}  // namespace taskflow
