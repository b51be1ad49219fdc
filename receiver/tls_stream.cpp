#include "tls_stream.h"

namespace mcujs_receiver::http {

bool TlsStream::init(SSL_CTX* ctx) {
  error_code ec;
  sock_.non_blocking(true, ec);  // OpenSSL's read() must return EAGAIN, not block a worker
  if (ec) return false;
  ssl_ = SSL_new(ctx);
  if (!ssl_) return false;
  BIO* in = BIO_new_socket(sock_.native_handle(), BIO_NOCLOSE);
  BIO* out = BIO_new(BIO_s_mem());
  if (!in || !out) {
    BIO_free(in);
    BIO_free(out);
    return false;
  }
  SSL_set_bio(ssl_, in, out);
  SSL_set_accept_state(ssl_);
  // One read() per record (and the next ones if already there) instead of
  // header and body apart; the buffer still goes when empty.
  SSL_set_read_ahead(ssl_, 1);
  return true;
}

// A new, empty memory BIO for OpenSSL's output: the old one's buffer (as
// large as the largest answer sent) is freed with it.
bool TlsStream::fresh_write_bio() {
  BIO* out = BIO_new(BIO_s_mem());
  if (!out) return false;
  SSL_set0_wbio(ssl_, out);
  return true;
}

}  // namespace mcujs_receiver::http
