#include "server/outbound_queue.hpp"

namespace taskflow {

OutboundQueue::OutboundQueue(OutboundLimits limits, std::function<void()> wake)
    : limits_(limits), wake_(std::move(wake)) {}

OutboundQueue::Offer OutboundQueue::Push(std::string frame) {
  std::lock_guard lock(mutex_);
  if (closed_) return Offer::kClosed;
  if (frames_.size() + 1 > limits_.max_frames || bytes_ + frame.size() > limits_.max_bytes) {
    overflowed_ = true;
    closed_ = true;
    frames_.clear();  // never sent: the connection closes
    bytes_ = 0;
    // Always: the writer may be stuck in a write and must learn of it now.
    wake_pending_ = true;
    wake_();
    return Offer::kOverflow;
  }
  bytes_ += frame.size();
  frames_.push_back(std::move(frame));
  if (!wake_pending_) {
    wake_pending_ = true;
    wake_();
  }
  return Offer::kQueued;
}

std::deque<std::string> OutboundQueue::TakeAll() {
  std::lock_guard lock(mutex_);
  std::deque<std::string> taken;
  taken.swap(frames_);
  bytes_ = 0;
  wake_pending_ = false;
  return taken;
}

void OutboundQueue::Close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

bool OutboundQueue::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

std::size_t OutboundQueue::size() const {
  std::lock_guard lock(mutex_);
  return frames_.size();
}

std::size_t OutboundQueue::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace taskflow
