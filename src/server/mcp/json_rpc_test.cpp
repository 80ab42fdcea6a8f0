#include "server/mcp/json_rpc.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace taskflow::mcp {
namespace {

RpcFailure Failure(std::string_view text) {
  ReadResult read = ReadMessage(text);
  EXPECT_TRUE(std::holds_alternative<RpcFailure>(read)) << text;
  return std::holds_alternative<RpcFailure>(read) ? std::get<RpcFailure>(read) : RpcFailure{};
}

RpcMessage Message(std::string_view text) {
  ReadResult read = ReadMessage(text);
  EXPECT_TRUE(std::holds_alternative<RpcMessage>(read)) << text;
  return std::holds_alternative<RpcMessage>(read) ? std::get<RpcMessage>(read) : RpcMessage{};
}

TEST(JsonRpcTest, ReadsRequestsWithStringOrIntegerIds) {
  RpcMessage request = Message(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"a"}})");
  EXPECT_EQ(request.kind, RpcMessage::Kind::kRequest);
  EXPECT_EQ(request.id, json::value(7));
  EXPECT_EQ(request.method, "tools/list");
  EXPECT_EQ(request.params.at("cursor"), "a");
  RpcMessage named = Message(R"({"jsonrpc":"2.0","id":"abc","method":"ping"})");
  EXPECT_EQ(named.id, json::value("abc"));
  EXPECT_TRUE(named.params.empty());
}

TEST(JsonRpcTest, ReadsNotificationsAndResponses) {
  EXPECT_EQ(Message(R"({"jsonrpc":"2.0","method":"notifications/initialized"})").kind,
            RpcMessage::Kind::kNotification);
  EXPECT_EQ(Message(R"({"jsonrpc":"2.0","id":1,"result":{}})").kind, RpcMessage::Kind::kResponse);
  EXPECT_EQ(Message(R"({"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"}})").kind,
            RpcMessage::Kind::kResponse);
}

TEST(JsonRpcTest, MalformedJsonIsAParseErrorWithANullId) {
  for (std::string_view text : {"", "{", "{\"jsonrpc\":", "nope"}) {
    RpcFailure failure = Failure(text);
    EXPECT_EQ(failure.code, kParseError) << text;
    EXPECT_TRUE(failure.id.is_null());
  }
}

TEST(JsonRpcTest, InvalidRequestsNameWhatIsWrongAndKeepAUsableId) {
  RpcFailure version = Failure(R"({"jsonrpc":"1.0","id":3,"method":"ping"})");
  EXPECT_EQ(version.code, kInvalidRequest);
  EXPECT_EQ(version.id, json::value(3));
  EXPECT_NE(version.message.find("jsonrpc"), std::string::npos);
  EXPECT_EQ(Failure(R"({"id":3,"method":"ping"})").code, kInvalidRequest);
  EXPECT_EQ(Failure(R"({"jsonrpc":"2.0","id":3})").code, kInvalidRequest);
  EXPECT_EQ(Failure(R"({"jsonrpc":"2.0","id":3,"method":""})").code, kInvalidRequest);
  EXPECT_EQ(Failure(R"({"jsonrpc":"2.0","id":3,"method":5})").code, kInvalidRequest);
  RpcFailure bad_id = Failure(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})");
  EXPECT_EQ(bad_id.code, kInvalidRequest);
  EXPECT_TRUE(bad_id.id.is_null());
  EXPECT_EQ(Failure(R"({"jsonrpc":"2.0","id":{},"method":"ping"})").code, kInvalidRequest);
  EXPECT_EQ(Failure("[]").code, kInvalidRequest);
  EXPECT_EQ(Failure(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])").code, kInvalidRequest);
  EXPECT_EQ(Failure("42").code, kInvalidRequest);
}

TEST(JsonRpcTest, ParamsMustBeAnObject) {
  RpcFailure failure = Failure(R"({"jsonrpc":"2.0","id":"q","method":"ping","params":[1]})");
  EXPECT_EQ(failure.code, kInvalidParams);
  EXPECT_EQ(failure.id, json::value("q"));
}

TEST(JsonRpcTest, BuildsResultsErrorsAndNotifications) {
  EXPECT_EQ(json::serialize(MakeResult(5, json::object{})), R"({"jsonrpc":"2.0","id":5,"result":{}})");
  EXPECT_EQ(json::serialize(MakeError(nullptr, kParseError, "bad")),
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}})");
  EXPECT_EQ(json::serialize(MakeNotification("notifications/message", {{"level", "info"}})),
            R"({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info"}})");
}

}  // namespace
}  // namespace taskflow::mcp
