#include "app/webhook_service.hpp"

#include "app/app_test_support.hpp"

namespace taskflow::testing {
namespace {

TEST(CheckWebhookUrlTest, AcceptsHttpAndHttpsUrlsWithAHost) {
  EXPECT_TRUE(CheckWebhookUrl("https://hooks.example.com/taskflow").ok());
  EXPECT_TRUE(CheckWebhookUrl("http://127.0.0.1:8081/hook?x=1").ok());
  EXPECT_TRUE(CheckWebhookUrl("HTTPS://example.com").ok());
}

TEST(CheckWebhookUrlTest, RefusesEverythingElseNamingTheUrl) {
  for (const std::string& url :
       {std::string(""), std::string("ftp://example.com/"), std::string("example.com/hook"),
        std::string("https://"), std::string("https:///path"), std::string("https://u:p@host/"),
        std::string("https://host/#frag"), std::string("https://host/a b"),
        std::string("https://host/\n"), "https://host/" + std::string(2100, 'a')}) {
    Status status = CheckWebhookUrl(url);
    ASSERT_FALSE(status.ok()) << url;
    EXPECT_EQ(status.error().fields.at(0).field, "url") << url;
  }
}

class WebhookServiceTest : public AppTest {};

TEST_F(WebhookServiceTest, CreateListDeleteAreScopedToTheUser) {
  AccountService accounts(ports());
  int secrets = 0;
  WebhookService hooks(ports(), [&] { return "secret-" + std::to_string(++secrets); });
  const std::string alice = NewUser(accounts);
  const std::string bob = NewUser(accounts);
  auto created = hooks.Create(alice, "https://example.com/a");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->secret, "secret-1");
  EXPECT_EQ(hooks.List(alice)->size(), 1u);
  EXPECT_TRUE(hooks.List(bob)->empty());
  EXPECT_EQ(hooks.Delete(bob, created->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(hooks.Delete(alice, created->id).ok());
  EXPECT_TRUE(hooks.List(alice)->empty());
  EXPECT_EQ(hooks.Delete(alice, created->id).error().code, ErrorCode::kNotFound);
}

TEST_F(WebhookServiceTest, AUserHasAtMostTenWebhooks) {
  AccountService accounts(ports());
  WebhookService hooks(ports(), [] { return std::string("s"); });
  const std::string user = NewUser(accounts);
  for (int i = 0; i < kMaxWebhooksPerUser; ++i) {
    ASSERT_TRUE(hooks.Create(user, "https://example.com/" + std::to_string(i)).ok());
  }
  auto refused = hooks.Create(user, "https://example.com/more");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
}

TEST_F(WebhookServiceTest, ABadUrlStoresNothing) {
  AccountService accounts(ports());
  WebhookService hooks(ports(), [] { return std::string("s"); });
  const std::string user = NewUser(accounts);
  auto refused = hooks.Create(user, "gopher://example.com");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(hooks.List(user)->empty());
}

}  // namespace
}  // namespace taskflow::testing
