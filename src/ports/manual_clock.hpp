// A Clock that moves only when told to: for tests and simulations, so that no
// test depends on the wall clock or sleeps.
#pragma once

#include <atomic>
#include <chrono>

#include "ports/clock.hpp"

namespace taskflow {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_ms_(ToUnixMillis(start)) {}
  Instant Now() const override { return FromUnixMillis(now_ms_.load()); }
  void Set(Instant t) { now_ms_.store(ToUnixMillis(t)); }
  void Advance(std::chrono::milliseconds d) { now_ms_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_ms_;
};

}  // namespace taskflow
