#include "adapters/llm/openai_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace taskflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKey[] = "sk-proj-abcdefghijklmnop";

std::string FieldOf(const Result<std::optional<OpenAiOptions>>& result) {
  if (result.ok()) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  EXPECT_THAT(result.error().message, Not(HasSubstr(kKey)));
  return result.error().fields.at(0).field;
}

TEST(OpenAiOptionsTest, NothingSetMeansNoLlm) {
  Result<std::optional<OpenAiOptions>> options = ResolveOpenAiOptions({});
  ASSERT_TRUE(options.ok());
  EXPECT_FALSE(options->has_value());
}

TEST(OpenAiOptionsTest, TheKeyAloneGivesTheDefaults) {
  Result<std::optional<OpenAiOptions>> options = ResolveOpenAiOptions({.api_key = kKey});
  ASSERT_TRUE(options.ok()) << options.error().message;
  ASSERT_TRUE(options->has_value());
  const OpenAiOptions& o = **options;
  EXPECT_EQ(o.api_key, kKey);
  EXPECT_EQ(o.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(o.model, kDefaultOpenAiModel);
  EXPECT_EQ(o.timeout, std::chrono::seconds(60));
  EXPECT_EQ(o.request_timeout, std::chrono::seconds(30));
  EXPECT_EQ(o.max_steps, 8);
}

TEST(OpenAiOptionsTest, ReadsEveryVariable) {
  const std::map<std::string, std::string> env = {{"OPENAI_API_KEY", kKey},
                                                  {"OPENAI_BASE_URL", "http://127.0.0.1:11434/v1/"},
                                                  {"OPENAI_MODEL", " llama3.2 "},
                                                  {"TASKFLOW_LLM_TIMEOUT", "90"},
                                                  {"TASKFLOW_LLM_REQUEST_TIMEOUT", "45"},
                                                  {"TASKFLOW_LLM_MAX_STEPS", "4"},
                                                  {"OPENAI_ORGANIZATION", "ignored"}};
  const OpenAiSources sources = OpenAiSourcesFromEnvironment([&env](const char* name) {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  Result<std::optional<OpenAiOptions>> options = ResolveOpenAiOptions(sources);
  ASSERT_TRUE(options.ok()) << options.error().message;
  const OpenAiOptions& o = **options;
  EXPECT_EQ(o.base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(o.model, "llama3.2");
  EXPECT_EQ(o.timeout, std::chrono::seconds(90));
  EXPECT_EQ(o.request_timeout, std::chrono::seconds(45));
  EXPECT_EQ(o.max_steps, 4);
}

TEST(OpenAiOptionsTest, EmptyVariablesAreUnset) {
  const OpenAiSources sources = OpenAiSourcesFromEnvironment(
      [](const char* name) { return std::string_view(name) == "OPENAI_API_KEY" ? "" : nullptr; });
  EXPECT_FALSE(sources.any());
}

TEST(OpenAiOptionsTest, SettingsWithoutAKeyAreRefusedNotIgnored) {
  EXPECT_EQ(FieldOf(ResolveOpenAiOptions({.base_url = "http://localhost:8080/v1"})),
            "OPENAI_API_KEY");
  EXPECT_EQ(FieldOf(ResolveOpenAiOptions({.model = "gpt-4o"})), "OPENAI_API_KEY");
  EXPECT_EQ(FieldOf(ResolveOpenAiOptions({.api_key = "   "})), "OPENAI_API_KEY");
}

TEST(OpenAiOptionsTest, BadValuesNameTheirVariableAndNeverTheKey) {
  const auto with = [](OpenAiSources s) {
    s.api_key = kKey;
    return ResolveOpenAiOptions(s);
  };
  EXPECT_EQ(FieldOf(with({.base_url = "ftp://example.com/v1"})), "OPENAI_BASE_URL");
  EXPECT_EQ(FieldOf(with({.base_url = "api.openai.com/v1"})), "OPENAI_BASE_URL");
  EXPECT_EQ(FieldOf(with({.base_url = "https:///v1"})), "OPENAI_BASE_URL");
  EXPECT_EQ(FieldOf(with({.base_url = "https://example.com/v1#x"})), "OPENAI_BASE_URL");
  Result<std::optional<OpenAiOptions>> credentials =
      with({.base_url = "https://user:hunter2@example.com/v1"});
  EXPECT_EQ(FieldOf(credentials), "OPENAI_BASE_URL");
  EXPECT_THAT(credentials.error().message, Not(HasSubstr("hunter2")));
  EXPECT_EQ(FieldOf(with({.model = "  "})), "OPENAI_MODEL");
  EXPECT_EQ(FieldOf(with({.timeout = "0"})), "TASKFLOW_LLM_TIMEOUT");
  EXPECT_EQ(FieldOf(with({.timeout = "601"})), "TASKFLOW_LLM_TIMEOUT");
  EXPECT_EQ(FieldOf(with({.timeout = "10s"})), "TASKFLOW_LLM_TIMEOUT");
  EXPECT_EQ(FieldOf(with({.request_timeout = "-1"})), "TASKFLOW_LLM_REQUEST_TIMEOUT");
  EXPECT_EQ(FieldOf(with({.timeout = "10", .request_timeout = "20"})),
            "TASKFLOW_LLM_REQUEST_TIMEOUT");
  EXPECT_EQ(FieldOf(with({.max_steps = "0"})), "TASKFLOW_LLM_MAX_STEPS");
  EXPECT_EQ(FieldOf(with({.max_steps = "51"})), "TASKFLOW_LLM_MAX_STEPS");
  EXPECT_EQ(FieldOf(ResolveOpenAiOptions({.api_key = "sk-with space"})), "OPENAI_API_KEY");
}

TEST(OpenAiOptionsTest, AShortTotalTimeoutAlsoBoundsEachRequest) {
  Result<std::optional<OpenAiOptions>> options =
      ResolveOpenAiOptions({.api_key = kKey, .timeout = "10"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ((*options)->request_timeout, std::chrono::seconds(10));
}

TEST(OpenAiOptionsTest, TheEndpointPathGoesBeforeAQueryString) {
  EXPECT_EQ(ChatCompletionsUrl("https://api.openai.com/v1"),
            "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(ChatCompletionsUrl("http://127.0.0.1:8080/v1/"),
            "http://127.0.0.1:8080/v1/chat/completions");
  EXPECT_EQ(
      ChatCompletionsUrl("https://r.openai.azure.com/openai/deployments/d?api-version=2024-10-21"),
      "https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21");
}

TEST(OpenAiOptionsTest, TheDescriptionHidesTheKey) {
  OpenAiOptions options;
  options.api_key = kKey;
  const std::string text = DescribeOpenAiOptions(options);
  EXPECT_THAT(text, Not(HasSubstr(kKey)));
  EXPECT_THAT(text, HasSubstr("api_key=***"));
  EXPECT_THAT(text, HasSubstr("model=" + std::string(kDefaultOpenAiModel)));
}

}  // namespace
}  // namespace taskflow
