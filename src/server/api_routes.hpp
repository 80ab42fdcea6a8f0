// Registers every REST route (/api/…, /health, /ready, /openapi.json) on a router.
#pragma once

#include "server/http_server.hpp"
#include "server/router.hpp"

namespace taskflow {

void RegisterApiRoutes(Router& router, ApiServices services);

}  // namespace taskflow
