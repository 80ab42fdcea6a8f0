// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits from libsodium.
// Ids made by one generator are strictly increasing, also within a millisecond
// (the 12-bit rand_a field counts up; method 1 of RFC 9562 §6.2).
#pragma once

#include <memory>

#include "ports/clock.hpp"
#include "ports/id_generator.hpp"

namespace taskflow {

class UuidV7Generator final : public IdGenerator {
 public:
  explicit UuidV7Generator(const Clock& clock);
  ~UuidV7Generator() override;
  std::string NewId() override;  // thread-safe

 private:
  struct State;
  const Clock& clock_;
  std::unique_ptr<State> state_;
};

// True for a canonical lower- or upper-case 8-4-4-4-12 hex UUID.
bool IsUuidText(std::string_view text);

}  // namespace taskflow
