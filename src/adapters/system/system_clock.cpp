#include "adapters/system/system_clock.hpp"

#include <chrono>

namespace taskflow {

Instant SystemClock::Now() const {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace taskflow
