// Clock port: where "now" comes from. Tests inject a simulated clock.
#pragma once

#include "domain/time.hpp"

namespace taskflow {

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual Instant Now() const = 0;
};

}  // namespace taskflow
