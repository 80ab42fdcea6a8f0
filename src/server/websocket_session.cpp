// One WebSocket connection of `GET /ws`, on the io_context (thread) of the
// HTTP connection it was upgraded from: no strand needed.
//
// Two coroutines share the stream, as Beast allows (one read and one write
// at a time, plus its own pings and a close):
//   the reader reads and drops client messages; it ends on the client's close,
//   a message over the limit (Beast answers 1009), or the socket being cut;
//   the writer drains the outbound queue and, when the gateway says the server
//   stops (1001) or the queue overflowed (1013), sends the close frame.
// A ping timer ticks every half ping interval: it pings a client silent for an
// interval and cuts one silent for two (no pong to the last ping). It also
// wakes when the token expires, and the server then closes (1008).
// Once it decided to close, the TCP connection is cut after close_timeout
// even if the client reads nothing (a stalled write never ends by itself).
// No exception leaves a coroutine: each boundary catches and logs.
#include "server/websocket_session.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <deque>
#include <exception>

#include "adapters/system/logging.hpp"
#include "server/live_gateway.hpp"

namespace taskflow {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Executor>;
template <class T>
using Awaitable = asio::awaitable<T, Executor>;
constexpr asio::use_awaitable_t<Executor> kAwait;
constexpr auto kNoThrow = asio::as_tuple(kAwait);

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

void LogException(std::string_view where, const std::exception_ptr& error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    log::Error(where, {{"error", e.what()}});
  } catch (...) {
    log::Error(where, {{"error", "unknown exception"}});
  }
}

// Why the server closes (kNone: it does not; the client or the network did).
enum class Closing { kNone, kGoingAway, kSlow, kTokenExpired };

websocket::close_reason CloseReason(Closing why) {
  switch (why) {
    case Closing::kGoingAway:
      return {websocket::close_code::going_away, "server stopping"};
    case Closing::kSlow:
      return {websocket::close_code::try_again_later, "too slow: outbound queue full"};
    case Closing::kTokenExpired:
    case Closing::kNone:
      break;
  }
  static_assert(websocket::close_code::policy_error == kTokenExpiredCloseCode);
  return {websocket::close_code::policy_error, beast::string_view(kTokenExpiredReason)};
}

// The upgrade request again, as Beast's accept wants it.
http::request<http::empty_body> ToBeastRequest(const HttpRequest& request) {
  http::request<http::empty_body> out;
  out.method(http::verb::get);
  out.target(request.target);
  out.version(11);
  for (const auto& [name, value] : request.headers) out.insert(name, value);
  return out;
}

class WebSocketSession final : public LiveConnection,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(asio::io_context& context, std::shared_ptr<WebSocketUpgrade> upgrade)
      : ws_(Socket(context.get_executor())),
        wakeup_(context.get_executor()),
        cutoff_(context.get_executor()),
        ping_timer_(context.get_executor()),
        upgrade_(std::move(upgrade)),
        gateway_(upgrade_->gateway()),
        options_(gateway_.options()) {}

  ~WebSocketSession() override {
    Detach();
    if (registered_) gateway_.Unregister(this);
  }

  // The queue's wake posts here; it needs the session's weak pointer, which
  // exists only once the session is owned by a shared_ptr.
  void MakeQueue() {
    queue_ = std::make_shared<OutboundQueue>(
        options_.queue, [weak = weak_from_this(), executor = ws_.get_executor()] {
          asio::post(executor, [weak] {
            if (auto self = weak.lock()) self->OnWake();
          });
        });
  }

  Status Adopt(int native_socket) {
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (::getsockname(native_socket, reinterpret_cast<sockaddr*>(&local), &length) != 0) {
      return Error::Unavailable("getsockname failed");
    }
    beast::error_code ec;
    ws_.next_layer().assign(local.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), native_socket, ec);
    if (ec) return Error::Unavailable("cannot adopt the socket: " + ec.message());
    return {};
  }

  Awaitable<void> Run(std::shared_ptr<WebSocketSession> self, HttpRequest request) {
    // Beast times the handshakes (opening and closing); pings are ours, so
    // that a silent client is recognised, logged and cut on our terms.
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = kHandshakeTimeout;
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.control_callback([this](websocket::frame_type, beast::string_view) {
      Heard();  // a pong (or ping) counts as life
    });
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(http::field::server, "taskflow"); }));
    ws_.read_message_max(options_.max_client_message_bytes);
    ws_.auto_fragment(false);
    ws_.text(true);

    // Subscribed before the 101 goes out: every event pushed after the client
    // saw the 101 reaches it (queued until the writer starts).
    subscription_ = gateway_.subscriptions().Add(
        upgrade_->user_id(), [queue = queue_, user_id = upgrade_->user_id()](
                                 std::string_view type, const std::string& event) {
          if (queue->Push(LiveFrame(type, event)) == OutboundQueue::Offer::kOverflow) {
            log::Warn("closing a WebSocket connection that does not keep up",
                      {{"user_id", user_id}, {"close_code", 1013}});
          }
        });
    subscribed_ = true;
    // Named, not a temporary in the co_await expression (GCC 12 and coroutines).
    const http::request<http::empty_body> upgrade_request = ToBeastRequest(request);
    auto [accept_error] = co_await ws_.async_accept(upgrade_request, kNoThrow);
    if (accept_error) {
      log::Debug("WebSocket handshake failed", {{"error", accept_error.message()}});
      co_return;
    }
    registered_ = true;
    if (!gateway_.Register(this)) Close(Closing::kGoingAway);
    log::Debug("WebSocket opened", {{"user_id", upgrade_->user_id()}});
    Heard();
    ArmPingTimer();
    asio::co_spawn(ws_.get_executor(), Read(self), [](std::exception_ptr error) {
      LogException("WebSocket reader failed", error);
    });
    co_await Write();
    Detach();
    if (closing_ != Closing::kNone && !reader_done_) {
      const websocket::close_reason reason = CloseReason(closing_);
      ArmCutoff();
      auto [close_error] = co_await ws_.async_close(reason, kNoThrow);
      if (close_error) log::Debug("WebSocket close failed", {{"error", close_error.message()}});
    }
    log::Debug("WebSocket closed", {{"user_id", upgrade_->user_id()}});
  }

  // Any thread (the gateway, under its lock): posts only.
  void GoAway() override {
    asio::post(ws_.get_executor(), [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->Close(Closing::kGoingAway);
    });
  }

  // The session's own thread, or any thread once the server's threads stopped.
  void Detach() override {
    if (queue_) queue_->Close();  // from here on, no wake is posted
    if (subscribed_.exchange(false)) gateway_.subscriptions().Remove(subscription_);
  }

 private:
  // Reads and drops client messages until the connection ends.
  Awaitable<void> Read([[maybe_unused]] std::shared_ptr<WebSocketSession> self) {
    beast::flat_buffer buffer;
    while (true) {
      auto [ec, n] = co_await ws_.async_read(buffer, kNoThrow);
      if (ec) {
        if (ec == websocket::error::message_too_big) {
          log::Info("closed a WebSocket connection that sent a message over the limit (1009)",
                    {{"user_id", upgrade_->user_id()}});
        } else if (ec != websocket::error::closed && ec != asio::error::operation_aborted) {
          log::Debug("WebSocket read ended", {{"error", ec.message()}});
        }
        break;
      }
      buffer.consume(buffer.size());
      Heard();
    }
    reader_done_ = true;
    wakeup_.cancel();  // the writer ends too
    ping_timer_.cancel();
    // Beast cut the socket or finished the closing handshake; a writer stuck
    // on a full socket learns of it through the error.
    beast::error_code ignored;
    if (!ws_.is_open()) ws_.next_layer().close(ignored);
  }

  // Writes queued frames until the reader ends or the server closes.
  Awaitable<void> Write() {
    std::deque<std::string> batch;
    while (closing_ == Closing::kNone && !reader_done_) {
      if (queue_->overflowed()) {
        closing_ = Closing::kSlow;
        break;
      }
      batch = queue_->TakeAll();
      if (batch.empty()) {
        wakeup_.expires_at(Timer::time_point::max());
        writer_waiting_ = true;
        co_await wakeup_.async_wait(kNoThrow);
        writer_waiting_ = false;
        continue;
      }
      for (std::string& frame : batch) {
        auto [ec, n] = co_await ws_.async_write(asio::buffer(frame), kNoThrow);
        if (ec) co_return;
        if (closing_ != Closing::kNone) break;
      }
    }
  }

  // Frames or an overflow are waiting (posted by the queue).
  void OnWake() {
    if (writer_waiting_) {
      wakeup_.cancel();
    } else if (queue_->overflowed()) {
      // The writer is stuck in a write: the client reads nothing.
      Close(Closing::kSlow);
    }
  }

  void Close(Closing why) {
    if (closing_ != Closing::kNone || reader_done_) return;
    closing_ = why;
    wakeup_.cancel();
    ArmCutoff();
  }

  void Heard() {
    last_heard_ = std::chrono::steady_clock::now();
    awaiting_pong_ = false;
  }

  // Ticks every half interval: pings a client silent for an interval, cuts
  // one that sent nothing (no pong) for an interval after the ping. Wakes
  // early at the token's expiry, so that the close is not up to a tick late.
  void ArmPingTimer() {
    const auto tick =
        std::chrono::steady_clock::now() +
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.ping_interval / 2);
    ping_timer_.expires_at(std::min(tick, upgrade_->token_expiry()));
    ping_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->OnPingTimer();
    });
  }

  void OnPingTimer() {
    if (reader_done_ || closing_ != Closing::kNone) return;
    const auto now = std::chrono::steady_clock::now();
    if (now >= upgrade_->token_expiry()) {
      log::Info("closing a WebSocket connection whose token expired",
                {{"user_id", upgrade_->user_id()}, {"close_code", kTokenExpiredCloseCode}});
      Close(Closing::kTokenExpired);
      return;
    }
    if (awaiting_pong_ && now - pinged_at_ >= options_.ping_interval) {
      log::Info("closed a WebSocket connection that answered no ping",
                {{"user_id", upgrade_->user_id()}});
      beast::error_code ignored;
      ws_.next_layer().close(ignored);  // ends the reader and any write
      return;
    }
    if (!awaiting_pong_ && now - last_heard_ >= options_.ping_interval) {
      awaiting_pong_ = true;
      pinged_at_ = now;
      // Completes once written (it waits behind a frame being written).
      ws_.async_ping({}, [](beast::error_code) {});
    }
    ArmPingTimer();
  }

  // The closing handshake gets close_timeout; then the socket is cut, which
  // fails a write that the client never drains.
  void ArmCutoff() {
    if (cutoff_armed_) return;
    cutoff_armed_ = true;
    cutoff_.expires_after(options_.close_timeout);
    cutoff_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) {
        beast::error_code ignored;
        self->ws_.next_layer().close(ignored);
      }
    });
  }

  websocket::stream<Socket> ws_;
  Timer wakeup_;  // the writer waits on it for frames
  Timer cutoff_;  // ends a closing handshake the client does not complete
  Timer ping_timer_;
  std::chrono::steady_clock::time_point last_heard_;  // the last frame from the client
  std::chrono::steady_clock::time_point pinged_at_;
  bool awaiting_pong_ = false;                 // a ping went out and nothing came since
  std::shared_ptr<WebSocketUpgrade> upgrade_;  // holds the connection slot
  LiveGateway& gateway_;
  const WebSocketOptions& options_;
  std::shared_ptr<OutboundQueue> queue_;  // shared with the subscription's sink
  std::uint64_t subscription_ = 0;
  std::atomic<bool> subscribed_{false};
  bool registered_ = false;
  bool reader_done_ = false;
  bool writer_waiting_ = false;
  bool cutoff_armed_ = false;
  Closing closing_ = Closing::kNone;
};

}  // namespace

void StartWebSocketSession(asio::io_context& context, int native_socket, const HttpRequest& request,
                           std::shared_ptr<WebSocketUpgrade> upgrade) {
  auto session = std::make_shared<WebSocketSession>(context, std::move(upgrade));
  session->MakeQueue();
  if (Status adopted = session->Adopt(native_socket); !adopted.ok()) {
    ::close(native_socket);
    log::Warn("cannot start a WebSocket session", {{"error", adopted.error().message}});
    return;
  }
  asio::co_spawn(context.get_executor(), session->Run(session, request),
                 [](std::exception_ptr error) { LogException("WebSocket session failed", error); });
}

}  // namespace taskflow
