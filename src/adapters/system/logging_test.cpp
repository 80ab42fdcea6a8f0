#include "adapters/system/logging.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "domain/time.hpp"

namespace taskflow::log {
namespace {

namespace json = boost::json;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Each test logs into its own stream; the logger goes back to stderr afterwards.
class LoggingTest : public testing::Test {
 protected:
  void SetUp() override { InitWithStream(Level::kDebug, out_); }
  void TearDown() override { Init(Level::kInfo); }

  json::object OnlyLine() {
    const auto lines = Lines(out_.str());
    EXPECT_EQ(lines.size(), 1u) << out_.str();
    if (lines.empty()) return {};
    boost::system::error_code ec;
    json::value value = json::parse(lines.front(), ec);
    EXPECT_FALSE(ec) << lines.front();
    EXPECT_TRUE(value.is_object()) << lines.front();
    return value.is_object() ? value.as_object() : json::object{};
  }

  std::ostringstream out_;
};

TEST_F(LoggingTest, WritesOneJsonObjectPerLine) {
  Info("server started", {{"addr", "127.0.0.1:8080"}, {"port", 8080}, {"tls", false}});
  const json::object line = OnlyLine();
  EXPECT_EQ(line.at("level").as_string(), "info");
  EXPECT_EQ(line.at("msg").as_string(), "server started");
  EXPECT_EQ(line.at("addr").as_string(), "127.0.0.1:8080");
  EXPECT_EQ(line.at("port").as_int64(), 8080);
  EXPECT_EQ(line.at("tls").as_bool(), false);
  // The first three keys come in a fixed order, so lines are easy to scan.
  EXPECT_EQ(out_.str().rfind("{\"ts\":\"", 0), 0u);
  EXPECT_NE(out_.str().find("\",\"level\":\"info\",\"msg\":\"server started\""), std::string::npos);
}

TEST_F(LoggingTest, TimestampIsRfc3339UtcNearNow) {
  const auto before =
      std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  Warn("tick");
  const auto after = std::chrono::system_clock::now();
  const json::object line = OnlyLine();
  const std::string ts(line.at("ts").as_string());
  EXPECT_EQ(ts.back(), 'Z');
  const auto parsed = ParseRfc3339(ts);
  ASSERT_TRUE(parsed.has_value()) << ts;
  EXPECT_GE(*parsed, before);
  EXPECT_LE(*parsed, after);
  EXPECT_EQ(line.at("level").as_string(), "warn");
}

struct EscapeCase {
  std::string input;
  std::string decoded;  // what a JSON parser must read back
};

class LoggingEscapeTest : public LoggingTest, public testing::WithParamInterface<EscapeCase> {};

TEST_P(LoggingEscapeTest, EscapesSoTheLineParsesBack) {
  Error(GetParam().input, {{"field", GetParam().input}});
  EXPECT_EQ(Lines(out_.str()).size(), 1u) << "a message must never split the line";
  const json::object line = OnlyLine();
  EXPECT_EQ(std::string(line.at("msg").as_string()), GetParam().decoded);
  EXPECT_EQ(std::string(line.at("field").as_string()), GetParam().decoded);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LoggingEscapeTest,
    testing::Values(EscapeCase{"plain", "plain"}, EscapeCase{"say \"hi\"", "say \"hi\""},
                    EscapeCase{"C:\\path\\file", "C:\\path\\file"},
                    EscapeCase{"two\nlines\r\n", "two\nlines\r\n"},
                    EscapeCase{"tab\tbell\a", "tab\tbell\a"},
                    EscapeCase{std::string("nul\0byte", 8), std::string("nul\0byte", 8)},
                    EscapeCase{"esc\x1B[31mred", "esc\x1B[31mred"},
                    EscapeCase{"del\x7F", "del\x7F"},
                    EscapeCase{"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
                               "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
                    EscapeCase{"nel\xC2\x85", "nel\xC2\x85"},
                    EscapeCase{"bad\xFF", "bad\xEF\xBF\xBD"},  // U+FFFD
                    EscapeCase{"cut\xE2\x82", "cut\xEF\xBF\xBD\xEF\xBF\xBD"},
                    EscapeCase{"sur\xED\xA0\x80", "sur\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
                    EscapeCase{"over\xC0\xAF", "over\xEF\xBF\xBD\xEF\xBF\xBD"}));

TEST_F(LoggingTest, ControlCharactersUseUnicodeEscapes) {
  Info("a\nb\x01");
  EXPECT_NE(out_.str().find("a\\u000ab\\u0001"), std::string::npos) << out_.str();
}

TEST_F(LoggingTest, NumbersAndSpecialReals) {
  Info("numbers", {{"big", std::numeric_limits<long long>::max()},
                   {"negative", -42},
                   {"ratio", 0.25},
                   {"nan", std::numeric_limits<double>::quiet_NaN()},
                   {"inf", std::numeric_limits<double>::infinity()},
                   {"bytes", static_cast<unsigned long>(1024)}});
  const json::object line = OnlyLine();
  EXPECT_EQ(line.at("big").as_int64(), std::numeric_limits<long long>::max());
  EXPECT_EQ(line.at("negative").as_int64(), -42);
  EXPECT_DOUBLE_EQ(line.at("ratio").as_double(), 0.25);
  EXPECT_TRUE(line.at("nan").is_null());
  EXPECT_TRUE(line.at("inf").is_null());
  EXPECT_EQ(line.at("bytes").as_int64(), 1024);
}

TEST_F(LoggingTest, KeysAreEscapedToo) {
  Info("keys", {{"we\"ird\nkey", "v"}});
  EXPECT_EQ(OnlyLine().at("we\"ird\nkey").as_string(), "v");
}

TEST_F(LoggingTest, LevelFiltering) {
  InitWithStream(Level::kWarn, out_);
  EXPECT_FALSE(Enabled(Level::kDebug));
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kWarn));
  EXPECT_TRUE(Enabled(Level::kError));
  Debug("hidden");
  Info("hidden");
  Warn("shown");
  Error("shown too");
  const auto lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0]).at("level").as_string(), "warn");
  EXPECT_EQ(json::parse(lines[1]).at("level").as_string(), "error");
}

TEST(LogLevelTest, ParsesExactNames) {
  Level level = Level::kInfo;
  ASSERT_TRUE(ParseLevel("debug", level));
  EXPECT_EQ(level, Level::kDebug);
  ASSERT_TRUE(ParseLevel("error", level));
  EXPECT_EQ(level, Level::kError);
  ASSERT_TRUE(ParseLevel("warn", level));
  EXPECT_EQ(level, Level::kWarn);
  ASSERT_TRUE(ParseLevel("info", level));
  EXPECT_EQ(level, Level::kInfo);
  for (const char* bad : {"", "INFO", "warning", "trace", "fatal", " info"}) {
    Level untouched = Level::kError;
    EXPECT_FALSE(ParseLevel(bad, untouched)) << bad;
    EXPECT_EQ(untouched, Level::kError);
  }
}

TEST_F(LoggingTest, ConcurrentWritersNeverInterleaveLines) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kPerThread; ++i) {
        Info("concurrent message with some length to it", {{"thread", t}, {"i", i}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto lines = Lines(out_.str());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const std::string& line : lines) {
    boost::system::error_code ec;
    const json::value value = json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    EXPECT_EQ(value.at("msg").as_string(), "concurrent message with some length to it");
  }
}

}  // namespace
}  // namespace taskflow::log
