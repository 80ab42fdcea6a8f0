// End-to-end latency and throughput of live updates: from the answer of
// POST /api/tasks (the commit) to the WebSocket frame of its `created`
// task-update, and frames per second under concurrent writers. Not a test:
// bench/run_ws_bench.sh starts a server and runs this; figures go to
// docs/benchmarks.md.
//
//   taskflow_ws_bench <port> [latency_events=2000] [writers=4] [events_per_writer=1000]
//                     [connections=2]
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// One keep-alive HTTP connection.
class Http {
 public:
  explicit Http(int port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket_.set_option(tcp::no_delay(true));
  }
  http::response<http::string_body> Send(http::verb verb, const std::string& target,
                                         const std::string& token, const std::string& body) {
    http::request<http::string_body> request(verb, target, 11);
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::content_type, "application/json");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    request.body() = body;
    request.prepare_payload();
    http::write(socket_, request);
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response);
    return response;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// Reads frames on its own thread; records when each created task's frame arrived.
class Listener {
 public:
  Listener(int port, const std::string& token) : ws_(io_) {
    tcp::socket& socket = ws_.next_layer();
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket.set_option(tcp::no_delay(true));
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& r) {
      r.set(http::field::authorization, "Bearer " + token);
    }));
    ws_.handshake("127.0.0.1", "/ws");
    thread_ = std::thread([this] { Run(); });
  }
  ~Listener() {
    beast::error_code ignored;
    ws_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
    thread_.join();
  }
  std::size_t frames() const { return frames_.load(); }
  std::map<std::string, Clock::time_point> arrivals() {
    std::lock_guard lock(mutex_);
    return arrivals_;
  }
  bool WaitFor(std::size_t count, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return frames_.load() >= count; });
  }

 private:
  void Run() {
    beast::flat_buffer buffer;
    while (true) {
      beast::error_code ec;
      ws_.read(buffer, ec);
      if (ec) return;
      const auto now = Clock::now();
      const std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      // {"type":"task-update","data":{…,"task_id":"<36>",…}}
      const std::size_t at = text.find(R"("task_id":")");
      std::lock_guard lock(mutex_);
      if (at != std::string::npos && text.find(R"("event_type":"created")") != std::string::npos) {
        arrivals_.emplace(text.substr(at + 11, 36), now);
      }
      ++frames_;
      changed_.notify_all();
    }
  }

  asio::io_context io_;
  websocket::stream<tcp::socket> ws_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Clock::time_point> arrivals_;
  std::atomic<std::size_t> frames_{0};
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t index =
      std::min(values.size() - 1, static_cast<std::size_t>(p / 100.0 * values.size()));
  return values[index];
}

std::string Signup(int port) {
  Http http(port);
  std::random_device rd;
  const std::string email = "bench-" + std::to_string(rd()) + "@example.com";
  auto response = http.Send(http::verb::post, "/api/auth/signup", "",
                            R"({"email":")" + email + R"(","password":"correct horse battery"})");
  if (response.result_int() != 201) {
    throw std::runtime_error("signup failed: " + std::to_string(response.result_int()));
  }
  return std::string(json::parse(response.body()).as_object().at("token").as_string());
}

std::string CreatedId(const http::response<http::string_body>& response) {
  if (response.result_int() != 201) throw std::runtime_error("POST /api/tasks failed");
  return std::string(json::parse(response.body()).as_object().at("id").as_string());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: taskflow_ws_bench <port> [latency_events] [writers] "
                 "[events_per_writer] [connections]\n";
    return 2;
  }
  const int port = std::stoi(argv[1]);
  const int latency_events = argc > 2 ? std::stoi(argv[2]) : 2000;
  const int writers = argc > 3 ? std::stoi(argv[3]) : 4;
  const int per_writer = argc > 4 ? std::stoi(argv[4]) : 1000;
  const int connections = argc > 5 ? std::stoi(argv[5]) : 2;
  try {
    // Latency: one writer, one connection, one event at a time.
    {
      const std::string token = Signup(port);
      Listener listener(port, token);
      Http http(port);
      std::map<std::string, std::pair<Clock::time_point, Clock::time_point>> sent;
      for (int i = 0; i < latency_events; ++i) {
        const auto before = Clock::now();
        auto response = http.Send(http::verb::post, "/api/tasks", token,
                                  R"({"title":"latency )" + std::to_string(i) + R"("})");
        sent.emplace(CreatedId(response), std::make_pair(before, Clock::now()));
        // Wait for the frame before the next write: latency, not throughput.
        listener.WaitFor(static_cast<std::size_t>(i + 1), std::chrono::seconds(30));
      }
      const auto arrivals = listener.arrivals();
      std::vector<double> from_answer, from_request;
      int early = 0;
      for (const auto& [id, times] : sent) {
        const auto found = arrivals.find(id);
        if (found == arrivals.end()) continue;
        const double after_answer =
            std::chrono::duration<double, std::milli>(found->second - times.second).count();
        if (after_answer < 0) ++early;
        from_answer.push_back(std::max(0.0, after_answer));
        from_request.push_back(
            std::chrono::duration<double, std::milli>(found->second - times.first).count());
      }
      std::printf(
          "latency: %zu/%d frames; commit answer -> frame p50 %.2f ms p99 %.2f ms max %.2f ms "
          "(%d frames arrived before the answer, counted as 0); request sent -> frame "
          "p50 %.2f ms p99 %.2f ms\n",
          from_answer.size(), latency_events, Percentile(from_answer, 50),
          Percentile(from_answer, 99), Percentile(from_answer, 100), early,
          Percentile(from_request, 50), Percentile(from_request, 99));
    }
    // Throughput: `writers` concurrent writers, `connections` connections of the user.
    {
      const std::string token = Signup(port);
      std::vector<std::unique_ptr<Listener>> listeners;
      for (int c = 0; c < connections; ++c) {
        listeners.push_back(std::make_unique<Listener>(port, token));
      }
      const auto start = Clock::now();
      std::vector<std::thread> threads;
      for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
          Http http(port);
          for (int i = 0; i < per_writer; ++i) {
            CreatedId(http.Send(
                http::verb::post, "/api/tasks", token,
                R"({"title":"w)" + std::to_string(w) + "-" + std::to_string(i) + R"("})"));
          }
        });
      }
      for (auto& thread : threads) thread.join();
      const auto written = Clock::now();
      const std::size_t expected = static_cast<std::size_t>(writers) * per_writer;
      bool all = true;
      for (auto& listener : listeners)
        all = listener->WaitFor(expected, std::chrono::seconds(120)) && all;
      const auto done = Clock::now();
      std::size_t frames = 0;
      for (auto& listener : listeners) frames += listener->frames();
      const double write_s = std::chrono::duration<double>(written - start).count();
      const double total_s = std::chrono::duration<double>(done - start).count();
      std::printf(
          "throughput: %d writers x %d creates = %zu events in %.2f s (%.0f writes/s); "
          "%zu frames on %d connections by %.2f s: %.0f frames/s%s\n",
          writers, per_writer, expected, write_s, expected / write_s, frames, connections, total_s,
          frames / total_s, all ? "" : " (SOME FRAMES MISSING)");
      if (!all) return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
