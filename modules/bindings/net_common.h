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

// A new error object for e: a TLSError (e.tls) or an Error, with .code,
// .errno (the Mbed TLS error number, 0 if none) and a readable message.
JSValue new_net_error(JSContext* ctx, const net::Error& e);
// Throws it; returns JS_EXCEPTION.
JSValue throw_net_error(JSContext* ctx, const net::Error& e);

}  // namespace mcujs::bind
