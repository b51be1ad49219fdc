// fetch(input, init) -> Promise<Response> on the runtime's net::http::Client
// (HTTP/1.1 over TCP or verified TLS, keep-alive pool, deadlines). The
// arguments become a Request first (request.cpp: one set of rules); the
// exchange runs from the event loop and settles the promise from there.
// Redirects follow net::http's policy (net/http/redirect.h).
//
// Non-standard, documented in docs/fetch.md: init.timeout (ms, whole request,
// default 30000), init.maxBodySize (bytes, default 1 MiB), Response._reused,
// _resumed, fetch.stats() and fetch.configure(). Network failures reject with
// an Error carrying .code ('TIMEOUT', 'CONNECTION_REFUSED'...), TLS failures
// with a TLSError, an oversized body with a RangeError whose code is
// 'BODY_TOO_LARGE', refused redirects with a TypeError whose code is
// 'INSECURE_REDIRECT', 'TOO_MANY_REDIRECTS'...; bad arguments reject with a
// TypeError (never thrown synchronously, as Web IDL requires of
// promise-returning functions).
//
// Nothing is allocated at start-up: the globals are lazy (class_def.h) and
// the client is created by the first fetch().
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <new>

#include "core/limits.h"
#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "modules/bindings/request.h"
#include "modules/bindings/streams.h"
#include "modules/bindings/response.h"
#include "net/http/client.h"
#include "net/http/data_url.h"
#include "net/http/redirect.h"
#include "net/http/request.h"
#include "net/url.h"
#include "quickjs.h"

namespace mcujs::bind {

namespace {

using net::http::Client;
using net::http::Exchange;
using net::http::Field;
using net::http::HeaderList;
using net::http::RedirectMode;

constexpr int64_t kDefaultTimeoutMs = MCUJS_FETCH_TIMEOUT_MS;  // core/limits.h
constexpr int64_t kMaxTimeoutMs = 24LL * 3600 * 1000;
constexpr int64_t kDefaultMaxBody = MCUJS_FETCH_MAX_BODY;  // core/limits.h
constexpr int64_t kMaxBodyLimit = 0x7fffffff;  // an ArrayBuffer's limit

struct FetchState;

// One fetch() in flight (across redirects).
struct Op final : net::http::ExchangeObserver {
  explicit Op(JSContext* c) : ctx(c), headers(js_allocator(JS_GetRuntime(c))) {}
  void on_exchange_done(Exchange& x) override;

  Op* prev = nullptr;
  Op* next = nullptr;
  JSContext* ctx;
  JSValue resolve = JS_UNDEFINED;
  JSValue reject = JS_UNDEFINED;
  Exchange* ex = nullptr;
  HeaderList headers;
  uint8_t* body = nullptr;
  size_t body_len = 0;
  uint64_t deadline = core::kNever;
  int64_t timeout_ms = 0;
  size_t max_body = 0;
  RedirectMode redirect = RedirectMode::kFollow;
  int redirects = 0;
  uint32_t id = 0;  // for the abort listener, which may outlive the Op
  bool redirected = false;
  tls::ConnectOptions* tls_options = nullptr;  // owned; init's ca/cert/key/alpn (net_common.h)
  char method[kMaxMethod + 1] = {};
  // The current URL, serialised (net::Url::href; changes with redirects):
  // a net::Url is 2.2 KB, so an Op keeps the text and parses it again where
  // a Url is needed (parse_op_url) instead of holding one while in flight.
  char* href = nullptr;
};

// The client's settings until fetch.configure() changes them.
net::http::ClientConfig default_client_config() {
  net::http::ClientConfig c;
  c.max_head_bytes = MCUJS_FETCH_MAX_HEAD;  // core/limits.h
  c.max_fields = MCUJS_FETCH_MAX_FIELDS;
  return c;
}

struct FetchState {
  explicit FetchState(core::Runtime& rt) : client(rt.loop(), js_allocator(rt.rt()), default_client_config()) {}
  Client client;
  Op* ops = nullptr;
  uint32_t next_id = 1;
  int64_t timeout_ms = kDefaultTimeoutMs;
  int64_t max_body = kDefaultMaxBody;
};

void destroy_state(core::Runtime&, void* p);

// The runtime's fetch state, created on first use; nullptr (exception
// pending) without memory.
FetchState* state(JSContext* ctx) {
  core::Runtime* rt = core::Runtime::from(ctx);
  auto* s = static_cast<FetchState*>(rt->slot(core::Slot::kFetch));
  if (s) return s;
  s = new (std::nothrow) FetchState(*rt);
  if (!s) {
    JS_ThrowOutOfMemory(ctx);
    return nullptr;
  }
  rt->set_slot(core::Slot::kFetch, s, destroy_state);
  return s;
}

void free_op(FetchState* s, Op* op) {
  JSContext* ctx = op->ctx;
  if (op->prev) op->prev->next = op->next; else s->ops = op->next;
  if (op->next) op->next->prev = op->prev;
  if (op->ex) s->client.release(op->ex);
  delete op->tls_options;  // after the exchange: its connection is closed
  JS_FreeValue(ctx, op->resolve);
  JS_FreeValue(ctx, op->reject);
  js_free(ctx, op->body);
  js_free(ctx, op->href);
  op->~Op();
  js_free(ctx, op);
}

// op's current URL parsed into url. False with an exception pending.
bool parse_op_url(Op* op, const HeapUrl& url) {
  if (!url.get()) return false;
  if (net::parse_url(op->href, strlen(op->href), url.get()) == net::UrlError::kOk) return true;
  JS_ThrowInternalError(op->ctx, "fetch: cannot parse '%.200s' again", op->href);  // it parsed when it was set
  return false;
}

// Makes u op's current URL (op->href). False with an exception pending.
bool set_op_url(Op* op, const net::Url& u) {
  size_t n = u.href(nullptr, 0) + 1;
  auto* h = static_cast<char*>(js_malloc(op->ctx, n));
  if (!h) return false;
  u.href(h, n);
  js_free(op->ctx, op->href);
  op->href = h;
  return true;
}

// Settles the fetch's promise and frees the operation.
void settle(Op* op, bool ok, JSValue v) {
  JSContext* ctx = op->ctx;
  JSValue fn = ok ? op->resolve : op->reject;
  JSValue other = ok ? op->reject : op->resolve;
  op->resolve = op->reject = JS_UNDEFINED;
  free_op(state(ctx), op);
  JS_FreeValue(ctx, JS_Call(ctx, fn, JS_UNDEFINED, 1, &v));
  JS_FreeValue(ctx, v);
  JS_FreeValue(ctx, fn);
  JS_FreeValue(ctx, other);
}

// net::Error -> the value a fetch rejects with.
JSValue fetch_error(JSContext* ctx, const net::Error& e) {
  if (e.code && strcmp(e.code, "BODY_TOO_LARGE") == 0) {
    JS_ThrowRangeError(ctx, "fetch: %s", e.message);
    JSValue err = JS_GetException(ctx);
    JS_SetPropertyStr(ctx, err, "code", JS_NewString(ctx, e.code));
    return err;
  }
  net::Error copy = e;
  snprintf(copy.message, sizeof copy.message, "fetch: %.*s", static_cast<int>(sizeof copy.message - 8), e.message);
  return new_net_error(ctx, copy);
}

// A TypeError with a .code, for refused redirects.
JSValue coded_type_error(JSContext* ctx, const char* code, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
JSValue coded_type_error(JSContext* ctx, const char* code, const char* fmt, ...) {
  char msg[320];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  JS_ThrowTypeError(ctx, "%s", msg);
  JSValue err = JS_GetException(ctx);
  JS_DefinePropertyValueStr(ctx, err, "code", JS_NewString(ctx, code), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  return err;
}

// Starts the exchange for op's current URL. JS_UNDEFINED, or the error to
// reject with.
JSValue start_exchange(Op* op) {
  JSContext* ctx = op->ctx;
  FetchState* s = state(ctx);
  HeapUrl url(ctx);  // the client copies what it needs at start()
  if (!parse_op_url(op, url)) return JS_GetException(ctx);
  tls::TlsContext* tls = nullptr;
  if (url.get()->https) {
    if (!core::Runtime::from(ctx)->slot(core::Slot::kNet)) {  // install_net() was not called
      JS_ThrowInternalError(ctx, "fetch: TLS is not available in this runtime");
      return JS_GetException(ctx);
    }
    tls = runtime_tls(ctx);
    if (!tls) return JS_GetException(ctx);
  }
  auto* fields = static_cast<Field*>(js_malloc(ctx, sizeof(Field) * (op->headers.count() + 1)));
  if (!fields) return JS_GetException(ctx);
  size_t n = 0;
  for (; op->headers.at(n, &fields[n]); n++) {
  }
  net::http::Request r;
  r.url = url.get();
  r.tls = tls;
  r.method = op->method;
  r.fields = fields;
  r.field_count = n;
  r.body = op->body;
  r.body_len = op->body_len;
  r.send_length = op->body || strcmp(op->method, "POST") == 0 || strcmp(op->method, "PUT") == 0 ||
                  strcmp(op->method, "PATCH") == 0;
  r.deadline = op->deadline;
  bool has_net = core::Runtime::from(ctx)->slot(core::Slot::kNet) != nullptr;
  r.connect_timeout_ms = has_net ? net_config(ctx).connect_timeout_ms : 10000;
  r.max_body = op->max_body;
  r.tls_options = op->tls_options;
  net::Error err;
  op->ex = s->client.start(r, op, &err);
  js_free(ctx, fields);
  return op->ex ? JS_UNDEFINED : fetch_error(ctx, err);
}

// Follows a redirect by net::http's policy. JS_UNDEFINED once the next
// exchange runs, or the error to reject with.
JSValue follow_redirect(Op* op, int status, const Field& location) {
  JSContext* ctx = op->ctx;
  int ll = static_cast<int>(location.value_len > 200 ? 200 : location.value_len);
  if (op->redirect == RedirectMode::kError)
    return coded_type_error(ctx, "REDIRECT_MODE_ERROR", "fetch: redirected to '%.*s' but redirect is 'error'", ll,
                            location.value);
  HeapUrl next(ctx);
  net::http::RedirectPlan plan;
  net::http::RedirectError re;
  {
    HeapUrl current(ctx);
    if (!parse_op_url(op, current) || !next.get()) return JS_GetException(ctx);
    re = net::http::plan_redirect(*current.get(), location.value, location.value_len, status, op->method,
                                  op->redirects, next.get(), &plan);
  }
  const char* code = net::http::redirect_error_code(re);
  JSValue err = JS_UNDEFINED;
  switch (re) {
    case net::http::RedirectError::kOk:
      break;
    case net::http::RedirectError::kTooMany:
      err = coded_type_error(ctx, code, "fetch: too many redirects (more than %d)", net::http::kMaxRedirects);
      break;
    case net::http::RedirectError::kBadLocation:
      err = coded_type_error(ctx, code, "fetch: invalid redirect location '%.*s': %s", ll, location.value,
                             net::url_error_message(plan.url_error));
      break;
    case net::http::RedirectError::kInsecure:
      err = coded_type_error(ctx, code, "fetch: refused to follow a redirect from https to http ('%.*s')", ll,
                             location.value);
      break;
    case net::http::RedirectError::kModeError:
      err = coded_type_error(ctx, code, "fetch: redirect is 'error'");
      break;
  }
  if (!JS_IsUndefined(err)) return err;
  op->redirects++;
  if (plan.to_get) {
    snprintf(op->method, sizeof op->method, "GET");
    js_free(ctx, op->body);
    op->body = nullptr;
    op->body_len = 0;
  }
  net::http::strip_for_redirect(op->headers, plan);
  if (plan.cross_origin) {  // a client certificate is a credential too; the CA was for that origin
    delete op->tls_options;
    op->tls_options = nullptr;
  }
  if (!set_op_url(op, *next.get())) return JS_GetException(ctx);
  op->redirected = true;
  return start_exchange(op);
}

void Op::on_exchange_done(Exchange& x) {
  Client& client = state(ctx)->client;
  ex = nullptr;
  if (x.failed()) {
    net::Error e = x.error();
    if (strcmp(e.code, "TIMEOUT") == 0 && core::Runtime::from(ctx)->loop().now() >= deadline) {
      // The origin only ("https://host:port"): a path or query may hold a token.
      const char* host = strstr(href, "://");
      const char* path = host ? strchr(host + 3, '/') : nullptr;
      int origin_len = static_cast<int>(path ? path - href : strlen(href));
      snprintf(e.message, sizeof e.message, "request to %.*s timed out after %lu ms",
               origin_len > 150 ? 150 : origin_len, href, static_cast<unsigned long>(timeout_ms));
    }
    JSValue err = fetch_error(ctx, e);
    client.release(&x);
    return settle(this, false, err);
  }
  const net::http::ResponseParser& resp = x.response();
  int status = resp.status();
  const Field* location = resp.find("location");
  if (net::http::is_redirect_status(status) && location && redirect != RedirectMode::kManual) {
    Field loc = *location;  // lives in x, which must outlive the resolution
    JSValue err = follow_redirect(this, status, loc);
    client.release(&x);
    if (!JS_IsUndefined(err)) settle(this, false, err);
    return;
  }
  HeadersObj* h = nullptr;
  JSValue hobj = new_headers(ctx, Guard::kImmutable, &h);
  bool ok = !JS_IsException(hobj);
  if (ok) {
    for (size_t i = 0; ok && i < resp.field_count(); i++) {
      const Field& f = resp.field(i);
      ok = header_result(ctx, "fetch", h->list.append(f.name, f.name_len, f.value, f.value_len), f.name, f.name_len);
    }
  }
  ResponseFields in;
  in.status = status;
  in.status_text = resp.reason();
  in.status_text_len = strlen(resp.reason());
  in.url = href;  // copied by new_response
  in.type = ResponseType::kBasic;
  in.redirected = redirected;
  in.reused = x.reused();
  in.resumed = x.resumed();
  size_t len = 0;
  uint8_t* data = x.take_body(&len);
  client.release(&x);
  if (!ok) {
    JS_FreeValue(ctx, hobj);
    js_free(ctx, data);
    return settle(this, false, JS_GetException(ctx));
  }
  // A HEAD response and the null-body statuses have a null body.
  bool has_body = strcmp(method, "HEAD") != 0 && status != 101 && status != 103 && status != 204 &&
                  status != 205 && status != 304;
  if (!has_body) {
    js_free(ctx, data);
    data = nullptr;
    len = 0;
  }
  JSValue response = new_response(ctx, in, hobj, data, len, has_body);
  if (JS_IsException(response)) return settle(this, false, JS_GetException(ctx));
  settle(this, true, response);
}

// The signal's "abort" listener: rejects the fetch (if still running) with
// the signal's reason and cancels its exchange. data[0]: the Op's id.
JSValue on_abort(JSContext* ctx, JSValueConst this_val, int, JSValueConst*, int, JSValue* data) {
  FetchState* s = state(ctx);
  int32_t id = 0;
  JS_ToInt32(ctx, &id, data[0]);
  for (Op* op = s ? s->ops : nullptr; op; op = op->next)
    if (op->id == static_cast<uint32_t>(id)) {
      JSValue reason = JS_GetPropertyStr(ctx, this_val, "reason");
      if (JS_IsException(reason)) reason = JS_GetException(ctx);
      settle(op, false, reason);
      break;
    }
  return JS_UNDEFINED;
}

// Ties op to an AbortSignal: false with *rejection set when it is already
// aborted (or the listener cannot be added).
bool watch_signal(JSContext* ctx, Op* op, JSValueConst signal, JSValue* rejection) {
  if (!JS_IsObject(signal)) return true;
  JSValue aborted = JS_GetPropertyStr(ctx, signal, "aborted");
  int yes = JS_IsException(aborted) ? -1 : JS_ToBool(ctx, aborted);
  JS_FreeValue(ctx, aborted);
  if (yes != 0) {
    *rejection = yes > 0 ? JS_GetPropertyStr(ctx, signal, "reason") : JS_EXCEPTION;
    if (JS_IsException(*rejection)) *rejection = JS_GetException(ctx);
    return false;
  }
  JSValue id = JS_NewInt32(ctx, static_cast<int32_t>(op->id));
  JSValue args[3] = {JS_NewString(ctx, "abort"), JS_NewCFunctionData(ctx, on_abort, 0, 0, 1, &id), JS_NewObject(ctx)};
  if (!JS_IsException(args[2])) JS_SetPropertyStr(ctx, args[2], "once", JS_TRUE);
  JSValue add = JS_GetPropertyStr(ctx, signal, "addEventListener");
  JSValue r = JS_Call(ctx, add, signal, 3, args);
  JS_FreeValue(ctx, add);
  for (JSValue& v : args) JS_FreeValue(ctx, v);
  if (JS_IsException(r)) {
    *rejection = JS_GetException(ctx);
    return false;
  }
  JS_FreeValue(ctx, r);
  return true;
}

JSValue js_fetch(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv);

// fetch() of a data: URL: a promise of its Response (200, the URL's media
// type as Content-Type), or rejected with a TypeError when it is malformed.
JSValue data_url_response(JSContext* ctx, const char* fn, const char* href, size_t n) {
  auto* body = static_cast<uint8_t*>(js_malloc(ctx, n + 1));
  if (!body) return rejected_with_exception(ctx);
  char mime[256];
  size_t len = 0;
  if (!net::http::process_data_url(href, n, body, &len, mime, sizeof mime)) {
    js_free(ctx, body);
    JS_ThrowTypeError(ctx, "%s: invalid data: URL (no ',' or bad base64)", fn);
    return rejected_with_exception(ctx);
  }
  body[len] = 0;
  HeadersObj* h = nullptr;
  JSValue headers = new_headers(ctx, Guard::kImmutable, &h);
  if (JS_IsException(headers) ||
      !header_result(ctx, fn, h->list.append("content-type", 12, mime, strlen(mime)), "content-type", 12)) {
    JS_FreeValue(ctx, headers);
    js_free(ctx, body);
    return rejected_with_exception(ctx);
  }
  ResponseFields in;
  in.status_text = "OK";
  in.status_text_len = 2;
  in.url = href;
  in.type = ResponseType::kBasic;
  JSValue res = new_response(ctx, in, headers, body, len, true);
  return JS_IsException(res) ? rejected_with_exception(ctx) : settled(ctx, true, res);
}

// Validates fetch()'s arguments into a new Op; nullptr with an exception,
// or with *later set: a request whose body is a ReadableStream is sent
// once the stream is read to its end (*later is that promise).
Op* prepare(JSContext* ctx, int argc, JSValueConst* argv, JSValue* later) {
  Args a(ctx, "fetch", argc, argv);
  if (!a.count(1)) return nullptr;
  if (a.has(1) && !JS_IsNull(a[1]) && !a.object(1, "init")) return nullptr;
  FetchState* s = state(ctx);
  if (!s) return nullptr;
  Options o(ctx, a.fn(), a[1]);
  int64_t timeout = s->timeout_ms, max_body = s->max_body;
  if (!o.integer("timeout", 1, kMaxTimeoutMs, &timeout) || !o.integer("maxBodySize", 0, kMaxBodyLimit, &max_body))
    return nullptr;
  // TLS options of this request only (tls.connect's parser): ca, cert/key, alpn.
  TlsOptions topts;
  if (JS_IsObject(a[1])) {
    if (!tls_options_from_js(ctx, a.fn(), a[1], &topts)) return nullptr;
    if (topts.error.set()) {
      throw_net_error(ctx, topts.error);
      return nullptr;
    }
  }
  JSValue req = request_new(ctx, a.fn(), a[0], a[1]);
  if (JS_IsException(req)) return nullptr;
  RequestObj* r = request_of(req);

  auto* op = static_cast<Op*>(js_malloc(ctx, sizeof(Op)));
  if (!op) {
    JS_FreeValue(ctx, req);
    return nullptr;
  }
  new (op) Op(ctx);
  op->id = s->next_id++;
  op->next = s->ops;  // linked at once so that free_op() can unlink it
  if (s->ops) s->ops->prev = op;
  s->ops = op;
  auto fail = [&]() -> Op* {
    JS_FreeValue(ctx, req);
    free_op(s, op);
    return nullptr;
  };
  JsString href;
  if (!href.from(ctx, r->url)) return fail();
  if (href.size() >= 5 && net::http::equals_ci(href.c_str(), 5, "data:")) {
    *later = data_url_response(ctx, a.fn(), href.c_str(), href.size());
    return fail();
  }
  {
    HeapUrl url(ctx);
    if (!url.get()) return fail();
    if (net::parse_url(href.c_str(), href.size(), url.get()) != net::UrlError::kOk) {  // about:, data:...
      a.type_error("cannot fetch '%.200s': only http: and https: URLs are supported", href.c_str());
      return fail();
    }
    if (!set_op_url(op, *url.get())) return fail();
  }
  memcpy(op->method, r->method, sizeof op->method);
  op->redirect = r->redirect;
  HeadersObj* h = headers_of(r->headers);
  if (h && !header_result(ctx, a.fn(), op->headers.assign(h->list), "", 0)) return fail();
  Field f;
  for (size_t i = 0; op->headers.at(i, &f); i++) {
    if (net::http::is_reserved_field(f.name, f.name_len)) {
      a.type_error("header '%.*s' cannot be set (fetch manages it)", static_cast<int>(f.name_len), f.name);
      return fail();
    }
  }
  if (r->body.present) {
    int u = body_unusable(ctx, r->body);
    if (u != 0) {
      if (u > 0) a.type_error("body already used");
      return fail();
    }
    if (!JS_IsUndefined(r->body.stream)) {
      JSValue args[4] = {JS_NewCFunction(ctx, js_fetch, "fetch", 1), JS_DupValue(ctx, r->body.stream),
                         JS_DupValue(ctx, req), JS_DupValue(ctx, a[1])};
      *later = stream_call(ctx, "sendLater", 4, args);
      for (JSValue v : args) JS_FreeValue(ctx, v);
      return fail();
    }
    op->body = r->body.data;  // moves: the Request is spent
    op->body_len = r->body.len;
    r->body.data = nullptr;
    r->body.len = 0;
    r->body.used = true;
    if (!op->body && !(op->body = static_cast<uint8_t*>(js_mallocz(ctx, 1)))) return fail();
  }
  JSValue rejection = JS_UNDEFINED;
  if (!watch_signal(ctx, op, r->signal, &rejection)) {
    JS_Throw(ctx, rejection);
    return fail();
  }
  JS_FreeValue(ctx, req);
  req = JS_UNDEFINED;
  struct Default {
    const char* name;
    const char* value;
  } defaults[] = {{"accept", "*/*"}, {"user-agent", "mcujs"}};
  for (const Default& d : defaults)
    if (!op->headers.has(d.name, strlen(d.name)) &&
        !header_result(ctx, a.fn(), op->headers.append(d.name, strlen(d.name), d.value, strlen(d.value)), d.name,
                       strlen(d.name)))
      return fail();
  op->deadline = core::Runtime::from(ctx)->loop().now() + static_cast<uint64_t>(timeout);
  op->timeout_ms = timeout;
  op->max_body = static_cast<size_t>(max_body);
  op->tls_options = topts.release();
  return op;
}

JSValue js_fetch(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  JSValue fns[2];
  JSValue promise = JS_NewPromiseCapability(ctx, fns);
  if (JS_IsException(promise)) return promise;
  JSValue later = JS_UNDEFINED;
  Op* op = prepare(ctx, argc, argv, &later);
  if (!op && !JS_IsUndefined(later) && !JS_IsException(later)) {
    for (JSValue v : {promise, fns[0], fns[1]}) JS_FreeValue(ctx, v);
    return later;
  }
  JSValue err = op ? JS_UNDEFINED : JS_GetException(ctx);
  if (op) {
    op->resolve = fns[0];
    op->reject = fns[1];
    err = start_exchange(op);
    if (!JS_IsUndefined(err)) settle(op, false, err);
    return promise;
  }
  JS_FreeValue(ctx, JS_Call(ctx, fns[1], JS_UNDEFINED, 1, &err));
  JS_FreeValue(ctx, err);
  JS_FreeValue(ctx, fns[0]);
  JS_FreeValue(ctx, fns[1]);
  return promise;
}

// fetch.stats() -> {connections, reused, idle, pending}
JSValue js_fetch_stats(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "fetch.stats", argc, argv);
  if (!a.count(0, 0)) return JS_EXCEPTION;
  FetchState* s = state(ctx);
  if (!s) return JS_EXCEPTION;
  Client::Stats st = s->client.stats();
  uint32_t pending = 0;
  for (Op* op = s->ops; op; op = op->next) pending++;
  return new_number_object(ctx, {{"connections", static_cast<double>(st.connections)},
                                 {"reused", static_cast<double>(st.reused)},
                                 {"idle", static_cast<double>(st.idle)},
                                 {"pending", static_cast<double>(pending)}});
}

// fetch.configure({poolSize, idleTimeout, timeout, maxBodySize, maxHeaderSize})
JSValue js_fetch_configure(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "fetch.configure", argc, argv);
  if (!a.count(1, 1) || !a.object(0, "options")) return JS_EXCEPTION;
  FetchState* s = state(ctx);
  if (!s) return JS_EXCEPTION;
  net::http::ClientConfig c = s->client.config();
  Options o(ctx, a.fn(), argv[0]);
  int64_t pool = c.max_idle, idle = c.idle_timeout_ms, head = c.max_head_bytes;
  int64_t timeout = s->timeout_ms, max_body = s->max_body;
  if (!o.integer("poolSize", 0, net::http::ClientConfig::kMaxIdleLimit, &pool) ||
      !o.integer("idleTimeout", 1, kMaxTimeoutMs, &idle) || !o.integer("timeout", 1, kMaxTimeoutMs, &timeout) ||
      !o.integer("maxBodySize", 0, kMaxBodyLimit, &max_body) || !o.integer("maxHeaderSize", 256, 65536, &head))
    return JS_EXCEPTION;
  c.max_idle = static_cast<uint8_t>(pool);
  c.idle_timeout_ms = static_cast<uint32_t>(idle);
  c.max_head_bytes = static_cast<uint32_t>(head);
  s->client.set_config(c);
  s->timeout_ms = timeout;
  s->max_body = max_body;
  return JS_UNDEFINED;
}

void destroy_state(core::Runtime&, void* p) {
  auto* s = static_cast<FetchState*>(p);
  while (s->ops) free_op(s, s->ops);  // promises left pending: nobody can observe them now
  delete s;  // the client closes its connections
}

JSValue create_fetch(JSContext* ctx) {
  JSValue fetch = JS_NewCFunction(ctx, js_fetch, "fetch", 1);
  if (JS_IsException(fetch)) return fetch;
  if (!set_function(ctx, fetch, "stats", js_fetch_stats, 0) ||
      !set_function(ctx, fetch, "configure", js_fetch_configure, 1)) {
    JS_FreeValue(ctx, fetch);
    return JS_EXCEPTION;
  }
  return fetch;
}

}  // namespace

bool install_fetch(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  return define_lazy_global(ctx, "fetch", create_fetch) && install_headers_class(ctx) &&
         install_request_class(ctx) && install_response_class(ctx);
}

}  // namespace mcujs::bind
