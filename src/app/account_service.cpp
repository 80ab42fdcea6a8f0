#include "app/account_service.hpp"

#include <array>
#include <functional>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "domain/text.hpp"

namespace taskflow {
namespace {

constexpr std::size_t kKnownUsersCapacity = 100'000;
constexpr std::size_t kVerifiedTokensCapacity = 50'000;
constexpr std::string_view kBadCredentials = "email or password is incorrect";

}  // namespace

// Ids of users known to have a profile row, so that authenticating a request
// costs no database write. Users are never deleted, so an entry never goes stale;
// the set is bounded and simply starts over when full.
struct AccountService::KnownUsers {
  std::mutex mutex;
  std::unordered_set<std::string> ids;

  bool Contains(const std::string& id) {
    std::lock_guard lock(mutex);
    return ids.contains(id);
  }
  void Add(const std::string& id) {
    std::lock_guard lock(mutex);
    if (ids.size() >= kKnownUsersCapacity) ids.clear();
    ids.insert(id);
  }
};

// Tokens whose signature and claims were checked, with their owner and expiry,
// so that a client sending the same bearer token on every request pays one
// hash lookup instead of an HMAC and a JSON parse. Keyed by the whole token
// text: a forged or altered token is never a hit. Expiry is re-checked on
// every hit. Every request of every I/O thread looks here, so the map is split
// into shards, each with its own lock on its own cache line (one shared lock
// measured 3 % of a GET's CPU in lock hand-offs between two threads), and a
// lookup takes the token as a view, without copying it. Each shard is bounded
// and starts over when full.
struct AccountService::VerifiedTokens {
  struct Entry {
    std::string user_id;
    Instant expires_at;
  };
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view token) const {
      return std::hash<std::string_view>{}(token);
    }
  };
  struct alignas(64) Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Entry, TokenHash, std::equal_to<>> entries;
  };
  static constexpr std::size_t kShards = 16;
  std::array<Shard, kShards> shards;

  Shard& ShardOf(std::string_view token) {
    // The map uses the hash's low bits for its buckets; the shard, high ones.
    return shards[(TokenHash{}(token) >> 56) % kShards];
  }

  std::optional<Entry> Find(std::string_view token, Instant now) {
    Shard& shard = ShardOf(token);
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(token);
    if (it == shard.entries.end() || now >= it->second.expires_at) return std::nullopt;
    return it->second;
  }
  void Add(std::string_view token, Entry entry) {
    Shard& shard = ShardOf(token);
    std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= kVerifiedTokensCapacity / kShards) shard.entries.clear();
    shard.entries.insert_or_assign(std::string(token), std::move(entry));
  }
};

AccountService::AccountService(Ports ports)
    : ports_(ports),
      known_(std::make_unique<KnownUsers>()),
      tokens_(std::make_unique<VerifiedTokens>()) {}

AccountService::~AccountService() = default;

Result<Session> AccountService::Signup(SignupDraft draft) {
  auto normalized = NormalizeSignup(std::move(draft));
  if (!normalized) return std::move(normalized).take_error();
  SignupDraft& input = *normalized;

  // Hash before the transaction: argon2 is slow on purpose and must not hold
  // the writer lock.
  auto hash = ports_.passwords.Hash(input.password);
  if (!hash) return std::move(hash).take_error();

  const Instant now = ports_.clock.Now();
  User user{.id = ports_.ids.NewId(),
            .email = input.email,
            .name = input.name.value_or(""),
            .timezone = "UTC",
            .created_at = now,
            .updated_at = now};
  bool inserted = false;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    inserted = tx.InsertUser(user, *hash);
    return {};
  });
  if (!status) return std::move(status).take_error();
  if (!inserted) return Error::Conflict("an account with this email already exists");

  known_->Add(user.id);
  return Session{ports_.tokens.Issue(user.id, user.email), std::move(user)};
}

Result<Session> AccountService::Login(std::string_view email, std::string_view password) {
  if (password.size() > kPasswordMaxBytes) return Error::Unauthenticated(std::string(kBadCredentials));
  auto normalized = NormalizeEmail(email, "email");
  std::optional<Credentials> credentials;
  if (normalized) {
    Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
      credentials = tx.FindCredentials(*normalized);
      return {};
    });
    if (!status) return std::move(status).take_error();
  }
  if (!credentials) {
    // Spend the same work as a real check so response time does not reveal
    // which emails have accounts.
    ports_.passwords.Hash(password).ok();
    return Error::Unauthenticated(std::string(kBadCredentials));
  }
  if (!ports_.passwords.Verify(credentials->password_hash, password)) {
    return Error::Unauthenticated(std::string(kBadCredentials));
  }
  known_->Add(credentials->user.id);
  return Session{ports_.tokens.Issue(credentials->user.id, credentials->user.email),
                 std::move(credentials->user)};
}

Result<std::string> AccountService::Authenticate(std::string_view bearer_token) {
  auto authenticated = AuthenticateWithExpiry(bearer_token);
  if (!authenticated) return std::move(authenticated).take_error();
  return std::move(authenticated->user_id);
}

Result<Authentication> AccountService::AuthenticateWithExpiry(std::string_view bearer_token) {
  const Instant now = ports_.clock.Now();
  if (auto cached = tokens_->Find(bearer_token, now)) {
    return Authentication{std::move(cached->user_id), cached->expires_at, now};
  }
  auto claims = ports_.tokens.Verify(bearer_token);
  if (!claims) return std::move(claims).take_error();
  auto user_id = EnsureProfile(*claims);
  if (!user_id) return std::move(user_id).take_error();
  tokens_->Add(bearer_token, {*user_id, claims->expires_at});
  return Authentication{std::move(*user_id), claims->expires_at, now};
}

Result<std::string> AccountService::EnsureProfile(const TokenClaims& claims) {
  const std::string& user_id = claims.subject;
  if (known_->Contains(user_id)) return user_id;

  // First sight of a user whose token was issued elsewhere (the seed's Better
  // Auth front end): create the profile from the claims we trust.
  const Instant now = ports_.clock.Now();
  User user{.id = user_id, .created_at = now, .updated_at = now};
  if (claims.email) {
    if (auto email = NormalizeEmail(*claims.email, "email")) user.email = *email;
  }
  if (claims.name && !HasControlCharacters(*claims.name) &&
      CodePointCount(*claims.name) <= kNameMaxChars) {
    user.name = TrimUnicode(*claims.name);
  }
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    tx.EnsureUser(user);
    return {};
  });
  if (!status) return std::move(status).take_error();
  known_->Add(user_id);
  return user_id;
}

Result<User> AccountService::GetProfile(const std::string& user_id) {
  std::optional<User> user;
  Status status = ports_.store.Read([&](StoreReader& tx) -> Status {
    user = tx.FindUser(user_id);
    return {};
  });
  if (!status) return std::move(status).take_error();
  if (!user) return Error::NotFound("user not found");
  return std::move(*user);
}

Result<User> AccountService::UpdateProfile(const std::string& user_id, ProfilePatch patch) {
  auto normalized = NormalizeProfilePatch(std::move(patch));
  if (!normalized) return std::move(normalized).take_error();

  std::optional<User> user;
  Status status = ports_.store.Write([&](StoreWriter& tx) -> Status {
    user = tx.FindUser(user_id);
    if (!user) return Error::NotFound("user not found");
    bool changed = false;
    if (normalized->name && *normalized->name != user->name) {
      user->name = *normalized->name;
      changed = true;
    }
    if (normalized->timezone && *normalized->timezone != user->timezone) {
      user->timezone = *normalized->timezone;
      changed = true;
    }
    if (normalized->date_order && *normalized->date_order != user->date_order) {
      user->date_order = *normalized->date_order;
      changed = true;
    }
    if (changed) {
      user->updated_at = ports_.clock.Now();
      tx.UpdateUser(*user);
    }
    return {};
  });
  if (!status) return std::move(status).take_error();
  return std::move(*user);
}

}  // namespace taskflow
