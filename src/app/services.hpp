// The ports a use case needs, wired once at start-up. Non-owning.
#pragma once

#include "ports/clock.hpp"
#include "ports/id_generator.hpp"
#include "ports/password_hasher.hpp"
#include "ports/store.hpp"
#include "ports/token_service.hpp"

namespace taskflow {

struct Ports {
  Store& store;
  Clock& clock;
  IdGenerator& ids;
  PasswordHasher& passwords;
  TokenService& tokens;
};

}  // namespace taskflow
