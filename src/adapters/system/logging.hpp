// Structured logs: one JSON object per line on stderr, through spdlog.
// Secrets never go through here: callers pass only the fields they mean to show.
#pragma once

#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace taskflow::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// "debug" | "info" | "warn" | "error"; false for anything else.
bool ParseLevel(std::string_view text, Level& level);
void Init(Level level);
// Like Init, but the lines go to `out` (tests read them back). `out` must
// outlive every later Write, or the next Init.
void InitWithStream(Level level, std::ostream& out);
bool Enabled(Level level);

// A field value is rendered as a JSON string, number or boolean.
struct Field {
  Field(std::string_view k, std::string_view v) : key(k), text(v), kind(kText) {}
  Field(std::string_view k, const char* v) : key(k), text(v), kind(kText) {}
  Field(std::string_view k, const std::string& v) : key(k), text(v), kind(kText) {}
  Field(std::string_view k, long long v) : key(k), number(v), kind(kNumber) {}
  Field(std::string_view k, int v) : key(k), number(v), kind(kNumber) {}
  Field(std::string_view k, unsigned long v)
      : key(k), number(static_cast<long long>(v)), kind(kNumber) {}
  Field(std::string_view k, double v) : key(k), real(v), kind(kReal) {}
  Field(std::string_view k, bool v) : key(k), flag(v), kind(kBool) {}
  std::string_view key;
  std::string_view text;
  long long number = 0;
  double real = 0;
  bool flag = false;
  enum Kind { kText, kNumber, kReal, kBool } kind;
};

// {"ts":"…Z","level":"info","msg":"…", <fields>}
void Write(Level level, std::string_view message, std::initializer_list<Field> fields = {});
inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, m, f);
}
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

}  // namespace taskflow::log
