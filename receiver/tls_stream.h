// TLS on a non-blocking socket, without Asio's ssl::stream. Asio's stream
// gives every connection two 17 KB buffers of its own and an OpenSSL BIO
// pair of two more (68 KB per connection, idle or not). Here OpenSSL reads
// the socket itself (a socket BIO; its record buffer is released between
// records, SSL_MODE_RELEASE_BUFFERS) and writes into a memory BIO that is
// sent with one async_write and then freed. An idle connection holds the
// SSL object and nothing else. See docs/receiver.md ("Memory").
//
// Waiting for input is a 1-byte MSG_PEEK receive, not async_wait: Asio
// performs receives speculatively under the descriptor's lock, so a byte
// that arrives between OpenSSL's EAGAIN and the wait is never missed.
// All calls for one stream must come from one strand.
#pragma once
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <utility>

namespace mcujs_receiver::http {

class TlsStream {
 public:
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::system::error_code;

  explicit TlsStream(tcp::socket sock) : sock_(std::move(sock)) {}
  ~TlsStream() { SSL_free(ssl_); }  // the socket closes itself
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // The server side of a connection on `ctx`; false when out of memory.
  bool init(SSL_CTX* ctx);
  SSL* native_handle() const { return ssl_; }
  tcp::socket& socket() { return sock_; }
  bool open() const { return sock_.is_open(); }
  // Closes the socket: every pending operation ends with an error and
  // OpenSSL is never called on this descriptor (or its reuse) again.
  void close() {
    error_code ignored;
    sock_.close(ignored);
  }

  // Runs `op(ssl)` (SSL_do_handshake, SSL_read, SSL_write) until it
  // succeeds: sends what it wrote, waits for input when it asks for more.
  // h(ec, result) runs on the socket's executor, never inside this call.
  template <class Op, class Handler>
  void async_run(Op op, Handler h) {
    if (!open()) return post([h = std::move(h)]() mutable { h(boost::asio::error::bad_descriptor, 0); });
    ERR_clear_error();
    int r = op(ssl_);
    int err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
    ERR_clear_error();  // the thread's error queue is shared by all its connections
    auto next = [this, op = std::move(op), h = std::move(h), r, err](error_code ec) mutable {
      if (ec) return h(ec, 0);
      if (err == SSL_ERROR_NONE) return h(ec, r);
      if (err != SSL_ERROR_WANT_READ)  // EOF, reset, protocol error: the connection ends
        return h(err == SSL_ERROR_ZERO_RETURN ? error_code(boost::asio::error::eof)
                                              : error_code(boost::asio::error::connection_aborted),
                 0);
      // OpenSSL read all the socket had (what it holds is an incomplete
      // record): wait for the socket itself.
      wait_socket([this, op = std::move(op), h = std::move(h)](error_code e) mutable {
        if (e) return h(e, 0);
        async_run(std::move(op), std::move(h));
      });
    };
    if (BIO_ctrl_pending(SSL_get_wbio(ssl_)) > 0) return flush(std::move(next));  // records, alerts, tickets
    post([next = std::move(next)]() mutable { next({}); });
  }

  // Completes when there is input: buffered in OpenSSL or a byte in the
  // socket. Holds no buffer while it waits (an idle connection).
  template <class Handler>
  void async_wait_readable(Handler h) {
    if (SSL_has_pending(ssl_)) return post([h = std::move(h)]() mutable { h({}); });
    // Any record buffer left (RELEASE_BUFFERS frees them after application
    // data; this also covers the end of the handshake).
    SSL_free_buffers(ssl_);
    wait_socket(std::move(h));
  }

  // close_notify, then our half of the socket closed and the peer's bytes
  // read and dropped until it closes its half (so that no reset destroys
  // the answer in flight); bounded by the caller's deadline.
  template <class Handler>
  void async_shutdown(Handler h) {
    if (!open()) return post([h = std::move(h)]() mutable { h(boost::asio::error::bad_descriptor); });
    ERR_clear_error();
    SSL_shutdown(ssl_);  // into the memory BIO
    ERR_clear_error();
    flush([this, h = std::move(h)](error_code ec) mutable {
      if (ec) return h(ec);
      sock_.shutdown(tcp::socket::shutdown_send, ec);
      drain(std::make_unique<std::array<char, 1024>>(), std::move(h));
    });
  }

 private:
  template <class F>
  void post(F f) {
    boost::asio::post(sock_.get_executor(), std::move(f));
  }

  // Sends what OpenSSL wrote, then gives the memory back.
  template <class Handler>
  void flush(Handler h) {
    char* data = nullptr;
    long n = BIO_get_mem_data(SSL_get_wbio(ssl_), &data);
    boost::asio::async_write(sock_, boost::asio::buffer(data, static_cast<size_t>(n)),
                             [this, h = std::move(h)](error_code ec, size_t) mutable {
                               if (!ec && !fresh_write_bio()) ec = error_code(boost::asio::error::no_memory);
                               h(ec);
                             });
  }

  template <class Handler>
  void drain(std::unique_ptr<std::array<char, 1024>> scratch, Handler h) {
    auto buf = boost::asio::buffer(*scratch);
    sock_.async_read_some(buf, [this, s = std::move(scratch), h = std::move(h)](error_code ec, size_t) mutable {
      if (ec) return h(ec == boost::asio::error::eof ? error_code() : ec);
      drain(std::move(s), std::move(h));
    });
  }

  template <class Handler>
  void wait_socket(Handler h) {
    sock_.async_receive(boost::asio::buffer(&peek_, 1), tcp::socket::message_peek,
                        [h = std::move(h)](error_code ec, size_t) mutable { h(ec); });
  }

  bool fresh_write_bio();

  tcp::socket sock_;
  SSL* ssl_ = nullptr;
  unsigned char peek_ = 0;
};

}  // namespace mcujs_receiver::http
