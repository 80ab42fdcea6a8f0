#include "adapters/system/logging.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "domain/time.hpp"

namespace taskflow::log {
namespace {

constexpr std::array<std::string_view, 4> kLevelNames = {"debug", "info", "warn", "error"};

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};

// Replaced by Init; read by every Write. Atomic so a late Init never races a writer.
std::atomic<std::shared_ptr<spdlog::logger>> g_logger;

std::shared_ptr<spdlog::logger> MakeLogger(spdlog::sink_ptr sink) {
  auto logger = std::make_shared<spdlog::logger>("taskflow", std::move(sink));
  logger->set_pattern("%v");                // the line is already a complete JSON object
  logger->set_level(spdlog::level::trace);  // filtering happens in Enabled()
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::shared_ptr<spdlog::logger> CurrentLogger() {
  auto logger = g_logger.load();
  if (logger) return logger;
  // Write before Init: go to stderr rather than drop the line.
  auto fallback = MakeLogger(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  std::shared_ptr<spdlog::logger> expected;
  if (g_logger.compare_exchange_strong(expected, fallback)) return fallback;
  return expected;
}

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

// Length of the well-formed UTF-8 sequence at text[i], or 0 when ill-formed
// (overlong forms, surrogates and values above U+10FFFF included).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

void AppendUnicodeEscape(std::string& out, unsigned code) {
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "\\u%04x", code);
  out += buffer.data();
}

// Appends `text` as a JSON string. Control characters (C0, DEL, C1) become
// \u00XX so a line can never be split or carry terminal escapes; bytes that are
// not UTF-8 become U+FFFD so the line stays valid JSON.
void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<std::uint8_t>(text[i]);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      AppendUnicodeEscape(out, c);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (const std::size_t length = Utf8SequenceLength(text, i); length == 0) {
      out += "\\ufffd";
      ++i;
    } else if (c == 0xC2 && static_cast<std::uint8_t>(text[i + 1]) <= 0x9F) {
      AppendUnicodeEscape(out, static_cast<std::uint8_t>(text[i + 1]));  // C1 control
      i += 2;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  out.push_back('"');
}

void AppendValue(std::string& out, const Field& field) {
  switch (field.kind) {
    case Field::kText:
      AppendJsonString(out, field.text);
      return;
    case Field::kNumber:
      out += std::to_string(field.number);
      return;
    case Field::kReal: {
      if (!std::isfinite(field.real)) {
        out += "null";  // JSON has no NaN or infinity
        return;
      }
      std::array<char, 32> buffer{};
      std::snprintf(buffer.data(), buffer.size(), "%.17g", field.real);
      out += buffer.data();
      return;
    }
    case Field::kBool:
      out += field.flag ? "true" : "false";
      return;
  }
}

std::string FormatLine(Level level, std::string_view message, std::initializer_list<Field> fields) {
  const Instant now =
      std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::string line;
  line.reserve(64 + message.size() + fields.size() * 24);
  line += "{\"ts\":\"";
  line += FormatRfc3339(now);
  line += "\",\"level\":\"";
  line += kLevelNames[static_cast<std::size_t>(level)];
  line += "\",\"msg\":";
  AppendJsonString(line, message);
  for (const Field& field : fields) {
    line.push_back(',');
    AppendJsonString(line, field.key);
    line.push_back(':');
    AppendValue(line, field);
  }
  line.push_back('}');
  return line;
}

}  // namespace

bool ParseLevel(std::string_view text, Level& level) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (text == kLevelNames[i]) {
      level = static_cast<Level>(i);
      return true;
    }
  }
  return false;
}

void Init(Level level) {
  g_min_level.store(static_cast<int>(level));
  g_logger.store(MakeLogger(std::make_shared<spdlog::sinks::stderr_sink_mt>()));
}

void InitWithStream(Level level, std::ostream& out) {
  g_min_level.store(static_cast<int>(level));
  g_logger.store(MakeLogger(std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_min_level.load(); }

void Write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  try {
    const std::string line = FormatLine(level, message, fields);
    CurrentLogger()->log(ToSpdlog(level), spdlog::string_view_t(line.data(), line.size()));
  } catch (...) {
    // Logging must never take a request down (allocation failure, closed stream).
  }
}

}  // namespace taskflow::log
