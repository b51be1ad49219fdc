#include "modules/bindings/args.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace mcujs::bind {

bool JsString::from(JSContext* ctx, JSValueConst v) {
  reset();
  ctx_ = ctx;
  str_ = JS_ToCStringLen(ctx, &len_, v);
  return str_ != nullptr;
}

void JsString::reset() {
  if (str_) JS_FreeCString(ctx_, str_);
  str_ = nullptr;
  len_ = 0;
}

void JsBytes::reset() {
  str_.reset();
  if (ctx_) JS_FreeValue(ctx_, buffer_);
  buffer_ = JS_UNDEFINED;
  data_ = nullptr;
  len_ = 0;
}

static JSValue throw_prefixed(JSContext* ctx, bool range, const char* fn, const char* fmt,
                              va_list ap) {
  char msg[256];
  int n = snprintf(msg, sizeof msg, "%s: ", fn);
  if (n < 0) n = 0;
  vsnprintf(msg + n, sizeof msg - static_cast<size_t>(n), fmt, ap);
  return range ? JS_ThrowRangeError(ctx, "%s", msg) : JS_ThrowTypeError(ctx, "%s", msg);
}

JSValue Args::type_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  JSValue r = throw_prefixed(ctx_, false, fn_, fmt, ap);
  va_end(ap);
  return r;
}

JSValue Args::range_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  JSValue r = throw_prefixed(ctx_, true, fn_, fmt, ap);
  va_end(ap);
  return r;
}

bool Args::count(int min, int max) {
  if (argc_ < min) {
    type_error("expected %s%d argument%s, got %d", max == min ? "" : "at least ", min,
               min == 1 ? "" : "s", argc_);
    return false;
  }
  if (max >= 0 && argc_ > max) {
    type_error("expected at most %d argument%s, got %d", max, max == 1 ? "" : "s", argc_);
    return false;
  }
  return true;
}

bool Args::string(int i, const char* what, JsString* out) {
  if (!JS_IsString((*this)[i])) {
    type_error("%s must be a string", what);
    return false;
  }
  return out->from(ctx_, (*this)[i]);
}

static bool to_integer(JSContext* ctx, JSValueConst v, double* d) {
  if (!JS_IsNumber(v)) return false;
  if (JS_ToFloat64(ctx, d, v) < 0) return false;
  return std::isfinite(*d) && std::floor(*d) == *d;
}

bool Args::integer(int i, const char* what, int64_t lo, int64_t hi, int64_t* out) {
  double d;
  if (!to_integer(ctx_, (*this)[i], &d)) {
    type_error("%s must be an integer", what);
    return false;
  }
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    range_error("%s must be in %.0f..%.0f, got %.0f", what, static_cast<double>(lo), static_cast<double>(hi), d);
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool Args::optional_integer(int i, const char* what, int64_t lo, int64_t hi, int64_t def,
                            int64_t* out) {
  if (!has(i)) {
    *out = def;
    return true;
  }
  return integer(i, what, lo, hi, out);
}

bool Args::number(int i, const char* what, double* out) {
  if (!JS_IsNumber((*this)[i])) {
    type_error("%s must be a number", what);
    return false;
  }
  return JS_ToFloat64(ctx_, out, (*this)[i]) == 0;
}

bool Args::function(int i, const char* what) {
  if (!JS_IsFunction(ctx_, (*this)[i])) {
    type_error("%s must be a function", what);
    return false;
  }
  return true;
}

bool Args::object(int i, const char* what) {
  if (!JS_IsObject((*this)[i])) {
    type_error("%s must be an object", what);
    return false;
  }
  return true;
}

namespace {

// A DataView's buffer, offset and length (this QuickJS's C API reads typed
// arrays only): through its prototype getters, which throw for anything else.
bool data_view(JSContext* ctx, JSValueConst v, size_t* off, size_t* bytes, JSValue* buf) {
  JSValue dv = get_global(ctx, "DataView");
  JSValue proto = JS_IsException(dv) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, dv, "prototype");
  JS_FreeValue(ctx, dv);
  bool ok = JS_IsObject(proto);
  JSValue got[3] = {JS_UNDEFINED, JS_UNDEFINED, JS_UNDEFINED};
  const char* const names[3] = {"buffer", "byteOffset", "byteLength"};
  for (int i = 0; ok && i < 3; i++) {
    JSAtom atom = JS_NewAtom(ctx, names[i]);
    JSPropertyDescriptor d;
    int r = JS_GetOwnProperty(ctx, &d, proto, atom);
    JS_FreeAtom(ctx, atom);
    ok = r > 0 && JS_IsFunction(ctx, d.getter);
    if (r > 0) {
      if (ok) got[i] = JS_Call(ctx, d.getter, v, 0, nullptr);
      JS_FreeValue(ctx, d.value);
      JS_FreeValue(ctx, d.getter);
      JS_FreeValue(ctx, d.setter);
    }
    ok = ok && !JS_IsException(got[i]);
  }
  JS_FreeValue(ctx, proto);
  int64_t o = 0, n = 0;
  ok = ok && JS_ToInt64(ctx, &o, got[1]) == 0 && JS_ToInt64(ctx, &n, got[2]) == 0;
  JS_FreeValue(ctx, got[1]);
  JS_FreeValue(ctx, got[2]);
  if (!ok) {
    JS_FreeValue(ctx, got[0]);
    if (JS_HasException(ctx)) JS_FreeValue(ctx, JS_GetException(ctx));
    return false;
  }
  *off = static_cast<size_t>(o);
  *bytes = static_cast<size_t>(n);
  *buf = got[0];
  return true;
}

}  // namespace

bool buffer_view(JSContext* ctx, JSValueConst v, const uint8_t** data, size_t* len, JSValue* keep) {
  if (!JS_IsObject(v)) return false;
  size_t size = 0;
  uint8_t* p = JS_GetArrayBuffer(ctx, &size, v);
  if (p) {
    *data = p;
    *len = size;
    *keep = JS_DupValue(ctx, v);
    return true;
  }
  JS_FreeValue(ctx, JS_GetException(ctx));  // not an ArrayBuffer: try a view
  size_t off = 0, bytes = 0, elem = 0;
  JSValue buf = JS_GetTypedArrayBuffer(ctx, v, &off, &bytes, &elem);
  if (JS_IsException(buf)) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    if (!data_view(ctx, v, &off, &bytes, &buf)) return false;
  }
  p = JS_GetArrayBuffer(ctx, &size, buf);
  if (!p) {  // detached
    JS_FreeValue(ctx, JS_GetException(ctx));
    JS_FreeValue(ctx, buf);
    return false;
  }
  *data = p + off;
  *len = bytes;
  *keep = buf;
  return true;
}

bool Args::bytes(int i, const char* what, JsBytes* out) {
  out->reset();
  out->ctx_ = ctx_;
  JSValueConst v = (*this)[i];
  if (JS_IsString(v)) {
    if (!out->str_.from(ctx_, v)) return false;
    out->data_ = reinterpret_cast<const uint8_t*>(out->str_.c_str());
    out->len_ = out->str_.size();
    return true;
  }
  if (buffer_view(ctx_, v, &out->data_, &out->len_, &out->buffer_)) return true;
  type_error("%s must be a string, ArrayBuffer or Uint8Array", what);
  return false;
}

JSValue Options::get(const char* key) {
  if (!JS_IsObject(obj_)) return JS_UNDEFINED;
  return JS_GetPropertyStr(ctx_, obj_, key);
}

bool Options::string(const char* key, JsString* out, bool required) {
  JSValue v = get(key);
  if (JS_IsException(v)) return false;
  bool ok = true;
  if (JS_IsUndefined(v)) {
    if (required) {
      JS_ThrowTypeError(ctx_, "%s: option '%s' is required", fn_, key);
      ok = false;
    }
  } else if (!JS_IsString(v)) {
    JS_ThrowTypeError(ctx_, "%s: option '%s' must be a string", fn_, key);
    ok = false;
  } else {
    ok = out->from(ctx_, v);
  }
  JS_FreeValue(ctx_, v);
  return ok;
}

bool Options::integer(const char* key, int64_t lo, int64_t hi, int64_t* out) {
  JSValue v = get(key);
  if (JS_IsException(v)) return false;
  bool ok = true;
  if (!JS_IsUndefined(v)) {
    double d;
    if (!to_integer(ctx_, v, &d)) {
      JS_ThrowTypeError(ctx_, "%s: option '%s' must be an integer", fn_, key);
      ok = false;
    } else if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
      JS_ThrowRangeError(ctx_, "%s: option '%s' must be in %.0f..%.0f", fn_, key,
                         static_cast<double>(lo), static_cast<double>(hi));
      ok = false;
    } else {
      *out = static_cast<int64_t>(d);
    }
  }
  JS_FreeValue(ctx_, v);
  return ok;
}

bool Options::boolean(const char* key, bool* out) {
  JSValue v = get(key);
  if (JS_IsException(v)) return false;
  bool ok = true;
  if (!JS_IsUndefined(v)) {
    if (!JS_IsBool(v)) {
      JS_ThrowTypeError(ctx_, "%s: option '%s' must be a boolean", fn_, key);
      ok = false;
    } else {
      *out = JS_ToBool(ctx_, v) != 0;
    }
  }
  JS_FreeValue(ctx_, v);
  return ok;
}

bool Options::bytes(const char* key, JsBytes* out) {
  JSValue v = get(key);
  if (JS_IsException(v)) return false;
  bool ok = true;
  if (!JS_IsUndefined(v)) {
    JSValueConst argv[1] = {v};
    Args a(ctx_, fn_, 1, argv);
    ok = a.bytes(0, key, out);
  }
  JS_FreeValue(ctx_, v);
  return ok;
}

bool set_function(JSContext* ctx, JSValueConst obj, const char* name, JSCFunction* fn, int length) {
  JSValue f = JS_NewCFunction(ctx, fn, name, length);
  if (JS_IsException(f)) return false;
  return JS_SetPropertyStr(ctx, obj, name, f) >= 0;
}

bool set_methods(JSContext* ctx, JSValueConst obj, const Method* methods, size_t count) {
  for (size_t i = 0; i < count; i++) {
    const Method& m = methods[i];
    JSValue f = m.fn ? JS_NewCFunction2(ctx, m.fn, m.name, m.length, JS_CFUNC_generic, 0)
                     : JS_NewCFunctionMagic(ctx, m.magic_fn, m.name, m.length, JS_CFUNC_generic_magic, m.magic);
    if (JS_IsException(f)) return false;
    if (JS_DefinePropertyValueStr(ctx, obj, m.name, f, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) < 0)
      return false;
  }
  return true;
}

JSValue throw_error(JSContext* ctx, const char* fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  JSValue err = JS_NewError(ctx);
  if (JS_IsException(err)) return err;
  JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, msg),
                            JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  return JS_Throw(ctx, err);
}

JSValue new_number_object(JSContext* ctx, const NumberField* fields, size_t count) {
  JSValue o = JS_NewObject(ctx);
  for (size_t i = 0; i < count && !JS_IsException(o); i++) {
    if (JS_DefinePropertyValueStr(ctx, o, fields[i].name, JS_NewFloat64(ctx, fields[i].value), JS_PROP_C_W_E) < 0) {
      JS_FreeValue(ctx, o);
      o = JS_EXCEPTION;
    }
  }
  return o;
}

JSValue new_uint8array(JSContext* ctx, const uint8_t* data, size_t len) {
  JSValue ab = JS_NewArrayBufferCopy(ctx, data, len);
  if (JS_IsException(ab)) return ab;
  // QuickJS reads argv[1] and argv[2] whatever argc says: pass all three.
  JSValue args[3] = {ab, JS_NewInt32(ctx, 0), JS_NewInt64(ctx, static_cast<int64_t>(len))};
  JSValue arr = JS_NewTypedArray(ctx, 3, args, JS_TYPED_ARRAY_UINT8);
  JS_FreeValue(ctx, ab);
  return arr;
}

JSValue get_global(JSContext* ctx, const char* name) {
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue v = JS_GetPropertyStr(ctx, global, name);
  JS_FreeValue(ctx, global);
  return v;
}

bool set_global(JSContext* ctx, const char* name, JSValue value) {
  JSValue global = JS_GetGlobalObject(ctx);
  int r = JS_SetPropertyStr(ctx, global, name, value);  // takes value
  JS_FreeValue(ctx, global);
  return r >= 0;
}

JSAtom well_known_symbol(JSContext* ctx, const char* name) {
  JSValue symbol = get_global(ctx, "Symbol");
  JSValue sym = JS_IsException(symbol) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, symbol, name);
  JS_FreeValue(ctx, symbol);
  if (JS_IsException(sym)) return JS_ATOM_NULL;
  JSAtom atom = JS_ValueToAtom(ctx, sym);
  JS_FreeValue(ctx, sym);
  return atom;
}

bool is_instance_of_global(JSContext* ctx, JSValueConst v, const char* ctor) {
  if (!JS_IsObject(v)) return false;
  JSValue c = get_global(ctx, ctor);
  int r = JS_IsFunction(ctx, c) ? JS_IsInstanceOf(ctx, v, c) : 0;
  JS_FreeValue(ctx, c);
  return r > 0;
}

namespace {
JSValue drop_job(JSContext*, int, JSValueConst*) { return JS_UNDEFINED; }
}  // namespace

void free_later(JSContext* ctx, JSValue v) {
  // The job holds its own reference to v and releases it after running;
  // if the job cannot be queued (no memory), v is kept rather than risked.
  if (JS_EnqueueJob(ctx, drop_job, 1, &v) == 0) JS_FreeValue(ctx, v);
}

bool check_host(JSContext* ctx, const char* fn, const char* what, const JsString& host) {
  if (host.empty() || host.size() > 127) {
    JS_ThrowRangeError(ctx, "%s: %s must be 1..127 characters", fn, what);
    return false;
  }
  for (size_t i = 0; i < host.size(); i++) {
    unsigned char c = static_cast<unsigned char>(host.c_str()[i]);
    if (c < 0x20 || c == 0x7f) {
      JS_ThrowTypeError(ctx, "%s: %s must not contain %s (character %zu)", fn, what,
                        c == 0 ? "NUL" : c == '\r' ? "CR" : c == '\n' ? "LF" : "control characters", i);
      return false;
    }
  }
  return true;
}

bool Args::host(int i, const char* what, JsString* out) {
  return string(i, what, out) && check_host(ctx_, fn_, what, *out);
}

}  // namespace mcujs::bind
