// The Beast transport: the only translation unit that sees Beast or Asio.
//
// Threads: `options.threads` workers, each running its own io_context. The
// acceptor lives on the first one and hands accepted sockets round-robin to
// all of them; a connection then stays on its thread for life, so it needs no
// strand and a request never wakes another thread (cross-thread handoffs cost
// more CPU than a GET by id itself). Handlers run inline on the worker (they
// are short: a JWT check and one SQLite statement), except routes marked
// RouteCost::kStoreWrite (they wait for the database writer: a wide pool),
// RouteCost::kBlocking (password hashing: a small pool) or
// RouteCost::kExternal (a chat message waiting on a model: its own pool), which
// run off the worker and resume on the connection's own io_context.
// No exception leaves a coroutine or a thread: each boundary catches and logs.
#include "server/http_server.hpp"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/pct_string_view.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "adapters/system/logging.hpp"
#include "server/api_routes.hpp"
#include "server/live_gateway.hpp"
#include "server/mcp/http_endpoint.hpp"
#include "server/mcp/protocol.hpp"
#include "server/problem.hpp"
#include "server/response_stream.hpp"
#include "server/router.hpp"
#include "server/websocket_session.hpp"

namespace taskflow {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace urls = boost::urls;
using tcp = asio::ip::tcp;
// Everything is bound to the concrete io_context executor rather than
// any_io_executor: no type-erased executor calls on every completion.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>, Executor>;
template <class T>
using Awaitable = asio::awaitable<T, Executor>;
constexpr asio::use_awaitable_t<Executor> kAwait;
constexpr auto kNoThrow = asio::as_tuple(kAwait);

// Deadlines of a connection only ever move later (see Connection::ExtendDeadline):
// the rest of a request or a response gets at least kIoTimeout, and at most
// what is left of the kIdleTimeout that began when the connection went idle.
constexpr auto kIdleTimeout = std::chrono::seconds(60);   // between requests
constexpr auto kIoTimeout = std::chrono::seconds(30);     // rest of a request; a response
constexpr auto kLingerTimeout = std::chrono::seconds(2);  // draining after an error answer
constexpr auto kStopGrace = std::chrono::seconds(5);      // in-flight requests at Stop()
constexpr std::uint32_t kHeaderLimit = 16 * 1024;         // request line + headers
constexpr std::size_t kLingerMaxBytes = 4 << 20;
constexpr std::size_t kKeptBufferBytes = 64 << 10;

using BeastRequest = http::request<http::string_body>;

// ---- Request conversion ----

// Percent-decodes `text` into `out` (with '+' as space in queries); false on
// a malformed escape.
bool PercentDecode(std::string_view text, bool plus_as_space, std::string& out) {
  if (text.find('%') == std::string_view::npos &&
      (!plus_as_space || text.find('+') == std::string_view::npos)) {
    out.assign(text);  // the common case: nothing to decode
    return true;
  }
  auto encoded = urls::make_pct_string_view(urls::string_view(text.data(), text.size()));
  if (!encoded) return false;
  encoded->decode(urls::encoding_opts(plus_as_space), urls::string_token::assign_to(out));
  return true;
}

// Assigns rather than constructs, so a reused string keeps its capacity.
void AssignLower(std::string_view text, std::string& out) {
  out.assign(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// "a=1&b=x%20y&a=2" → decoded pairs in order, repeats kept. A parameter with a
// malformed escape is named in a 400 problem.
std::optional<HttpResponse> ParseQuery(std::string_view query,
                                       std::vector<std::pair<std::string, std::string>>& out) {
  std::vector<FieldError> errors;
  while (true) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      const std::string_view raw_key = part.substr(0, eq);
      const std::string_view raw_value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      std::string key;
      std::string value;
      const bool key_ok = PercentDecode(raw_key, true, key);
      if (key_ok && PercentDecode(raw_value, true, value)) {
        out.emplace_back(std::move(key), std::move(value));
      } else {
        errors.push_back({key_ok ? key : std::string(raw_key), "has invalid percent-encoding"});
      }
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  if (errors.empty()) return std::nullopt;
  return ProblemResponse(400, "the query string has invalid percent-encoding", errors);
}

// The path-and-query of a request target: origin-form as is; absolute-form
// ("http://host/path?q", RFC 9112 §3.2.2) without its scheme and authority.
// Empty for anything else ("*", authority-form).
std::string_view OriginForm(std::string_view target) {
  if (target.starts_with('/')) return target;
  const std::size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t path = target.find('/', scheme_end + 3);
  if (path == std::string_view::npos || target.find('?', scheme_end + 3) < path) return {};
  return target.substr(path);
}

// Moves the parsed Beast message into the handlers' plain request; a 400
// answer when the target cannot be decoded. `out` is reused from the
// connection's previous request: its strings are overwritten, not rebuilt.
std::optional<HttpResponse> ToHttpRequest(BeastRequest& in, HttpRequest& out) {
  out.query.clear();
  std::size_t header_count = 0;
  for (const auto& field : in) {
    if (header_count == out.headers.size()) out.headers.emplace_back();
    auto& [name, value] = out.headers[header_count++];
    AssignLower(field.name_string(), name);
    value.assign(field.value());
  }
  out.headers.resize(header_count);
  out.method.assign(in.method_string());
  const std::string_view target = OriginForm(in.target());
  out.target.assign(in.target());
  if (target.empty()) {
    return ProblemResponse(400, "the request target must be an absolute path",
                           {FieldError{"path", "must start with /"}});
  }
  const std::size_t question = target.find('?');
  if (!PercentDecode(target.substr(0, question), false, out.path)) {
    return ProblemResponse(400, "the path has invalid percent-encoding",
                           {FieldError{"path", "has invalid percent-encoding"}});
  }
  if (question != std::string_view::npos) {
    if (auto problem = ParseQuery(target.substr(question + 1), out.query)) return problem;
  }
  out.body = std::move(in.body());
  return std::nullopt;
}

// ---- Response serialisation ----

// RFC 9110 §6.6.1 Date, formatted once per second per thread.
std::string_view HttpDate() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[64];
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    length = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached_second = now;
  }
  return {text, length};
}

void AppendNumber(std::string& out, std::size_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

// The status line and headers, written by hand: cheaper than building a
// Beast header (one allocation per field) for every answer.
void AppendHead(std::string& out, const HttpResponse& response, bool keep_alive, unsigned version) {
  out += "HTTP/1.1 ";
  AppendNumber(out, static_cast<std::size_t>(response.status));
  out += ' ';
  out += http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  out += "\r\nServer: taskflow\r\nDate: ";
  out += HttpDate();
  out += "\r\n";
  if (!response.content_type.empty()) {
    out += "Content-Type: ";
    out += response.content_type;
    out += "\r\n";
  }
  if (response.stream) {
    // HTTP/1.0 has no chunked coding: the end of the body is the close.
    if (version != 10) out += "Transfer-Encoding: chunked\r\n";
    out += "Cache-Control: no-cache\r\n";
  } else if (response.status != 204 && response.status != 304) {
    // RFC 9110 §8.6: no Content-Length on 204 (and 304 describes the resource).
    out += "Content-Length: ";
    AppendNumber(out, response.body.size());
    out += "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version == 10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

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

}  // namespace

// ---- Server state ----

// Named (not anonymous) because HttpServer::Impl derives from ServerCore.
namespace transport {

class Connection;

// Everything the connections share; HttpServer::Impl is this.
struct ServerCore {
  ServerCore(ServerOptions opts, ApiServices services)
      : options(std::move(opts)),
        thread_count(options.threads > 0
                         ? options.threads
                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
        live_gateway(options.websocket, services.accounts, services.live),
        store_writes(kStoreWriteThreads),
        external_calls(kExternalCallThreads),
        blocking(static_cast<std::size_t>(thread_count)),
        mcp_protocol(
            mcp::McpServices{services.accounts, services.tasks, services.tags, services.clock},
            options.version),
        mcp_endpoint(mcp_protocol, services.accounts,
                     mcp::HttpEndpointOptions{options.mcp_allowed_hosts, options.mcp_local_user}) {
    RegisterApiRoutes(router, services);
    mcp_endpoint.Register(router);
    live_gateway.RegisterRoute(router);
    // Concurrency hint 1: each context is run by one thread (other threads
    // only post to it), which lets Asio skip some of its locking.
    for (int i = 0; i < thread_count; ++i)
      contexts.push_back(std::make_unique<asio::io_context>(1));
    for (auto& context : contexts) keep_running.emplace_back(context->get_executor());
  }

  Awaitable<void> Accept();
  void RunWorker(asio::io_context& context);
  asio::io_context& main_context() { return *contexts.front(); }

  // Declaration order is destruction order in reverse: connections unregister
  // themselves when an io_context destroys their pending coroutines, so the
  // registry must outlive the contexts; the blocking pool posts into them, so
  // it must go first.
  ServerOptions options;
  int thread_count;
  Router router;
  // GET /ws. Declared before `contexts`, so it outlives them: WebSocket
  // sessions still in a context when that is destroyed unregister from it.
  LiveGateway live_gateway;
  std::mutex connections_mutex;
  std::condition_variable connections_empty;
  std::unordered_set<Connection*> connections;  // guarded by connections_mutex
  std::atomic<bool> stopping{false};

  // One per worker thread; the first also runs the acceptor.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  // A context without connections must keep running until Stop().
  std::vector<asio::executor_work_guard<Executor>> keep_running;
  std::size_t next_context = 0;  // round-robin; touched by the accept loop only
  std::optional<Acceptor> acceptor;
  // Threads that may wait for the database writer at once: the largest
  // group commit they can form (the store bounds batches too).
  static constexpr std::size_t kStoreWriteThreads = 32;
  asio::thread_pool store_writes;
  // Requests waiting on a remote service at once (RouteCost::kExternal);
  // more queue until one finishes.
  static constexpr std::size_t kExternalCallThreads = 16;
  asio::thread_pool external_calls;
  asio::thread_pool blocking;
  mcp::Protocol mcp_protocol;
  mcp::HttpEndpoint mcp_endpoint;  // its sessions live as long as the server
  std::vector<std::thread> workers;
  std::uint16_t port = 0;

  std::mutex lifecycle_mutex;
  bool started = false;
  bool stopped = false;
};

// One keep-alive connection: reads requests one after another, answers each.
// Lives on one io_context, run by one thread: no member needs a lock.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Socket socket, ServerCore& server)
      : socket_(std::move(socket)), watchdog_(socket_.get_executor()), server_(server) {
    std::lock_guard lock(server_.connections_mutex);
    server_.connections.insert(this);
  }
  ~Connection() {
    std::lock_guard lock(server_.connections_mutex);
    server_.connections.erase(this);
    if (server_.connections.empty()) server_.connections_empty.notify_all();
  }

  Executor executor() { return socket_.get_executor(); }

  // `self` (this connection) lives in the coroutine frame and keeps the
  // connection alive: the coroutine starts later, on the connection's thread,
  // when the accept loop no longer holds it.
  Awaitable<void> Run([[maybe_unused]] std::shared_ptr<Connection> self) {
    deadline_ = std::chrono::steady_clock::now() + kIdleTimeout;
    ArmWatchdog();
    try {
      co_await Serve();
    } catch (...) {
      LogException("connection failed", std::current_exception());
    }
    finished_ = true;
    watchdog_.cancel();
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  // At Stop(), on the connection's thread: a connection still reading (its
  // next request, or the rest of one) is closed now; one whose request is
  // being handled or answered finishes it first.
  void Interrupt() {
    beast::error_code ec;
    if (reading_) socket_.cancel(ec);
    if (streaming_ != nullptr) streaming_->cancel();  // the stream loop sees `stopping`
  }

 private:
  // ---- Timeouts ----
  // One timer per connection, armed once and re-armed only when it fires
  // before the (since extended) deadline: per request, a timeout costs a
  // clock read instead of arming and cancelling a timer around every read
  // and write.

  // The current phase may run until at least now + `timeout`.
  void ExtendDeadline(std::chrono::steady_clock::duration timeout) {
    deadline_ = std::max(deadline_, std::chrono::steady_clock::now() + timeout);
  }

  // A deadline earlier than the current one (lingering after an error answer).
  void ShortenDeadline(std::chrono::steady_clock::duration timeout) {
    deadline_ = std::chrono::steady_clock::now() + timeout;
    // Cancels the pending wait; its handler re-arms at the new deadline.
    if (watchdog_.expiry() > deadline_) watchdog_.expires_at(deadline_);
  }

  void ArmWatchdog() {
    watchdog_.expires_at(deadline_);
    watchdog_.async_wait([self = shared_from_this()](beast::error_code) { self->OnWatchdog(); });
  }

  void OnWatchdog() {
    if (finished_) return;
    const auto now = std::chrono::steady_clock::now();
    if (handling_) {
      // Handlers are not timed; the response gets its own kIoTimeout.
      deadline_ = std::max(deadline_, now + kIoTimeout);
    } else if (now >= deadline_) {
      // Fails the pending read or write, which ends Serve().
      beast::error_code ec;
      socket_.close(ec);
      return;
    }
    ArmWatchdog();
  }

  // ---- Requests ----

  Awaitable<void> Serve() {
    while (!server_.stopping) {
      const bool request_read = co_await ReadRequest();
      if (!request_read) co_return;
      const bool keep_going = co_await Answer(parser_->get());
      if (!keep_going) co_return;
      // A large body grew the buffer: give the memory back between requests.
      if (buffer_.size() == 0 && buffer_.capacity() > kKeptBufferBytes) buffer_.shrink_to_fit();
    }
  }

  // Reads the next request into parser_; false when the connection is done
  // (closed, idle too long, or refused with an error answer).
  Awaitable<bool> ReadRequest() {
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(kHeaderLimit);
    reading_ = true;
    ExtendDeadline(kIdleTimeout);
    auto [ec, n] = co_await http::async_read_header(socket_, buffer_, *parser_, kNoThrow);
    bool complete = !ec;
    if (complete && !parser_->is_done()) complete = co_await ReadBody();
    reading_ = false;
    if (ec) co_await AnswerReadError(ec);
    co_return complete;
  }

  // Dispatches one request and writes the answer; false when the connection
  // is to close afterwards.
  Awaitable<bool> Answer(BeastRequest& message) {
    const bool keep_alive = message.keep_alive() && !server_.stopping;
    const unsigned version = message.version();
    const auto started = std::chrono::steady_clock::now();
    // HEAD is GET without the body (RFC 9110 §9.3.2).
    const bool send_body = message.method() != http::verb::head;
    HttpResponse response;
    // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
    if (std::optional<HttpResponse> early = ToHttpRequest(message, request_)) {
      response = std::move(*early);
    } else {
      if (!send_body) request_.method = "GET";
      handling_ = true;
      response = co_await Dispatch(request_);
      handling_ = false;
    }
    if (response.upgrade) {
      co_return co_await HandOffWebSocket(response, version, send_body, started);
    }
    if (response.stream && !send_body) {
      // HEAD of a stream: the head alone, as for any other answer.
      response.stream->Abandon();
      response.stream.reset();
    }
    if (response.stream) {
      const bool streamed = co_await WriteStream(response, keep_alive && version != 10, version);
      LogAccess(request_, response.status, started);
      co_return streamed&& keep_alive&& version != 10;
    }
    const bool written = co_await Write(response, keep_alive, version, send_body);
    LogAccess(request_, response.status, started);
    co_return written&& keep_alive;
  }

  // An admitted GET /ws: the WebSocket session takes the socket over (it
  // answers 101 itself) and this connection ends without closing it.
  Awaitable<bool> HandOffWebSocket(HttpResponse& response, unsigned version, bool send_body,
                                   std::chrono::steady_clock::time_point started) {
    // A client must wait for the 101 before it sends frames (RFC 6455 §4.1).
    if (!send_body || version != 11 || buffer_.size() != 0) {
      response = ProblemResponse(400, "a WebSocket upgrade is a lone GET over HTTP/1.1");
      co_await Write(response, /*keep_alive=*/false, version, send_body);
      LogAccess(request_, response.status, started);
      co_return false;
    }
    LogAccess(request_, 101, started);
    beast::error_code ec;
    const int native_socket = socket_.release(ec);
    if (ec) {
      log::Warn("cannot hand a connection to WebSocket", {{"error", ec.message()}});
      co_return false;
    }
    StartWebSocketSession(socket_.get_executor().context(), native_socket, request_,
                          std::move(response.upgrade));
    co_return false;
  }

  // The body after the header; answers "100 Continue" first when the client
  // waits for it (curl does for large bodies).
  Awaitable<bool> ReadBody() {
    ExtendDeadline(kIoTimeout);
    const auto expect = parser_->get().find(http::field::expect);
    if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(kContinue), kNoThrow);
      if (ec) co_return false;
    }
    auto [ec, n] = co_await http::async_read(socket_, buffer_, *parser_, kNoThrow);
    if (ec) {
      co_await AnswerReadError(ec);
      co_return false;
    }
    co_return true;
  }

  Awaitable<HttpResponse> Dispatch(const HttpRequest& request) {
    const Router& router = server_.router;
    Router::Match match = router.Resolve(request.method, request.path);
    if (match.handler == nullptr || match.cost == RouteCost::kFast) {
      co_return router.Invoke(match, request);
    }
    asio::thread_pool& pool = match.cost == RouteCost::kStoreWrite ? server_.store_writes
                              : match.cost == RouteCost::kExternal ? server_.external_calls
                                                                   : server_.blocking;
    // Resumes on this connection's io_context when the pool is done.
    co_return co_await asio::co_spawn(
        pool.get_executor(),
        [&]() -> asio::awaitable<HttpResponse> { co_return router.Invoke(match, request); },
        kAwait);
  }

  Awaitable<bool> Write(const HttpResponse& response, bool keep_alive, unsigned version,
                        bool send_body = true) {
    head_.clear();
    AppendHead(head_, response, keep_alive, version);
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_), send_body ? asio::buffer(response.body) : asio::const_buffer()};
    ExtendDeadline(kIoTimeout);
    auto [ec, n] = co_await asio::async_write(socket_, buffers, kNoThrow);
    co_return !ec;
  }

  // Writes the head, then what the stream carries as it comes, until the
  // producer closes it (true: the connection may serve another request), the
  // peer goes away or the server stops (false). While waiting the connection
  // is not subject to the idle timeout; each write gets kIoTimeout.
  Awaitable<bool> WriteStream(const HttpResponse& response, bool keep_alive, unsigned version) {
    const std::shared_ptr<ResponseStream> stream = response.stream;
    const bool chunked = version != 10;
    head_.clear();
    AppendHead(head_, response, keep_alive, version);
    ExtendDeadline(kIoTimeout);
    auto [head_error, head_n] = co_await asio::async_write(socket_, asio::buffer(head_), kNoThrow);
    if (head_error) {
      stream->Abandon();
      co_return false;
    }
    Timer wakeup(socket_.get_executor());
    streaming_ = &wakeup;
    // A Send from any thread cancels the wait, on this connection's thread.
    std::weak_ptr<Connection> weak = weak_from_this();
    stream->Attach([weak, executor = socket_.get_executor()] {
      asio::post(executor, [weak] {
        if (auto self = weak.lock(); self && self->streaming_ != nullptr)
          self->streaming_->cancel();
      });
    });
    bool ended_cleanly = false;
    std::string chunk;
    while (true) {
      ResponseStream::Batch batch = stream->Take();
      if (batch.data.empty() && !batch.closed) {
        if (server_.stopping) break;
        wakeup.expires_after(stream->heartbeat_every());
        handling_ = true;  // not an idle connection
        auto [wait_error] = co_await wakeup.async_wait(kNoThrow);
        handling_ = false;
        if (server_.stopping) break;
        if (wait_error != asio::error::operation_aborted && !stream->heartbeat().empty()) {
          batch.data = stream->heartbeat();  // nothing for a while
        } else {
          continue;
        }
      }
      chunk.clear();
      if (chunked && !batch.data.empty()) {
        char size[20];
        auto [end, ec] = std::to_chars(size, size + sizeof size, batch.data.size(), 16);
        chunk.append(size, end);
        chunk += "\r\n";
        chunk += batch.data;
        chunk += "\r\n";
      } else {
        chunk = std::move(batch.data);
      }
      if (batch.closed && chunked) chunk += "0\r\n\r\n";
      ExtendDeadline(kIoTimeout);
      auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(chunk), kNoThrow);
      if (ec) break;
      if (batch.closed) {
        ended_cleanly = true;
        break;
      }
    }
    streaming_ = nullptr;
    stream->Abandon();  // no-op after a clean close, except that later Sends fail
    co_return ended_cleanly;
  }

  // A read that failed: a closed or idle connection just ends; a request the
  // parser refused gets a problem answer, then the connection closes.
  Awaitable<void> AnswerReadError(beast::error_code ec) {
    std::optional<HttpResponse> answer;
    if (ec == http::error::body_limit) {
      answer = ProblemResponse(413, "the request body is larger than " +
                                        std::to_string(server_.options.body_limit) + " bytes");
    } else if (ec == http::error::header_limit) {
      answer = ProblemResponse(431, "the request header is too large");
    } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      answer = ProblemResponse(400, "malformed HTTP request: " + ec.message());
    }
    if (!answer) co_return;
    const bool written = co_await Write(*answer, /*keep_alive=*/false, 11);
    if (written) co_await Linger();
  }

  // Reads and drops what the client is still sending, so that closing the
  // socket does not reset the connection before the client reads our answer.
  Awaitable<void> Linger() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    ShortenDeadline(kLingerTimeout);
    std::array<char, 8192> scratch;
    std::size_t drained = 0;
    while (drained < kLingerMaxBytes) {
      auto [read_error, n] = co_await socket_.async_read_some(asio::buffer(scratch), kNoThrow);
      if (read_error) break;
      drained += n;
    }
  }

  void LogAccess(const HttpRequest& request, int status,
                 std::chrono::steady_clock::time_point started) {
    if (!log::Enabled(log::Level::kDebug)) return;
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    log::Debug("request", {{"method", request.method},
                           {"path", request.path},
                           {"status", status},
                           {"duration_us", static_cast<long long>(elapsed.count())}});
  }

  Socket socket_;
  Timer watchdog_;
  ServerCore& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpRequest request_;  // reused across requests: its strings keep their capacity
  std::string head_;     // reused across responses
  std::chrono::steady_clock::time_point deadline_;
  bool reading_ = false;        // reading a request
  bool handling_ = false;       // a handler is running (not subject to timeouts)
  bool finished_ = false;       // Serve() is over: the watchdog stops
  Timer* streaming_ = nullptr;  // set while a stream waits for data: wakes it
};

Awaitable<void> ServerCore::Accept() {
  while (!stopping) {
    // The socket is created on the context that will serve it.
    asio::io_context& target = *contexts[next_context];
    next_context = (next_context + 1) % contexts.size();
    auto [ec, socket] = co_await acceptor->async_accept(target.get_executor(), kNoThrow);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      log::Warn("accept failed", {{"error", ec.message()}});
      // Out of descriptors and the like: back off instead of spinning.
      Timer pause(main_context().get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(kNoThrow);
      continue;
    }
    beast::error_code option_error;
    socket.set_option(tcp::no_delay(true), option_error);
    auto connection = std::make_shared<Connection>(std::move(socket), *this);
    asio::co_spawn(connection->executor(), connection->Run(connection),
                   [](std::exception_ptr error) { LogException("connection failed", error); });
  }
}

void ServerCore::RunWorker(asio::io_context& context) {
  while (true) {
    try {
      context.run();
      return;
    } catch (...) {
      LogException("worker caught an exception", std::current_exception());
    }
  }
}

}  // namespace transport

// ---- HttpServer ----

struct HttpServer::Impl : transport::ServerCore {
  using transport::ServerCore::ServerCore;
};

HttpServer::HttpServer(ServerOptions options, ApiServices services)
    : impl_(std::make_unique<Impl>(std::move(options), services)) {}

HttpServer::~HttpServer() { Stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

Status HttpServer::Start() {
  std::lock_guard lifecycle(impl_->lifecycle_mutex);
  if (impl_->started) return {};
  Impl& s = *impl_;
  beast::error_code ec;
  tcp::endpoint endpoint;
  const asio::ip::address address = asio::ip::make_address(s.options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, s.options.port);
  } else {
    // A host name ("localhost"): listen on its first address.
    tcp::resolver resolver(s.main_context());
    auto results = resolver.resolve(s.options.host, std::to_string(s.options.port), ec);
    if (ec || results.empty()) {
      return Error::Unavailable("cannot resolve listen host " + s.options.host);
    }
    endpoint = results.begin()->endpoint();
  }
  s.acceptor.emplace(s.main_context().get_executor());
  s.acceptor->open(endpoint.protocol(), ec);
  if (!ec) s.acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) s.acceptor->bind(endpoint, ec);
  if (!ec) s.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable("cannot listen on " + FormatEndpoint(endpoint) + ": " + ec.message());
  }
  const tcp::endpoint bound = s.acceptor->local_endpoint(ec);
  s.port = bound.port();
  asio::co_spawn(s.main_context(), s.Accept(),
                 [](std::exception_ptr error) { LogException("accept loop failed", error); });
  s.workers.reserve(s.contexts.size());
  for (auto& context : s.contexts) {
    s.workers.emplace_back([&s, &context = *context] { s.RunWorker(context); });
  }
  s.started = true;
  log::Info("listening", {{"address", FormatEndpoint(bound)}, {"threads", s.thread_count}});
  return {};
}

void HttpServer::Stop() {
  std::lock_guard lifecycle(impl_->lifecycle_mutex);
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  asio::post(s.main_context(), [&s] {
    beast::error_code ec;
    s.acceptor->close(ec);
  });
  std::vector<std::shared_ptr<transport::Connection>> alive;
  {
    std::lock_guard lock(s.connections_mutex);
    for (transport::Connection* connection : s.connections) {
      // Empty while the connection is being destroyed: nothing to interrupt.
      if (auto pinned = connection->weak_from_this().lock()) alive.push_back(std::move(pinned));
    }
  }
  // Outside the lock: dropping the last reference runs ~Connection, which locks.
  for (auto& connection : alive) {
    asio::post(connection->executor(), [connection] { connection->Interrupt(); });
  }
  alive.clear();
  // WebSocket connections close with 1001 meanwhile.
  s.live_gateway.GoAwayAll();
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  {
    std::unique_lock lock(s.connections_mutex);
    s.connections_empty.wait_until(lock, deadline, [&s] { return s.connections.empty(); });
  }
  s.live_gateway.WaitUntilIdle(deadline);
  for (auto& context : s.contexts) context->stop();
  for (std::thread& worker : s.workers) worker.join();
  // Sessions left in the stopped contexts must not be posted to any more.
  s.live_gateway.DetachAll();
  s.store_writes.stop();
  s.store_writes.join();
  s.external_calls.stop();
  s.external_calls.join();
  s.blocking.stop();
  s.blocking.join();
  log::Info("stopped");
}

}  // namespace taskflow
