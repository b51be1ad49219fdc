// The HTTP/1.1 + TLS server: Boost.Asio with OpenSSL (asio::ssl) and our
// strict parser (http_parser.h). Event-driven: worker threads = cores,
// connections are not threads. Per connection: a deadline for the TLS
// handshake, one for the whole request head (from its first byte), one for
// the whole body, an idle keep-alive timeout; bounded buffers; one write
// per response with TCP_NODELAY; caps on connections in total and per client
// address. See docs/receiver.md ("The HTTP server").
#pragma once
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http_parser.h"
#include "router.h"

namespace mcujs_receiver::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;     // 0: the kernel picks
  int threads = 0;  // 0: one per core
  ParserLimits limits;
  std::chrono::seconds head_timeout{10}, body_timeout{10}, idle_timeout{5}, write_timeout{10};
  int max_connections = 16384;
  int max_per_client = 256;
  int backlog = 4096;
};

class Server {
 public:
  // `ssl_ctx` (owned by the caller, set up for a server) and `router` must
  // outlive the server.
  Server(const ServerOptions& opts, SSL_CTX* ssl_ctx, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; the bound port, or 0 with *error set.
  int listen(std::string* error);
  // Serves until stop(); returns once the running requests are answered
  // (or after a grace period).
  void run();
  // Thread-safe (e.g. from a signal-waiting thread).
  void stop();
  // Runs `f` on one of the server's threads (thread-safe).
  void post(std::function<void()> f);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcujs_receiver::http
