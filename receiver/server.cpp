#include "server.h"

#include <boost/asio/defer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <optional>
#include <thread>
#include <vector>

#include "log.h"
#include "tls_stream.h"

namespace mcujs_receiver::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Session;

struct Server::Impl {
  Impl(const ServerOptions& o, SSL_CTX* ctx, const Router& r) : opts(o), ssl(ctx), router(r) {}
  ~Impl() { SSL_CTX_free(ssl); }

  bool admit(const std::string& addr);
  void release(const std::string& addr, Session* s);
  void accept();
  void on_accept(tcp::socket sock);
  void note_refused(const std::string& addr);

  ServerOptions opts;
  SSL_CTX* ssl;  // one reference of our own
  const Router& router;
  std::atomic<bool> stopping{false};

  // Declared before the io_context: handlers it still holds when it is
  // destroyed (e.g. answers posted after run() returned) end sessions,
  // whose destructors come here.
  std::mutex mu;  // guards the four below
  int open = 0;
  bool finished = false;  // run() returned: the timers below may be gone
  std::unordered_map<std::string, int> per_client;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  int64_t refused = 0, last_refusal_log_ms = 0;

  asio::io_context ioc;
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  asio::steady_timer retry{acceptor.get_executor()};  // after accept() fails (EMFILE)
  asio::steady_timer grace{acceptor.get_executor()};  // bounds the shutdown
};

namespace {

// Control characters escaped, at most `max` bytes: request text in a log line.
std::string loggable(std::string_view s, size_t max = 80) {
  std::string out;
  for (unsigned char c : s.substr(0, max)) {
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

// One client connection: TLS handshake, then requests one after another
// (pipelined bytes stay in the buffer for the next one). One timer: the
// current deadline (handshake, head, body, write, idle), moved forward
// without re-arming; it closes the socket when it passes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& srv, tcp::socket sock, std::string addr)
      : srv_(srv), tls_(std::move(sock)), timer_(tls_.socket().get_executor()), addr_(std::move(addr)),
        buf_(srv.opts.limits.header_bytes + 4096) {}
  ~Session() { srv_.release(addr_, this); }

  void start() {
    if (!tls_.init(srv_.ssl)) {
      log_error("out of memory for a TLS connection from " + addr_);
      return tls_.close();
    }
    set_deadline(srv_.opts.head_timeout);
    tls_.async_run([](SSL* s) { return SSL_do_handshake(s); },
                   [self = shared_from_this()](beast::error_code ec, int) { self->on_handshake(ec); });
  }

  auto executor() { return tls_.socket().get_executor(); }
  bool in_strand() {
    auto* strand = executor().target<asio::strand<asio::io_context::executor_type>>();
    return strand && strand->running_in_this_thread();
  }

  // On the session's strand: idle connections go now, busy ones after
  // their answer.
  void stop() {
    if (state_ == State::kIdle || state_ == State::kHandshake) end();
  }

 private:
  enum class State { kHandshake, kIdle, kHead, kBody, kBusy, kWrite, kClosing };
  using Clock = std::chrono::steady_clock;

  void set_deadline(Clock::duration d) {
    deadline_ = Clock::now() + d;
    if (!timer_armed_ || deadline_ < timer_.expiry()) arm_timer();
  }
  void clear_deadline() { deadline_ = Clock::time_point::max(); }
  void arm_timer() {
    timer_armed_ = true;
    timer_.expires_at(deadline_);  // a pending wait ends with operation_aborted
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->on_timer(ec); });
  }
  void on_timer(beast::error_code ec) {
    if (ec) return;  // re-armed, or the session ended
    timer_armed_ = false;
    if (!tls_.open() || deadline_ == Clock::time_point::max()) return;
    if (Clock::now() < deadline_) return arm_timer();  // moved forward meanwhile
    timed_out_ = true;
    tls_.close();  // the pending operation ends with an error, and with it the session
  }
  // The connection is over: nothing pending keeps the session alive.
  void end() {
    tls_.close();
    timer_.cancel();
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return end();  // scanners, plain HTTP, timeouts: nothing to answer
    read_client_certificate();
    next_request();
  }

  // Mutual TLS: who the certificate says the device is (also on resumed
  // sessions: the session keeps the peer's certificate and verify result).
  void read_client_certificate() {
    SSL* ssl = tls_.native_handle();
    X509* cert = SSL_get0_peer_certificate(ssl);
    if (!cert) return;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert, EVP_sha256(), md, &n) != 1) return;
    static const char kHex[] = "0123456789abcdef";
    for (unsigned i = 0; i < n; i++) {
      cert_sha256_ += kHex[md[i] >> 4];
      cert_sha256_ += kHex[md[i] & 15];
    }
    char cn[256] = "";
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0) cert_cn_ = cn;
    cert_verified_ = SSL_get_verify_result(ssl) == X509_V_OK;
  }

  void next_request() {
    parser_.emplace(srv_.opts.limits);
    parser_->eager(true);
    if (srv_.stopping) return close();
    if (buf_.size() > 0) {  // pipelined
      start_head();
      return parse();
    }
    // Idle: no read buffer held while the device is silent.
    state_ = State::kIdle;
    buf_.shrink_to_fit();
    set_deadline(srv_.opts.idle_timeout);
    tls_.async_wait_readable([self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->end();
      self->read();
    });
  }

  void start_head() {
    state_ = State::kHead;
    set_deadline(srv_.opts.head_timeout);  // the whole head, not per read
  }

  void read() {
    size_t room = buf_.max_size() - buf_.size();
    if (room == 0) return refuse({431, "request head larger than the limit"});
    auto space = buf_.prepare(std::min<size_t>(room, 4096));
    tls_.async_run(
        [p = space.data(), n = static_cast<int>(space.size())](SSL* s) { return SSL_read(s, p, n); },
        [self = shared_from_this()](beast::error_code ec, int n) { self->on_read(ec, static_cast<size_t>(n)); });
  }

  void on_read(beast::error_code ec, size_t n) {
    if (ec) {
      if (timed_out_ && (state_ == State::kHead || state_ == State::kBody))
        log_warn(std::string("closed: request ") + (state_ == State::kHead ? "head" : "body") +
                 " not complete within the deadline, from " + addr_);
      return end();
    }
    buf_.commit(n);
    if (state_ == State::kIdle) start_head();
    parse();
  }

  // Beast unfolds obs-fold (a field line starting with SP/HT); RFC 9112
  // lets a server refuse it instead, which we do: another parser might not
  // unfold. Checked once the whole head is in the buffer.
  bool head_has_obs_fold() const {
    std::string_view data(static_cast<const char*>(buf_.data().data()), buf_.size());
    size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) return false;
    for (size_t i = data.find("\r\n"); i < end; i = data.find("\r\n", i + 2))
      if (data[i + 2] == ' ' || data[i + 2] == '\t') return true;
    return false;
  }

  void parse() {
    if (state_ == State::kHead && head_has_obs_fold()) return refuse({400, "obs-fold in the request head"});
    while (buf_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      size_t used = parser_->put(buf_.data(), ec);
      buf_.consume(used);
      if (ec == beast::http::error::need_more) break;
      if (ec) return refuse(parser_->failure(ec));
      if (used == 0) break;
    }
    if (state_ == State::kHead && parser_->is_header_done()) {
      state_ = State::kBody;
      set_deadline(srv_.opts.body_timeout);  // the whole body
      if (!parser_->is_done() &&
          iequals(parser_->request().get_header_value("Expect"), "100-continue")) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        return tls_.async_run([](SSL* s) { return SSL_write(s, kContinue, sizeof kContinue - 1); },
                              [self = shared_from_this()](beast::error_code ec, int) {
                                if (ec) return self->end();
                                self->read();
                              });
      }
    }
    if (parser_->is_done()) return dispatch();
    read();
  }

  void dispatch() {
    state_ = State::kBusy;
    clear_deadline();  // the handler (a commit) decides the time
    keep_alive_ = parser_->keep_alive();
    req_ = std::move(parser_->request());
    req_.remote_addr = addr_;
    req_.tls_version = SSL_get_version(tls_.native_handle());
    req_.client_cert_sha256 = cert_sha256_;
    req_.client_cert_cn = cert_cn_;
    req_.client_cert_verified = cert_verified_;
    if (answered_at_ != Clock::time_point{})
      req_.since_answer_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - answered_at_).count();
    head_only_ = req_.method == "HEAD";
    if (!split_target(&req_)) {
      Response res = srv_.router.error(400, "malformed query string");
      res.close = !keep_alive_;
      return write(std::move(res));
    }
    srv_.router.dispatch(req_, [self = shared_from_this()](Response res) {
      auto ex = self->executor();
      if (self->in_strand()) return self->write(std::move(res));  // answered at once
      // From a group commit's answers (on a server thread): deferred, so the
      // writes run on this thread once its answers are handed out instead of
      // waking another thread for each (a futex call and a context switch).
      asio::defer(ex, [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    });
  }

  // A framing error: answer, then close (the rest of the bytes cannot be trusted).
  void refuse(ParseFailure f) {
    std::string target = parser_ ? parser_->request().target : std::string();
    log_warn(std::to_string(f.status) + " " + f.why + " from " + addr_ +
             (target.empty() ? "" : " (" + loggable(target) + ")"));
    head_only_ = false;
    write(srv_.router.error(f.status, f.why));
  }

  void write(Response res) {
    if (!keep_alive_ || srv_.stopping) res.close = true;
    close_after_ = res.close;
    answered_at_ = Clock::now();
    out_ = res.serialize(head_only_);  // one buffer: one write (TCP_NODELAY is on)
    state_ = State::kWrite;
    set_deadline(srv_.opts.write_timeout);
    tls_.async_run([this](SSL* s) { return SSL_write(s, out_.data(), static_cast<int>(out_.size())); },
                   [self = shared_from_this()](beast::error_code ec, int) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    std::string().swap(out_);
    req_ = Request{};
    if (ec) return end();
    if (close_after_) return close();
    next_request();
  }

  // close_notify, then the socket (bounded: the peer may not answer).
  void close() {
    state_ = State::kClosing;
    set_deadline(std::chrono::seconds(1));
    tls_.async_shutdown([self = shared_from_this()](beast::error_code) { self->end(); });
  }

  Server::Impl& srv_;
  TlsStream tls_;
  asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point answered_at_{};  // when the last answer was ready to write
  bool timer_armed_ = false, timed_out_ = false;
  std::string addr_;
  beast::flat_buffer buf_;  // bounded: the request head limit + one read; empty while idle
  std::optional<RequestParser> parser_;
  Request req_;
  std::string out_;
  State state_ = State::kHandshake;
  bool keep_alive_ = true, close_after_ = false, head_only_ = false;
  std::string cert_sha256_, cert_cn_;  // the client certificate, if any
  bool cert_verified_ = false;
};

bool Server::Impl::admit(const std::string& addr) {
  std::lock_guard<std::mutex> lock(mu);
  if (open >= opts.max_connections) return false;
  int& n = per_client[addr];
  if (n >= opts.max_per_client) {
    if (n == 0) per_client.erase(addr);
    return false;
  }
  n++;
  open++;
  return true;
}

void Server::Impl::release(const std::string& addr, Session* s) {
  std::lock_guard<std::mutex> lock(mu);
  sessions.erase(s);
  if (auto it = per_client.find(addr); it != per_client.end() && --it->second <= 0) per_client.erase(it);
  if (--open == 0 && stopping && !finished) asio::post(grace.get_executor(), [this] { grace.cancel(); });
}

void Server::Impl::note_refused(const std::string& addr) {
  std::lock_guard<std::mutex> lock(mu);
  refused++;
  int64_t now = now_ms();
  if (now - last_refusal_log_ms < 5000) return;  // a flood must not flood the log
  last_refusal_log_ms = now;
  log_warn("connection limit reached (" + std::to_string(open) + " open, at most " +
           std::to_string(opts.max_connections) + " in total and " + std::to_string(opts.max_per_client) +
           " per client): refused " + addr + ", " + std::to_string(refused) + " refused so far");
}

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket sock) {
    if (ec) {
      if (stopping || !acceptor.is_open()) return;
      // Out of descriptors (EMFILE) and the like: retry soon, not in a loop.
      log_warn("accept: " + ec.message());
      retry.expires_after(std::chrono::milliseconds(100));
      retry.async_wait([this](beast::error_code e) {
        if (!e && !stopping) accept();
      });
      return;
    }
    on_accept(std::move(sock));
    accept();
  });
}

void Server::Impl::on_accept(tcp::socket sock) {
  beast::error_code ec;
  tcp::endpoint peer = sock.remote_endpoint(ec);
  if (ec) return;
  std::string addr = peer.address().to_string();
  if (!admit(addr)) {
    note_refused(addr);
    sock.close(ec);
    return;
  }
  sock.set_option(tcp::no_delay(true), ec);
  auto s = std::make_shared<Session>(*this, std::move(sock), addr);
  {
    std::lock_guard<std::mutex> lock(mu);
    sessions.emplace(s.get(), s);
  }
  s->start();
}

Server::Server(const ServerOptions& opts, SSL_CTX* ssl_ctx, const Router& router) {
  SSL_CTX_up_ref(ssl_ctx);  // ~Impl frees it
  impl_ = std::make_unique<Impl>(opts, ssl_ctx, router);
}

Server::~Server() = default;

int Server::listen(std::string* error) {
  Impl& s = *impl_;
  beast::error_code ec;
  tcp::resolver resolver(s.ioc);
  auto results = resolver.resolve(s.opts.host, std::to_string(s.opts.port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    *error = "cannot resolve " + s.opts.host + ": " + ec.message();
    return 0;
  }
  tcp::endpoint ep = results.begin()->endpoint();
  s.acceptor.open(ep.protocol(), ec);
  // SO_REUSEADDR for quick restarts; never SO_REUSEPORT (another process
  // could then bind the same port next to us).
  if (!ec) s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(s.opts.backlog, ec);
  if (ec) {
    *error = "cannot listen on " + s.opts.host + ":" + std::to_string(s.opts.port) + ": " + ec.message();
    return 0;
  }
  return s.acceptor.local_endpoint().port();
}

void Server::run() {
  Impl& s = *impl_;
  asio::post(s.acceptor.get_executor(), [&s] { s.accept(); });
  unsigned n = s.opts.threads > 0 ? static_cast<unsigned>(s.opts.threads) : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  auto work = [&s] {
    for (;;) {
      try {
        s.ioc.run();
        return;
      } catch (const std::exception& e) {  // e.g. bad_alloc in a handler: log, keep serving
        log_error(std::string("server: ") + e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < n; i++) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  std::lock_guard<std::mutex> lock(s.mu);
  s.finished = true;
}

void Server::post(std::function<void()> f) { asio::post(impl_->ioc, std::move(f)); }

void Server::stop() {
  Impl& s = *impl_;
  asio::post(s.acceptor.get_executor(), [&s] {
    if (s.stopping.exchange(true)) return;
    beast::error_code ec;
    s.acceptor.close(ec);
    s.retry.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      for (auto& [p, w] : s.sessions)
        if (auto sp = w.lock()) live.push_back(sp);
      if (s.open == 0) return;
    }
    for (auto& sp : live) asio::post(sp->executor(), [sp] { sp->stop(); });
    // Running requests get 10 s to finish; then the loop stops.
    s.grace.expires_after(std::chrono::seconds(10));
    s.grace.async_wait([&s](beast::error_code e) {
      if (!e) s.ioc.stop();
    });
  });
}

}  // namespace mcujs_receiver::http
