#include "apps/cli/device_section.h"

#include <cstdio>
#include <cstring>

#include "bundle/boot_settings.h"
#include "quickjs.h"

namespace mcujs::cli {

namespace {

// Appends "key=value" to out, after checking it with the device's own parser.
bool add_setting(JSContext* ctx, JSAtom key_atom, JSValue value, bundle::BootSettings* s, char* out, size_t cap,
                 size_t* len, char* err, size_t err_len) {
  const char* key = JS_AtomToCString(ctx, key_atom);
  if (!key) {
    snprintf(err, err_len, "device: out of memory");
    return false;
  }
  bool ok = false;
  char e[160];
  size_t vlen = 0;
  const char* v = JS_IsString(value) ? JS_ToCStringLen(ctx, &vlen, value) : nullptr;
  if (bundle::boot_setting_index(key, strlen(key)) < 0) {
    snprintf(err, err_len, "device.%s: unknown setting (known: ntp, log)", key);
  } else if (!v) {
    snprintf(err, err_len, "device.%s: expected a string", key);
  } else if (!bundle::set_boot_setting(s, key, strlen(key), v, vlen, e, sizeof e)) {
    snprintf(err, err_len, "device.%s: %s", key, e);
  } else {
    int n = snprintf(out + *len, cap - *len, "%s%s=%s", *len ? " " : "", key, v);
    ok = n > 0 && static_cast<size_t>(n) < cap - *len;
    if (ok) *len += static_cast<size_t>(n);
    else snprintf(err, err_len, "device: the settings are longer than %lu bytes", static_cast<unsigned long>(cap));
  }
  JS_FreeCString(ctx, v);
  JS_FreeCString(ctx, key);
  return ok;
}

bool compile(JSContext* ctx, JSValue config, char* out, size_t cap, size_t* out_len, char* err, size_t err_len) {
  JSValue device = JS_GetPropertyStr(ctx, config, "device");
  bool ok = true;
  if (JS_IsUndefined(device)) {
    // no section: no boot.cfg, the device's defaults
  } else if (!JS_IsObject(device) || JS_IsArray(ctx, device) || JS_IsFunction(ctx, device)) {
    snprintf(err, err_len, "device: expected an object of settings (ntp, log)");
    ok = false;
  } else {
    JSPropertyEnum* props = nullptr;
    uint32_t count = 0;
    if (JS_GetOwnPropertyNames(ctx, &props, &count, device, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0) {
      snprintf(err, err_len, "device: out of memory");
      ok = false;
    }
    bundle::BootSettings s;
    for (uint32_t i = 0; ok && i < count; i++) {
      JSValue v = JS_GetProperty(ctx, device, props[i].atom);
      ok = add_setting(ctx, props[i].atom, v, &s, out, cap - 1, out_len, err, err_len);
      JS_FreeValue(ctx, v);
    }
    for (uint32_t i = 0; i < count; i++) JS_FreeAtom(ctx, props[i].atom);
    js_free(ctx, props);
    if (ok && *out_len) out[(*out_len)++] = '\n';
  }
  JS_FreeValue(ctx, device);
  return ok;
}

}  // namespace

bool compile_device_section(const char* json, size_t len, char* out, size_t cap, size_t* out_len, char* err,
                            size_t err_len) {
  *out_len = 0;
  if (cap < 2) {
    snprintf(err, err_len, "device: no room for the settings");
    return false;
  }
  JSRuntime* rt = JS_NewRuntime();
  JSContext* ctx = rt ? JS_NewContext(rt) : nullptr;
  if (!ctx) {
    snprintf(err, err_len, "out of memory creating QuickJS");
    if (rt) JS_FreeRuntime(rt);
    return false;
  }
  bool ok = false;
  JSValue config = JS_ParseJSON(ctx, json, len, "config");
  if (JS_IsException(config)) {
    JSValue e = JS_GetException(ctx);
    const char* msg = JS_ToCString(ctx, e);
    snprintf(err, err_len, "not JSON: %s", msg ? msg : "?");
    JS_FreeCString(ctx, msg);
    JS_FreeValue(ctx, e);
  } else if (!JS_IsObject(config) || JS_IsArray(ctx, config)) {
    snprintf(err, err_len, "expected a JSON object");
  } else {
    ok = compile(ctx, config, out, cap, out_len, err, err_len);
  }
  JS_FreeValue(ctx, config);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  // What the device will parse, parsed here first.
  bundle::BootSettings check;
  char e[160];
  if (ok && !bundle::parse_boot_settings(out, *out_len, &check, e, sizeof e)) {
    snprintf(err, err_len, "device: internal error: boot.cfg does not read back: %s", e);
    ok = false;
  }
  if (!ok) *out_len = 0;
  return ok;
}

}  // namespace mcujs::cli
