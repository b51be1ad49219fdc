// One client connection: TCP connect (with a timeout), then, for TLS, the
// handshake; then non-blocking reads and writes. An IoSource: the event loop
// advances it, and its owner is told of progress through a Listener. Used by
// photon.TCPClient/TLSTCPClient (synchronously, by servicing the loop until a
// deadline), tls.connect and fetch (asynchronously).
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include "core/event_loop.h"
#include "net/errors.h"
#include "tls/tls.h"

namespace mcujs::net {

// Why a connection failed or ended, with a stable code for JavaScript.
struct Error {
  Code id = Code::kNone;       // the code (net/errors.h); kTls: see tls_code
  tls::Code tls_code = tls::Code::kNone;
  // Its name as JavaScript sees it (Error.code): code_name(id), or the TLS
  // code's name. A string so that fetch's call sites, which still assign
  // names, keep working until they move to the enum.
  const char* code = nullptr;
  bool tls = false;            // raised by the TLS layer (JS: TLSError)
  int mbedtls_error = 0;
  char message[192] = {};

  bool set() const { return code != nullptr; }
  void from_port(int32_t port_err, const char* what, const char* host, uint16_t port);
  void from_tls(const tls::Error& e);
  void assign(Code c, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  // By name (fetch's call sites): the enum is looked up in the table.
  void assign(const char* c, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

 private:
  void vassign(Code c, const char* name, const char* fmt, va_list ap) __attribute__((format(printf, 4, 0)));
};

class Connection;

class Listener {
 public:
  virtual ~Listener() = default;
  // Called from the event loop after the connection's state changed or I/O
  // may be possible; the listener retries its reads/writes.
  virtual void on_connection_event(Connection& c) = 0;
};

class Connection final : public core::IoSource {
 public:
  enum class State : uint8_t { kIdle, kConnecting, kHandshaking, kOpen, kClosed, kFailed };

  // tls == nullptr: plain TCP.
  Connection(core::EventLoop& loop, tls::TlsContext* tls);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts connecting. servername (TLS only) defaults to host. Fails at once
  // (returns false, error() set) only for bad arguments or no memory.
  bool start(const char* host, uint16_t port, const char* servername, uint32_t connect_timeout_ms);

  // TLS options for the next start() (client certificate, own CA, ALPN).
  // Not owned: they must outlive the connection.
  void set_tls_options(tls::ConnectOptions* o) { tls_options_ = o; }
  // One deadline for connect and handshake together (tls.connect's
  // timeout), counted from start(); 0: connect_timeout_ms, then the
  // context's handshake timeout. Set before start().
  void set_total_timeout(uint32_t ms) { total_timeout_ms_ = ms; }

  // Wraps an accepted plain TCP socket (photon.TCPServer); open at once.
  bool adopt(port::SocketId socket);

  State state() const { return state_; }
  bool is_open() const { return state_ == State::kOpen; }
  bool is_tls() const { return tls_ctx_ != nullptr; }
  const Error& error() const { return error_; }

  // Returned by read/write on failure (error() set, state kFailed); distinct
  // from port::kWouldBlock, which is -1.
  static constexpr int32_t kError = port::kIo;

  // > 0 bytes; 0 at orderly end of stream; port::kWouldBlock; or kError.
  int32_t read(uint8_t* buf, size_t len);
  // > 0 bytes accepted (maybe fewer than len); port::kWouldBlock; or kError.
  int32_t write(const uint8_t* buf, size_t len);
  // Bytes readable without waiting (TLS: decrypted bytes buffered).
  size_t available();
  // Orderly close (close_notify for TLS). Idempotent.
  void close();
  // Before close(), for a TLS client that will not read any more (photon's
  // stop()): waits up to max_ms for the server's TLS 1.3 session ticket if
  // none has arrived yet (tls::TlsConnection::settle_before_close), so that
  // the next connection to this server can resume. Really waits (no
  // simulated-time skip: the ticket comes over the network) and keeps the
  // other I/O sources advancing meanwhile. Returns at once for plain TCP,
  // TLS 1.2, when resumption is off, or for a server known to send none.
  // Unread application data is dropped.
  void await_ticket(uint32_t max_ms);

  const tls::TlsConnection& tls() const { return tls_conn_; }
  const char* host() const { return host_; }
  uint16_t port() const { return port_; }

  void set_listener(Listener* l) { listener_ = l; }
  // Whether this connection keeps the program alive while open (an
  // outstanding read, a request in flight). Connecting always does.
  void set_busy(bool busy) { want_busy_ = busy; }
  // Busy (as above) until the monotonic time `until` at the latest, while
  // open: photon's synchronous clients, whose script polls for an answer
  // after a write (0 ends it). Keeps a simulated clock from jumping over
  // the network's real time, and wakes the loop at `until`.
  void set_busy_until(uint64_t until) { busy_until_ = until; }

  // IoSource
  void poll() override;
  uint64_t deadline() const override;
  bool busy() const override;

 private:
  void fail(State from);
  void step();

  core::EventLoop& loop_;
  tls::TlsContext* tls_ctx_;
  tls::TlsConnection tls_conn_;
  tls::ConnectOptions* tls_options_ = nullptr;
  uint32_t total_timeout_ms_ = 0;
  uint64_t total_deadline_ = 0;
  Listener* listener_ = nullptr;
  port::SocketId sock_ = -1;
  State state_ = State::kIdle;
  Error error_;
  uint64_t connect_deadline_ = core::kNever;
  bool want_busy_ = false;
  uint64_t busy_until_ = 0;
  bool eof_ = false;
  // Opened inside start() (a fast server, a resumed TLS session): the
  // listener hears of it from the next poll(), which deadline() asks for now.
  bool notify_ = false;
  uint16_t port_ = 0;
  char host_[128] = {};
  char servername_[128] = {};
};

}  // namespace mcujs::net
