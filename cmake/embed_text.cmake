# cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -P embed_text.cmake
# Writes a C++ source defining taskflow::kOpenApiDocument with the file's text.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE ${OUTPUT}
  "// Generated from ${INPUT}; do not edit.\n"
  "#include <string_view>\n"
  "namespace taskflow {\n"
  "namespace { const char kBytes[] = {${bytes} 0}; }\n"
  "extern const std::string_view kOpenApiDocument{kBytes, sizeof(kBytes) - 1};\n"
  "}  // namespace taskflow\n")
