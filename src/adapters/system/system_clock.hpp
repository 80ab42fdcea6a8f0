// Clock adapter over std::chrono::system_clock.
#pragma once

#include "ports/clock.hpp"

namespace taskflow {

class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

}  // namespace taskflow
