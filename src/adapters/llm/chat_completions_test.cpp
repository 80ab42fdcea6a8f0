#include "adapters/llm/chat_completions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace taskflow::llm {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

ModelAnswer Parse(std::string_view body) {
  CallIds ids;
  Result<ModelAnswer> answer = ParseAnswer(body, ids);
  EXPECT_TRUE(answer.ok()) << answer.error().message;
  return answer.ok() ? std::move(answer).value() : ModelAnswer{};
}

std::string Unreadable(std::string_view body) {
  CallIds ids;
  Result<ModelAnswer> answer = ParseAnswer(body, ids);
  if (answer.ok()) {
    ADD_FAILURE() << "expected an error for " << body;
    return {};
  }
  EXPECT_EQ(answer.error().code, ErrorCode::kUnavailable);
  return answer.error().message;
}

std::string CallsBody(std::string_view calls_json) {
  return R"({"choices":[{"message":{"role":"assistant","tool_calls":)" + std::string(calls_json) +
         R"(},"finish_reason":"tool_calls"}]})";
}

TEST(ParseAnswerTest, ReadsTheStandardShapes) {
  ModelAnswer text = Parse(
      R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]})");
  EXPECT_EQ(text.content, "Hi");
  EXPECT_EQ(text.finish_reason, "stop");
  EXPECT_TRUE(text.calls.empty());

  ModelAnswer calls = Parse(CallsBody(
      R"([{"id":"call_1","type":"function","function":{"name":"add_task","arguments":"{\"title\":\"x\"}"}}])"));
  ASSERT_EQ(calls.calls.size(), 1u);
  EXPECT_EQ(calls.calls[0].id, "call_1");
  EXPECT_EQ(calls.calls[0].name, "add_task");
  EXPECT_EQ(calls.calls[0].arguments_json, R"({"title":"x"})");
  EXPECT_EQ(calls.finish_reason, "tool_calls");
}

TEST(ParseAnswerTest, AcceptsWhatServersSendInsteadOfTheStandard) {
  struct Case {
    const char* calls;
    const char* arguments;
  };
  for (const Case& c : {
           // arguments as an object (Ollama), as nothing, as an empty string, double encoded
           Case{R"([{"id":"a","function":{"name":"t","arguments":{"x":1}}}])", R"({"x":1})"},
           Case{R"([{"id":"a","function":{"name":"t"}}])", "{}"},
           Case{R"([{"id":"a","function":{"name":"t","arguments":null}}])", "{}"},
           Case{R"([{"id":"a","function":{"name":"t","arguments":"  "}}])", "{}"},
           Case{R"([{"id":"a","function":{"name":"t","arguments":"\"{\\\"x\\\":1}\""}}])",
                R"({"x":1})"},
           // name and arguments without the function wrapper; "parameters" for "arguments"
           Case{R"([{"id":"a","name":"t","arguments":"{\"x\":1}"}])", R"({"x":1})"},
           Case{R"([{"id":"a","function":{"name":"t","parameters":{"x":1}}}])", R"({"x":1})"},
           // one call as an object instead of an array
           Case{R"({"id":"a","function":{"name":"t","arguments":"{}"}})", "{}"},
       }) {
    ModelAnswer answer = Parse(CallsBody(c.calls));
    ASSERT_EQ(answer.calls.size(), 1u) << c.calls;
    EXPECT_EQ(answer.calls[0].name, "t") << c.calls;
    ASSERT_TRUE(answer.calls[0].arguments_json.has_value()) << c.calls << answer.calls[0].problem;
    EXPECT_EQ(json::parse(*answer.calls[0].arguments_json), json::parse(c.arguments)) << c.calls;
  }
  // The legacy function_call shape.
  ModelAnswer legacy = Parse(
      R"({"choices":[{"message":{"role":"assistant","function_call":{"name":"t","arguments":"{}"}}}]})");
  ASSERT_EQ(legacy.calls.size(), 1u);
  EXPECT_EQ(legacy.calls[0].name, "t");
  // Content as parts, as an object, and as the legacy "text".
  EXPECT_EQ(
      Parse(R"({"choices":[{"message":{"content":[{"type":"text","text":"a"},"b"]}}]})").content,
      "ab");
  EXPECT_EQ(Parse(R"({"choices":[{"message":{"content":{"text":"c"}}}]})").content, "c");
  EXPECT_EQ(Parse(R"({"choices":[{"text":"d"}]})").content, "d");
  EXPECT_EQ(Parse(R"({"choices":[{"delta":{"content":"e"}}]})").content, "e");
  EXPECT_EQ(Parse(R"({"choices":{"message":{"content":"f"}}})").content, "f");
}

TEST(ParseAnswerTest, UnusableArgumentsSayWhyForTheModel) {
  for (const char* calls : {R"([{"id":"a","function":{"name":"t","arguments":"{\"x\": 1"}}])",
                            R"([{"id":"a","function":{"name":"t","arguments":"[1,2]"}}])",
                            R"([{"id":"a","function":{"name":"t","arguments":[1]}}])",
                            R"([{"id":"a","function":{"name":"t","arguments":42}}])"}) {
    ModelAnswer answer = Parse(CallsBody(calls));
    ASSERT_EQ(answer.calls.size(), 1u);
    EXPECT_FALSE(answer.calls[0].arguments_json.has_value()) << calls;
    EXPECT_THAT(answer.calls[0].problem, HasSubstr("JSON object")) << calls;
  }
  ModelAnswer invalid =
      Parse(CallsBody(R"([{"id":"a","function":{"name":"t","arguments":"{\"x\": 1"}}])"));
  EXPECT_THAT(invalid.calls[0].problem, HasSubstr("not valid JSON"));
  EXPECT_THAT(invalid.calls[0].problem, HasSubstr("{\"x\": 1"));
  // A call that is not even an object keeps an id, and a reason.
  ModelAnswer odd = Parse(CallsBody(R"(["add_task"])"));
  ASSERT_EQ(odd.calls.size(), 1u);
  EXPECT_FALSE(odd.calls[0].id.empty());
  EXPECT_FALSE(odd.calls[0].problem.empty());
}

TEST(ParseAnswerTest, IdsAreMadeUniqueAndGivenWhenMissing) {
  CallIds ids;
  Result<ModelAnswer> answer = ParseAnswer(
      CallsBody(R"([{"id":"x","function":{"name":"t"}},{"id":"x","function":{"name":"t"}},)"
                R"({"function":{"name":"t"}},{"id":7,"function":{"name":"t"}},)"
                R"({"id":"has space","function":{"name":"t"}}])"),
      ids);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->calls.size(), 5u);
  EXPECT_EQ(answer->calls[0].id, "x");
  EXPECT_EQ(answer->calls[3].id, "7");
  std::set<std::string> seen;
  for (const RequestedCall& call : answer->calls) {
    EXPECT_FALSE(call.id.empty());
    EXPECT_EQ(call.id.find(' '), std::string::npos);
    EXPECT_TRUE(seen.insert(call.id).second) << call.id;
  }
  // The next answer of the same request cannot reuse them either.
  EXPECT_NE(ids.Claim("x"), "x");
}

TEST(ParseAnswerTest, WhatIsNotAnAnswerIsUnavailable) {
  EXPECT_THAT(Unreadable(""), HasSubstr("not a JSON object"));
  EXPECT_THAT(Unreadable("<html>502 Bad Gateway</html>"), HasSubstr("not a JSON object"));
  EXPECT_THAT(Unreadable("[]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(Unreadable(R"({"choices":[]})"), HasSubstr("no choices"));
  EXPECT_THAT(Unreadable(R"({"object":"chat.completion"})"), HasSubstr("no choices"));
  EXPECT_THAT(Unreadable(R"({"choices":[42]})"), HasSubstr("no choices"));
  EXPECT_THAT(Unreadable(R"({"choices":[{"index":0}]})"), HasSubstr("no message"));
  EXPECT_THAT(Unreadable(R"({"error":{"message":"context too long"}})"),
              HasSubstr("context too long"));
}

TEST(ErrorMessageOfTest, ReadsBothErrorShapesAndCutsLongOnes) {
  EXPECT_EQ(ErrorMessageOf(R"({"error":{"message":"bad key"}})"), "bad key");
  EXPECT_EQ(ErrorMessageOf(R"({"error":"model not found"})"), "model not found");
  EXPECT_EQ(ErrorMessageOf("not json"), "");
  EXPECT_LE(ErrorMessageOf(R"({"error":")" + std::string(1000, 'a') + "\"}").size(), 304u);
}

TEST(ToolDefinitionsTest, EachSpecBecomesAFunctionWithItsSchema) {
  const std::vector<ToolSpec> specs = {
      {"get_task", "Reads a task.", R"({"type":"object","required":["id"]})"},
      {"broken", "Schema is not JSON.", "{nope"}};
  const json::array tools = ToolDefinitions(specs);
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[0], json::parse(R"({"type":"function","function":{"name":"get_task",)"
                                  R"("description":"Reads a task.",)"
                                  R"("parameters":{"type":"object","required":["id"]}}})"));
  EXPECT_EQ(tools[1].at("function").at("parameters"), json::parse(R"({"type":"object"})"));
}

TEST(ToolMessageContentTest, PrefersTextMarksErrorsAndCuts) {
  EXPECT_EQ(ToolMessageContent(false, "text", R"({"a":1})", 100), "text");
  EXPECT_EQ(ToolMessageContent(false, "", R"({"a":1})", 100), R"({"a":1})");
  EXPECT_EQ(ToolMessageContent(true, "bad id", "{}", 100), "Error: bad id");
  EXPECT_EQ(ToolMessageContent(false, "", "{}", 100), "Done.");
  const std::string cut = ToolMessageContent(false, std::string(500, 'x'), "{}", 100);
  EXPECT_THAT(cut, HasSubstr("cut"));
  EXPECT_EQ(cut.substr(0, 100), std::string(100, 'x'));
  // Never in the middle of a UTF-8 character: "é" is 2 bytes.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "é";
  const std::string cut_accents = ToolMessageContent(false, accents, "{}", 51);
  EXPECT_EQ(cut_accents.substr(0, 50), accents.substr(0, 50));
  EXPECT_NE(cut_accents[50], accents[50]);
}

TEST(MessagesTest, StoredArgumentsThatAreNotAnObjectAreReplayedAsEmpty) {
  Messages messages;
  CallIds ids;
  messages.AddHistory({{ChatRole::kAssistant,
                        "",
                        {{.call_id = "", .tool = "list_tasks", .arguments_json = "oops"}}},
                       {ChatRole::kUser, "", {}}},
                      ids, 100);
  const json::array& m = messages.array();
  ASSERT_EQ(m.size(), 2u);  // the call and its result; no empty texts
  EXPECT_EQ(m[0].at("tool_calls").at(0).at("function").at("arguments"), "{}");
  EXPECT_EQ(m[0].at("content"), "");
  EXPECT_FALSE(m[0].at("tool_calls").at(0).at("id").as_string().empty());
  EXPECT_EQ(m[1].at("tool_call_id"), m[0].at("tool_calls").at(0).at("id"));
  EXPECT_EQ(m[1].at("content"), "Done.");
}

TEST(RequestBodyTest, HoldsModelMessagesAndToolsOnlyWhenThereAreSome) {
  Messages messages;
  messages.AddUser("hi");
  EXPECT_EQ(json::parse(RequestBody("m", messages, {})),
            json::parse(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"));
  const json::value with_tools =
      json::parse(RequestBody("m", messages, ToolDefinitions({{"t", "d", "{}"}})));
  EXPECT_EQ(with_tools.at("tools").as_array().size(), 1u);
}

}  // namespace
}  // namespace taskflow::llm
