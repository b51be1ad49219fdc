// The modern TLS API: tls.connect({host, port, servername, ca, cert, key,
// alpn, timeout}) resolves to a socket with read(), write(), close() and the
// negotiated protocol, cipher, ALPN protocol and peer certificate summary. Everything is asynchronous:
// the connection is an IoSource and settles promises from the event loop.
#include <cstring>
#include <initializer_list>
#include <new>

#include "core/limits.h"
#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/class_def.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "modules/bindings/registry.h"

namespace mcujs::bind {

namespace {

constexpr size_t kReadChunk = MCUJS_TLS_SOCKET_READ_CHUNK;  // core/limits.h

// A pending promise: its resolving functions.
struct Pending {
  JSValue resolve = JS_UNDEFINED;
  JSValue reject = JS_UNDEFINED;
  bool active() const { return !JS_IsUndefined(resolve); }
};

struct Socket final : net::Listener {
  Registry<Socket>::Node node;
  JSContext* ctx = nullptr;
  net::Connection* conn = nullptr;
  tls::ConnectOptions* options = nullptr;  // outlives conn
  JSValue self = JS_UNDEFINED;  // strong reference while connecting
  Pending connecting, reading, writing;
  uint8_t* wbuf = nullptr;      // copy of the data being written
  size_t wlen = 0, woff = 0;

  void on_connection_event(net::Connection& c) override;
  void settle(Pending& p, bool ok, JSValue v);
  void update_busy() {
    if (conn) conn->set_busy(reading.active() || writing.active());
  }
  void try_read();
  void try_write();
  void fail_all(const net::Error& e);
  void release();
};

struct TlsState {
  Registry<Socket> sockets;
};

TlsState* state(JSContext* ctx) {
  return static_cast<TlsState*>(core::Runtime::from(ctx)->slot(core::Slot::kTls));
}

void Socket::settle(Pending& p, bool ok, JSValue v) {
  // A value that could not be made (out of memory creating the error):
  // reject with that failure, never with the exception marker itself.
  if (JS_IsException(v)) {
    v = JS_GetException(ctx);
    ok = false;
  }
  if (!p.active()) {
    JS_FreeValue(ctx, v);
    return;
  }
  JSValue fn = ok ? p.resolve : p.reject;
  JSValue r = JS_Call(ctx, fn, JS_UNDEFINED, 1, &v);
  JS_FreeValue(ctx, r);
  JS_FreeValue(ctx, v);
  JS_FreeValue(ctx, p.resolve);
  JS_FreeValue(ctx, p.reject);
  p = Pending{};
}

// Frees everything native; pending promises are left unsettled only at
// runtime teardown, when nothing can observe them any more.
void Socket::release() {
  delete conn;
  conn = nullptr;
  delete options;
  options = nullptr;
  js_free(ctx, wbuf);
  wbuf = nullptr;
  for (Pending* p : {&connecting, &reading, &writing}) {
    JS_FreeValue(ctx, p->resolve);
    JS_FreeValue(ctx, p->reject);
    *p = Pending{};
  }
  JS_FreeValue(ctx, self);
  self = JS_UNDEFINED;
}

void Socket::fail_all(const net::Error& e) {
  if (connecting.active()) settle(connecting, false, new_net_error(ctx, e));
  if (reading.active()) settle(reading, false, new_net_error(ctx, e));
  if (writing.active()) settle(writing, false, new_net_error(ctx, e));
  js_free(ctx, wbuf);
  wbuf = nullptr;
}

// One read into a chunk on the C stack, copied into a Uint8Array (*out) if
// bytes came. Not inlined: the chunk's frame must be gone before try_read()
// calls into JavaScript, or QuickJS's stack check counts it (the device's
// JS stack limit is 6 KB: a read past the server's close rejected with
// "stack overflow" while creating the TLSError).
__attribute__((noinline)) int32_t read_chunk(JSContext* ctx, net::Connection* conn, JSValue* out) {
  uint8_t buf[kReadChunk];
  int32_t n = conn->read(buf, sizeof buf);
  if (n > 0) *out = new_uint8array(ctx, buf, static_cast<size_t>(n));
  return n;
}

void Socket::try_read() {
  if (!reading.active() || !conn) return;
  JSValue chunk = JS_UNDEFINED;
  int32_t n = read_chunk(ctx, conn, &chunk);
  if (n == port::kWouldBlock) return;
  if (n < 0) {
    fail_all(conn->error());
  } else if (n == 0) {
    settle(reading, true, JS_NULL);
  } else {
    settle(reading, true, chunk);
  }
}

void Socket::try_write() {
  if (!writing.active() || !conn) return;
  while (woff < wlen) {
    int32_t n = conn->write(wbuf + woff, wlen - woff);
    if (n == port::kWouldBlock) return;
    if (n < 0) {
      fail_all(conn->error());
      return;
    }
    woff += static_cast<size_t>(n);
  }
  js_free(ctx, wbuf);
  wbuf = nullptr;
  settle(writing, true, JS_NewInt64(ctx, static_cast<int64_t>(wlen)));
}

void set_connection_info(JSContext* ctx, JSValueConst obj, const net::Connection& c) {
  const tls::TlsConnection& t = c.tls();
  JS_SetPropertyStr(ctx, obj, "protocol", JS_NewString(ctx, t.protocol()));
  JS_SetPropertyStr(ctx, obj, "cipher", JS_NewString(ctx, t.cipher()));
  JS_SetPropertyStr(ctx, obj, "resumed", JS_NewBool(ctx, t.resumed()));
  // The protocol the server chose from options.alpn, or null.
  const char* alpn = t.alpn();
  JS_SetPropertyStr(ctx, obj, "alpnProtocol", *alpn ? JS_NewString(ctx, alpn) : JS_NULL);
  tls::PeerCert pc;
  if (t.peer_cert(&pc)) {
    JSValue o = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, o, "subject", JS_NewString(ctx, pc.subject));
    JS_SetPropertyStr(ctx, o, "issuer", JS_NewString(ctx, pc.issuer));
    JS_SetPropertyStr(ctx, o, "validFrom", JS_NewString(ctx, pc.valid_from));
    JS_SetPropertyStr(ctx, o, "validTo", JS_NewString(ctx, pc.valid_to));
    JS_SetPropertyStr(ctx, o, "serial", JS_NewString(ctx, pc.serial));
    JS_SetPropertyStr(ctx, o, "fingerprint256", JS_NewString(ctx, pc.sha256));
    JS_SetPropertyStr(ctx, obj, "peerCertificate", o);
  }
}

void Socket::on_connection_event(net::Connection& c) {
  if (connecting.active()) {
    if (c.is_open()) {
      set_connection_info(ctx, self, c);
      settle(connecting, true, JS_DupValue(ctx, self));
    } else if (c.state() == net::Connection::State::kFailed) {
      fail_all(c.error());
    } else {
      return;
    }
    update_busy();
    // From now on the script owns the socket. Not freed here: the finalizer
    // would delete the connection whose poll() is calling us.
    free_later(ctx, self);
    self = JS_UNDEFINED;
    return;
  }
  if (c.state() == net::Connection::State::kFailed) fail_all(c.error());
  try_write();
  try_read();
  update_busy();
}

void destroy_state(core::Runtime&, void* p) {
  auto* s = static_cast<TlsState*>(p);
  s->sockets.release_all([](Socket* so) { so->release(); });
  delete s;
}

void socket_finalizer(JSRuntime*, JSValue val) {
  JSClassID id;
  auto* so = static_cast<Socket*>(JS_GetAnyOpaque(val, &id));
  if (!so) return;
  Registry<Socket>::unlink(so);
  so->release();
  delete so;
}

// The sockets tls.connect() resolves with: a class_def.h class without a
// constructor of its own ("Illegal constructor").
extern const ClassDef kSocketDef;
JsClass g_socket(kSocketDef);

Socket* this_socket(JSContext* ctx, JSValueConst this_val, const char* fn) {
  return native<Socket>(ctx, g_socket, this_val, fn);
}

// A new promise; its resolving functions go into p.
JSValue new_pending(JSContext* ctx, Pending* p) {
  JSValue fns[2];
  JSValue promise = JS_NewPromiseCapability(ctx, fns);
  if (JS_IsException(promise)) return promise;
  p->resolve = fns[0];
  p->reject = fns[1];
  return promise;
}

JSValue rejected(JSContext* ctx, JSValue err) {
  Pending p;
  JSValue promise = new_pending(ctx, &p);
  if (JS_IsException(promise)) {
    JS_FreeValue(ctx, err);
    return promise;
  }
  JS_FreeValue(ctx, JS_Call(ctx, p.reject, JS_UNDEFINED, 1, &err));
  JS_FreeValue(ctx, err);
  JS_FreeValue(ctx, p.resolve);
  JS_FreeValue(ctx, p.reject);
  return promise;
}

JSValue not_connected(JSContext* ctx, const char* fn) {
  net::Error e;
  e.assign(net::Code::kNotConnected, "%s: socket is closed", fn);
  return rejected(ctx, new_net_error(ctx, e));
}

// socket.read() -> Promise<Uint8Array | null>; null at end of stream.
JSValue socket_read(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "read", argc, argv);
  Socket* so = this_socket(ctx, this_val, a.fn());
  if (!so || !a.count(0, 0)) return JS_EXCEPTION;
  if (so->reading.active()) return a.type_error("a read is already pending");
  if (!so->conn) return not_connected(ctx, a.fn());
  JSValue promise = new_pending(ctx, &so->reading);
  if (JS_IsException(promise)) return promise;
  so->try_read();
  so->update_busy();
  return promise;
}

// socket.write(stringOrBytes) -> Promise<number> once all bytes are sent.
JSValue socket_write(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "write", argc, argv);
  Socket* so = this_socket(ctx, this_val, a.fn());
  JsBytes data;
  if (!so || !a.count(1, 1) || !a.bytes(0, "data", &data)) return JS_EXCEPTION;
  if (so->writing.active()) return a.type_error("a write is already pending");
  if (!so->conn || !so->conn->is_open()) return not_connected(ctx, a.fn());
  so->wbuf = static_cast<uint8_t*>(js_malloc(ctx, data.size() ? data.size() : 1));
  if (!so->wbuf) return JS_EXCEPTION;
  memcpy(so->wbuf, data.data(), data.size());
  so->wlen = data.size();
  so->woff = 0;
  JSValue promise = new_pending(ctx, &so->writing);
  if (JS_IsException(promise)) {
    js_free(ctx, so->wbuf);
    so->wbuf = nullptr;
    return promise;
  }
  so->try_write();
  so->update_busy();
  return promise;
}

// socket.close(): close_notify and close; a pending read resolves to null.
JSValue socket_close(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "close", argc, argv);
  Socket* so = this_socket(ctx, this_val, a.fn());
  if (!so || !a.count(0, 0)) return JS_EXCEPTION;
  if (!so->conn) return JS_UNDEFINED;
  so->conn->close();
  if (so->reading.active()) so->settle(so->reading, true, JS_NULL);
  if (so->writing.active()) {
    net::Error e;
    e.assign(net::Code::kNotConnected, "write: socket closed before the data was sent");
    so->settle(so->writing, false, new_net_error(ctx, e));
  }
  delete so->conn;
  so->conn = nullptr;
  return JS_UNDEFINED;
}

// tls.connect({host, port, servername, ca, cert, key, alpn, timeout})
// -> Promise<socket>. ca, cert/key and alpn apply to this connection only;
// timeout bounds connect and handshake together (tls_options_from_js).
JSValue tls_connect(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "tls.connect", argc, argv);
  if (!a.count(1, 1) || !a.object(0, "options")) return JS_EXCEPTION;
  Options o(ctx, a.fn(), argv[0]);
  JsString host, servername;
  int64_t port = 0;
  if (!o.string("host", &host, true) || !o.integer("port", 1, 65535, &port) ||
      !o.string("servername", &servername))
    return JS_EXCEPTION;
  if (port == 0) return a.type_error("option 'port' is required");
  if (!check_host(ctx, a.fn(), "host", host)) return JS_EXCEPTION;
  if (!servername.empty() && !check_host(ctx, a.fn(), "servername", servername)) return JS_EXCEPTION;
  TlsOptions topts;
  if (!tls_options_from_js(ctx, a.fn(), argv[0], &topts)) return JS_EXCEPTION;
  tls::TlsContext* tctx = runtime_tls(ctx);
  if (!tctx) return rejected(ctx, JS_GetException(ctx));
  if (topts.error.set()) return rejected(ctx, new_net_error(ctx, topts.error));
  // Without a timeout: the connect timeout, then the handshake timeout.
  uint32_t connect_timeout = topts.timeout_ms ? topts.timeout_ms : net_config(ctx).connect_timeout_ms;
  TlsState* ts = state(ctx);
  core::Runtime& rt = *core::Runtime::from(ctx);
  auto* so = new (std::nothrow) Socket;
  if (!so) return JS_ThrowOutOfMemory(ctx);
  so->ctx = ctx;
  JSValue obj = g_socket.make(ctx, JS_UNDEFINED, so);
  if (JS_IsException(obj)) {
    delete so;
    return obj;
  }
  ts->sockets.link(so);
  so->conn = new (std::nothrow) net::Connection(rt.loop(), tctx);
  JSValue promise = so->conn ? new_pending(ctx, &so->connecting) : JS_ThrowOutOfMemory(ctx);
  if (JS_IsException(promise)) {
    JS_FreeValue(ctx, obj);
    return promise;
  }
  so->self = obj;  // held until the handshake settles
  so->conn->set_listener(so);
  so->options = topts.release();
  so->conn->set_tls_options(so->options);
  so->conn->set_total_timeout(topts.timeout_ms);
  if (!so->conn->start(host.c_str(), static_cast<uint16_t>(port),
                       servername.empty() ? nullptr : servername.c_str(), connect_timeout) ||
      so->conn->state() == net::Connection::State::kFailed) {
    so->on_connection_event(*so->conn);  // rejects with the reason
  }
  return promise;
}

const Method kSocketProto[] = {
    method("read", socket_read, 0),
    method("write", socket_write, 1),
    method("close", socket_close, 0),
};
const ClassDef kSocketDef = {.name = "TLSSocket",
                             .finalizer = socket_finalizer,
                             .methods = kSocketProto,
                             .method_count = sizeof kSocketProto / sizeof kSocketProto[0],
                             .enumerable = false};

}  // namespace

bool install_tls(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  auto* ts = new (std::nothrow) TlsState;
  if (!ts) return false;
  rt.set_slot(core::Slot::kTls, ts, destroy_state);

  JSValue tls = JS_NewObject(ctx);
  if (JS_IsException(tls)) return false;
  set_function(ctx, tls, "connect", tls_connect, 1);
  return set_global(ctx, "tls", tls);
}

}  // namespace mcujs::bind
