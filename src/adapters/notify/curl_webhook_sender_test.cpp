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
  CurlWebhookSender sender(
      {.timeout = std::chrono::milliseconds(2000), .allow_internal_addresses = true});
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

// A listening loopback socket that nobody accepts on: curl's connect still
// succeeds (the kernel completes it from the backlog), so a connection shows
// up in accept() exactly when the sender connected.
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(fd_, 4), 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  bool Connected() {
    const int client = accept(fd_, nullptr, nullptr);
    if (client < 0) return false;
    close(client);
    return true;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(CurlWebhookSenderTest, InternalAddressesAreRefusedBeforeConnecting) {
  Listener receiver;
  CurlWebhookSender sender({.timeout = std::chrono::milliseconds(2000)});
  Status sent = sender.Send(receiver.url(), "s", "e1", "{}");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(sent.error().message.find("internal address"), std::string::npos)
      << sent.error().message;
  EXPECT_FALSE(receiver.Connected());
  // A name that resolves to loopback is judged by its address, not its name.
  sent = sender.Send("http://localhost:1/hook", "s", "e1", "{}");
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message.find("internal address"), std::string::npos)
      << sent.error().message;
}

TEST(CurlWebhookSenderTest, InternalAddressesAreReachedWhenAllowed) {
  Listener receiver;
  // The receiver never answers: the send times out, after connecting.
  CurlWebhookSender sender(
      {.timeout = std::chrono::milliseconds(300), .allow_internal_addresses = true});
  Status sent = sender.Send(receiver.url(), "s", "e1", "{}");
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().message.find("internal address"), std::string::npos)
      << sent.error().message;
  EXPECT_TRUE(receiver.Connected());
}

}  // namespace
}  // namespace taskflow
