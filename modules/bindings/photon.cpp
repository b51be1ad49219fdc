// The origin article's `photon` API, so its scripts run unchanged:
// photon.log, photon.delay, photon.process, photon.TCPClient,
// photon.TLSTCPClient (+ addCertificates) and photon.TCPServer.
//
// The calls are synchronous for the script, as on the Photon, but while one
// waits (connect, write, delay) it services the event loop's native I/O, so
// other connections keep making progress; every wait has a deadline.
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

bool install_log_functions(JSContext* ctx, JSValueConst obj);  // console.cpp

namespace {

// core/limits.h: bytes buffered per client by available(), the largest
// string one read() returns, how long write() waits for a stalled peer.
constexpr size_t kReadAhead = MCUJS_PHOTON_READ_AHEAD;
constexpr size_t kMaxReadChunk = MCUJS_PHOTON_MAX_READ_CHUNK;
constexpr uint32_t kWriteTimeoutMs = MCUJS_PHOTON_WRITE_TIMEOUT_MS;
constexpr uint32_t kTicketWaitMs = MCUJS_PHOTON_TICKET_WAIT_MS;
constexpr uint32_t kReplyWaitMs = MCUJS_PHOTON_REPLY_WAIT_MS;

struct Client {
  Registry<Client>::Node node;
  net::Connection* conn = nullptr;
  tls::ConnectOptions* options = nullptr;  // setClientCertificate(); outlives conn
  bool tls = false;
  uint16_t ahead_len = 0;
  uint8_t ahead[kReadAhead];
};

struct Server {
  Registry<Server>::Node node;
  port::Tcp* tcp = nullptr;
  port::SocketId sock = -1;
  uint16_t port = 0;
};

struct PhotonState {
  Registry<Client> clients;
  Registry<Server> servers;
};

PhotonState* state(JSContext* ctx) {
  return static_cast<PhotonState*>(core::Runtime::from(ctx)->slot(core::Slot::kPhoton));
}

void close_client(Client* c) {
  delete c->conn;  // closes the socket (close_notify for TLS)
  c->conn = nullptr;
  c->ahead_len = 0;
}

// The script's own stop() (or a new connect()): the article's clients
// write, then stop without reading, so the server's TLS 1.3 session ticket
// is usually still in flight: wait for it (bounded) so that the next
// connection resumes instead of paying a full handshake.
void stop_client(Client* c) {
  if (c->conn) c->conn->await_ticket(kTicketWaitMs);
  close_client(c);
}

void close_server(Server* s) {
  if (s->sock >= 0) s->tcp->close(s->sock);
  s->sock = -1;
}

void destroy_state(core::Runtime&, void* p) {
  auto* s = static_cast<PhotonState*>(p);
  s->clients.release_all(close_client);
  s->servers.release_all(close_server);
  delete s;
}

void client_finalizer(JSRuntime*, JSValue val) {
  JSClassID id;
  auto* c = static_cast<Client*>(JS_GetAnyOpaque(val, &id));
  if (!c) return;
  Registry<Client>::unlink(c);
  close_client(c);
  delete c->options;
  delete c;
}

void server_finalizer(JSRuntime*, JSValue val) {
  JSClassID id;
  auto* s = static_cast<Server*>(JS_GetAnyOpaque(val, &id));
  if (!s) return;
  Registry<Server>::unlink(s);
  close_server(s);
  delete s;
}

// Services the loop until done() or the deadline; true if done() held.
template <typename F>
bool wait_until(core::Runtime& rt, uint64_t deadline, F done) {
  while (!done()) {
    uint64_t now = rt.loop().now();
    if (now >= deadline) return false;
    uint64_t left = deadline - now;
    rt.loop().service(left < 50 ? static_cast<uint32_t>(left) : 50);
  }
  return true;
}

// TCPClient (TLSTCPClient shares its class) and TCPServer: class_def.h
// classes; the constructors also work without `new`, as on the Photon.
extern const ClassDef kClientDef, kServerDef;
JsClass g_client(kClientDef);
JsClass g_server(kServerDef);

Client* this_client(JSContext* ctx, JSValueConst this_val, const char* fn) {
  return native<Client>(ctx, g_client, this_val, fn);
}

void set_last_error(JSContext* ctx, JSValueConst obj, JSValue err) {
  JS_SetPropertyStr(ctx, obj, "lastError", err);
}

JSValue new_client(JSContext* ctx, JSValueConst new_target, bool tls) {
  PhotonState* s = state(ctx);
  auto* c = new (std::nothrow) Client;
  if (!c) return JS_ThrowOutOfMemory(ctx);
  c->tls = tls;
  JSValue obj = g_client.make(ctx, new_target, c);
  if (JS_IsException(obj)) {
    delete c;
    return obj;
  }
  s->clients.link(c);
  set_last_error(ctx, obj, JS_NULL);
  JS_SetPropertyStr(ctx, obj, "secure", JS_NewBool(ctx, tls));
  return obj;
}

JSValue tcp_client_ctor(JSContext* ctx, JSValueConst new_target, int, JSValueConst*) {
  return new_client(ctx, new_target, false);
}
JSValue tls_client_ctor(JSContext* ctx, JSValueConst new_target, int, JSValueConst*) {
  return new_client(ctx, new_target, true);
}

// client.connect(host, port) -> boolean. Why it failed: client.lastError.
JSValue client_connect(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "connect", argc, argv);
  Client* c = this_client(ctx, this_val, a.fn());
  JsString host;
  int64_t port;
  if (!c || !a.count(2, 2) || !a.host(0, "host", &host) || !a.integer(1, "port", 1, 65535, &port))
    return JS_EXCEPTION;
  core::Runtime& rt = *core::Runtime::from(ctx);
  stop_client(c);
  tls::TlsContext* tctx = nullptr;
  if (c->tls) {
    tctx = runtime_tls(ctx);
    if (!tctx) {  // no entropy, bad CA file...: keep the reason, answer false
      JSValue err = JS_GetException(ctx);
      rt.log(port::LogLevel::kError, "connect %s:%d: TLS unavailable", host.c_str(), static_cast<int>(port));
      set_last_error(ctx, this_val, err);
      return JS_FALSE;
    }
  }
  c->conn = new (std::nothrow) net::Connection(rt.loop(), tctx);
  if (!c->conn) return JS_ThrowOutOfMemory(ctx);
  const NetConfig& cfg = net_config(ctx);
  net::Connection* conn = c->conn;
  if (c->tls) conn->set_tls_options(c->options);
  if (conn->start(host.c_str(), static_cast<uint16_t>(port), nullptr, cfg.connect_timeout_ms)) {
    // Both the connect and the handshake enforce their own deadlines; this
    // outer bound only guards against a bug leaving us spinning.
    uint64_t limit = rt.loop().now() + cfg.connect_timeout_ms + cfg.tls.handshake_timeout_ms + 1000;
    wait_until(rt, limit, [conn] {
      auto st = conn->state();
      return st != net::Connection::State::kConnecting && st != net::Connection::State::kHandshaking;
    });
  }
  if (conn->is_open()) {
    set_last_error(ctx, this_val, JS_NULL);
    return JS_TRUE;
  }
  net::Error e = conn->error();
  if (!e.set()) e.assign(net::Code::kConnectTimeout, "connect to %s:%d did not complete", host.c_str(), static_cast<int>(port));
  rt.log(port::LogLevel::kWarn, "connect: %s [%s]", e.message, e.code);
  close_client(c);
  set_last_error(ctx, this_val, new_net_error(ctx, e));
  return JS_FALSE;
}

JSValue client_connected(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  Client* c = this_client(ctx, this_val, "connected");
  if (!c) return JS_EXCEPTION;
  // Connected while open, and also while unread data remains (as on the Photon).
  return JS_NewBool(ctx, (c->conn && c->conn->is_open()) || c->ahead_len > 0);
}

// Throws an Error with .code NOT_CONNECTED for use after stop / before connect.
JSValue not_connected(JSContext* ctx, const char* fn) {
  net::Error e;
  e.assign(net::Code::kNotConnected, "%s: client is not connected", fn);
  return throw_net_error(ctx, e);
}

// Records a connection failure on the client and throws it.
JSValue io_failure(JSContext* ctx, JSValueConst this_val, Client* c) {
  net::Error e = c->conn->error();
  close_client(c);
  set_last_error(ctx, this_val, new_net_error(ctx, e));
  return throw_net_error(ctx, e);
}

// client.write(stringOrBytes) -> bytes written (all of them, or it throws).
JSValue client_write(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "write", argc, argv);
  Client* c = this_client(ctx, this_val, a.fn());
  JsBytes data;
  if (!c || !a.count(1, 1) || !a.bytes(0, "data", &data)) return JS_EXCEPTION;
  if (!c->conn || !c->conn->is_open()) return not_connected(ctx, a.fn());
  core::Runtime& rt = *core::Runtime::from(ctx);
  net::Connection* conn = c->conn;
  size_t done = 0;
  uint64_t deadline = rt.loop().now() + kWriteTimeoutMs;
  while (done < data.size()) {
    int32_t n = conn->write(data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n != port::kWouldBlock) return io_failure(ctx, this_val, c);
    if (rt.loop().now() >= deadline) {
      net::Error e;
      e.assign(net::Code::kWriteTimeout, "write: peer accepted no data for %u ms",
               static_cast<unsigned>(kWriteTimeoutMs));
      set_last_error(ctx, this_val, new_net_error(ctx, e));
      return throw_net_error(ctx, e);
    }
    rt.loop().service(50);
  }
  // An answer is expected now (bounded): see MCUJS_PHOTON_REPLY_WAIT_MS.
  conn->set_busy_until(rt.loop().now() + kReplyWaitMs);
  return JS_NewInt64(ctx, static_cast<int64_t>(done));
}

// A connection failure (TRUNCATED, a reset...) that the script has not
// seen yet. It is thrown only once the data received before it has been
// read, so a body followed at once by the failure is never lost.
bool failed_unreported(const Client* c) {
  return c->conn && c->conn->state() == net::Connection::State::kFailed;
}

// Moves whatever can be read without waiting into the read-ahead buffer.
void fill_ahead(Client* c) {
  if (!c->conn || !c->conn->is_open() || c->ahead_len == kReadAhead) return;
  int32_t n = c->conn->read(c->ahead + c->ahead_len, kReadAhead - c->ahead_len);
  if (n > 0) c->ahead_len = static_cast<uint16_t>(c->ahead_len + n);
  if (n == 0) c->conn->close();  // peer finished; buffered data stays readable
  if (n != port::kWouldBlock) c->conn->set_busy_until(0);  // the answer (or the end) came
}

JSValue client_available(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  Client* c = this_client(ctx, this_val, "available");
  if (!c) return JS_EXCEPTION;
  fill_ahead(c);
  size_t n = c->ahead_len + (c->conn ? c->conn->available() : 0);
  if (n == 0 && failed_unreported(c)) return io_failure(ctx, this_val, c);
  return JS_NewInt64(ctx, static_cast<int64_t>(n));
}

// Length of the longest prefix of buf that does not end inside a UTF-8
// sequence, so a multi-byte character split across reads is kept whole.
size_t utf8_complete(const uint8_t* buf, size_t len) {
  size_t i = len, back = 0;
  while (i > 0 && back < 3 && (buf[i - 1] & 0xC0) == 0x80) { i--; back++; }
  if (i == 0) return len;
  uint8_t lead = buf[i - 1];
  size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  return need > back ? i - 1 : len;
}

// client.read([max]) -> string of the data available now ("" if none, and
// after the peer's orderly end). A connection failure (TRUNCATED: the
// stream ended without close_notify; a reset) is thrown, and kept in
// lastError, once the data received before it has been read; the client is
// stopped then (later reads throw NOT_CONNECTED).
JSValue client_read(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "read", argc, argv);
  Client* c = this_client(ctx, this_val, a.fn());
  int64_t max;
  if (!c || !a.count(0, 1) || !a.optional_integer(0, "max", 1, kMaxReadChunk, kMaxReadChunk, &max))
    return JS_EXCEPTION;
  if (!c->conn && c->ahead_len == 0) return not_connected(ctx, a.fn());
  auto* buf = static_cast<uint8_t*>(js_malloc(ctx, static_cast<size_t>(max)));
  if (!buf) return JS_EXCEPTION;
  size_t len = 0;
  size_t take = c->ahead_len < max ? c->ahead_len : static_cast<size_t>(max);
  memcpy(buf, c->ahead, take);
  memmove(c->ahead, c->ahead + take, c->ahead_len - take);
  c->ahead_len = static_cast<uint16_t>(c->ahead_len - take);
  len = take;
  while (len < static_cast<size_t>(max) && c->conn && c->conn->is_open()) {
    int32_t n = c->conn->read(buf + len, static_cast<size_t>(max) - len);
    if (n != port::kWouldBlock) c->conn->set_busy_until(0);  // the answer (or the end) came
    if (n > 0) { len += static_cast<size_t>(n); continue; }
    if (n == 0) c->conn->close();
    break;  // nothing more now, the end, or a failure (thrown below or next time)
  }
  if (len == 0 && failed_unreported(c)) {
    js_free(ctx, buf);
    return io_failure(ctx, this_val, c);
  }
  size_t whole = (c->conn && c->conn->is_open()) ? utf8_complete(buf, len) : len;
  if (whole < len && c->ahead_len == 0) {  // keep the partial character for next time
    memcpy(c->ahead, buf + whole, len - whole);
    c->ahead_len = static_cast<uint16_t>(len - whole);
  } else {
    whole = len;
  }
  JSValue s = JS_NewStringLen(ctx, reinterpret_cast<const char*>(buf), whole);
  js_free(ctx, buf);
  return s;
}

// tlsClient.setClientCertificate(certPem, keyPem): the client certificate
// (and chain) and its private key for this client's next connections (AWS
// IoT-style endpoints that require one). Parsed now: a TypeError names what
// is wrong, before any connecting.
JSValue client_set_certificate(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "setClientCertificate", argc, argv);
  Client* c = this_client(ctx, this_val, a.fn());
  JsString cert, key;
  if (!c || !a.count(2, 2) || !a.string(0, "cert", &cert) || !a.string(1, "key", &key)) return JS_EXCEPTION;
  if (!c->tls) return a.type_error("a plain TCPClient has no TLS; use photon.TLSTCPClient");
  tls::TlsContext* tctx = runtime_tls(ctx);
  if (!tctx) return JS_EXCEPTION;
  auto* o = new (std::nothrow) tls::ConnectOptions;
  if (!o) return JS_ThrowOutOfMemory(ctx);
  tls::Error err;
  if (!o->set_client_cert(*tctx, cert.c_str(), cert.size(), key.c_str(), key.size(), &err)) {
    delete o;
    return a.type_error("%s", err.message);
  }
  close_client(c);  // the old options may be in use by the open connection
  delete c->options;
  c->options = o;
  return JS_UNDEFINED;
}

JSValue client_stop(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  Client* c = this_client(ctx, this_val, "stop");
  if (!c) return JS_EXCEPTION;
  stop_client(c);
  return JS_UNDEFINED;
}

// TLSTCPClient.addCertificates(pem): one or more PEM certificates, added to
// the runtime-wide trust store (as in the article). Its errors are the
// article's: TypeError 'Expected certificate as string' for anything but one
// string, TypeError 'Failed to parse certificate' (with why) for bad PEM.
// Returns the number of certificates added.
JSValue add_certificates(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  if (argc != 1 || !JS_IsString(argv[0])) return JS_ThrowTypeError(ctx, "Expected certificate as string");
  JsString pem;
  if (!pem.from(ctx, argv[0])) return JS_EXCEPTION;
  tls::TlsContext* tctx = runtime_tls(ctx);
  if (!tctx) return JS_EXCEPTION;
  tls::Error err;
  int n = tctx->add_ca_pem(pem.c_str(), pem.size(), &err);
  if (n < 0) return JS_ThrowTypeError(ctx, "Failed to parse certificate: %s", err.message);
  return JS_NewInt32(ctx, n);
}

// ---------------------------------------------------------------- server
Server* this_server(JSContext* ctx, JSValueConst this_val, const char* fn) {
  return native<Server>(ctx, g_server, this_val, fn);
}

JSValue tcp_server_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "TCPServer", argc, argv);
  int64_t port;
  if (!a.count(1, 1) || !a.integer(0, "port", 1, 65535, &port)) return JS_EXCEPTION;
  PhotonState* ps = state(ctx);
  auto* s = new (std::nothrow) Server;
  if (!s) return JS_ThrowOutOfMemory(ctx);
  s->tcp = core::Runtime::from(ctx)->platform().tcp;
  s->port = static_cast<uint16_t>(port);
  JSValue obj = g_server.make(ctx, new_target, s);
  if (JS_IsException(obj)) {
    delete s;
    return obj;
  }
  ps->servers.link(s);
  return obj;
}

bool server_listen(JSContext* ctx, Server* s) {
  if (s->sock >= 0) return true;
  int32_t rc = s->tcp->listen(s->port, &s->sock);
  if (rc == port::kOk) return true;
  s->sock = -1;
  net::Error e;
  e.assign(net::code_from_port(rc), "TCPServer: cannot listen on port %u: %s", s->port, port::error_text(rc));
  throw_net_error(ctx, e);
  return false;
}

JSValue server_begin(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  Server* s = this_server(ctx, this_val, "begin");
  if (!s || !server_listen(ctx, s)) return JS_EXCEPTION;
  return JS_UNDEFINED;
}

// server.available() -> a connected TCPClient for a waiting peer, or null.
JSValue server_available(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  Server* s = this_server(ctx, this_val, "available");
  if (!s || !server_listen(ctx, s)) return JS_EXCEPTION;
  port::SocketId peer;
  if (s->tcp->accept(s->sock, &peer) != port::kOk) return JS_NULL;
  JSValue obj = new_client(ctx, JS_UNDEFINED, false);
  if (JS_IsException(obj)) {
    s->tcp->close(peer);
    return obj;
  }
  auto* c = static_cast<Client*>(g_client.peek(obj));
  c->conn = new (std::nothrow) net::Connection(core::Runtime::from(ctx)->loop(), nullptr);
  if (!c->conn || !c->conn->adopt(peer)) {
    s->tcp->close(peer);
    JS_FreeValue(ctx, obj);
    return JS_ThrowOutOfMemory(ctx);
  }
  return obj;
}

JSValue server_stop(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  Server* s = this_server(ctx, this_val, "stop");
  if (!s) return JS_EXCEPTION;
  close_server(s);
  return JS_UNDEFINED;
}

// ---------------------------------------------------------------- misc
JSValue photon_delay(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "delay", argc, argv);
  int64_t ms;
  if (!a.count(1, 1) || !a.integer(0, "ms", 0, 0x7fffffff, &ms)) return JS_EXCEPTION;
  core::Runtime& rt = *core::Runtime::from(ctx);
  wait_until(rt, rt.loop().now() + static_cast<uint64_t>(ms), [] { return false; });
  return JS_UNDEFINED;
}

JSValue photon_process(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "process", argc, argv);
  if (!a.count(0, 0)) return JS_EXCEPTION;
  core::Runtime::from(ctx)->loop().service(0);
  return JS_UNDEFINED;
}

// photon.dfu([persistent]): on the Photon, reboots into the DFU bootloader.
// Neither port has one: a clear error rather than a silent no-op.
JSValue photon_dfu(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "dfu", argc, argv);
  if (!a.count(0, 1)) return JS_EXCEPTION;
  net::Error e;
  e.assign(net::Code::kNotSupported, "dfu: this board has no DFU bootloader to reboot into");
  return throw_net_error(ctx, e);
}

// Defines obj[name] = v; false (exception pending) if v is an exception or
// the definition fails. Takes ownership of v.
bool define(JSContext* ctx, JSValueConst obj, const char* name, JSValue v) {
  return !JS_IsException(v) && JS_DefinePropertyValueStr(ctx, obj, name, v, JS_PROP_C_W_E) >= 0;
}

// photon.memory(): the JS heap ({used, peak, limit}; limit 0: none) and,
// where the port reports it (the firmware), the device's RAM: static, heap
// and stack with their high-water marks. For a device's own diagnostics.
JSValue photon_memory(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "memory", argc, argv);
  if (!a.count(0, 0)) return JS_EXCEPTION;
  core::Runtime* rt = core::Runtime::from(ctx);
  const core::HeapStats& h = rt->heap();
  const NumberField js[] = {{"used", static_cast<double>(h.used)},
                            {"peak", static_cast<double>(h.peak)},
                            {"limit", static_cast<double>(h.limit)}};
  JSValue o = JS_NewObject(ctx);
  if (JS_IsException(o)) return o;
  bool ok = define(ctx, o, "js", new_number_object(ctx, js));
  port::Memory* mem = rt->platform().memory;
  if (ok && mem) {
    port::MemoryStats m = mem->stats();
    auto d = [](uint32_t v) { return static_cast<double>(v); };
    const NumberField dev[] = {{"ram", d(m.ram_total)},           {"static", d(m.static_ram)},
                               {"heapSize", d(m.heap_size)},      {"heapPeak", d(m.heap_peak)},
                               {"heapUsedPeak", d(m.heap_used_peak)},
                               {"heapFreeMin", d(m.heap_free_min)}, {"stackSize", d(m.stack_size)},
                               {"stackPeak", d(m.stack_peak)}};
    ok = define(ctx, o, "device", new_number_object(ctx, dev));
  }
  if (!ok) {
    JS_FreeValue(ctx, o);
    return JS_EXCEPTION;
  }
  return o;
}

const Method kClientProto[] = {
    method("connect", client_connect, 2),
    method("connected", client_connected, 0),
    method("write", client_write, 1),
    method("available", client_available, 0),
    method("read", client_read, 1),
    method("stop", client_stop, 0),
    method("setClientCertificate", client_set_certificate, 2),
};

const Method kServerProto[] = {
    method("begin", server_begin, 0),
    method("available", server_available, 0),
    method("stop", server_stop, 0),
};

const ClassDef kClientDef = {.name = "TCPClient",
                             .ctor = tcp_client_ctor,
                             .finalizer = client_finalizer,
                             .methods = kClientProto,
                             .method_count = sizeof kClientProto / sizeof kClientProto[0],
                             .enumerable = false,
                             .callable = true};
const ClassDef kServerDef = {.name = "TCPServer",
                             .ctor = tcp_server_ctor,
                             .ctor_length = 1,
                             .finalizer = server_finalizer,
                             .methods = kServerProto,
                             .method_count = sizeof kServerProto / sizeof kServerProto[0],
                             .enumerable = false,
                             .callable = true};

}  // namespace

bool install_photon(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  auto* ps = new (std::nothrow) PhotonState;
  if (!ps) return false;
  rt.set_slot(core::Slot::kPhoton, ps, destroy_state);

  JSValue photon = JS_NewObject(ctx);
  JSValue log = JS_NewObject(ctx);
  install_log_functions(ctx, log);
  JS_SetPropertyStr(ctx, photon, "log", log);
  set_function(ctx, photon, "delay", photon_delay, 1);
  set_function(ctx, photon, "process", photon_process, 0);
  set_function(ctx, photon, "memory", photon_memory, 0);
  set_function(ctx, photon, "dfu", photon_dfu, 1);

  JSValue tcp = g_client.constructor(ctx);
  JSValue tls = JS_IsException(tcp) ? JS_EXCEPTION : g_client.alias(ctx, "TLSTCPClient", tls_client_ctor, 0);
  JSValue server = g_server.constructor(ctx);
  if (JS_IsException(tcp) || JS_IsException(tls) || JS_IsException(server)) {
    for (JSValue v : {tcp, tls, server, photon}) JS_FreeValue(ctx, v);
    return false;
  }
  set_function(ctx, tls, "addCertificates", add_certificates, 1);
  JS_SetPropertyStr(ctx, photon, "TCPClient", tcp);
  JS_SetPropertyStr(ctx, photon, "TLSTCPClient", tls);
  JS_SetPropertyStr(ctx, photon, "TCPServer", server);

  return set_global(ctx, "photon", photon);
}

}  // namespace mcujs::bind
