// crypto.getRandomValues() and crypto.randomUUID() (WebCrypto's part of the
// WinterTC minimum common API) from the TLS layer's DRBG, through PSA's
// psa_generate_random() (tls/rng.cpp is PSA's external RNG). The DRBG is
// seeded from the port's strong entropy when TLS starts, so the first call
// starts TLS (and fails the way TLS does without strong entropy).
#include <psa/crypto.h>

#include <cstdio>
#include <cstring>

#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "modules/bindings/web_common.h"

namespace mcujs::bind {

namespace {

bool random_bytes(JSContext* ctx, const char* fn, uint8_t* out, size_t n) {
  if (!core::Runtime::from(ctx)->slot(core::Slot::kNet)) {
    JS_ThrowInternalError(ctx, "%s: no random generator in this runtime (TLS is not installed)", fn);
    return false;
  }
  if (!runtime_tls(ctx)) return false;  // seeds the DRBG, or says why not
  psa_status_t st = psa_generate_random(out, n);
  if (st != PSA_SUCCESS) {
    throw_error(ctx, "%s: the random generator failed (PSA status %d)", fn, static_cast<int>(st));
    return false;
  }
  return true;
}

// getRandomValues(integer typed array) -> the same array, filled.
JSValue get_random_values(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "crypto.getRandomValues", argc, argv);
  if (!a.count(1)) return JS_EXCEPTION;
  size_t off = 0, bytes = 0, elem = 0;
  JSValue buf = JS_IsObject(a[0]) ? JS_GetTypedArrayBuffer(ctx, a[0], &off, &bytes, &elem) : JS_EXCEPTION;
  if (JS_IsException(buf)) {
    if (JS_HasException(ctx)) JS_FreeValue(ctx, JS_GetException(ctx));
    return a.type_error("array must be an integer typed array");
  }
  JSValue ctor = JS_GetPropertyStr(ctx, a[0], "constructor");
  JSValue name = JS_IsException(ctor) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, ctor, "name");
  JS_FreeValue(ctx, ctor);
  JsString n;
  bool is_float = !JS_IsException(name) && n.from(ctx, name) &&
                  (strstr(n.c_str(), "Float") != nullptr);
  JS_FreeValue(ctx, name);
  if (is_float) {
    JS_FreeValue(ctx, buf);
    JSValue err = JS_NewError(ctx);  // TypeMismatchError, as WebCrypto names it
    JS_DefinePropertyValueStr(ctx, err, "name", JS_NewString(ctx, "TypeMismatchError"), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, "crypto.getRandomValues: array must be an integer typed array"),
                              JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    return JS_Throw(ctx, err);
  }
  if (bytes > 65536) {
    JS_FreeValue(ctx, buf);
    JSValue err = JS_NewError(ctx);
    JS_DefinePropertyValueStr(ctx, err, "name", JS_NewString(ctx, "QuotaExceededError"), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_DefinePropertyValueStr(ctx, err, "message",
                              JS_NewString(ctx, "crypto.getRandomValues: at most 65536 bytes at a time"),
                              JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    return JS_Throw(ctx, err);
  }
  size_t size = 0;
  uint8_t* p = JS_GetArrayBuffer(ctx, &size, buf);
  JS_FreeValue(ctx, buf);
  if (!p) return JS_EXCEPTION;
  if (!random_bytes(ctx, a.fn(), p + off, bytes)) return JS_EXCEPTION;
  return JS_DupValue(ctx, a[0]);
}

// randomUUID() -> a version 4 UUID string.
JSValue random_uuid(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "crypto.randomUUID", argc, argv);
  uint8_t b[16];
  if (!random_bytes(ctx, a.fn(), b, sizeof b)) return JS_EXCEPTION;
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
  char s[37];
  snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
           b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return JS_NewString(ctx, s);
}

const Method kCrypto[] = {method("getRandomValues", get_random_values, 1), method("randomUUID", random_uuid, 0)};

JSValue create_crypto(JSContext* ctx) {
  JSValue o = JS_NewObject(ctx);
  if (JS_IsException(o)) return o;
  if (!define_methods(ctx, o, kCrypto, 2, true)) {
    JS_FreeValue(ctx, o);
    return JS_EXCEPTION;
  }
  return o;
}

}  // namespace

bool install_crypto(core::Runtime& rt) { return define_lazy_global(rt.ctx(), "crypto", create_crypto); }

}  // namespace mcujs::bind
