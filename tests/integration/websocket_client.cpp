#include "websocket_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace taskflow::integration {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WebSocketClient::Impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  beast::flat_buffer buffer;
  std::thread thread;
  bool reading = false;  // the io thread only

  mutable std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> frames;   // guarded by mutex
  std::optional<WebSocketEnd> end;   // guarded by mutex
  int pings = 0;                     // guarded by mutex
  std::deque<std::string> outgoing;  // the io thread only
  bool writing = false;              // the io thread only

  void ReadNext() {
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        WebSocketEnd ending;
        if (ec == websocket::error::closed) {
          ending.close_code = static_cast<int>(ws.reason().code);
          ending.reason = std::string(ws.reason().reason.c_str());
        } else {
          ending.error = ec.message();
        }
        std::lock_guard lock(mutex);
        end = std::move(ending);
        changed.notify_all();
        return;
      }
      {
        std::lock_guard lock(mutex);
        frames.push_back(beast::buffers_to_string(buffer.data()));
        changed.notify_all();
      }
      buffer.consume(buffer.size());
      ReadNext();
    });
  }

  void WriteNext() {
    if (writing || outgoing.empty()) return;
    writing = true;
    ws.async_write(asio::buffer(outgoing.front()), [this](beast::error_code, std::size_t) {
      outgoing.pop_front();
      writing = false;
      WriteNext();
    });
  }
};

std::unique_ptr<WebSocketClient> WebSocketClient::Connect(int port, const WebSocketOptions& options,
                                                          Response* refusal) {
  auto impl = std::make_unique<Impl>();
  beast::error_code ec;
  tcp::socket& socket = impl->ws.next_layer();
  socket.open(tcp::v4(), ec);
  if (!ec && options.receive_buffer > 0) {
    socket.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer), ec);
  }
  if (!ec) {
    socket.connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  }
  if (ec) {
    ADD_FAILURE() << "cannot connect to the server: " << ec.message();
    if (refusal != nullptr) *refusal = Response{};
    return nullptr;
  }
  impl->ws.set_option(websocket::stream_base::decorator(
      [bearer = options.bearer](websocket::request_type& request) {
        if (bearer) request.set(http::field::authorization, "Bearer " + *bearer);
      }));
  impl->ws.control_callback([raw = impl.get()](websocket::frame_type kind, beast::string_view) {
    if (kind != websocket::frame_type::ping) return;
    std::lock_guard lock(raw->mutex);
    ++raw->pings;
    raw->changed.notify_all();
  });
  websocket::response_type answer;
  impl->ws.handshake(answer, "127.0.0.1:" + std::to_string(port), options.target, ec);

  Response recorded;
  recorded.status = static_cast<long>(answer.result_int());
  for (const auto& field : answer) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    recorded.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  if (auto type = recorded.header("content-type")) {
    recorded.content_type = type->substr(0, type->find(';'));
  }
  recorded.body = answer.body();
  if (recorded.status != 0) {
    RecordExchange(Request{.method = "GET", .target = options.target, .token = options.bearer},
                   recorded);
  }
  if (ec) {
    if (refusal != nullptr) *refusal = std::move(recorded);
    return nullptr;
  }
  EXPECT_EQ(recorded.status, 101);
  std::unique_ptr<WebSocketClient> client(new WebSocketClient(std::move(impl)));
  if (options.read) client->StartReading();
  return client;
}

WebSocketClient::WebSocketClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->thread = std::thread([this] {
    auto guard = asio::make_work_guard(impl_->io);
    impl_->io.run();
  });
}

WebSocketClient::~WebSocketClient() {
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->ws.next_layer().close(ignored);
    impl_->io.stop();
  });
  impl_->thread.join();
}

void WebSocketClient::StartReading() {
  asio::post(impl_->io, [this] {
    if (impl_->reading) return;
    impl_->reading = true;
    impl_->ReadNext();
  });
}

void WebSocketClient::Send(std::string text) {
  asio::post(impl_->io, [this, text = std::move(text)]() mutable {
    impl_->ws.text(true);
    impl_->outgoing.push_back(std::move(text));
    impl_->WriteNext();
  });
}

void WebSocketClient::Close() {
  asio::post(impl_->io, [this] {
    impl_->ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
  });
}

std::optional<boost::json::object> WebSocketClient::WaitForFrame(
    const std::function<bool(const boost::json::object&)>& match,
    std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  std::size_t checked = 0;
  std::optional<boost::json::object> found;
  impl_->changed.wait_for(lock, timeout, [&] {
    for (; checked < impl_->frames.size(); ++checked) {
      boost::system::error_code ec;
      boost::json::value value = boost::json::parse(impl_->frames[checked], ec);
      if (!ec && value.is_object() && match(value.get_object())) {
        found = value.get_object();
        return true;
      }
    }
    return false;
  });
  return found;
}

std::vector<boost::json::object> WebSocketClient::Frames() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<boost::json::object> parsed;
  for (const std::string& frame : impl_->frames) {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(frame, ec);
    if (ec || !value.is_object()) {
      ADD_FAILURE() << "a frame that is not a JSON object: " << frame;
      continue;
    }
    parsed.push_back(value.get_object());
  }
  return parsed;
}

std::optional<WebSocketEnd> WebSocketClient::WaitForEnd(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  impl_->changed.wait_for(lock, timeout, [&] { return impl_->end.has_value(); });
  return impl_->end;
}

bool WebSocketClient::WaitForPings(int count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->pings >= count; });
}

bool WebSocketClient::ended() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->end.has_value();
}

std::function<bool(const boost::json::object&)> FrameOf(std::string type,
                                                        std::optional<std::string> task_id) {
  return [type = std::move(type), task_id = std::move(task_id)](const boost::json::object& frame) {
    const auto* kind = frame.if_contains("type");
    if (kind == nullptr || !kind->is_string() || kind->get_string() != type) return false;
    if (!task_id) return true;
    const auto* data = frame.if_contains("data");
    if (data == nullptr || !data->is_object()) return false;
    const auto* id = data->get_object().if_contains("task_id");
    return id != nullptr && id->is_string() && id->get_string() == *task_id;
  };
}

}  // namespace taskflow::integration
