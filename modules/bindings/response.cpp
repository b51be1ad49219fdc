// Response (WHATWG Fetch): the constructor's init rules, attributes as
// prototype getters, clone(), the Body mixin, and the statics error(),
// json() and redirect(). fetch() builds its responses with new_response().
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <new>

#include "modules/bindings/request.h"
#include "modules/bindings/response.h"
#include "net/http/redirect.h"
#include "net/url.h"

namespace mcujs::bind {

namespace {

struct ResponseObj {
  Body body;
  JSValue headers = JS_UNDEFINED;
  JSValue status_text = JS_UNDEFINED;
  JSValue url = JS_UNDEFINED;
  int status = 200;
  ResponseType type = ResponseType::kDefault;
  bool redirected = false;
  bool reused = false;
  bool resumed = false;
};

void response_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* r = static_cast<ResponseObj*>(JS_GetAnyOpaque(val, &id));
  if (!r) return;
  body_release(rt, &r->body);
  for (JSValue v : {r->headers, r->status_text, r->url}) JS_FreeValueRT(rt, v);
  js_free_rt(rt, r);
}
void response_mark(JSRuntime* rt, JSValueConst val, JS_MarkFunc* mf) {
  JSClassID id;
  auto* r = static_cast<ResponseObj*>(JS_GetAnyOpaque(val, &id));
  if (!r) return;
  JS_MarkValue(rt, r->headers, mf);
  body_mark(rt, r->body, mf);
}

extern const ClassDef kResponseDef;
JsClass g_response(kResponseDef);

ResponseObj* self(JSContext* ctx, JSValueConst v, const char* fn) { return native<ResponseObj>(ctx, g_response, v, fn); }

// Takes ownership of headers; body moves from *body.
JSValue make_response(JSContext* ctx, JSValueConst new_target, const ResponseFields& in, JSValue headers, Body* body) {
  auto* r = static_cast<ResponseObj*>(js_mallocz(ctx, sizeof(ResponseObj)));
  if (!r) {
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  new (r) ResponseObj();
  r->headers = headers;
  r->status = in.status;
  r->type = in.type;
  r->redirected = in.redirected;
  r->reused = in.reused;
  r->resumed = in.resumed;
  r->status_text = new_byte_string(ctx, in.status_text, in.status_text_len);
  r->url = JS_NewString(ctx, in.url ? in.url : "");
  if (body) {
    r->body = *body;
    *body = Body{};
  }
  JSValue obj = JS_IsException(r->status_text) || JS_IsException(r->url) ? JS_EXCEPTION
                                                                          : g_response.make(ctx, new_target, r);
  if (JS_IsException(obj)) {
    body_release(JS_GetRuntime(ctx), &r->body);
    for (JSValue v : {r->headers, r->status_text, r->url}) JS_FreeValue(ctx, v);
    js_free(ctx, r);
  }
  return obj;
}

bool null_body_status(int s) { return s == 101 || s == 103 || s == 204 || s == 205 || s == 304; }

// reason-phrase = *( HTAB / SP / VCHAR / obs-text )
bool reason_phrase(const char* s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c != '\t' && (c < 0x20 || c == 0x7f)) return false;
  }
  return true;
}

// The standard's "initialize a response": status, statusText, headers, body.
JSValue init_response(JSContext* ctx, const char* fn, JSValueConst new_target, JSValueConst init, Body* body,
                      const char* content_type) {
  Args a(ctx, fn, 0, nullptr);
  if (!JS_IsUndefined(init) && !JS_IsNull(init) && !JS_IsObject(init)) {
    a.type_error("init must be an object");
    return JS_EXCEPTION;
  }
  Options o(ctx, fn, init);
  int64_t status = 200;
  JSValue sv = JS_IsObject(init) ? JS_GetPropertyStr(ctx, init, "status") : JS_UNDEFINED;
  if (JS_IsException(sv)) return sv;
  if (!JS_IsUndefined(sv)) {
    double d = 0;
    int r = JS_ToFloat64(ctx, &d, sv);
    JS_FreeValue(ctx, sv);
    if (r < 0) return JS_EXCEPTION;
    // Web IDL unsigned short: truncated, modulo 2^16; then the range check.
    int64_t v = std::isfinite(d) ? static_cast<int64_t>(std::trunc(d)) : 0;
    v = ((v % 65536) + 65536) % 65536;
    if (v < 200 || v > 599) {
      JS_ThrowRangeError(ctx, "%s: option 'status' must be in 200..599", fn);
      return JS_EXCEPTION;
    }
    status = v;
  }
  ByteString text;
  JSValue tv = JS_IsObject(init) ? JS_GetPropertyStr(ctx, init, "statusText") : JS_UNDEFINED;
  if (JS_IsException(tv)) return tv;
  bool ok = JS_IsUndefined(tv) || text.from(ctx, tv, fn, "statusText");
  JS_FreeValue(ctx, tv);
  if (!ok) return JS_EXCEPTION;
  if (!reason_phrase(text.data(), text.size())) {
    a.type_error("statusText must be a reason phrase (no CR, LF, NUL or other controls)");
    return JS_EXCEPTION;
  }
  if (body && body->present && null_body_status(static_cast<int>(status))) {
    a.type_error("a response with status %d cannot have a body", static_cast<int>(status));
    return JS_EXCEPTION;
  }
  HeadersObj* h = nullptr;
  JSValue headers = new_headers(ctx, Guard::kNone, &h);
  if (JS_IsException(headers)) return headers;
  JSValue hv = o.get("headers");
  ok = !JS_IsException(hv) && fill_headers(ctx, fn, &h->list, hv);
  JS_FreeValue(ctx, hv);
  if (ok && content_type && !h->list.has("content-type", 12))
    ok = header_result(ctx, fn, h->list.append("content-type", 12, content_type, strlen(content_type)), "content-type", 12);
  if (!ok) {
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  h->guard = Guard::kNone;  // "response" guard: nothing is forbidden for us
  ResponseFields in;
  in.status = static_cast<int>(status);
  in.status_text = text.data();
  in.status_text_len = text.size();
  return make_response(ctx, new_target, in, headers, body);
}

JSValue response_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "Response", argc, argv);
  Body body;
  ContentType type;
  if (a.has(0) && !JS_IsNull(a[0]) && !body_extract(ctx, a.fn(), a[0], &body, &type)) return JS_EXCEPTION;
  JSValue r = init_response(ctx, a.fn(), new_target, a[1], &body, type.value);
  body_release(JS_GetRuntime(ctx), &body);
  return r;
}

// ------------------------------------------------------------ attributes
enum Attr { kStatus, kOk, kStatusText, kUrl, kType, kRedirected, kHeaders, kBody, kBodyUsed, kReused, kResumed };

JSValue attr(JSContext* ctx, JSValueConst this_val, int magic) {
  ResponseObj* r = self(ctx, this_val, "Response");
  if (!r) return JS_EXCEPTION;
  static const char* const kTypes[] = {"default", "basic", "cors", "error", "opaque", "opaqueredirect"};
  switch (magic) {
    case kStatus: return JS_NewInt32(ctx, r->status);
    case kOk: return JS_NewBool(ctx, r->status >= 200 && r->status <= 299);
    case kStatusText: return JS_DupValue(ctx, r->status_text);
    case kUrl: return JS_DupValue(ctx, r->url);
    case kType: return JS_NewString(ctx, kTypes[static_cast<int>(r->type)]);
    case kRedirected: return JS_NewBool(ctx, r->redirected);
    case kHeaders: return JS_DupValue(ctx, r->headers);
    case kBody: return body_stream(ctx, &r->body);
    case kBodyUsed: {
      int d = body_disturbed(ctx, r->body);
      return d < 0 ? JS_EXCEPTION : JS_NewBool(ctx, d);
    }
    case kReused: return JS_NewBool(ctx, r->reused);
    case kResumed: return JS_NewBool(ctx, r->resumed);
  }
  return JS_UNDEFINED;
}

#define ATTR(name, k) \
  JSValue get_##name(JSContext* ctx, JSValueConst t, int, JSValueConst*) { return attr(ctx, t, k); }
ATTR(status, kStatus)
ATTR(ok, kOk)
ATTR(status_text, kStatusText)
ATTR(url, kUrl)
ATTR(type, kType)
ATTR(redirected, kRedirected)
ATTR(headers, kHeaders)
ATTR(body, kBody)
ATTR(body_used, kBodyUsed)
ATTR(reused, kReused)
ATTR(resumed, kResumed)
#undef ATTR

JSValue clone(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Response.clone", argc, argv);
  ResponseObj* r = self(ctx, this_val, a.fn());
  if (!r) return JS_EXCEPTION;
  int u = body_unusable(ctx, r->body);
  if (u != 0) return u > 0 ? a.type_error("body already used") : JS_EXCEPTION;
  HeadersObj* src = headers_of(r->headers);
  HeadersObj* h = nullptr;
  JSValue headers = new_headers(ctx, src ? src->guard : Guard::kNone, &h);
  if (JS_IsException(headers)) return headers;
  if (src && !header_result(ctx, a.fn(), h->list.assign(src->list), "", 0)) {
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  Body body;
  if (!body_clone(ctx, a.fn(), &r->body, &body)) {
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  JsString text, url;
  if (!text.from(ctx, r->status_text) || !url.from(ctx, r->url)) {
    JS_FreeValue(ctx, headers);
    body_release(JS_GetRuntime(ctx), &body);
    return JS_EXCEPTION;
  }
  // status_text round-trips through a ByteString: copy the JS value instead.
  ResponseFields in;
  in.status = r->status;
  in.url = url.c_str();
  in.type = r->type;
  in.redirected = r->redirected;
  in.reused = r->reused;
  in.resumed = r->resumed;
  JSValue obj = make_response(ctx, JS_UNDEFINED, in, headers, &body);
  body_release(JS_GetRuntime(ctx), &body);
  if (!JS_IsException(obj)) {
    auto* c = static_cast<ResponseObj*>(g_response.peek(obj));
    JS_FreeValue(ctx, c->status_text);
    c->status_text = JS_DupValue(ctx, r->status_text);
  }
  return obj;
}

// ------------------------------------------------------------ statics

JSValue response_error(JSContext* ctx, JSValueConst, int, JSValueConst*) {
  HeadersObj* h = nullptr;
  JSValue headers = new_headers(ctx, Guard::kImmutable, &h);
  if (JS_IsException(headers)) return headers;
  ResponseFields in;
  in.status = 0;
  in.type = ResponseType::kError;
  return make_response(ctx, JS_UNDEFINED, in, headers, nullptr);
}

JSValue response_json(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "Response.json", argc, argv);
  if (!a.count(1)) return JS_EXCEPTION;
  JSValue s = JS_JSONStringify(ctx, a[0], JS_UNDEFINED, JS_UNDEFINED);
  if (JS_IsException(s)) return s;
  if (JS_IsUndefined(s)) return a.type_error("data is not serialisable as JSON");
  Body body;
  ContentType type;
  bool ok = body_extract(ctx, a.fn(), s, &body, &type);
  JS_FreeValue(ctx, s);
  if (!ok) return JS_EXCEPTION;
  JSValue r = init_response(ctx, a.fn(), JS_UNDEFINED, a[1], &body, "application/json");
  body_release(JS_GetRuntime(ctx), &body);
  return r;
}

JSValue response_redirect(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "Response.redirect", argc, argv);
  JsString input;
  int64_t status = 302;
  if (!a.count(1) || !input.from(ctx, a[0]) || !a.optional_integer(1, "status", 0, 0xffff, 302, &status))
    return JS_EXCEPTION;
  JSValue url = url_value(ctx, a.fn(), "URL", input.c_str(), input.size());
  JsString href;
  bool ok = !JS_IsException(url) && href.from(ctx, url);
  JS_FreeValue(ctx, url);
  if (!ok) return JS_EXCEPTION;
  if (!net::http::is_redirect_status(static_cast<int>(status)))
    return a.range_error("status must be 301, 302, 303, 307 or 308");
  HeadersObj* h = nullptr;
  JSValue headers = new_headers(ctx, Guard::kImmutable, &h);
  if (JS_IsException(headers)) return headers;
  if (!header_result(ctx, a.fn(), h->list.append("location", 8, href.c_str(), href.size()), "location", 8)) {
    JS_FreeValue(ctx, headers);
    return JS_EXCEPTION;
  }
  ResponseFields in;
  in.status = static_cast<int>(status);
  return make_response(ctx, JS_UNDEFINED, in, headers, nullptr);
}

const Method kProto[] = {method("clone", clone, 0)};
const Accessor kGetters[] = {
    getter("type", get_type),     getter("url", get_url),         getter("redirected", get_redirected),
    getter("status", get_status), getter("ok", get_ok),           getter("statusText", get_status_text),
    getter("headers", get_headers), getter("body", get_body),     getter("bodyUsed", get_body_used),
};
const Method kStatics[] = {
    method("error", response_error, 0),
    method("json", response_json, 1),
    method("redirect", response_redirect, 1),
};

// Non-standard (docs/fetch.md), not enumerable: _reused, _resumed.
bool response_extra(JSContext* ctx, JSValueConst, JSValueConst proto) {
  const Accessor extra[] = {getter("_reused", get_reused), getter("_resumed", get_resumed)};
  return define_accessors(ctx, proto, extra, 2, false) && define_body_methods(ctx, proto);
}

const ClassDef kResponseDef = {.name = "Response",
                               .ctor = response_ctor,
                               .ctor_length = 0,
                               .finalizer = response_finalizer,
                               .gc_mark = response_mark,
                               .methods = kProto,
                               .method_count = sizeof kProto / sizeof kProto[0],
                               .accessors = kGetters,
                               .accessor_count = sizeof kGetters / sizeof kGetters[0],
                               .statics = kStatics,
                               .static_count = sizeof kStatics / sizeof kStatics[0],
                               .extra = response_extra};

JSValue response_constructor(JSContext* ctx) { return g_response.constructor(ctx); }

}  // namespace

JSValue new_response(JSContext* ctx, const ResponseFields& in, JSValue headers, uint8_t* data, size_t len,
                     bool has_body) {
  Body body;
  if (has_body) body_adopt(&body, data, len);
  JSValue r = make_response(ctx, JS_UNDEFINED, in, headers, &body);
  body_release(JS_GetRuntime(ctx), &body);
  return r;
}

bool response_body(JSValueConst v, Body** body, JSValue* headers) {
  auto* r = static_cast<ResponseObj*>(g_response.peek(v));
  if (!r) return false;
  *body = &r->body;
  *headers = r->headers;
  return true;
}

bool install_response_class(JSContext* ctx) { return define_lazy_global(ctx, "Response", response_constructor); }

}  // namespace mcujs::bind
