#include "adapters/system/uuid_v7_generator.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>

namespace taskflow {
namespace {

constexpr std::int64_t kMaxTimestamp = (std::int64_t{1} << 48) - 1;
constexpr std::uint16_t kMaxCounter = 0x0FFF;  // rand_a is 12 bits
// A fresh millisecond starts the counter at a random value below 2048, leaving
// at least 2048 ids for that millisecond before it has to borrow the next one.
constexpr std::uint16_t kCounterSeedMask = 0x07FF;
constexpr std::array<std::size_t, 4> kDashPositions = {8, 13, 18, 23};

std::uint16_t RandomCounterSeed() {
  std::uint16_t seed = 0;
  randombytes_buf(&seed, sizeof seed);
  return seed & kCounterSeedMask;
}

std::string ToCanonicalText(const std::array<std::uint8_t, 16>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

// The last timestamp and counter handed out; guarded by `mutex`.
struct UuidV7Generator::State {
  std::mutex mutex;
  std::int64_t last_ms = -1;
  std::uint16_t counter = 0;
};

UuidV7Generator::UuidV7Generator(const Clock& clock)
    : clock_(clock), state_(std::make_unique<State>()) {
  // Idempotent and thread-safe; makes randombytes_buf safe to call from any
  // thread. Its result needs no check: should the OS random source be missing,
  // randombytes_buf aborts instead of handing out predictable bytes.
  [[maybe_unused]] const int status = sodium_init();
}

UuidV7Generator::~UuidV7Generator() = default;

std::string UuidV7Generator::NewId() {
  std::int64_t now_ms = ToUnixMillis(clock_.Now());
  if (now_ms < 0) now_ms = 0;
  if (now_ms > kMaxTimestamp) now_ms = kMaxTimestamp;

  std::int64_t ms = 0;
  std::uint16_t counter = 0;
  {
    std::lock_guard lock(state_->mutex);
    if (now_ms > state_->last_ms) {
      state_->last_ms = now_ms;
      state_->counter = RandomCounterSeed();
    } else if (state_->counter < kMaxCounter) {
      // Same millisecond, or the clock stepped back: keep counting from the last id.
      ++state_->counter;
    } else {
      // Counter exhausted: borrow the next millisecond (RFC 9562 §6.2) so order holds.
      ++state_->last_ms;
      state_->counter = RandomCounterSeed();
    }
    ms = state_->last_ms;
    counter = state_->counter;
  }

  std::array<std::uint8_t, 16> bytes{};
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(ms) >> (8 * (5 - i)));
  }
  bytes[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));  // version 7
  bytes[7] = static_cast<std::uint8_t>(counter & 0xFF);
  randombytes_buf(bytes.data() + 8, 8);                            // rand_b
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));  // variant 10
  return ToCanonicalText(bytes);
}

bool IsUuidText(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_here = i == kDashPositions[0] || i == kDashPositions[1] ||
                           i == kDashPositions[2] || i == kDashPositions[3];
    if (dash_here ? text[i] != '-' : !IsHexDigit(text[i])) return false;
  }
  return true;
}

}  // namespace taskflow
