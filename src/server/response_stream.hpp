// A response whose body is produced over time (Server-Sent Events): the
// handler returns an HttpResponse carrying a ResponseStream and keeps a
// reference to push data later, from any thread; the transport
// (http_server.cpp) writes it out as chunked transfer coding until the
// producer closes it, the peer goes away or the server stops. No Beast here.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace taskflow {

// Thread-safe: producers call Send/Close from any thread; the transport calls
// Attach/Take/Abandon from its connection's thread.
class ResponseStream {
 public:
  // `heartbeat` is written whenever nothing was sent for `heartbeat_every`
  // (an SSE comment keeps proxies from timing out the stream and reveals a
  // peer that has gone away); empty: none.
  explicit ResponseStream(std::string heartbeat = {},
                          std::chrono::milliseconds heartbeat_every = std::chrono::seconds(15));

  // Queues `data` for the peer. False when the stream is over (closed by the
  // producer, abandoned by the transport): the data is dropped.
  bool Send(std::string data);
  // Ends the response once queued data is written. Idempotent.
  void Close();
  // True once the stream can carry nothing more (closed or abandoned).
  bool finished() const;

  // Called (at most once, from any thread) when the transport gives up on
  // the stream: the peer went away, or the server is stopping.
  void OnAbandoned(std::function<void()> callback);

  // ---- Transport side ----
  struct Batch {
    std::string data;     // everything queued since the last Take
    bool closed = false;  // the producer closed: write `data`, then end
  };
  // `wake` runs (on the producer's thread) after each Send or Close, so the
  // transport can resume its writer; it must only post work.
  void Attach(std::function<void()> wake);
  Batch Take();
  // The transport stops writing: later Sends fail; the OnAbandoned callback runs.
  void Abandon();

  const std::string& heartbeat() const { return heartbeat_; }
  std::chrono::milliseconds heartbeat_every() const { return heartbeat_every_; }

 private:
  const std::string heartbeat_;
  const std::chrono::milliseconds heartbeat_every_;
  mutable std::mutex mutex_;
  std::string pending_;          // guarded by mutex_
  bool closed_ = false;          // guarded by mutex_
  bool abandoned_ = false;       // guarded by mutex_
  std::function<void()> wake_;   // guarded by mutex_
  std::function<void()> on_abandoned_;  // guarded by mutex_
};

}  // namespace taskflow
