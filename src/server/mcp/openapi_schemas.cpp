#include "server/mcp/openapi_schemas.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>

namespace taskflow {
// Generated from api/openapi.json at build time (cmake/embed_text.cmake).
extern const std::string_view kOpenApiDocument;
}

namespace taskflow::mcp {
namespace {

namespace json = boost::json;

const json::object& Document() {
  static const json::object document = json::parse(kOpenApiDocument).as_object();
  return document;
}

const json::value* Component(std::string_view kind, std::string_view name) {
  const json::value* components = Document().if_contains("components");
  if (components == nullptr) return nullptr;
  const json::value* group = components->as_object().if_contains(kind);
  if (group == nullptr) return nullptr;
  return group->as_object().if_contains(name);
}

json::value Inline(const json::value& value, int depth) {
  if (depth > 32) return json::object{};  // a cycle: the document has none
  if (const json::object* object = value.if_object()) {
    if (const json::value* ref = object->if_contains("$ref"); ref != nullptr && ref->is_string()) {
      constexpr std::string_view kPrefix = "#/components/schemas/";
      const std::string_view target = ref->get_string();
      if (target.starts_with(kPrefix)) {
        if (const json::value* schema = Component("schemas", target.substr(kPrefix.size()))) {
          return Inline(*schema, depth + 1);
        }
      }
      return json::object{};
    }
    json::object out;
    for (const auto& [key, item] : *object) {
      if (key == "example" || key == "discriminator" || key == "xml" || key == "externalDocs") {
        continue;
      }
      out.emplace(key, Inline(item, depth + 1));
    }
    return out;
  }
  if (const json::array* array = value.if_array()) {
    json::array out;
    for (const json::value& item : *array) out.push_back(Inline(item, depth + 1));
    return out;
  }
  return value;
}

}  // namespace

json::object OpenApiSchema(std::string_view name) {
  const json::value* schema = Component("schemas", name);
  if (schema == nullptr) return {};
  return Inline(*schema, 0).as_object();
}

json::object OpenApiParameterSchema(std::string_view name) {
  const json::value* parameter = Component("parameters", name);
  if (parameter == nullptr || !parameter->is_object()) return {};
  const json::value* schema = parameter->as_object().if_contains("schema");
  if (schema == nullptr) return {};
  json::object out = Inline(*schema, 0).as_object();
  if (const json::value* description = parameter->as_object().if_contains("description")) {
    out["description"] = *description;
  }
  return out;
}

}  // namespace taskflow::mcp
