// Mints JSON Web Tokens the way a foreign issuer sharing BETTER_AUTH_SECRET
// would (the seed's Better Auth front end), so tests need no signup round trip
// and can forge every kind of bad token the server must refuse.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace taskflow::integration {

enum class JwtAlgorithm { kHs256, kHs512, kNone };

// base64url without padding (RFC 4648 §5).
std::string Base64Url(std::string_view bytes);

// Signs `header_json`.`payload_json` as given (nothing is added or checked), so
// tests can lie in the header. kNone leaves the signature part empty.
std::string SignJwt(std::string_view header_json, std::string_view payload_json,
                    std::string_view secret, JwtAlgorithm algorithm);

// A valid HS256 token for `subject` that expires `ttl` from now (negative:
// already expired).
std::string MintToken(std::string_view secret, std::string_view subject,
                      std::chrono::seconds ttl = std::chrono::hours(1));

}  // namespace taskflow::integration
