#include "adapters/notify/curl_webhook_sender.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace taskflow {
namespace {

TEST(WebhookSignatureTest, IsHmacSha256OfTheBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignatureTest, DependsOnTheSecretAndEveryByte) {
  const std::string base = WebhookSignature("secret", R"({"a":1})");
  EXPECT_NE(WebhookSignature("secreT", R"({"a":1})"), base);
  EXPECT_NE(WebhookSignature("secret", R"({"a":2})"), base);
  EXPECT_EQ(base.size(), 7u + 64u);
}

// A port nothing listens on: bound, then closed.
int ClosedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

TEST(CurlWebhookSenderTest, AnUnreachableReceiverIsUnavailable) {
  CurlWebhookSender sender(std::chrono::milliseconds(2000));
  Status sent =
      sender.Send("http://127.0.0.1:" + std::to_string(ClosedPort()) + "/hook", "s", "e1", "{}");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

TEST(CurlWebhookSenderTest, OtherSchemesAreRefused) {
  CurlWebhookSender sender;
  Status sent = sender.Send("file:///etc/passwd", "s", "e1", "{}");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace taskflow
