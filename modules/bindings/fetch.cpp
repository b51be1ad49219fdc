// fetch(url, init) -> Promise<Response>, plus Headers and Response, on the
// runtime's net::http::Client (HTTP/1.1 over TCP or verified TLS, keep-alive
// pool, deadlines). Everything is asynchronous: exchanges run from the event
// loop and settle promises from there (which only queues jobs).
//
// Non-standard, documented in docs/fetch.md: init.timeout (ms, whole request,
// default 30000), init.maxBodySize (bytes, default 1 MiB), Response._reused, _resumed,
// fetch.stats() and fetch.configure(). Network failures reject with an Error
// carrying .code ('TIMEOUT', 'CONNECTION_REFUSED'...), TLS failures with a
// TLSError, an oversized body with a RangeError whose code is 'BODY_TOO_LARGE';
// bad arguments reject with a TypeError (never thrown synchronously, as Web IDL
// requires of promise-returning functions).
#include <cstring>
#include <initializer_list>
#include <new>

#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "net/http_client.h"
#include "net/http_request.h"
#include "net/url.h"
#include "quickjs.h"

namespace mcujs::bind {

namespace {

using net::http::Client;
using net::http::Exchange;
using net::http::Field;

constexpr int64_t kDefaultTimeoutMs = 30000;
constexpr int64_t kMaxTimeoutMs = 24LL * 3600 * 1000;
constexpr int64_t kDefaultMaxBody = 1 << 20;
constexpr int64_t kMaxBodyLimit = 0x7fffffff;  // an ArrayBuffer's limit
constexpr int kMaxRedirects = 20;              // as the fetch standard
constexpr size_t kMaxHeaderEntries = 64;       // per Headers built from JS
constexpr size_t kMaxHeaderBytes = 8192;
constexpr size_t kMaxMethod = 32;

// ------------------------------------------------------------ header lists

// Entries "name\0value\0" in one buffer; names lowercased (header names are
// case-insensitive and the standard exposes them in lowercase).
struct HeaderList {
  char* data = nullptr;
  size_t len = 0, cap = 0, count = 0;
};

struct Entry {
  const char* name;
  size_t name_len;
  const char* value;
  size_t value_len;
};

bool next_entry(const HeaderList& l, size_t* pos, Entry* e) {
  if (*pos >= l.len) return false;
  e->name = l.data + *pos;
  e->name_len = strlen(e->name);
  e->value = e->name + e->name_len + 1;
  e->value_len = strlen(e->value);
  *pos += e->name_len + e->value_len + 2;
  return true;
}

void list_free(JSRuntime* rt, HeaderList* l) {
  js_free_rt(rt, l->data);
  *l = HeaderList{};
}

bool same_name(const Entry& e, const char* name, size_t len) {
  return net::http::equals_ci(name, len, e.name) && e.name_len == len;
}

bool list_has(const HeaderList& l, const char* name, size_t len) {
  Entry e;
  for (size_t pos = 0; next_entry(l, &pos, &e);)
    if (same_name(e, name, len)) return true;
  return false;
}

void list_remove(HeaderList* l, const char* name, size_t len) {
  size_t pos = 0;
  while (pos < l->len) {
    size_t at = pos;
    Entry e;
    next_entry(*l, &pos, &e);
    if (same_name(e, name, len)) {
      memmove(l->data + at, l->data + pos, l->len - pos);
      l->len -= pos - at;
      l->count--;
      pos = at;
    }
  }
}

// Appends without validation (callers check); bounded only when asked.
bool list_append(JSContext* ctx, const char* fn, HeaderList* l, const char* name, size_t nl, const char* value,
                 size_t vl, bool bounded) {
  size_t need = nl + vl + 2;
  if (bounded && (l->count >= kMaxHeaderEntries || l->len + need > kMaxHeaderBytes)) {
    JS_ThrowRangeError(ctx, "%s: too many headers (at most %lu fields, %lu bytes)", fn,
                       static_cast<unsigned long>(kMaxHeaderEntries), static_cast<unsigned long>(kMaxHeaderBytes));
    return false;
  }
  if (l->len + need > l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 256;
    if (cap < l->len + need) cap = l->len + need;
    auto* d = static_cast<char*>(js_realloc(ctx, l->data, cap));
    if (!d) return false;
    l->data = d;
    l->cap = cap;
  }
  char* p = l->data + l->len;
  for (size_t i = 0; i < nl; i++) p[i] = name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] | 0x20) : name[i];
  p[nl] = 0;
  memcpy(p + nl + 1, value, vl);
  p[nl + 1 + vl] = 0;
  l->len += need;
  l->count++;
  return true;
}

// A header from JavaScript: the name must be a token; the value is trimmed
// of HTTP whitespace and must hold no CR, LF, NUL or other controls.
bool check_header(JSContext* ctx, const char* fn, const char* name, size_t nl, const char** value, size_t* vl) {
  if (!net::http::is_token(name, nl)) {
    JS_ThrowTypeError(ctx, "%s: invalid header name '%.*s'", fn, static_cast<int>(nl > 64 ? 64 : nl), name);
    return false;
  }
  const char* v = *value;
  size_t n = *vl;
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (n > 0 && ws(v[0])) v++, n--;
  while (n > 0 && ws(v[n - 1])) n--;
  if (!net::http::is_field_value(v, n)) {
    JS_ThrowTypeError(ctx, "%s: invalid value for header '%.*s' (no CR, LF, NUL or control characters)", fn,
                      static_cast<int>(nl > 64 ? 64 : nl), name);
    return false;
  }
  *value = v;
  *vl = n;
  return true;
}

bool append_js(JSContext* ctx, const char* fn, HeaderList* l, JSValueConst name, JSValueConst value) {
  JsString n, v;
  if (!n.from(ctx, name) || !v.from(ctx, value)) return false;
  const char* vp = v.c_str();
  size_t vl = v.size();
  if (!check_header(ctx, fn, n.c_str(), n.size(), &vp, &vl)) return false;
  return list_append(ctx, fn, l, n.c_str(), n.size(), vp, vl, true);
}

// The "length" of an array-like; false with an exception on failure.
bool get_length(JSContext* ctx, JSValueConst v, int64_t* n) {
  JSValue len = JS_GetPropertyStr(ctx, v, "length");
  bool ok = !JS_IsException(len) && JS_ToInt64(ctx, n, len) == 0;
  JS_FreeValue(ctx, len);
  return ok;
}

// ------------------------------------------------------------ state

struct HeadersObj {
  HeaderList list;
  bool immutable = false;  // a Response's headers
};

struct ResponseObj {
  uint8_t* body = nullptr;  // NUL-terminated when not null
  size_t len = 0;
  bool used = false;
};

struct FetchState;

// One fetch() in flight (across redirects).
struct Op final : net::http::ExchangeObserver {
  enum Redirect : uint8_t { kFollow, kManual, kError };

  void on_exchange_done(Exchange& x) override;

  Op* prev = nullptr;
  Op* next = nullptr;
  JSContext* ctx = nullptr;
  JSValue resolve = JS_UNDEFINED;
  JSValue reject = JS_UNDEFINED;
  Exchange* ex = nullptr;
  HeaderList headers;
  uint8_t* body = nullptr;
  size_t body_len = 0;
  uint64_t deadline = core::kNever;
  int64_t timeout_ms = 0;
  size_t max_body = 0;
  Redirect redirect = kFollow;
  int redirects = 0;
  bool redirected = false;
  char method[kMaxMethod + 1] = {};
  net::Url url;
};

net::http::Allocator js_allocator(JSRuntime* rt) {
  net::http::Allocator a;
  a.opaque = rt;
  a.alloc = [](void* o, size_t n) { return js_malloc_rt(static_cast<JSRuntime*>(o), n); };
  a.realloc = [](void* o, void* p, size_t n) { return js_realloc_rt(static_cast<JSRuntime*>(o), p, n); };
  a.free = [](void* o, void* p) { js_free_rt(static_cast<JSRuntime*>(o), p); };
  return a;
}

struct FetchState {
  FetchState(core::Runtime& rt) : client(rt.loop(), js_allocator(rt.rt())) {}
  Client client;
  Op* ops = nullptr;
  int64_t timeout_ms = kDefaultTimeoutMs;
  int64_t max_body = kDefaultMaxBody;
  JSClassID headers_class = 0;
  JSClassID response_class = 0;
  JSAtom iterator_atom = JS_ATOM_NULL;  // Symbol.iterator
};

FetchState* state(JSContext* ctx) {
  return static_cast<FetchState*>(core::Runtime::from(ctx)->slot(core::Slot::kFetch));
}

// ------------------------------------------------------------ promises

JSValue settled(JSContext* ctx, bool ok, JSValue v) {
  JSValue fns[2];
  JSValue promise = JS_NewPromiseCapability(ctx, fns);
  if (!JS_IsException(promise)) {
    JS_FreeValue(ctx, JS_Call(ctx, fns[ok ? 0 : 1], JS_UNDEFINED, 1, &v));
    JS_FreeValue(ctx, fns[0]);
    JS_FreeValue(ctx, fns[1]);
  }
  JS_FreeValue(ctx, v);
  return promise;
}

// The pending exception as a rejected promise.
JSValue rejected_with_exception(JSContext* ctx) { return settled(ctx, false, JS_GetException(ctx)); }

// ------------------------------------------------------------ Headers

HeadersObj* headers_of(JSContext* ctx, JSValueConst v) {
  FetchState* s = state(ctx);
  return s ? static_cast<HeadersObj*>(JS_GetOpaque(v, s->headers_class)) : nullptr;
}

HeadersObj* this_headers(JSContext* ctx, JSValueConst this_val, const char* fn) {
  HeadersObj* h = headers_of(ctx, this_val);
  if (!h) JS_ThrowTypeError(ctx, "%s: not a Headers object", fn);
  return h;
}

JSValue new_headers_object(JSContext* ctx, JSValueConst new_target, HeadersObj** out) {
  FetchState* s = state(ctx);
  JSValue proto = JS_IsUndefined(new_target) ? JS_GetClassProto(ctx, s->headers_class)
                                             : JS_GetPropertyStr(ctx, new_target, "prototype");
  if (JS_IsException(proto)) return proto;
  JSValue obj = JS_NewObjectProtoClass(ctx, proto, s->headers_class);
  JS_FreeValue(ctx, proto);
  if (JS_IsException(obj)) return obj;
  auto* h = static_cast<HeadersObj*>(js_mallocz(ctx, sizeof(HeadersObj)));
  if (!h) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  new (h) HeadersObj();
  JS_SetOpaque(obj, h);
  *out = h;
  return obj;
}

void headers_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* h = static_cast<HeadersObj*>(JS_GetAnyOpaque(val, &id));
  if (!h) return;
  list_free(rt, &h->list);
  js_free_rt(rt, h);
}

// Fills l from a HeadersInit: a Headers, an iterable of [name, value] pairs
// or a record of name: value.
bool fill_headers(JSContext* ctx, const char* fn, HeaderList* l, JSValueConst init) {
  if (JS_IsUndefined(init)) return true;
  if (!JS_IsObject(init)) {
    JS_ThrowTypeError(ctx, "%s: headers must be an object, an array of [name, value] pairs or a Headers", fn);
    return false;
  }
  if (HeadersObj* h = headers_of(ctx, init)) {
    Entry e;
    for (size_t pos = 0; next_entry(h->list, &pos, &e);)
      if (!list_append(ctx, fn, l, e.name, e.name_len, e.value, e.value_len, true)) return false;
    return true;
  }
  JSValue arr = JS_UNDEFINED;
  int is_array = JS_IsArray(ctx, init);
  if (is_array < 0) return false;
  if (is_array) {
    arr = JS_DupValue(ctx, init);
  } else {
    JSValue it = JS_GetProperty(ctx, init, state(ctx)->iterator_atom);
    if (JS_IsException(it)) return false;
    bool iterable = !JS_IsUndefined(it) && !JS_IsNull(it);
    JS_FreeValue(ctx, it);
    if (iterable) {  // Map, headers.entries(), a generator...: Array.from it
      JSValue global = JS_GetGlobalObject(ctx);
      JSValue array = JS_GetPropertyStr(ctx, global, "Array");
      JSValue from = JS_GetPropertyStr(ctx, array, "from");
      arr = JS_Call(ctx, from, array, 1, &init);
      JS_FreeValue(ctx, from);
      JS_FreeValue(ctx, array);
      JS_FreeValue(ctx, global);
      if (JS_IsException(arr)) return false;
    }
  }
  bool ok = true;
  if (!JS_IsUndefined(arr)) {
    int64_t n = 0;
    ok = get_length(ctx, arr, &n);
    for (int64_t i = 0; ok && i < n; i++) {
      JSValue pair = JS_GetPropertyUint32(ctx, arr, static_cast<uint32_t>(i));
      int64_t plen = 0;
      if (JS_IsException(pair) || JS_IsArray(ctx, pair) != 1 || !get_length(ctx, pair, &plen) || plen != 2) {
        if (!JS_IsException(pair) && !JS_HasException(ctx))
          JS_ThrowTypeError(ctx, "%s: each header must be a [name, value] pair", fn);
        ok = false;
      } else {
        JSValue name = JS_GetPropertyUint32(ctx, pair, 0);
        JSValue value = JS_GetPropertyUint32(ctx, pair, 1);
        ok = !JS_IsException(name) && !JS_IsException(value) && append_js(ctx, fn, l, name, value);
        JS_FreeValue(ctx, name);
        JS_FreeValue(ctx, value);
      }
      JS_FreeValue(ctx, pair);
    }
    JS_FreeValue(ctx, arr);
    return ok;
  }
  JSPropertyEnum* props = nullptr;
  uint32_t count = 0;
  if (JS_GetOwnPropertyNames(ctx, &props, &count, init, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0) return false;
  for (uint32_t i = 0; ok && i < count; i++) {
    JSValue name = JS_AtomToString(ctx, props[i].atom);
    JSValue value = JS_GetProperty(ctx, init, props[i].atom);
    ok = !JS_IsException(name) && !JS_IsException(value) && append_js(ctx, fn, l, name, value);
    JS_FreeValue(ctx, name);
    JS_FreeValue(ctx, value);
  }
  for (uint32_t i = 0; i < count; i++) JS_FreeAtom(ctx, props[i].atom);
  js_free(ctx, props);
  return ok;
}

JSValue headers_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers", argc, argv);
  HeadersObj* h = nullptr;
  JSValue obj = new_headers_object(ctx, new_target, &h);
  if (JS_IsException(obj)) return obj;
  if (!fill_headers(ctx, a.fn(), &h->list, a[0])) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  return obj;
}

// A name argument, validated (the standard throws TypeError for non-tokens).
bool name_arg(Args& a, int i, JsString* out) {
  if (!a.count(i + 1) || !out->from(a.ctx(), a[i])) return false;
  if (!net::http::is_token(out->c_str(), out->size())) {
    a.type_error("invalid header name '%.*s'", static_cast<int>(out->size() > 64 ? 64 : out->size()), out->c_str());
    return false;
  }
  return true;
}

// The combined value of every field named name (", "-joined), or null.
JSValue combined_value(JSContext* ctx, const HeaderList& l, const char* name, size_t nl) {
  size_t total = 0, n = 0;
  Entry e;
  for (size_t pos = 0; next_entry(l, &pos, &e);) {
    if (!same_name(e, name, nl)) continue;
    total += e.value_len + (n++ ? 2 : 0);
  }
  if (n == 0) return JS_NULL;
  auto* buf = static_cast<char*>(js_malloc(ctx, total + 1));
  if (!buf) return JS_EXCEPTION;
  size_t off = 0;
  n = 0;
  for (size_t pos = 0; next_entry(l, &pos, &e);) {
    if (!same_name(e, name, nl)) continue;
    if (n++) {
      memcpy(buf + off, ", ", 2);
      off += 2;
    }
    memcpy(buf + off, e.value, e.value_len);
    off += e.value_len;
  }
  JSValue s = JS_NewStringLen(ctx, buf, off);
  js_free(ctx, buf);
  return s;
}

enum PairKind { kEntries, kKeys, kValues };

// The standard's "sort and combine": one entry per name in name order, with
// values joined, except set-cookie which stays one entry per field.
JSValue sorted_pairs(JSContext* ctx, const HeaderList& l, PairKind kind) {
  JSValue arr = JS_NewArray(ctx);
  if (JS_IsException(arr)) return arr;
  uint32_t idx = 0;
  const char* last = nullptr;
  for (;;) {
    const char* min = nullptr;
    size_t min_len = 0;
    Entry e;
    for (size_t pos = 0; next_entry(l, &pos, &e);) {
      if ((!last || strcmp(e.name, last) > 0) && (!min || strcmp(e.name, min) < 0)) {
        min = e.name;
        min_len = e.name_len;
      }
    }
    if (!min) break;
    last = min;
    bool cookie = strcmp(min, "set-cookie") == 0;
    for (size_t pos = 0; next_entry(l, &pos, &e);) {
      if (!cookie && e.name != min) continue;
      if (cookie && strcmp(e.name, min) != 0) continue;
      JSValue value = cookie ? JS_NewStringLen(ctx, e.value, e.value_len) : combined_value(ctx, l, min, min_len);
      JSValue name = JS_NewStringLen(ctx, min, min_len);
      JSValue item;
      if (kind == kKeys) {
        JS_FreeValue(ctx, value);
        item = name;
      } else if (kind == kValues) {
        JS_FreeValue(ctx, name);
        item = value;
      } else {
        item = JS_NewArray(ctx);
        JS_SetPropertyUint32(ctx, item, 0, name);
        JS_SetPropertyUint32(ctx, item, 1, value);
      }
      if (JS_IsException(item) || JS_SetPropertyUint32(ctx, arr, idx++, item) < 0) {
        JS_FreeValue(ctx, arr);
        return JS_EXCEPTION;
      }
    }
  }
  return arr;
}

JSValue headers_get(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.get", argc, argv);
  HeadersObj* h = this_headers(ctx, this_val, a.fn());
  JsString name;
  if (!h || !name_arg(a, 0, &name)) return JS_EXCEPTION;
  return combined_value(ctx, h->list, name.c_str(), name.size());
}

JSValue headers_has(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.has", argc, argv);
  HeadersObj* h = this_headers(ctx, this_val, a.fn());
  JsString name;
  if (!h || !name_arg(a, 0, &name)) return JS_EXCEPTION;
  return JS_NewBool(ctx, list_has(h->list, name.c_str(), name.size()));
}

// append (magic 0), set (1), delete (2).
JSValue headers_modify(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic) {
  static const char* const kNames[] = {"Headers.append", "Headers.set", "Headers.delete"};
  Args a(ctx, kNames[magic], argc, argv);
  HeadersObj* h = this_headers(ctx, this_val, a.fn());
  JsString name, value;
  if (!h || !name_arg(a, 0, &name)) return JS_EXCEPTION;
  if (h->immutable) return a.type_error("headers are immutable");
  if (magic == 2) {
    list_remove(&h->list, name.c_str(), name.size());
    return JS_UNDEFINED;
  }
  if (!a.count(2) || !value.from(ctx, a[1])) return JS_EXCEPTION;
  const char* vp = value.c_str();
  size_t vl = value.size();
  if (!check_header(ctx, a.fn(), name.c_str(), name.size(), &vp, &vl)) return JS_EXCEPTION;
  if (magic == 1) list_remove(&h->list, name.c_str(), name.size());
  if (!list_append(ctx, a.fn(), &h->list, name.c_str(), name.size(), vp, vl, true)) return JS_EXCEPTION;
  return JS_UNDEFINED;
}

JSValue headers_get_set_cookie(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.getSetCookie", argc, argv);
  HeadersObj* h = this_headers(ctx, this_val, a.fn());
  if (!h) return JS_EXCEPTION;
  JSValue arr = JS_NewArray(ctx);
  uint32_t i = 0;
  Entry e;
  for (size_t pos = 0; !JS_IsException(arr) && next_entry(h->list, &pos, &e);)
    if (strcmp(e.name, "set-cookie") == 0)
      JS_SetPropertyUint32(ctx, arr, i++, JS_NewStringLen(ctx, e.value, e.value_len));
  return arr;
}

// entries (magic kEntries), keys, values: array iterators over a snapshot.
JSValue headers_iterate(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic) {
  Args a(ctx, "Headers.entries", argc, argv);
  HeadersObj* h = this_headers(ctx, this_val, a.fn());
  if (!h) return JS_EXCEPTION;
  JSValue arr = sorted_pairs(ctx, h->list, static_cast<PairKind>(magic));
  if (JS_IsException(arr)) return arr;
  JSValue values = JS_GetPropertyStr(ctx, arr, "values");
  JSValue it = JS_Call(ctx, values, arr, 0, nullptr);
  JS_FreeValue(ctx, values);
  JS_FreeValue(ctx, arr);
  return it;
}

JSValue headers_for_each(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.forEach", argc, argv);
  HeadersObj* h = this_headers(ctx, this_val, a.fn());
  if (!h || !a.count(1) || !a.function(0, "callback")) return JS_EXCEPTION;
  JSValue arr = sorted_pairs(ctx, h->list, kEntries);
  if (JS_IsException(arr)) return arr;
  int64_t n = 0;
  get_length(ctx, arr, &n);
  JSValue ret = JS_UNDEFINED;
  for (int64_t i = 0; i < n; i++) {
    JSValue pair = JS_GetPropertyUint32(ctx, arr, static_cast<uint32_t>(i));
    JSValue args[3] = {JS_GetPropertyUint32(ctx, pair, 1), JS_GetPropertyUint32(ctx, pair, 0),
                       JS_DupValue(ctx, this_val)};
    JSValue r = JS_Call(ctx, argv[0], a[1], 3, args);
    for (JSValue& v : args) JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, pair);
    if (JS_IsException(r)) {
      ret = r;
      break;
    }
    JS_FreeValue(ctx, r);
  }
  JS_FreeValue(ctx, arr);
  return ret;
}

const Method kHeadersProto[] = {
    method("get", headers_get, 1),
    method("has", headers_has, 1),
    method("append", headers_modify, 2, 0),
    method("set", headers_modify, 2, 1),
    method("delete", headers_modify, 1, 2),
    method("getSetCookie", headers_get_set_cookie, 0),
    method("forEach", headers_for_each, 1),
    method("entries", headers_iterate, 0, kEntries),
    method("keys", headers_iterate, 0, kKeys),
    method("values", headers_iterate, 0, kValues),
};

// ------------------------------------------------------------ Response

void response_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* r = static_cast<ResponseObj*>(JS_GetAnyOpaque(val, &id));
  if (!r) return;
  js_free_rt(rt, r->body);
  js_free_rt(rt, r);
}

bool define(JSContext* ctx, JSValueConst obj, const char* name, JSValue v, bool enumerable = true) {
  return JS_DefinePropertyValueStr(ctx, obj, name, v, enumerable ? JS_PROP_ENUMERABLE : 0) >= 0;
}

struct ResponseInit {
  int status = 200;
  const char* status_text = "";
  size_t status_text_len = 0;
  const char* url = "";
  const char* type = "default";
  bool redirected = false;
  bool reused = false;
  bool resumed = false;
};

// Takes ownership of headers and body (js_malloc'd, NUL-terminated).
JSValue new_response(JSContext* ctx, JSValueConst new_target, const ResponseInit& in, JSValue headers,
                     uint8_t* body, size_t len) {
  FetchState* s = state(ctx);
  JSValue proto = JS_IsUndefined(new_target) ? JS_GetClassProto(ctx, s->response_class)
                                             : JS_GetPropertyStr(ctx, new_target, "prototype");
  JSValue obj = JS_IsException(proto) ? JS_EXCEPTION : JS_NewObjectProtoClass(ctx, proto, s->response_class);
  JS_FreeValue(ctx, proto);
  auto* r = JS_IsException(obj) ? nullptr : static_cast<ResponseObj*>(js_mallocz(ctx, sizeof(ResponseObj)));
  if (!r) {
    JS_FreeValue(ctx, obj);
    JS_FreeValue(ctx, headers);
    js_free(ctx, body);
    return JS_EXCEPTION;
  }
  r->body = body;
  r->len = len;
  JS_SetOpaque(obj, r);
  bool ok = define(ctx, obj, "headers", headers) && define(ctx, obj, "status", JS_NewInt32(ctx, in.status)) &&
            define(ctx, obj, "statusText", JS_NewStringLen(ctx, in.status_text, in.status_text_len)) &&
            define(ctx, obj, "ok", JS_NewBool(ctx, in.status >= 200 && in.status <= 299)) &&
            define(ctx, obj, "url", JS_NewString(ctx, in.url)) &&
            define(ctx, obj, "redirected", JS_NewBool(ctx, in.redirected)) &&
            define(ctx, obj, "type", JS_NewString(ctx, in.type)) &&
            define(ctx, obj, "_reused", JS_NewBool(ctx, in.reused), false) &&
            define(ctx, obj, "_resumed", JS_NewBool(ctx, in.resumed), false);
  if (!ok) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  return obj;
}

// new Response(body?, {status, statusText, headers}): for tests and mocks.
JSValue response_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "Response", argc, argv);
  JsBytes bytes;
  bool has_body = a.has(0) && !JS_IsNull(a[0]);
  if (has_body && !a.bytes(0, "body", &bytes)) return JS_EXCEPTION;
  if (a.has(1) && !JS_IsNull(a[1]) && !a.object(1, "init")) return JS_EXCEPTION;
  Options o(ctx, a.fn(), a[1]);
  int64_t status = 200;
  JsString status_text;
  if (!o.integer("status", 200, 599, &status) || !o.string("statusText", &status_text)) return JS_EXCEPTION;
  HeadersObj* h = nullptr;
  JSValue headers = new_headers_object(ctx, JS_UNDEFINED, &h);
  if (JS_IsException(headers)) return headers;
  JSValue hv = o.get("headers");
  bool ok = !JS_IsException(hv) && fill_headers(ctx, a.fn(), &h->list, hv);
  JS_FreeValue(ctx, hv);
  if (ok && has_body && JS_IsString(a[0]) && !list_has(h->list, "content-type", 12))
    ok = list_append(ctx, a.fn(), &h->list, "content-type", 12, "text/plain;charset=UTF-8", 24, false);
  uint8_t* body = nullptr;
  if (ok && has_body) {
    body = static_cast<uint8_t*>(js_malloc(ctx, bytes.size() + 1));
    ok = body != nullptr;
    if (ok) {
      if (bytes.size()) memcpy(body, bytes.data(), bytes.size());
      body[bytes.size()] = 0;
    }
  }
  if (!ok) {
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  ResponseInit in;
  in.status = static_cast<int>(status);
  in.status_text = status_text.c_str();
  in.status_text_len = status_text.size();
  return new_response(ctx, new_target, in, headers, body, has_body ? bytes.size() : 0);
}

enum BodyKind { kText, kJson, kArrayBuffer, kBytes };

void free_body(JSRuntime* rt, void*, void* ptr) { js_free_rt(rt, ptr); }

// text(), json(), arrayBuffer(), bytes(): each consumes the body once.
JSValue response_consume(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic) {
  static const char* const kNames[] = {"Response.text", "Response.json", "Response.arrayBuffer",
                                       "Response.bytes"};
  Args a(ctx, kNames[magic], argc, argv);
  auto* r = static_cast<ResponseObj*>(JS_GetOpaque(this_val, state(ctx)->response_class));
  if (!r) {
    a.type_error("not a Response");
    return rejected_with_exception(ctx);
  }
  if (r->used) {
    a.type_error("body already used");
    return rejected_with_exception(ctx);
  }
  r->used = true;
  uint8_t* body = r->body;
  size_t len = r->len;
  r->body = nullptr;
  r->len = 0;
  JSValue v;
  if (magic == kText || magic == kJson) {
    const char* p = body ? reinterpret_cast<const char*>(body) : "";
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, len -= 3;  // UTF-8 decode drops a BOM
    v = magic == kText ? JS_NewStringLen(ctx, p, len) : JS_ParseJSON(ctx, p, len, "<response body>");
    js_free(ctx, body);
  } else {
    // The buffer moves into the ArrayBuffer: no copy.
    v = body ? JS_NewArrayBuffer(ctx, body, len, free_body, nullptr, false) : JS_NewArrayBufferCopy(ctx, nullptr, 0);
    if (JS_IsException(v)) js_free(ctx, body);
    if (magic == kBytes && !JS_IsException(v)) {
      // With a buffer, QuickJS reads argv[1] (offset) and argv[2] (length).
      JSValue targs[3] = {v, JS_UNDEFINED, JS_UNDEFINED};
      JSValue u8 = JS_NewTypedArray(ctx, 3, targs, JS_TYPED_ARRAY_UINT8);
      JS_FreeValue(ctx, v);
      v = u8;
    }
  }
  if (JS_IsException(v)) return rejected_with_exception(ctx);
  return settled(ctx, true, v);
}

JSValue response_body_used(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  auto* r = static_cast<ResponseObj*>(JS_GetOpaque(this_val, state(ctx)->response_class));
  if (!r) return JS_ThrowTypeError(ctx, "Response.bodyUsed: not a Response");
  return JS_NewBool(ctx, r->used);
}

const Method kResponseProto[] = {
    method("text", response_consume, 0, kText),
    method("json", response_consume, 0, kJson),
    method("arrayBuffer", response_consume, 0, kArrayBuffer),
    method("bytes", response_consume, 0, kBytes),
};

// ------------------------------------------------------------ fetch

void free_op(FetchState* s, Op* op) {
  JSContext* ctx = op->ctx;
  if (op->prev) op->prev->next = op->next; else s->ops = op->next;
  if (op->next) op->next->prev = op->prev;
  if (op->ex) s->client.release(op->ex);
  JS_FreeValue(ctx, op->resolve);
  JS_FreeValue(ctx, op->reject);
  list_free(JS_GetRuntime(ctx), &op->headers);
  js_free(ctx, op->body);
  op->~Op();
  js_free(ctx, op);
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

// Starts the exchange for op's current URL. JS_UNDEFINED, or the error to
// reject with.
JSValue start_exchange(Op* op) {
  JSContext* ctx = op->ctx;
  FetchState* s = state(ctx);
  tls::TlsContext* tls = nullptr;
  if (op->url.https) {
    if (!core::Runtime::from(ctx)->slot(core::Slot::kNet)) {  // install_net() was not called
      JS_ThrowInternalError(ctx, "fetch: TLS is not available in this runtime");
      return JS_GetException(ctx);
    }
    tls = runtime_tls(ctx);
    if (!tls) return JS_GetException(ctx);
  }
  auto* fields = static_cast<Field*>(js_malloc(ctx, sizeof(Field) * (op->headers.count + 1)));
  if (!fields) return JS_GetException(ctx);
  size_t n = 0;
  Entry e;
  for (size_t pos = 0; next_entry(op->headers, &pos, &e);)
    fields[n++] = Field{e.name, e.name_len, e.value, e.value_len};
  net::http::Request r;
  r.url = &op->url;
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
  net::Error err;
  op->ex = s->client.start(r, op, &err);
  js_free(ctx, fields);
  return op->ex ? JS_UNDEFINED : fetch_error(ctx, err);
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Follows a redirect as the standard does. JS_UNDEFINED once the next
// exchange runs, or the error to reject with.
JSValue follow_redirect(Op* op, const Field& location) {
  JSContext* ctx = op->ctx;
  if (op->redirect == Op::kError) {
    JS_ThrowTypeError(ctx, "fetch: redirected to '%.*s' but redirect is 'error'",
                      static_cast<int>(location.value_len > 200 ? 200 : location.value_len), location.value);
    return JS_GetException(ctx);
  }
  if (++op->redirects > kMaxRedirects) {
    JS_ThrowTypeError(ctx, "fetch: too many redirects (more than %d)", kMaxRedirects);
    return JS_GetException(ctx);
  }
  // On the heap: a Url is 2 KB, too much for a microcontroller's stack.
  auto* next = static_cast<net::Url*>(js_malloc(ctx, sizeof(net::Url)));
  if (!next) return JS_GetException(ctx);
  net::UrlError ue = net::resolve_url(op->url, location.value, location.value_len, next);
  if (ue != net::UrlError::kOk) {
    js_free(ctx, next);
    JS_ThrowTypeError(ctx, "fetch: invalid redirect location '%.*s': %s",
                      static_cast<int>(location.value_len > 200 ? 200 : location.value_len), location.value,
                      net::url_error_message(ue));
    return JS_GetException(ctx);
  }
  if (!next->same_origin(op->url)) {  // credentials and a forced Host stay behind
    list_remove(&op->headers, "authorization", 13);
    list_remove(&op->headers, "host", 4);
  }
  op->url = *next;
  js_free(ctx, next);
  op->redirected = true;
  return start_exchange(op);
}

void Op::on_exchange_done(Exchange& x) {
  Client& client = state(ctx)->client;
  ex = nullptr;
  if (x.failed()) {
    net::Error e = x.error();
    if (strcmp(e.code, "TIMEOUT") == 0 && core::Runtime::from(ctx)->loop().now() >= deadline)
      snprintf(e.message, sizeof e.message, "request to %s://%s:%u timed out after %lu ms",
               url.https ? "https" : "http", url.host, static_cast<unsigned>(url.port),
               static_cast<unsigned long>(timeout_ms));
    JSValue err = fetch_error(ctx, e);
    client.release(&x);
    return settle(this, false, err);
  }
  const net::http::ResponseParser& resp = x.response();
  int status = resp.status();
  const Field* location = resp.find("location");
  if (is_redirect(status) && location && redirect != kManual) {
    // 303, and 301/302 after a POST, turn into a GET without a body.
    if ((status == 303 && strcmp(method, "HEAD") != 0) ||
        ((status == 301 || status == 302) && strcmp(method, "POST") == 0)) {
      snprintf(method, sizeof method, "GET");
      js_free(ctx, body);
      body = nullptr;
      body_len = 0;
      for (const char* h : {"content-type", "content-encoding", "content-language", "content-location"})
        list_remove(&headers, h, strlen(h));
    }
    Field loc = *location;  // lives in x, which must outlive the resolution
    JSValue err = follow_redirect(this, loc);
    client.release(&x);
    if (!JS_IsUndefined(err)) settle(this, false, err);
    return;
  }
  HeadersObj* h = nullptr;
  JSValue hobj = new_headers_object(ctx, JS_UNDEFINED, &h);
  if (!JS_IsException(hobj)) h->immutable = true;
  size_t href_len = url.href(nullptr, 0) + 1;
  auto* href = static_cast<char*>(js_malloc(ctx, href_len));
  bool ok = !JS_IsException(hobj) && href;
  if (ok) url.href(href, href_len);
  for (size_t i = 0; ok && i < resp.field_count(); i++) {
    const Field& f = resp.field(i);
    ok = list_append(ctx, "fetch", &h->list, f.name, f.name_len, f.value, f.value_len, false);
  }
  ResponseInit in;
  in.status = status;
  in.status_text = resp.reason();
  in.status_text_len = strlen(resp.reason());
  in.url = href;
  in.type = "basic";
  in.redirected = redirected;
  in.reused = x.reused();
  in.resumed = x.resumed();
  size_t len = 0;
  uint8_t* data = x.take_body(&len);
  client.release(&x);
  if (!ok) {
    JS_FreeValue(ctx, hobj);
    js_free(ctx, data);
    js_free(ctx, href);
    return settle(this, false, JS_GetException(ctx));
  }
  JSValue response = new_response(ctx, JS_UNDEFINED, in, hobj, data, len);
  js_free(ctx, href);
  if (JS_IsException(response)) return settle(this, false, JS_GetException(ctx));
  settle(this, true, response);
}

bool parse_method(Args& a, const JsString& m, char* out) {
  if (m.size() > kMaxMethod || !net::http::is_token(m.c_str(), m.size())) {
    a.type_error("invalid method '%.*s'", static_cast<int>(m.size() > 40 ? 40 : m.size()), m.c_str());
    return false;
  }
  // The standard upper-cases these six, and forbids three others.
  for (const char* std_method : {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
    if (net::http::equals_ci(m.c_str(), m.size(), std_method)) {
      snprintf(out, kMaxMethod + 1, "%s", std_method);
      return true;
    }
  for (const char* forbidden : {"CONNECT", "TRACE", "TRACK"})
    if (net::http::equals_ci(m.c_str(), m.size(), forbidden)) {
      a.type_error("method '%s' is not allowed", forbidden);
      return false;
    }
  memcpy(out, m.c_str(), m.size() + 1);
  return true;
}

// Validates fetch()'s arguments into a new Op; nullptr with an exception.
Op* prepare(JSContext* ctx, int argc, JSValueConst* argv) {
  FetchState* s = state(ctx);
  Args a(ctx, "fetch", argc, argv);
  JsString input, method, redirect;
  if (!a.count(1) || !a.string(0, "url", &input)) return nullptr;
  if (a.has(1) && !JS_IsNull(a[1]) && !a.object(1, "init")) return nullptr;
  Options o(ctx, a.fn(), a[1]);
  int64_t timeout = s->timeout_ms, max_body = s->max_body;
  if (!o.string("method", &method) || !o.integer("timeout", 1, kMaxTimeoutMs, &timeout) ||
      !o.integer("maxBodySize", 0, kMaxBodyLimit, &max_body) || !o.string("redirect", &redirect))
    return nullptr;

  auto* op = static_cast<Op*>(js_mallocz(ctx, sizeof(Op)));
  if (!op) return nullptr;
  new (op) Op();
  op->ctx = ctx;
  op->next = s->ops;  // linked at once so that free_op() can unlink it
  if (s->ops) s->ops->prev = op;
  s->ops = op;
  auto fail = [&]() -> Op* {
    free_op(s, op);
    return nullptr;
  };

  net::UrlError ue = net::parse_url(input.c_str(), input.size(), &op->url);
  if (ue != net::UrlError::kOk) {
    a.type_error("invalid URL '%.*s': %s", static_cast<int>(input.size() > 200 ? 200 : input.size()), input.c_str(),
                 net::url_error_message(ue));
    return fail();
  }
  JSValue mv = o.get("method");
  bool has_method = !JS_IsUndefined(mv);
  JS_FreeValue(ctx, mv);
  if (!has_method) {
    snprintf(op->method, sizeof op->method, "GET");
  } else if (!parse_method(a, method, op->method)) {
    return fail();
  }
  if (redirect.empty() || strcmp(redirect.c_str(), "follow") == 0) {
    op->redirect = Op::kFollow;
  } else if (strcmp(redirect.c_str(), "manual") == 0) {
    op->redirect = Op::kManual;
  } else if (strcmp(redirect.c_str(), "error") == 0) {
    op->redirect = Op::kError;
  } else {
    a.type_error("option 'redirect' must be 'follow', 'manual' or 'error'");
    return fail();
  }

  JSValue hv = o.get("headers");
  bool ok = !JS_IsException(hv) && fill_headers(ctx, a.fn(), &op->headers, hv);
  JS_FreeValue(ctx, hv);
  if (!ok) return fail();
  Entry e;
  for (size_t pos = 0; next_entry(op->headers, &pos, &e);) {
    if (net::http::is_reserved_field(e.name, e.name_len)) {
      a.type_error("header '%s' cannot be set (fetch manages it)", e.name);
      return fail();
    }
  }

  JSValue bv = o.get("body");
  if (JS_IsException(bv)) return fail();
  bool has_body = !JS_IsUndefined(bv) && !JS_IsNull(bv);
  bool string_body = JS_IsString(bv);
  JS_FreeValue(ctx, bv);
  if (has_body) {
    if (strcmp(op->method, "GET") == 0 || strcmp(op->method, "HEAD") == 0) {
      a.type_error("a %s request cannot have a body", op->method);
      return fail();
    }
    JsBytes bytes;
    if (!o.bytes("body", &bytes)) return fail();
    // A copy: the script may change or detach its buffer meanwhile.
    op->body = static_cast<uint8_t*>(js_malloc(ctx, bytes.size() ? bytes.size() : 1));
    if (!op->body) return fail();
    if (bytes.size()) memcpy(op->body, bytes.data(), bytes.size());
    op->body_len = bytes.size();
  }
  struct Default {
    const char* name;
    const char* value;
    bool when;
  } defaults[] = {{"accept", "*/*", true},
                  {"user-agent", "mcujs", true},
                  {"content-type", "text/plain;charset=UTF-8", string_body}};
  for (const Default& d : defaults)
    if (d.when && !list_has(op->headers, d.name, strlen(d.name)) &&
        !list_append(ctx, a.fn(), &op->headers, d.name, strlen(d.name), d.value, strlen(d.value), false))
      return fail();
  op->deadline = core::Runtime::from(ctx)->loop().now() + static_cast<uint64_t>(timeout);
  op->timeout_ms = timeout;
  op->max_body = static_cast<size_t>(max_body);
  return op;
}

JSValue js_fetch(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  JSValue fns[2];
  JSValue promise = JS_NewPromiseCapability(ctx, fns);
  if (JS_IsException(promise)) return promise;
  Op* op = prepare(ctx, argc, argv);
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
  Client::Stats st = s->client.stats();
  uint32_t pending = 0;
  for (Op* op = s->ops; op; op = op->next) pending++;
  JSValue o = JS_NewObject(ctx);
  if (JS_IsException(o)) return o;
  JS_SetPropertyStr(ctx, o, "connections", JS_NewUint32(ctx, st.connections));
  JS_SetPropertyStr(ctx, o, "reused", JS_NewUint32(ctx, st.reused));
  JS_SetPropertyStr(ctx, o, "idle", JS_NewUint32(ctx, st.idle));
  JS_SetPropertyStr(ctx, o, "pending", JS_NewUint32(ctx, pending));
  return o;
}

// fetch.configure({poolSize, idleTimeout, timeout, maxBodySize, maxHeaderSize})
JSValue js_fetch_configure(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "fetch.configure", argc, argv);
  if (!a.count(1, 1) || !a.object(0, "options")) return JS_EXCEPTION;
  FetchState* s = state(ctx);
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

void destroy_state(core::Runtime& rt, void* p) {
  auto* s = static_cast<FetchState*>(p);
  while (s->ops) free_op(s, s->ops);  // promises left pending: nobody can observe them now
  JS_FreeAtom(rt.ctx(), s->iterator_atom);
  delete s;  // the client closes its connections
}

bool new_class(JSContext* ctx, JSClassID* id, const char* name, JSClassFinalizer* fin) {
  JS_NewClassID(id);
  JSClassDef def{};
  def.class_name = name;
  def.finalizer = fin;
  return JS_IsRegisteredClass(JS_GetRuntime(ctx), *id) || JS_NewClass(JS_GetRuntime(ctx), *id, &def) == 0;
}

// A constructor with its prototype's methods, as a global.
bool install_class(JSContext* ctx, JSValueConst global, JSClassID id, const char* name, JSCFunction* ctor,
                   const Method* methods, size_t count, JSValue* proto_out) {
  JSValue proto = JS_NewObject(ctx);
  if (JS_IsException(proto)) return false;
  if (!set_methods(ctx, proto, methods, count)) {
    JS_FreeValue(ctx, proto);
    return false;
  }
  JSValue fn = JS_NewCFunction2(ctx, ctor, name, 0, JS_CFUNC_constructor, 0);
  if (JS_IsException(fn)) {
    JS_FreeValue(ctx, proto);
    return false;
  }
  JS_SetConstructor(ctx, fn, proto);
  JS_SetClassProto(ctx, id, JS_DupValue(ctx, proto));
  *proto_out = proto;
  return JS_DefinePropertyValueStr(ctx, global, name, fn, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) >= 0;
}

}  // namespace

bool install_fetch(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  auto* s = new (std::nothrow) FetchState(rt);
  if (!s) return false;
  rt.set_slot(core::Slot::kFetch, s, destroy_state);
  static JSClassID headers_class = 0, response_class = 0;
  if (!new_class(ctx, &headers_class, "Headers", headers_finalizer) ||
      !new_class(ctx, &response_class, "Response", response_finalizer))
    return false;
  s->headers_class = headers_class;
  s->response_class = response_class;

  JSValue global = JS_GetGlobalObject(ctx);
  JSValue symbol = JS_GetPropertyStr(ctx, global, "Symbol");
  JSValue iterator = JS_GetPropertyStr(ctx, symbol, "iterator");
  s->iterator_atom = JS_ValueToAtom(ctx, iterator);
  JS_FreeValue(ctx, iterator);
  JS_FreeValue(ctx, symbol);

  JSValue headers_proto = JS_UNDEFINED, response_proto = JS_UNDEFINED;
  bool ok = install_class(ctx, global, headers_class, "Headers", headers_ctor,
                          kHeadersProto, sizeof kHeadersProto / sizeof kHeadersProto[0], &headers_proto) &&
            install_class(ctx, global, response_class, "Response", response_ctor,
                          kResponseProto, sizeof kResponseProto / sizeof kResponseProto[0], &response_proto);
  if (ok) {  // headers[Symbol.iterator] is entries; response.bodyUsed a getter
    JSValue entries = JS_GetPropertyStr(ctx, headers_proto, "entries");
    ok = JS_DefinePropertyValue(ctx, headers_proto, s->iterator_atom, entries,
                                JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) >= 0;
    JSValue getter = JS_NewCFunction2(ctx, response_body_used, "get bodyUsed", 0, JS_CFUNC_generic, 0);
    JSAtom body_used = JS_NewAtom(ctx, "bodyUsed");
    ok = ok && JS_DefinePropertyGetSet(ctx, response_proto, body_used, getter, JS_UNDEFINED,
                                       JS_PROP_CONFIGURABLE) >= 0;
    JS_FreeAtom(ctx, body_used);
  }
  JS_FreeValue(ctx, headers_proto);
  JS_FreeValue(ctx, response_proto);

  JSValue fetch = ok ? JS_NewCFunction(ctx, js_fetch, "fetch", 1) : JS_EXCEPTION;
  if (JS_IsException(fetch)) {
    ok = false;
  } else if (!set_function(ctx, fetch, "stats", js_fetch_stats, 0) ||
             !set_function(ctx, fetch, "configure", js_fetch_configure, 1)) {
    JS_FreeValue(ctx, fetch);
    ok = false;
  } else {
    ok = JS_DefinePropertyValueStr(ctx, global, "fetch", fetch, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) >= 0;
  }
  JS_FreeValue(ctx, global);
  return ok;
}

}  // namespace mcujs::bind
