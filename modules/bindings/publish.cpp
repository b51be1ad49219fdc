// The app's configuration (photon.config, from --config FILE) and the cloud
// outbox: photon.publish(event, data) (the origin article's cloud publish)
// and photon.outbox.send/stats/deadLetters, on net::Outbox. The "cloud"
// section of the configuration says where events go (docs/outbox.md).
#include <cstdio>
#include <cstring>
#include <new>

#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "services/outbox/outbox.h"
#include "quickjs.h"

namespace mcujs::bind {

namespace {

constexpr size_t kMaxPublishData = 255;     // the article's cloud publish limit
constexpr size_t kMaxConfigBytes = 64 * 1024;
constexpr size_t kMaxPath = 512;

struct OutboxParts {
  OutboxParts(core::Runtime& rt, const net::OutboxConfig& c, tls::TlsContext* tls, port::KvStore& kv,
              const net::OutboxLog& log)
      : config(c),
        client(rt.loop(), net::http::system_allocator(), net::outbox_client_config(config)),
        transport(client, config.url, tls),
        outbox(config, kv, *rt.platform().clock, *rt.platform().entropy, transport, log) {}
  net::OutboxConfig config;  // the one copy; the transport and the outbox refer to it
  net::http::Client client;
  net::HttpOutboxTransport transport;
  net::Outbox outbox;
};

struct OutboxState {
  core::Runtime* rt = nullptr;
  JSValue config = JS_UNDEFINED;  // the parsed, frozen configuration
  char config_dir[kMaxPath] = {};
  char state_dir[kMaxPath] = {};
  OutboxParts* parts = nullptr;
};

OutboxState* state(JSContext* ctx) {
  return static_cast<OutboxState*>(core::Runtime::from(ctx)->slot(core::Slot::kOutbox));
}

void destroy_state(core::Runtime& rt, void* p) {
  auto* s = static_cast<OutboxState*>(p);
  if (s->parts) {
    rt.loop().remove(&s->parts->outbox);
    delete s->parts;
  }
  JS_FreeValue(rt.ctx(), s->config);
  delete s;
}

void log_hook(void* opaque, port::LogLevel level, const char* msg) {
  static_cast<core::Runtime*>(opaque)->log(level, "%s", msg);
}

net::Outbox* outbox_or_throw(JSContext* ctx, const char* fn) {
  OutboxState* s = state(ctx);
  if (s && s->parts) return &s->parts->outbox;
  throw_error(ctx,
              "%s: no cloud outbox configured (run with --config FILE whose JSON has a 'cloud' section; "
              "see docs/outbox.md)",
              fn);
  return nullptr;
}

// ------------------------------------------------------------ JavaScript

// photon.publish(event, data) -> true when queued (persisted), false when
// the overflow policy or the store refused it.
JSValue js_publish(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "publish", argc, argv);
  JsString name, data;
  if (!a.count(1, 2) || !a.string(0, "event", &name)) return JS_EXCEPTION;
  if (name.empty() || name.size() > net::OutboxEvent::kMaxName)
    return a.range_error("event must be 1..%lu bytes, got %lu", static_cast<unsigned long>(net::OutboxEvent::kMaxName),
                         static_cast<unsigned long>(name.size()));
  if (a.has(1)) {
    if (!a.string(1, "data", &data)) return JS_EXCEPTION;
    if (data.size() > kMaxPublishData)
      return a.range_error("data must be at most %lu bytes (UTF-8), got %lu", static_cast<unsigned long>(kMaxPublishData),
                           static_cast<unsigned long>(data.size()));
  }
  net::Outbox* ob = outbox_or_throw(ctx, a.fn());
  if (!ob) return JS_EXCEPTION;
  uint32_t id = 0;
  auto r = ob->send(name.c_str(), name.size(), reinterpret_cast<const uint8_t*>(data.c_str()), data.size(), &id);
  return JS_NewBool(ctx, r == net::OutboxStore::Put::kQueued);
}

// photon.outbox.send(event, data) -> the event id, or null when the overflow
// policy dropped it at once. data: a string, or an object (JSON-stringified).
JSValue js_send(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "outbox.send", argc, argv);
  JsString name, data;
  if (!a.count(1, 2) || !a.string(0, "event", &name)) return JS_EXCEPTION;
  if (name.empty() || name.size() > net::OutboxEvent::kMaxName)
    return a.range_error("event must be 1..%lu bytes, got %lu", static_cast<unsigned long>(net::OutboxEvent::kMaxName),
                         static_cast<unsigned long>(name.size()));
  JSValueConst d = a[1];
  if (JS_IsString(d)) {
    if (!data.from(ctx, d)) return JS_EXCEPTION;
  } else if (JS_IsObject(d) && !JS_IsFunction(ctx, d)) {
    JSValue json = JS_JSONStringify(ctx, d, JS_UNDEFINED, JS_UNDEFINED);
    if (JS_IsException(json)) return JS_EXCEPTION;
    bool ok = JS_IsString(json) && data.from(ctx, json);
    JS_FreeValue(ctx, json);
    if (!ok) return JS_HasException(ctx) ? JS_EXCEPTION : a.type_error("data cannot be converted to JSON");
  } else if (!JS_IsUndefined(d)) {
    return a.type_error("data must be a string or an object");
  }
  if (data.size() > net::OutboxEvent::kMaxData)
    return a.range_error("data must be at most %lu bytes (UTF-8, after JSON.stringify), got %lu",
                         static_cast<unsigned long>(net::OutboxEvent::kMaxData), static_cast<unsigned long>(data.size()));
  net::Outbox* ob = outbox_or_throw(ctx, a.fn());
  if (!ob) return JS_EXCEPTION;
  uint32_t id = 0;
  auto r = ob->send(name.c_str(), name.size(), reinterpret_cast<const uint8_t*>(data.c_str()), data.size(), &id);
  if (r == net::OutboxStore::Put::kDroppedNew) return JS_NULL;
  if (r != net::OutboxStore::Put::kQueued)
    return throw_error(ctx, "outbox.send: the event could not be stored (see the log)");
  return JS_NewUint32(ctx, id);
}

JSValue js_stats(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "outbox.stats", argc, argv);
  if (!a.count(0, 0)) return JS_EXCEPTION;
  net::Outbox* ob = outbox_or_throw(ctx, a.fn());
  if (!ob) return JS_EXCEPTION;
  net::Outbox::Stats st = ob->stats();
  JSValue o = JS_NewObject(ctx);
  JSValue dropped = JS_NewObject(ctx);
  if (JS_IsException(o) || JS_IsException(dropped)) {
    JS_FreeValue(ctx, o);
    JS_FreeValue(ctx, dropped);
    return JS_EXCEPTION;
  }
  JS_SetPropertyStr(ctx, o, "queued", JS_NewUint32(ctx, st.queued));
  JS_SetPropertyStr(ctx, o, "inFlight", JS_NewUint32(ctx, st.in_flight));
  JS_SetPropertyStr(ctx, o, "delivered", JS_NewUint32(ctx, st.delivered));
  JS_SetPropertyStr(ctx, o, "retries", JS_NewUint32(ctx, st.retries));
  JS_SetPropertyStr(ctx, o, "deadLetters", JS_NewUint32(ctx, st.dead_letters));
  JS_SetPropertyStr(ctx, dropped, "reports", JS_NewUint32(ctx, st.dropped_reports));
  JS_SetPropertyStr(ctx, dropped, "alarms", JS_NewUint32(ctx, st.dropped_alarms));
  JS_SetPropertyStr(ctx, o, "dropped", dropped);
  JS_SetPropertyStr(ctx, o, "nextRetryMs", JS_NewUint32(ctx, st.next_retry_ms));
  return o;
}

JSValue js_dead_letters(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "outbox.deadLetters", argc, argv);
  if (!a.count(0, 0)) return JS_EXCEPTION;
  net::Outbox* ob = outbox_or_throw(ctx, a.fn());
  if (!ob) return JS_EXCEPTION;
  JSValue arr = JS_NewArray(ctx);
  if (JS_IsException(arr)) return arr;
  const net::OutboxStore& st = ob->store();
  for (size_t i = 0; i < st.dead_count(); i++) {
    const net::OutboxStore::Dead& d = st.dead(i);
    JSValue o = JS_NewObject(ctx);
    if (JS_IsException(o)) {
      JS_FreeValue(ctx, arr);
      return o;
    }
    JS_SetPropertyStr(ctx, o, "id", JS_NewUint32(ctx, d.id));
    JS_SetPropertyStr(ctx, o, "event", JS_NewString(ctx, d.name));
    JS_SetPropertyStr(ctx, o, "status", JS_NewInt32(ctx, d.status));
    JS_SetPropertyUint32(ctx, arr, static_cast<uint32_t>(i), o);
  }
  return arr;
}

const Method kOutboxMethods[] = {
    method("send", js_send, 2),
    method("stats", js_stats, 0),
    method("deadLetters", js_dead_letters, 0),
};

// ------------------------------------------------------------ configuration

// The configuration is frozen all the way down (photon.config.app.x = 1
// throws in strict code): Object.freeze on the object and on every object
// reachable through own enumerable string keys, which is all a JSON document
// holds. C API only: the device context has no parser. JSON has no cycles or
// shared objects; the depth bound keeps the C stack bounded anyway (a cycle
// would end there too).
constexpr int kMaxConfigDepth = 32;

bool deep_freeze(JSContext* ctx, JSValueConst freeze, JSValueConst obj, int depth) {
  if (depth >= kMaxConfigDepth) {
    JS_ThrowRangeError(ctx, "config: objects nested deeper than %d levels (or a cycle)", kMaxConfigDepth);
    return false;
  }
  JSValue r = JS_Call(ctx, freeze, JS_UNDEFINED, 1, &obj);
  if (JS_IsException(r)) return false;
  JS_FreeValue(ctx, r);
  JSPropertyEnum* props = nullptr;
  uint32_t count = 0;
  if (JS_GetOwnPropertyNames(ctx, &props, &count, obj, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0) return false;
  bool ok = true;
  for (uint32_t i = 0; ok && i < count; i++) {
    JSValue v = JS_GetProperty(ctx, obj, props[i].atom);
    if (JS_IsException(v))
      ok = false;
    else if (JS_IsObject(v) && !JS_IsFunction(ctx, v))
      ok = deep_freeze(ctx, freeze, v, depth + 1);
    JS_FreeValue(ctx, v);
  }
  for (uint32_t i = 0; i < count; i++) JS_FreeAtom(ctx, props[i].atom);
  js_free(ctx, props);
  return ok;
}

// deep_freeze with Object.freeze taken from the global Object (installed
// before any script runs, so it is the built-in).
bool freeze_config(JSContext* ctx, JSValueConst config) {
  JSValue object = get_global(ctx, "Object");
  JSValue freeze = JS_IsException(object) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, object, "freeze");
  JS_FreeValue(ctx, object);
  if (JS_IsException(freeze)) return false;
  bool ok = JS_IsFunction(ctx, freeze);
  if (!ok)
    JS_ThrowInternalError(ctx, "config: Object.freeze is missing");
  else
    ok = deep_freeze(ctx, freeze, config, 0);
  JS_FreeValue(ctx, freeze);
  return ok;
}

struct FileBuf {
  JSContext* ctx;
  uint8_t* data = nullptr;
  ~FileBuf() { js_free(ctx, data); }
};

// Reads a whole (small) file through the port, NUL-terminated.
int32_t read_file(core::Runtime& rt, const char* path, FileBuf* out) {
  int32_t n = rt.platform().files->read(
      path, [](void* o, size_t len) { return static_cast<uint8_t*>(js_malloc(static_cast<JSContext*>(o), len + 1)); },
      rt.ctx(), &out->data);
  if (n >= 0) out->data[n] = 0;
  return n;
}

JSValue get_photon(JSContext* ctx) {
  JSValue photon = get_global(ctx, "photon");
  if (!JS_IsException(photon) && !JS_IsObject(photon)) {
    JS_FreeValue(ctx, photon);
    JS_ThrowInternalError(ctx, "install the photon bindings before the configuration");
    return JS_EXCEPTION;
  }
  return photon;
}

// Integer member of the queue section, named in errors.
bool queue_int(Options& q, const char* key, int64_t lo, int64_t hi, uint32_t* out) {
  int64_t v = *out;
  if (!q.integer(key, lo, hi, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool parse_critical(JSContext* ctx, JSValueConst queue, net::OutboxConfig* c) {
  Options q(ctx, "config cloud.queue", queue);
  JSValue list = q.get("critical_events");
  if (JS_IsException(list)) return false;
  if (JS_IsUndefined(list)) return true;
  bool ok = JS_IsArray(ctx, list) == 1;
  int64_t n = 0;
  if (ok) {
    JSValue len = JS_GetPropertyStr(ctx, list, "length");
    ok = JS_ToInt64(ctx, &n, len) == 0 && n >= 0 && n <= net::OutboxConfig::kMaxCritical;
    JS_FreeValue(ctx, len);
  }
  c->critical_count = 0;
  for (int64_t i = 0; ok && i < n; i++) {
    JSValue v = JS_GetPropertyUint32(ctx, list, static_cast<uint32_t>(i));
    JsString s;
    ok = JS_IsString(v) && s.from(ctx, v) && !s.empty() && s.size() <= net::OutboxEvent::kMaxName;
    if (ok) memcpy(c->critical[c->critical_count++], s.c_str(), s.size() + 1);
    JS_FreeValue(ctx, v);
  }
  JS_FreeValue(ctx, list);
  if (!ok && !JS_HasException(ctx))
    JS_ThrowTypeError(ctx, "config cloud.queue: option 'critical_events' must be an array of at most %d event names",
                      net::OutboxConfig::kMaxCritical);
  return ok;
}

// Reads and checks the "cloud" section; false with an exception naming the field.
bool parse_cloud(JSContext* ctx, JSValueConst cloud, net::OutboxConfig* c, JsString* ca) {
  if (!JS_IsObject(cloud) || JS_IsArray(ctx, cloud)) {
    JS_ThrowTypeError(ctx, "config: 'cloud' must be an object");
    return false;
  }
  Options o(ctx, "config cloud", cloud);
  JsString url, secret, coreid;
  if (!o.string("url", &url, true) || !o.string("secret", &secret, true) || !o.string("coreid", &coreid, true) ||
      !o.string("ca", ca))
    return false;
  net::UrlError ue = net::parse_url(url.c_str(), url.size(), &c->url);
  if (ue != net::UrlError::kOk) {
    JS_ThrowTypeError(ctx, "config cloud: option 'url' is not a valid URL: %s", net::url_error_message(ue));
    return false;
  }
  if (!c->url.https) {
    JS_ThrowTypeError(ctx, "config cloud: option 'url' must be an https:// URL (events carry the secret)");
    return false;
  }
  if (secret.empty() || secret.size() > net::OutboxConfig::kMaxSecret ||
      !net::http::is_field_value(secret.c_str(), secret.size())) {
    JS_ThrowTypeError(ctx,
                      "config cloud: option 'secret' must be 1..%lu characters, without control characters or "
                      "surrounding spaces",
                      static_cast<unsigned long>(net::OutboxConfig::kMaxSecret));
    return false;
  }
  if (coreid.empty() || coreid.size() > net::OutboxConfig::kMaxCoreId) {
    JS_ThrowRangeError(ctx, "config cloud: option 'coreid' must be 1..%lu bytes",
                       static_cast<unsigned long>(net::OutboxConfig::kMaxCoreId));
    return false;
  }
  memcpy(c->secret, secret.c_str(), secret.size() + 1);
  memcpy(c->coreid, coreid.c_str(), coreid.size() + 1);
  if (!queue_int(o, "keep_alive_ms", 0, 3600000, &c->keep_alive_ms)) return false;

  JSValue queue = o.get("queue");
  if (JS_IsException(queue)) return false;
  bool ok = true;
  if (!JS_IsUndefined(queue)) {
    if (!JS_IsObject(queue) || JS_IsArray(ctx, queue)) {
      JS_ThrowTypeError(ctx, "config cloud: option 'queue' must be an object");
      ok = false;
    }
    Options q(ctx, "config cloud.queue", queue);
    uint32_t max_events = c->max_events, max_dead = c->max_dead;
    ok = ok && queue_int(q, "max_events", 1, net::OutboxStore::kMaxEventsLimit, &max_events) &&
         queue_int(q, "max_dead", 0, net::OutboxStore::kMaxDeadLimit, &max_dead) &&
         queue_int(q, "backoff_initial_ms", 1, 3600000, &c->backoff_initial_ms) &&
         queue_int(q, "backoff_max_ms", 1, 86400000, &c->backoff_max_ms) &&
         queue_int(q, "request_timeout_ms", 100, 600000, &c->request_timeout_ms) &&
         queue_int(q, "drain_timeout_ms", 0, 86400000, &c->drain_timeout_ms) && parse_critical(ctx, queue, c);
    c->max_events = static_cast<uint16_t>(max_events);
    c->max_dead = static_cast<uint16_t>(max_dead);
    if (ok && c->backoff_max_ms < c->backoff_initial_ms) {
      JS_ThrowRangeError(ctx, "config cloud.queue: option 'backoff_max_ms' must be >= backoff_initial_ms");
      ok = false;
    }
  }
  JS_FreeValue(ctx, queue);
  return ok;
}

// The CA: inline PEM, or a file relative to the configuration's directory.
bool load_cloud_ca(core::Runtime& rt, const OutboxState& s, const JsString& ca, tls::TlsContext* tctx) {
  JSContext* ctx = rt.ctx();
  tls::Error err;
  if (strstr(ca.c_str(), "-----BEGIN")) {
    if (tctx->add_ca_pem(ca.c_str(), ca.size(), &err) < 0) {
      throw_error(ctx, "config cloud: option 'ca' (inline PEM): %s", err.message);
      return false;
    }
    return true;
  }
  char path[kMaxPath];
  int n = ca.c_str()[0] == '/' || !s.config_dir[0]
              ? snprintf(path, sizeof path, "%s", ca.c_str())
              : snprintf(path, sizeof path, "%s/%s", s.config_dir, ca.c_str());
  if (n < 0 || static_cast<size_t>(n) >= sizeof path) {
    throw_error(ctx, "config cloud: option 'ca': path too long");
    return false;
  }
  // Already trusted through the runtime's CA files (a bundle's ca.pem is
  // both): parsing it twice would cost a second copy of its chain.
  const NetConfig& nc = net_config(ctx);
  for (int i = 0; i < nc.ca_file_count; i++)
    if (strcmp(nc.ca_files[i], path) == 0) return true;
  FileBuf f{ctx};
  int32_t len = read_file(rt, path, &f);
  if (len < 0) {
    throw_error(ctx, "config cloud: option 'ca': cannot read '%s': %s", path, port::error_text(len));
    return false;
  }
  if (tctx->add_ca_pem(reinterpret_cast<const char*>(f.data), static_cast<size_t>(len), &err) < 0) {
    throw_error(ctx, "config cloud: option 'ca': '%s': %s", path, err.message);
    return false;
  }
  return true;
}

}  // namespace

bool install_config(core::Runtime& rt, const char* config_file, bool* has_cloud) {
  *has_cloud = false;
  JSContext* ctx = rt.ctx();
  auto* s = new (std::nothrow) OutboxState;
  if (!s) return false;
  s->rt = &rt;
  rt.set_slot(core::Slot::kOutbox, s, destroy_state);

  JSValue config = JS_UNDEFINED;
  if (config_file) {
    FileBuf f{ctx};
    int32_t n = read_file(rt, config_file, &f);
    if (n < 0) {
      throw_error(ctx, "config: cannot read '%s': %s", config_file, port::error_text(n));
      return false;
    }
    if (static_cast<size_t>(n) > kMaxConfigBytes) {
      throw_error(ctx, "config: '%s' is larger than %lu bytes", config_file,
                  static_cast<unsigned long>(kMaxConfigBytes));
      return false;
    }
    config = JS_ParseJSON(ctx, reinterpret_cast<const char*>(f.data), static_cast<size_t>(n), config_file);
    if (JS_IsException(config)) return false;
    if (!JS_IsObject(config) || JS_IsArray(ctx, config)) {
      JS_FreeValue(ctx, config);
      throw_error(ctx, "config: '%s' must hold a JSON object", config_file);
      return false;
    }
    const char* slash = strrchr(config_file, '/');
    if (slash) {
      int dir_len = slash == config_file ? 1 : static_cast<int>(slash - config_file);  // "/x.json" -> "/"
      snprintf(s->config_dir, sizeof s->config_dir, "%.*s", dir_len, config_file);
    }
    JSValue cloud = JS_GetPropertyStr(ctx, config, "cloud");
    *has_cloud = !JS_IsUndefined(cloud) && !JS_IsException(cloud);
    JS_FreeValue(ctx, cloud);
  } else {
    config = JS_NewObject(ctx);
    if (JS_IsException(config)) return false;
  }
  if (!freeze_config(ctx, config)) {
    JS_FreeValue(ctx, config);
    return false;
  }
  s->config = config;

  JSValue photon = get_photon(ctx);
  if (JS_IsException(photon)) return false;
  JSValue outbox = JS_NewObject(ctx);
  bool ok = !JS_IsException(outbox) && set_methods(ctx, outbox, kOutboxMethods) &&
            JS_DefinePropertyValueStr(ctx, photon, "outbox", outbox, JS_PROP_CONFIGURABLE) >= 0 &&
            set_function(ctx, photon, "publish", js_publish, 2) &&
            JS_DefinePropertyValueStr(ctx, photon, "config", JS_DupValue(ctx, s->config), JS_PROP_CONFIGURABLE |
                                      JS_PROP_ENUMERABLE) >= 0;
  JS_FreeValue(ctx, photon);
  return ok;
}

bool install_outbox(core::Runtime& rt, port::KvStore* kv, const char* state_dir) {
  JSContext* ctx = rt.ctx();
  OutboxState* s = state(ctx);
  if (!s) {
    JS_ThrowInternalError(ctx, "install_config must run before install_outbox");
    return false;
  }
  JSValue cloud = JS_GetPropertyStr(ctx, s->config, "cloud");
  if (JS_IsException(cloud)) return false;
  if (JS_IsUndefined(cloud)) return true;  // no cloud: publish throws a clear Error
  auto* cfg = new (std::nothrow) net::OutboxConfig;
  if (!cfg) {
    JS_FreeValue(ctx, cloud);
    JS_ThrowOutOfMemory(ctx);
    return false;
  }
  JsString ca;
  bool ok = parse_cloud(ctx, cloud, cfg, &ca);
  JS_FreeValue(ctx, cloud);
  tls::TlsContext* tctx = nullptr;
  if (ok) {
    tctx = runtime_tls(ctx);  // the same verified TLS context as fetch
    ok = tctx && (ca.empty() || load_cloud_ca(rt, *s, ca, tctx));
  }
  if (ok && !kv) {
    throw_error(ctx, "config: the cloud outbox needs a state directory (--state-dir)");
    ok = false;
  }
  if (ok) {
    snprintf(s->state_dir, sizeof s->state_dir, "%s", state_dir ? state_dir : "");
    net::OutboxLog log;
    log.fn = log_hook;
    log.opaque = &rt;
    s->parts = new (std::nothrow) OutboxParts(rt, *cfg, tctx, *kv, log);
    if (!s->parts) {
      JS_ThrowOutOfMemory(ctx);
      ok = false;
    }
  }
  if (ok) {
    char err[256];
    if (!s->parts->outbox.open(err, sizeof err)) {
      throw_error(ctx, "outbox: %s (state directory '%s')", err, s->state_dir);
      ok = false;
    } else {
      rt.loop().add(&s->parts->outbox);
    }
  }
  delete cfg;
  return ok;
}

int drain_outbox(core::Runtime& rt, int status) {
  OutboxState* s = state(rt.ctx());
  if (!s || !s->parts) return status;
  net::Outbox& ob = s->parts->outbox;
  uint32_t timeout = ob.config().drain_timeout_ms;
  if (status == 0 && ob.store().count() > 0 && timeout > 0) {
    rt.log(port::LogLevel::kInfo, "outbox: script finished; delivering %lu queued event(s) (waiting up to %lu ms)",
           static_cast<unsigned long>(ob.store().count()), static_cast<unsigned long>(timeout));
    // Our own loop, not Runtime::run(): the run may have been stopped (the
    // board scenario's end), and the script's remaining timers are not run.
    ob.start_drain(timeout);
    while (ob.busy()) {
      rt.loop().service(1000);  // the outbox's deadlines shorten the wait
      rt.run_jobs();
    }
  }
  if (ob.store().count() > 0)
    rt.log(port::LogLevel::kWarn, "outbox: %lu event(s) not delivered; kept in '%s' for the next run",
           static_cast<unsigned long>(ob.store().count()), s->state_dir);
  return status;
}

}  // namespace mcujs::bind
