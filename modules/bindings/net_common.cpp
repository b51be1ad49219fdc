#include "modules/bindings/net_common.h"

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
};

NetState* state(JSContext* ctx) {
  return static_cast<NetState*>(core::Runtime::from(ctx)->slot(core::Slot::kNet));
}

void destroy(core::Runtime& rt, void* p) {
  auto* s = static_cast<NetState*>(p);
  JS_FreeValue(rt.ctx(), s->tls_error_ctor);
  delete s;
}

// TLSError is a plain subclass of Error, so `instanceof Error` holds too.
constexpr char kTlsErrorSource[] =
    "(class TLSError extends Error {\n"
    "  constructor(message, code, errno) {\n"
    "    super(message);\n"
    "    this.name = 'TLSError';\n"
    "    this.code = code;\n"
    "    this.errno = errno === undefined ? 0 : errno;\n"
    "  }\n"
    "})";

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
  s->tls_error_ctor = JS_Eval(ctx, kTlsErrorSource, sizeof kTlsErrorSource - 1, "<tls-error>",
                              JS_EVAL_TYPE_GLOBAL);
  if (JS_IsException(s->tls_error_ctor)) return false;
  JSValue global = JS_GetGlobalObject(ctx);
  int r = JS_SetPropertyStr(ctx, global, "TLSError", JS_DupValue(ctx, s->tls_error_ctor));
  JS_FreeValue(ctx, global);
  return r >= 0;
}

const NetConfig& net_config(JSContext* ctx) { return state(ctx)->config; }

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

}  // namespace mcujs::bind
