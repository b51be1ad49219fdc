#include "modules/bindings/net_common.h"

#include <cstdio>
#include <cstring>
#include <new>

#include "modules/bindings/args.h"

namespace mcujs::bind {

namespace {

struct NetState {
  NetConfig config;
  tls::TlsContext tls;
  bool tls_tried = false;
  JSValue tls_error_ctor = JS_UNDEFINED;
  JSValue error_ctor = JS_UNDEFINED;  // the global Error at install time: TLSError's super
};

NetState* state(JSContext* ctx) {
  return static_cast<NetState*>(core::Runtime::from(ctx)->slot(core::Slot::kNet));
}

void destroy(core::Runtime& rt, void* p) {
  auto* s = static_cast<NetState*>(p);
  JS_FreeValue(rt.ctx(), s->tls_error_ctor);
  JS_FreeValue(rt.ctx(), s->error_ctor);
  delete s;
}

// TLSError, built with the C API because the device context has no parser.
// It behaves as this class would (and did, when it was evaluated from source):
//
//   class TLSError extends Error {
//     constructor(message, code, errno) {
//       super(message);
//       this.name = 'TLSError';
//       this.code = code;
//       this.errno = errno === undefined ? 0 : errno;
//     }
//   }
//
// i.e. callable only with `new`, TLSError.length 3, TLSError.prototype
// inherits Error.prototype (so `instanceof Error` holds) and TLSError inherits
// Error; an instance is a real Error object (message, stack) with own
// enumerable name, code and errno.
JSValue js_tls_error(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  NetState* s = state(ctx);
  // super(message): Error's constructor with our new.target, so that the
  // prototype (also of a subclass of TLSError) comes from new.target and the
  // stack is recorded, exactly as for a derived class.
  JSValueConst message = argc > 0 ? argv[0] : JS_UNDEFINED;
  JSValue obj = JS_CallConstructor2(ctx, s->error_ctor, new_target, 1, &message);
  if (JS_IsException(obj)) return obj;
  JSValueConst code = argc > 1 ? argv[1] : JS_UNDEFINED;
  JSValueConst errnum = argc > 2 ? argv[2] : JS_UNDEFINED;
  JSValue errno_value = JS_IsUndefined(errnum) ? JS_NewInt32(ctx, 0) : JS_DupValue(ctx, errnum);
  if (JS_SetPropertyStr(ctx, obj, "name", JS_NewString(ctx, "TLSError")) < 0 ||
      JS_SetPropertyStr(ctx, obj, "code", JS_DupValue(ctx, code)) < 0 ||
      JS_SetPropertyStr(ctx, obj, "errno", errno_value) < 0) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  return obj;
}

// Creates the TLSError constructor (see above) into s->tls_error_ctor.
bool make_tls_error_class(JSContext* ctx, NetState* s) {
  s->error_ctor = get_global(ctx, "Error");
  if (JS_IsException(s->error_ctor)) return false;
  if (!JS_IsConstructor(ctx, s->error_ctor)) {
    JS_ThrowInternalError(ctx, "TLSError: the global Error is not a constructor");
    return false;
  }
  JSValue error_proto = JS_GetPropertyStr(ctx, s->error_ctor, "prototype");
  if (JS_IsException(error_proto)) return false;
  JSValue proto = JS_NewObjectProto(ctx, error_proto);
  JS_FreeValue(ctx, error_proto);
  if (JS_IsException(proto)) return false;
  JSValue ctor = JS_NewCFunction2(ctx, js_tls_error, "TLSError", 3, JS_CFUNC_constructor, 0);
  if (JS_IsException(ctor)) {
    JS_FreeValue(ctx, proto);
    return false;
  }
  s->tls_error_ctor = ctor;
  // TLSError.prototype (non-writable, like a class's) and its constructor.
  JS_SetConstructor(ctx, ctor, proto);
  JS_FreeValue(ctx, proto);
  // Static inheritance, as `extends` does: Object.getPrototypeOf(TLSError) === Error.
  return JS_SetPrototype(ctx, ctor, s->error_ctor) >= 0;
}

// Logs the development overrides loudly, once per runtime.
void warn_overrides(core::Runtime& rt, const tls::Options& o) {
  if (o.insecure_skip_verify)
    rt.log(port::LogLevel::kWarn,
           "DEVELOPMENT HAZARD: TLS certificate verification is OFF (--insecure-skip-verify); "
           "any server can impersonate any other");
}

bool load_ca_files(core::Runtime& rt, NetState& s, tls::Error* err) {
  for (int i = 0; i < s.config.ca_file_count; i++) {
    const char* path = s.config.ca_files[i];
    uint8_t* buf = nullptr;
    int32_t n = rt.platform().files->read(
        path, [](void* o, size_t len) { return static_cast<uint8_t*>(js_malloc(static_cast<JSContext*>(o), len + 1)); },
        rt.ctx(), &buf);
    if (n < 0) {
      if (buf) js_free(rt.ctx(), buf);
      err->set(tls::Code::kBadInput, 0, "cannot read CA file '%s': %s", path, port::error_name(n));
      return false;
    }
    buf[n] = 0;
    int added = s.tls.add_ca_pem(reinterpret_cast<const char*>(buf), static_cast<size_t>(n), err);
    js_free(rt.ctx(), buf);
    if (added < 0) return false;
  }
  return true;
}

}  // namespace

bool install_net(core::Runtime& rt, const NetConfig& config) {
  auto* s = new (std::nothrow) NetState;
  if (!s) return false;
  s->config = config;
  rt.set_slot(core::Slot::kNet, s, destroy);
  JSContext* ctx = rt.ctx();
  if (!make_tls_error_class(ctx, s)) return false;
  return set_global(ctx, "TLSError", JS_DupValue(ctx, s->tls_error_ctor));
}

const NetConfig& net_config(JSContext* ctx) { return state(ctx)->config; }

const tls::TlsContext* runtime_tls_if_ready(JSContext* ctx) {
  NetState* s = state(ctx);
  return s && s->tls.ready() ? &s->tls : nullptr;
}

tls::TlsContext* runtime_tls(JSContext* ctx) {
  NetState* s = state(ctx);
  core::Runtime* rt = core::Runtime::from(ctx);
  if (s->tls.ready()) return &s->tls;
  tls::Error err;
  if (!s->tls_tried) {
    s->tls_tried = true;
    if (s->tls.init(rt->platform(), s->config.tls, &err) && load_ca_files(*rt, *s, &err)) {
      warn_overrides(*rt, s->config.tls);
      return &s->tls;
    }
    if (err.code == tls::Code::kNone) err.set(tls::Code::kInternal, 0, "TLS initialisation failed");
    rt->log(port::LogLevel::kError, "TLS unavailable: %s", err.message);
  } else {
    err.set(tls::Code::kEntropy, 0, "TLS unavailable (initialisation failed earlier; see log)");
  }
  net::Error ne;
  ne.from_tls(err);
  throw_net_error(ctx, ne);
  return nullptr;
}

JSValue new_net_error(JSContext* ctx, const net::Error& e) {
  NetState* s = state(ctx);
  const char* code = e.code ? e.code : "UNKNOWN";
  if (e.tls && s && JS_IsFunction(ctx, s->tls_error_ctor)) {
    JSValue args[3] = {JS_NewString(ctx, e.message), JS_NewString(ctx, code),
                       JS_NewInt32(ctx, e.mbedtls_error)};
    JSValue err = JS_CallConstructor(ctx, s->tls_error_ctor, 3, args);
    for (JSValue& v : args) JS_FreeValue(ctx, v);
    return err;
  }
  JSValue err = JS_NewError(ctx);
  if (JS_IsException(err)) return err;
  JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, e.message),
                            JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_SetPropertyStr(ctx, err, "code", JS_NewString(ctx, code));
  JS_SetPropertyStr(ctx, err, "errno", JS_NewInt32(ctx, e.mbedtls_error));
  return err;
}

JSValue throw_net_error(JSContext* ctx, const net::Error& e) {
  JSValue err = new_net_error(ctx, e);
  if (JS_IsException(err)) return err;
  return JS_Throw(ctx, err);
}

namespace {

// Reads obj.alpn (an array of strings) into o.
bool alpn_from_js(JSContext* ctx, const char* fn, JSValueConst list, tls::ConnectOptions* o) {
  if (!JS_IsArray(ctx, list)) {
    JS_ThrowTypeError(ctx, "%s: option 'alpn' must be an array of strings", fn);
    return false;
  }
  int64_t n = 0;
  JSValue len = JS_GetPropertyStr(ctx, list, "length");
  int r = JS_IsException(len) ? -1 : JS_ToInt64(ctx, &n, len);
  JS_FreeValue(ctx, len);
  if (r < 0) return false;
  if (n < 1 || n > tls::ConnectOptions::kMaxAlpn) {
    JS_ThrowRangeError(ctx, "%s: option 'alpn' must hold 1..%d names", fn, tls::ConnectOptions::kMaxAlpn);
    return false;
  }
  for (int64_t i = 0; i < n; i++) {
    JSValue v = JS_GetPropertyUint32(ctx, list, static_cast<uint32_t>(i));
    if (JS_IsException(v)) return false;
    JsString name;
    bool ok = JS_IsString(v) && name.from(ctx, v);
    JS_FreeValue(ctx, v);
    if (!ok) {
      if (!JS_HasException(ctx)) JS_ThrowTypeError(ctx, "%s: option 'alpn' must be an array of strings", fn);
      return false;
    }
    tls::Error err;
    if (!o->add_alpn(name.c_str(), name.size(), &err)) {
      JS_ThrowRangeError(ctx, "%s: option 'alpn': %s", fn, err.message);
      return false;
    }
  }
  return true;
}

}  // namespace

bool tls_options_from_js(JSContext* ctx, const char* fn, JSValueConst obj, TlsOptions* out) {
  Options o(ctx, fn, obj);
  JsString ca, cert, key;
  int64_t timeout = 0;
  if (!o.string("ca", &ca) || !o.string("cert", &cert) || !o.string("key", &key) ||
      !o.integer("timeout", 1, 600000, &timeout))
    return false;
  JSValue alpn = o.get("alpn");
  if (JS_IsException(alpn)) return false;
  bool has_alpn = !JS_IsUndefined(alpn);
  bool has_cert = !cert.empty() || !key.empty();
  out->timeout_ms = static_cast<uint32_t>(timeout);
  if (has_cert && (cert.empty() || key.empty())) {
    JS_FreeValue(ctx, alpn);
    JS_ThrowTypeError(ctx, "%s: options 'cert' and 'key' go together (a client certificate and its key)", fn);
    return false;
  }
  if (ca.empty() && !has_cert && !has_alpn) return true;
  out->connect = new (std::nothrow) tls::ConnectOptions;
  if (!out->connect) {
    JS_FreeValue(ctx, alpn);
    JS_ThrowOutOfMemory(ctx);
    return false;
  }
  bool ok = !has_alpn || alpn_from_js(ctx, fn, alpn, out->connect);
  JS_FreeValue(ctx, alpn);
  if (!ok) return false;
  tls::Error err;
  if (!ca.empty() && out->connect->add_ca_pem(ca.c_str(), ca.size(), &err) < 0) {
    out->error.from_tls(err);
    snprintf(out->error.message, sizeof out->error.message, "%s: option 'ca': %s", fn, err.message);
    return true;
  }
  if (has_cert) {
    tls::TlsContext* tctx = runtime_tls(ctx);
    if (!tctx) return false;
    if (!out->connect->set_client_cert(*tctx, cert.c_str(), cert.size(), key.c_str(), key.size(), &err)) {
      out->error.from_tls(err);
      snprintf(out->error.message, sizeof out->error.message, "%s: options 'cert'/'key': %s", fn, err.message);
    }
  }
  return true;
}

}  // namespace mcujs::bind
