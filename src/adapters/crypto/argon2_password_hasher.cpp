#include "adapters/crypto/argon2_password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <string>
#include <vector>

namespace taskflow {

Argon2Limits Argon2Limits::Interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

Argon2Limits Argon2Limits::Minimum() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

bool InitSodium() {
  // sodium_init is itself idempotent; the static just makes the answer cheap.
  static const bool ready = sodium_init() >= 0;
  return ready;
}

Argon2PasswordHasher::Argon2PasswordHasher(Argon2Limits limits) : limits_(limits) {}

Result<std::string> Argon2PasswordHasher::Hash(std::string_view password) {
  if (!InitSodium()) return Error::Internal("libsodium failed to initialise");
  std::array<char, crypto_pwhash_argon2id_STRBYTES> hash{};
  // Passes the length explicitly: passwords may contain NUL bytes.
  if (crypto_pwhash_argon2id_str(hash.data(), password.data(), password.size(), limits_.ops,
                                 limits_.mem_bytes) != 0) {
    return Error::Internal("password hashing ran out of memory");
  }
  return std::string(hash.data());  // libsodium NUL-terminates the PHC string
}

bool Argon2PasswordHasher::Verify(std::string_view stored_hash, std::string_view password) {
  if (!InitSodium()) return false;
  // libsodium reads the hash as a C string from a fixed-size buffer: copy it
  // into one, refusing hashes that would not fit or that hide a NUL byte.
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (stored_hash.empty() || stored_hash.size() >= hash.size() ||
      stored_hash.find('\0') != std::string_view::npos) {
    return false;
  }
  stored_hash.copy(hash.data(), stored_hash.size());
  return crypto_pwhash_str_verify(hash.data(), password.data(), password.size()) == 0;
}

std::string RandomHex(std::size_t n) {
  if (n == 0) return "";
  // Even if sodium_init failed, randombytes_buf aborts rather than return weak
  // bytes, so a generated secret is never predictable.
  [[maybe_unused]] const bool ready = InitSodium();
  std::vector<unsigned char> bytes(n);
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex(2 * n + 1, '\0');  // sodium_bin2hex writes a terminating NUL
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  sodium_memzero(bytes.data(), bytes.size());
  return hex;
}

}  // namespace taskflow
