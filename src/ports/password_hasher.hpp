// PasswordHasher port: one-way, salted, slow password hashes.
#pragma once

#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace taskflow {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // Returns a self-describing hash string (PHC format). Thread-safe; slow by design.
  virtual Result<std::string> Hash(std::string_view password) = 0;
  // Constant-time check of a password against a stored hash.
  virtual bool Verify(std::string_view stored_hash, std::string_view password) = 0;
};

}  // namespace taskflow
