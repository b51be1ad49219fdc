// Request (WHATWG Fetch), and what fetch() reads from one
// (modules/bindings/request.cpp).
#pragma once

#include "modules/bindings/web_common.h"
#include "net/http/redirect.h"

namespace mcujs::bind {

constexpr size_t kMaxMethod = 32;

struct RequestObj {
  Body body;
  JSValue headers = JS_UNDEFINED;  // a Headers
  JSValue signal = JS_UNDEFINED;   // an AbortSignal or null
  JSValue url = JS_UNDEFINED;      // the serialised URL (a string)
  JSValue referrer = JS_UNDEFINED;
  JSValue integrity = JS_UNDEFINED;
  char method[kMaxMethod + 1] = "GET";
  net::http::RedirectMode redirect = net::http::RedirectMode::kFollow;
  uint8_t mode = 0, credentials = 0, cache = 0, referrer_policy = 0, priority = 0;
  bool keepalive = false;
};

// new Request(input, init) with fn naming the caller in errors ("fetch").
JSValue request_new(JSContext* ctx, const char* fn, JSValueConst input, JSValueConst init);
RequestObj* request_of(JSValueConst v);
// An absolute URL's serialisation as a JS string (http(s) parsed by
// net/url.h, other schemes with an opaque path kept), a relative one
// resolved against globalThis.location when a script set one; or a
// TypeError "fn: invalid what '...': why".
JSValue url_value(JSContext* ctx, const char* fn, const char* what, const char* s, size_t n);  // nullptr when v is not a Request
bool install_request_class(JSContext* ctx);  // the Request global (lazily)

}  // namespace mcujs::bind
