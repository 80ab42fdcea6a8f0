// MCP over stdio: newline-delimited JSON-RPC messages on `in`, answers and
// notifications on `out` (nothing else is ever written there; logs go to
// stderr), for one user, until `in` ends.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "server/mcp/protocol.hpp"

namespace taskflow::mcp {

void ServeStdio(const Protocol& protocol, const std::string& user_id, std::istream& in,
                std::ostream& out);

}  // namespace taskflow::mcp
