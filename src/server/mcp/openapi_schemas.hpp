// JSON Schemas of the MCP tools, taken from api/openapi.json (embedded in the
// binary) so that a task is described the same way in REST and MCP.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace taskflow::mcp {

// components/schemas/<name> with every $ref inlined and OpenAPI-only
// keywords (example, discriminator, xml, externalDocs) removed: a
// self-contained JSON Schema 2020-12. Empty object for an unknown name.
boost::json::object OpenApiSchema(std::string_view name);

// The schema of components/parameters/<name>, with the parameter's
// description; empty object for an unknown name.
boost::json::object OpenApiParameterSchema(std::string_view name);

}  // namespace taskflow::mcp
