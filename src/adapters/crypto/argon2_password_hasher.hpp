// PasswordHasher adapter: argon2id through libsodium (crypto_pwhash_str).
#pragma once

#include "ports/password_hasher.hpp"

namespace taskflow {

struct Argon2Limits {
  unsigned long long ops;  // crypto_pwhash_OPSLIMIT_*
  std::size_t mem_bytes;   // crypto_pwhash_MEMLIMIT_*
  // libsodium's INTERACTIVE limits (2 passes, 64 MiB): the production default.
  static Argon2Limits Interactive();
  // The library minimum: for tests only, where speed matters more than cost.
  static Argon2Limits Minimum();
};

class Argon2PasswordHasher final : public PasswordHasher {
 public:
  explicit Argon2PasswordHasher(Argon2Limits limits = Argon2Limits::Interactive());
  Result<std::string> Hash(std::string_view password) override;
  bool Verify(std::string_view stored_hash, std::string_view password) override;

 private:
  Argon2Limits limits_;
};

// Initialises libsodium once; false when the library cannot start.
bool InitSodium();

// `n` random bytes as lower-case hex (for generated secrets).
std::string RandomHex(std::size_t n);

}  // namespace taskflow
