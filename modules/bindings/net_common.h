// What the network bindings (photon, tls, fetch) share: the runtime's TLS
// context and the conversion of net::Error to JavaScript errors.
#pragma once

#include "core/runtime.h"
#include "net/connection.h"
#include "quickjs.h"

namespace mcujs::bind {

// Configuration of the network bindings, set by the embedder (the CLI)
// before scripts run.
struct NetConfig {
  tls::Options tls;                  // entropy/verification policy, timeouts
  uint32_t connect_timeout_ms = 10000;
  const char* const* ca_files = nullptr;  // extra PEM files loaded at start
  int ca_file_count = 0;
};

// Installs the shared network state (call before the other net bindings).
bool install_net(core::Runtime& rt, const NetConfig& config);

// The runtime's TLS context, initialised on first use. On failure (no strong
// entropy...) throws a TLSError and returns nullptr.
tls::TlsContext* runtime_tls(JSContext* ctx);
// The same if it was initialised, else nullptr (never initialises, never throws).
const tls::TlsContext* runtime_tls_if_ready(JSContext* ctx);
const NetConfig& net_config(JSContext* ctx);

// The TLS options of tls.connect (and fetch, at merge), parsed in one place.
// From the options object:
//   ca         PEM string: trust anchors for this connection only, instead
//              of the runtime's store (which addCertificates and --ca fill)
//   cert, key  PEM strings, both or neither: a client certificate (chain)
//              and its private key (ECDSA P-256/P-384 or RSA, unencrypted)
//   alpn       array of 1..8 protocol names, in preference order
//   timeout    integer ms, 1..600000: connect and handshake together
struct TlsOptions {
  tls::ConnectOptions* connect = nullptr;  // owned; null without ca, cert or alpn
  uint32_t timeout_ms = 0;                 // 0: not given
  net::Error error;                        // set (a TLSError BAD_INPUT) when a PEM value is invalid
  TlsOptions() = default;
  ~TlsOptions() { delete connect; }
  TlsOptions(const TlsOptions&) = delete;
  TlsOptions& operator=(const TlsOptions&) = delete;
  // Hands the ConnectOptions over (the caller deletes it after the connection).
  tls::ConnectOptions* release() {
    tls::ConnectOptions* o = connect;
    connect = nullptr;
    return o;
  }
};
// false: an exception is pending (a TypeError or RangeError naming fn and the
// option, or TLS unavailable). true with out->error set: a PEM value failed
// to parse (the caller rejects or throws it as it reports TLS failures).
bool tls_options_from_js(JSContext* ctx, const char* fn, JSValueConst obj, TlsOptions* out);

// A new error object for e: a TLSError (e.tls) or an Error, with .code,
// .errno (the Mbed TLS error number, 0 if none) and a readable message.
JSValue new_net_error(JSContext* ctx, const net::Error& e);
// Throws it; returns JS_EXCEPTION.
JSValue throw_net_error(JSContext* ctx, const net::Error& e);

}  // namespace mcujs::bind
