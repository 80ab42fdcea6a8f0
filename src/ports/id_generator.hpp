// IdGenerator port: new identifiers for rows.
#pragma once

#include <string>

namespace taskflow {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new UUIDv7 in canonical lower-case text form; time-ordered. Thread-safe.
  virtual std::string NewId() = 0;
};

}  // namespace taskflow
