// Request (WHATWG Fetch): the constructor's init rules (method, headers,
// body, redirect, mode, credentials, cache, referrer...), attributes as
// prototype getters, clone() and the Body mixin. fetch(input, init) builds
// one of these first, so both share every rule.
#include "modules/bindings/request.h"
#include "modules/bindings/streams.h"

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <new>

#include "net/url.h"

namespace mcujs::bind {

namespace {

extern const ClassDef kRequestDef;
JsClass g_request(kRequestDef);

const char* const kModes[] = {"cors", "same-origin", "no-cors", "navigate", nullptr};
const char* const kCredentials[] = {"same-origin", "omit", "include", nullptr};
const char* const kCaches[] = {"default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached", nullptr};
const char* const kRedirects[] = {"follow", "manual", "error", nullptr};  // RedirectMode's order
const char* const kPolicies[] = {"", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
                                 "strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin",
                                 "unsafe-url", nullptr};
const char* const kPriorities[] = {"auto", "high", "low", nullptr};

void free_fields(JSRuntime* rt, RequestObj* r) {
  body_release(rt, &r->body);
  for (JSValue v : {r->headers, r->signal, r->url, r->referrer, r->integrity}) JS_FreeValueRT(rt, v);
}

void request_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* r = static_cast<RequestObj*>(JS_GetAnyOpaque(val, &id));
  if (!r) return;
  free_fields(rt, r);
  js_free_rt(rt, r);
}
void request_mark(JSRuntime* rt, JSValueConst val, JS_MarkFunc* mf) {
  JSClassID id;
  auto* r = static_cast<RequestObj*>(JS_GetAnyOpaque(val, &id));
  if (!r) return;
  for (JSValue v : {r->headers, r->signal}) JS_MarkValue(rt, v, mf);
  body_mark(rt, r->body, mf);
}

// A Web IDL enum member from init[key] (absent: *out unchanged).
bool enum_option(JSContext* ctx, const char* fn, JSValueConst init, const char* key, const char* const* values,
                 uint8_t* out) {
  JSValue v = JS_GetPropertyStr(ctx, init, key);
  if (JS_IsException(v)) return false;
  if (JS_IsUndefined(v)) return true;
  JsString s;
  bool ok = s.from(ctx, v);
  JS_FreeValue(ctx, v);
  if (!ok) return false;
  for (uint8_t i = 0; values[i]; i++)
    if (strcmp(values[i], s.c_str()) == 0 && strlen(values[i]) == s.size()) {
      *out = i;
      return true;
    }
  char list[200];
  size_t n = 0;
  for (int i = 0; values[i] && n < sizeof list; i++)
    n += static_cast<size_t>(snprintf(list + n, sizeof list - n, "%s'%s'", i ? ", " : "", values[i]));
  JS_ThrowTypeError(ctx, "%s: option '%s' must be one of %s (got '%.*s')", fn, key, list,
                    static_cast<int>(s.size() > 40 ? 40 : s.size()), s.c_str());
  return false;
}

bool parse_method(JSContext* ctx, const char* fn, JSValueConst v, char* out) {
  ByteString m;
  if (!m.from(ctx, v, fn, "method")) return false;
  if (m.size() > kMaxMethod || !net::http::is_token(m.data(), m.size())) {
    JS_ThrowTypeError(ctx, "%s: invalid method '%.*s'", fn, static_cast<int>(m.size() > 40 ? 40 : m.size()), m.data());
    return false;
  }
  for (const char* forbidden : {"CONNECT", "TRACE", "TRACK"})
    if (net::http::equals_ci(m.data(), m.size(), forbidden)) {
      JS_ThrowTypeError(ctx, "%s: method '%s' is not allowed", fn, forbidden);
      return false;
    }
  // The standard upper-cases these six only.
  for (const char* std_method : {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
    if (net::http::equals_ci(m.data(), m.size(), std_method)) {
      snprintf(out, kMaxMethod + 1, "%s", std_method);
      return true;
    }
  memcpy(out, m.data(), m.size());
  out[m.size()] = 0;
  return true;
}

// There is no document: a relative URL resolves against globalThis.location
// (its href, or itself if a string) when a script sets one, as Deno does;
// otherwise it stays an error.
net::UrlError resolve_against_location(JSContext* ctx, const char* s, size_t n, net::Url* out) {
  JSValue loc = get_global(ctx, "location");
  JSValue href = JS_IsObject(loc) ? JS_GetPropertyStr(ctx, loc, "href") : JS_DupValue(ctx, loc);
  JS_FreeValue(ctx, loc);
  net::UrlError ue = net::UrlError::kRelative;
  JsString base;
  if (JS_IsString(href) && base.from(ctx, href)) {
    HeapUrl b(ctx);
    if (b.get() && net::parse_url(base.c_str(), base.size(), b.get()) == net::UrlError::kOk)
      ue = net::resolve_url(*b.get(), s, n, out);
  }
  if (JS_HasException(ctx)) JS_FreeValue(ctx, JS_GetException(ctx));
  JS_FreeValue(ctx, href);
  return ue;
}

// A host net/url.h refuses because it is not ASCII (bücher.example): the
// URL global, where this context has it (written in JavaScript: the CLI,
// and a device bundle whose app names URL), does IDNA ToASCII; its href is
// parsed again. Where there is no URL the refusal stands.
net::UrlError via_url_global(JSContext* ctx, const char* s, size_t n, net::Url* out) {
  bool ascii = true;
  for (size_t i = 0; i < n && ascii; i++) ascii = static_cast<unsigned char>(s[i]) < 0x80;
  if (ascii) return net::UrlError::kBadHost;
  JSValue ctor = get_global(ctx, "URL");
  net::UrlError ue = net::UrlError::kBadHost;
  if (JS_IsFunction(ctx, ctor)) {
    JSValue arg = JS_NewStringLen(ctx, s, n);
    JSValue u = JS_IsException(arg) ? JS_EXCEPTION : JS_CallConstructor(ctx, ctor, 1, &arg);
    JS_FreeValue(ctx, arg);
    JSValue href = JS_IsException(u) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, u, "href");
    JS_FreeValue(ctx, u);
    JsString h;
    if (JS_IsString(href) && h.from(ctx, href)) ue = net::parse_url(h.c_str(), h.size(), out);
    JS_FreeValue(ctx, href);
  }
  JS_FreeValue(ctx, ctor);
  if (JS_HasException(ctx)) JS_FreeValue(ctx, JS_GetException(ctx));  // the refusal below says why
  return ue == net::UrlError::kOk ? ue : net::UrlError::kBadHost;
}

}  // namespace

JSValue url_value(JSContext* ctx, const char* fn, const char* what, const char* s, size_t n) {
  HeapUrl heap_url(ctx);
  net::Url* url = heap_url.get();
  if (!url) return JS_EXCEPTION;
  net::UrlError ue = net::parse_url(s, n, url);
  if (ue == net::UrlError::kRelative || ue == net::UrlError::kEmpty) ue = resolve_against_location(ctx, s, n, url);
  if (ue == net::UrlError::kBadHost) ue = via_url_global(ctx, s, n, url);
  JSValue r = JS_EXCEPTION;
  // Heap, not stack; an opaque URL's bytes may all be percent-encoded.
  bool opaque = ue == net::UrlError::kUnsupportedScheme;
  size_t cap = opaque ? n * 3 + 1 : net::Url::kMaxInput + 64, hl = 0;
  auto* href = static_cast<char*>(js_malloc(ctx, cap));
  if (!href) {
    // js_malloc threw
  } else if (opaque && net::serialize_opaque_url(s, n, href, cap, &hl) == net::UrlError::kOk) {
    r = JS_NewStringLen(ctx, href, hl);  // about:blank, data:... (fetch() takes only http(s))
  } else if (ue == net::UrlError::kOk) {
    url->href(href, cap);
    r = JS_NewString(ctx, href);
  } else {
    JS_ThrowTypeError(ctx, "%s: invalid %s '%.*s': %s", fn, what, static_cast<int>(n > 200 ? 200 : n), s,
                      net::url_error_message(ue));
  }
  js_free(ctx, href);
  return r;
}

namespace {

// Everything but the body and the headers (a Request as input, clone()).
void copy_members(JSContext* ctx, RequestObj* to, const RequestObj& from) {
  memcpy(to->method, from.method, sizeof to->method);
  to->url = JS_DupValue(ctx, from.url);
  to->signal = JS_DupValue(ctx, from.signal);
  to->referrer = JS_DupValue(ctx, from.referrer);
  to->integrity = JS_DupValue(ctx, from.integrity);
  to->redirect = from.redirect;
  to->mode = from.mode;
  to->credentials = from.credentials;
  to->cache = from.cache;
  to->referrer_policy = from.referrer_policy;
  to->priority = from.priority;
  to->keepalive = from.keepalive;
}

JSValue make(JSContext* ctx, JSValueConst new_target, RequestObj* r) {
  JSValue obj = g_request.make(ctx, new_target, r);
  if (JS_IsException(obj)) {
    free_fields(JS_GetRuntime(ctx), r);
    js_free(ctx, r);
  }
  return obj;
}

JSValue construct(JSContext* ctx, const char* fn, JSValueConst new_target, JSValueConst input, JSValueConst init) {
  if (!JS_IsUndefined(init) && !JS_IsNull(init) && !JS_IsObject(init)) {
    JS_ThrowTypeError(ctx, "%s: init must be an object", fn);
    return JS_EXCEPTION;
  }
  auto* r = static_cast<RequestObj*>(js_mallocz(ctx, sizeof(RequestObj)));
  if (!r) return JS_EXCEPTION;
  new (r) RequestObj();
  auto fail = [&]() {
    free_fields(JS_GetRuntime(ctx), r);
    js_free(ctx, r);
    return JS_EXCEPTION;
  };
  RequestObj* in = request_of(input);
  HeadersObj* h = nullptr;
  r->headers = new_headers(ctx, Guard::kRequest, &h);
  if (JS_IsException(r->headers)) return fail();
  if (in) {
    copy_members(ctx, r, *in);
    HeadersObj* ih = headers_of(in->headers);
    if (ih && !header_result(ctx, fn, h->list.assign(ih->list), "", 0)) return fail();
  } else {
    JSValue str = JS_ToString(ctx, input);
    if (JS_IsException(str)) return fail();
    JsString s;
    bool ok = s.from(ctx, str);
    JS_FreeValue(ctx, str);
    if (!ok) return fail();
    r->url = url_value(ctx, fn, "URL", s.c_str(), s.size());
    if (JS_IsException(r->url)) return fail();
    r->signal = JS_NULL;
    r->referrer = JS_NewString(ctx, "about:client");
    r->integrity = JS_NewString(ctx, "");
  }
  bool has_init_body = false;
  ContentType content_type;
  if (JS_IsObject(init)) {
    JSValue v = JS_GetPropertyStr(ctx, init, "window");
    bool bad_window = !JS_IsException(v) && !JS_IsUndefined(v) && !JS_IsNull(v);
    JS_FreeValue(ctx, v);
    if (JS_IsException(v) || bad_window) {
      if (bad_window) JS_ThrowTypeError(ctx, "%s: window must be null", fn);
      return fail();
    }
    // referrer: "" is no-referrer (read back as ""); else a URL.
    v = JS_GetPropertyStr(ctx, init, "referrer");
    if (JS_IsException(v)) return fail();
    if (!JS_IsUndefined(v)) {
      JsString s;
      bool ok = s.from(ctx, v);
      JS_FreeValue(ctx, v);
      if (!ok) return fail();
      JSValue ref = s.empty() || strcmp(s.c_str(), "about:client") == 0 ? JS_NewString(ctx, s.c_str())
                                                                        : url_value(ctx, fn, "referrer", s.c_str(), s.size());
      if (JS_IsException(ref)) return fail();
      JS_FreeValue(ctx, r->referrer);
      r->referrer = ref;
    }
    uint8_t mode = r->mode, redirect = static_cast<uint8_t>(r->redirect);
    if (!enum_option(ctx, fn, init, "referrerPolicy", kPolicies, &r->referrer_policy) ||
        !enum_option(ctx, fn, init, "mode", kModes, &mode) ||
        !enum_option(ctx, fn, init, "credentials", kCredentials, &r->credentials) ||
        !enum_option(ctx, fn, init, "cache", kCaches, &r->cache) ||
        !enum_option(ctx, fn, init, "redirect", kRedirects, &redirect) ||
        !enum_option(ctx, fn, init, "priority", kPriorities, &r->priority))
      return fail();
    if (mode == 3) {  // navigate
      JS_ThrowTypeError(ctx, "%s: mode 'navigate' is not allowed", fn);
      return fail();
    }
    r->mode = mode;
    r->redirect = static_cast<net::http::RedirectMode>(redirect);
    if (r->cache == 5 && r->mode != 1) {
      JS_ThrowTypeError(ctx, "%s: cache 'only-if-cached' needs mode 'same-origin'", fn);
      return fail();
    }
    v = JS_GetPropertyStr(ctx, init, "integrity");
    if (JS_IsException(v)) return fail();
    if (!JS_IsUndefined(v)) {
      JSValue s = JS_ToString(ctx, v);
      JS_FreeValue(ctx, v);
      if (JS_IsException(s)) return fail();
      JS_FreeValue(ctx, r->integrity);
      r->integrity = s;
    }
    v = JS_GetPropertyStr(ctx, init, "keepalive");
    if (JS_IsException(v)) return fail();
    if (!JS_IsUndefined(v)) r->keepalive = JS_ToBool(ctx, v) > 0;
    JS_FreeValue(ctx, v);
    v = JS_GetPropertyStr(ctx, init, "method");
    if (JS_IsException(v)) return fail();
    bool ok = JS_IsUndefined(v) || parse_method(ctx, fn, v, r->method);
    JS_FreeValue(ctx, v);
    if (!ok) return fail();
    v = JS_GetPropertyStr(ctx, init, "signal");
    if (JS_IsException(v)) return fail();
    if (!JS_IsUndefined(v)) {
      if (!JS_IsNull(v) && !is_instance_of_global(ctx, v, "AbortSignal")) {
        JS_FreeValue(ctx, v);
        JS_ThrowTypeError(ctx, "%s: signal must be an AbortSignal or null", fn);
        return fail();
      }
      JS_FreeValue(ctx, r->signal);
      r->signal = v;
    }
    if (r->mode == 2 && strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && strcmp(r->method, "POST")) {
      JS_ThrowTypeError(ctx, "%s: method '%s' is not allowed with mode 'no-cors'", fn, r->method);
      return fail();
    }
    v = JS_GetPropertyStr(ctx, init, "headers");
    if (JS_IsException(v)) return fail();
    if (!JS_IsUndefined(v)) {
      h->list.clear();
      ok = fill_headers(ctx, fn, &h->list, v);
    }
    JS_FreeValue(ctx, v);
    if (!ok) return fail();
    v = JS_GetPropertyStr(ctx, init, "body");
    if (JS_IsException(v)) return fail();
    has_init_body = !JS_IsUndefined(v) && !JS_IsNull(v);
    bool get_or_head = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    if (has_init_body && get_or_head) {
      JS_FreeValue(ctx, v);
      JS_ThrowTypeError(ctx, "%s: a %s request cannot have a body", fn, r->method);
      return fail();
    }
    ok = !has_init_body || body_extract(ctx, fn, v, &r->body, &content_type);
    JS_FreeValue(ctx, v);
    if (!ok) return fail();
    // duplex: the enum has one member, 'half', which a stream body needs.
    v = JS_GetPropertyStr(ctx, init, "duplex");
    if (JS_IsException(v)) return fail();
    bool has_duplex = !JS_IsUndefined(v);
    JsString d;
    ok = !has_duplex || d.from(ctx, v);
    JS_FreeValue(ctx, v);
    if (!ok) return fail();
    if (has_duplex && strcmp(d.c_str(), "half") != 0) {
      JS_ThrowTypeError(ctx, "%s: duplex must be 'half'", fn);
      return fail();
    }
    if (!JS_IsUndefined(r->body.stream) && !has_duplex) {
      JS_ThrowTypeError(ctx, "%s: a ReadableStream body needs duplex: 'half'", fn);
      return fail();
    }
  }
  if (!JS_IsUndefined(r->body.stream) && r->keepalive) {
    JS_ThrowTypeError(ctx, "%s: a keepalive request cannot have a ReadableStream body", fn);
    return fail();
  }
  if (!has_init_body && in && in->body.present) {
    if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) {
      JS_ThrowTypeError(ctx, "%s: a %s request cannot have a body", fn, r->method);
      return fail();
    }
    int u = body_unusable(ctx, in->body);
    if (u != 0) {
      if (u > 0) JS_ThrowTypeError(ctx, "%s: the input request's body is already used", fn);
      return fail();
    }
    if (JS_IsUndefined(in->body.stream)) {
      r->body = in->body;  // moves; the input is disturbed
      in->body = Body{};
      in->body.present = true;
      in->body.used = true;
    } else {
      // The standard's proxy: a new stream reading the input's, which
      // becomes disturbed and locked.
      r->body.present = true;
      r->body.stream = stream_call(ctx, "proxy", 1, &in->body.stream);
      if (JS_IsException(r->body.stream)) return fail();
    }
  }
  if (content_type.value && !h->list.has("content-type", 12) &&
      !header_result(ctx, fn, h->list.append("content-type", 12, content_type.value, strlen(content_type.value)), "content-type", 12))
    return fail();
  return make(ctx, new_target, r);
}

JSValue request_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "Request", argc, argv);
  if (!a.count(1)) return JS_EXCEPTION;
  return construct(ctx, a.fn(), new_target, a[0], a[1]);
}

// ------------------------------------------------------------ attributes
enum Attr {
  kMethod, kUrl, kHeaders, kDestination, kReferrer, kReferrerPolicy, kMode, kCreds, kCache, kRedirect,
  kIntegrity, kKeepalive, kReload, kHistory, kSignal, kDuplex, kBody, kBodyUsed
};

JSValue attr(JSContext* ctx, JSValueConst this_val, int magic) {
  auto* r = native<RequestObj>(ctx, g_request, this_val, "Request");
  if (!r) return JS_EXCEPTION;
  switch (magic) {
    case kMethod: return JS_NewString(ctx, r->method);
    case kUrl: return JS_DupValue(ctx, r->url);
    case kHeaders: return JS_DupValue(ctx, r->headers);
    case kDestination: return JS_NewString(ctx, "");
    case kReferrer: return JS_DupValue(ctx, r->referrer);
    case kReferrerPolicy: return JS_NewString(ctx, kPolicies[r->referrer_policy]);
    case kMode: return JS_NewString(ctx, kModes[r->mode]);
    case kCreds: return JS_NewString(ctx, kCredentials[r->credentials]);
    case kCache: return JS_NewString(ctx, kCaches[r->cache]);
    case kRedirect: return JS_NewString(ctx, kRedirects[static_cast<int>(r->redirect)]);
    case kIntegrity: return JS_DupValue(ctx, r->integrity);
    case kKeepalive: return JS_NewBool(ctx, r->keepalive);
    case kReload: case kHistory: return JS_FALSE;
    case kSignal: return JS_DupValue(ctx, r->signal);
    case kDuplex: return JS_NewString(ctx, "half");
    case kBody: return body_stream(ctx, &r->body);
    case kBodyUsed: {
      int d = body_disturbed(ctx, r->body);
      return d < 0 ? JS_EXCEPTION : JS_NewBool(ctx, d);
    }
  }
  return JS_UNDEFINED;
}

#define ATTR(name, k) \
  JSValue get_##name(JSContext* ctx, JSValueConst t, int, JSValueConst*) { return attr(ctx, t, k); }
ATTR(method, kMethod)
ATTR(url, kUrl)
ATTR(headers, kHeaders)
ATTR(destination, kDestination)
ATTR(referrer, kReferrer)
ATTR(referrer_policy, kReferrerPolicy)
ATTR(mode, kMode)
ATTR(credentials, kCreds)
ATTR(cache, kCache)
ATTR(redirect, kRedirect)
ATTR(integrity, kIntegrity)
ATTR(keepalive, kKeepalive)
ATTR(reload, kReload)
ATTR(history, kHistory)
ATTR(signal, kSignal)
ATTR(duplex, kDuplex)
ATTR(body, kBody)
ATTR(body_used, kBodyUsed)
#undef ATTR

JSValue clone(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Request.clone", argc, argv);
  auto* r = native<RequestObj>(ctx, g_request, this_val, a.fn());
  if (!r) return JS_EXCEPTION;
  auto* c = static_cast<RequestObj*>(js_mallocz(ctx, sizeof(RequestObj)));
  if (!c) return JS_EXCEPTION;
  new (c) RequestObj();
  copy_members(ctx, c, *r);
  HeadersObj* h = nullptr;
  HeadersObj* src = headers_of(r->headers);
  c->headers = new_headers(ctx, src ? src->guard : Guard::kRequest, &h);
  bool ok = !JS_IsException(c->headers) && (!src || header_result(ctx, a.fn(), h->list.assign(src->list), "", 0)) &&
            body_clone(ctx, a.fn(), &r->body, &c->body);
  if (!ok) {
    free_fields(JS_GetRuntime(ctx), c);
    js_free(ctx, c);
    return JS_EXCEPTION;
  }
  return make(ctx, JS_UNDEFINED, c);
}

const Method kProto[] = {method("clone", clone, 0)};
const Accessor kGetters[] = {
    getter("method", get_method),
    getter("url", get_url),
    getter("headers", get_headers),
    getter("destination", get_destination),
    getter("referrer", get_referrer),
    getter("referrerPolicy", get_referrer_policy),
    getter("mode", get_mode),
    getter("credentials", get_credentials),
    getter("cache", get_cache),
    getter("redirect", get_redirect),
    getter("integrity", get_integrity),
    getter("keepalive", get_keepalive),
    getter("isReloadNavigation", get_reload),
    getter("isHistoryNavigation", get_history),
    getter("signal", get_signal),
    getter("duplex", get_duplex),
    getter("body", get_body),
    getter("bodyUsed", get_body_used),
};

const ClassDef kRequestDef = {.name = "Request",
                              .ctor = request_ctor,
                              .ctor_length = 1,
                              .finalizer = request_finalizer,
                              .gc_mark = request_mark,
                              .methods = kProto,
                              .method_count = sizeof kProto / sizeof kProto[0],
                              .accessors = kGetters,
                              .accessor_count = sizeof kGetters / sizeof kGetters[0],
                              .extra = [](JSContext* ctx, JSValueConst, JSValueConst proto) {
                                return define_body_methods(ctx, proto);
                              }};

JSValue request_constructor(JSContext* ctx) { return g_request.constructor(ctx); }

}  // namespace

RequestObj* request_of(JSValueConst v) { return static_cast<RequestObj*>(g_request.peek(v)); }

JSValue request_new(JSContext* ctx, const char* fn, JSValueConst input, JSValueConst init) {
  return construct(ctx, fn, JS_UNDEFINED, input, init);
}

bool install_request_class(JSContext* ctx) { return define_lazy_global(ctx, "Request", request_constructor); }

}  // namespace mcujs::bind
