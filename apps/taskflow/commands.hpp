// The subcommands of the `taskflow` binary. Each wires its adapters and
// returns the process exit code: 0 on success, 1 on a runtime error (already
// logged as one JSON line).
#pragma once

#include "config.hpp"

namespace taskflow {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Serves the REST API until SIGINT or SIGTERM, then stops gracefully.
int RunServe(const Config& config);
// MCP over stdin/stdout as the user named by `user` (id or email) or `token` (a JWT).
int RunMcpStdio(const Config& config, const std::string& user, const std::string& token);

int RunMigrateUp(const Config& config);
int RunMigrateDown(const Config& config, int steps);
// One line per migration on stdout: "<version> <name> applied|pending".
int RunMigrateStatus(const Config& config);

int RunVersion();

}  // namespace taskflow
