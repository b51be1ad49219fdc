#include "modules/bindings/web_common.h"

#include <cstring>

namespace mcujs::bind {

net::http::Allocator js_allocator(JSRuntime* rt) {
  net::http::Allocator a;
  a.opaque = rt;
  a.alloc = [](void* o, size_t n) { return js_malloc_rt(static_cast<JSRuntime*>(o), n); };
  a.realloc = [](void* o, void* p, size_t n) { return js_realloc_rt(static_cast<JSRuntime*>(o), p, n); };
  a.free = [](void* o, void* p) { js_free_rt(static_cast<JSRuntime*>(o), p); };
  return a;
}

ByteString::~ByteString() {
  if (ctx_) js_free(ctx_, buf_);
}

bool ByteString::from(JSContext* ctx, JSValueConst v, const char* fn, const char* what) {
  JsString s;
  if (!s.from(ctx, v)) return false;
  if (ctx_) js_free(ctx_, buf_);
  ctx_ = ctx;
  buf_ = static_cast<char*>(js_malloc(ctx, s.size() + 1));
  len_ = 0;
  if (!buf_) return false;
  // QuickJS hands out UTF-8: U+0000..U+007F is one byte, U+0080..U+00FF two
  // (C2/C3 lead bytes); anything else is above U+00FF.
  const auto* p = reinterpret_cast<const unsigned char*>(s.c_str());
  for (size_t i = 0; i < s.size(); i++) {
    unsigned char c = p[i];
    if (c < 0x80) {
      buf_[len_++] = static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size()) {
      buf_[len_++] = static_cast<char>(((c & 0x03) << 6) | (p[++i] & 0x3F));
    } else {
      JS_ThrowTypeError(ctx, "%s: %s contains a character above U+00FF", fn, what);
      return false;
    }
  }
  buf_[len_] = 0;
  return true;
}

JSValue new_byte_string(JSContext* ctx, const char* s, size_t n) {
  size_t high = 0;
  for (size_t i = 0; i < n; i++) high += static_cast<unsigned char>(s[i]) >= 0x80;
  if (!high) return JS_NewStringLen(ctx, s, n);
  auto* u = static_cast<char*>(js_malloc(ctx, n + high));
  if (!u) return JS_EXCEPTION;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      u[k++] = static_cast<char>(c);
    } else {
      u[k++] = static_cast<char>(0xC0 | (c >> 6));
      u[k++] = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  JSValue r = JS_NewStringLen(ctx, u, k);
  js_free(ctx, u);
  return r;
}

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

JSValue rejected_with_exception(JSContext* ctx) { return settled(ctx, false, JS_GetException(ctx)); }

bool header_result(JSContext* ctx, const char* fn, net::http::HeaderList::Result r, const char* name, size_t nl) {
  using R = net::http::HeaderList::Result;
  int n = static_cast<int>(nl > 64 ? 64 : nl);
  switch (r) {
    case R::kOk:
      return true;
    case R::kBadName:
      JS_ThrowTypeError(ctx, "%s: invalid header name '%.*s'", fn, n, name);
      return false;
    case R::kBadValue:
      JS_ThrowTypeError(ctx, "%s: invalid value for header '%.*s' (no NUL, CR or LF)", fn, n, name);
      return false;
    case R::kFull:
      JS_ThrowRangeError(ctx, "%s: too many headers (at most 64 fields, 8192 bytes)", fn);
      return false;
    case R::kNoMemory:
      JS_ThrowOutOfMemory(ctx);
      return false;
  }
  return false;
}

}  // namespace mcujs::bind
