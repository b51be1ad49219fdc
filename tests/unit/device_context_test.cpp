// The bindings in the firmware's parser-free context: a context made like
// apps/firmware/main.cpp's new_device_context (JS_NewContextRaw with
// BaseObjects, JSON, Promise; no Eval), completed by bind::install_all from
// a bundle's manifest, must accept every binding, because nothing may evaluate JavaScript source at install time
// (TLSError and the deep freeze of photon.config are built with the C API).
// Everything is checked through the C API, since this context cannot parse.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "bundle/format.h"
#include "core/runtime.h"
#include "modules/bindings/install.h"
#include "modules/bindings/net_common.h"
#include "ports/linux/linux_port.h"
#include "quickjs.h"
#include "tests/unit/test_logs.h"

using namespace mcujs;

namespace {

JSContext* device_context(JSRuntime* rt) {
  JSContext* ctx = JS_NewContextRaw(rt);
  if (!ctx) return nullptr;
  JS_AddIntrinsicBaseObjects(ctx);
  JS_AddIntrinsicJSON(ctx);
  JS_AddIntrinsicPromise(ctx);
  return ctx;
}

using test::NullLog;

// A temporary JSON file, removed at the end.
struct TempJson {
  explicit TempJson(const std::string& text) {
    char tmpl[] = "/tmp/mcujs-devctx-XXXXXX";
    int fd = mkstemp(tmpl);
    EXPECT_GE(fd, 0);
    path = tmpl;
    EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
  }
  ~TempJson() { unlink(path.c_str()); }
  std::string path;
};

struct Device {
  Device() : rt(platform(), options()) {}
  static core::RuntimeOptions options() {
    core::RuntimeOptions o;
    o.new_context = device_context;
    return o;
  }
  port::Platform& platform() {
    plat = host.platform();
    plat.log = &log;
    return plat;
  }
  // The firmware's start-up path: install_all with the manifest's features
  // (default: every one), then the configuration.
  bool install(const char* config_file, uint32_t features = bundle::kFeatureAll) {
    bool has_cloud = false;
    const bind::Features f{.mask = features, .raw_context = true, .net = nullptr};
    return rt.init() && bind::install_all(rt, f) && bind::install_config(rt, config_file, &has_cloud);
  }
  bool has_global(const char* name) {
    JSValue v = global(name);
    bool has = !JS_IsUndefined(v);
    JS_FreeValue(rt.ctx(), v);
    return has;
  }
  std::string pending_exception() {
    JSValue e = JS_GetException(rt.ctx());
    const char* s = JS_ToCString(rt.ctx(), e);
    std::string out = s ? s : "?";
    JS_FreeCString(rt.ctx(), s);
    JS_FreeValue(rt.ctx(), e);
    return out;
  }
  JSValue global(const char* name) {
    JSValue g = JS_GetGlobalObject(rt.ctx());
    JSValue v = JS_GetPropertyStr(rt.ctx(), g, name);
    JS_FreeValue(rt.ctx(), g);
    return v;
  }
  std::string str(JSValueConst obj, const char* prop) {
    JSValue v = JS_GetPropertyStr(rt.ctx(), obj, prop);
    const char* s = JS_ToCString(rt.ctx(), v);
    std::string out = s ? s : "<not a string>";
    JS_FreeCString(rt.ctx(), s);
    JS_FreeValue(rt.ctx(), v);
    return out;
  }
  // Object.isFrozen(v)
  bool frozen(JSValueConst v) {
    JSValue object = global("Object");
    JSValue is_frozen = JS_GetPropertyStr(rt.ctx(), object, "isFrozen");
    JSValue r = JS_Call(rt.ctx(), is_frozen, object, 1, &v);
    bool f = JS_ToBool(rt.ctx(), r) == 1;
    JS_FreeValue(rt.ctx(), r);
    JS_FreeValue(rt.ctx(), is_frozen);
    JS_FreeValue(rt.ctx(), object);
    return f;
  }
  linux_port::LinuxPlatform host;
  port::Platform plat{};
  NullLog log;
  core::Runtime rt;
};

}  // namespace

TEST(DeviceContext, HasNoParser) {
  Device d;
  ASSERT_TRUE(d.rt.init());
  const char src[] = "1 + 1";
  EXPECT_FALSE(d.rt.eval_source("<test>", src, sizeof src - 1, false));  // so the tests below mean something
}

TEST(DeviceContext, EveryBindingInstallsWithoutEval) {
  Device d;
  ASSERT_TRUE(d.install(nullptr)) << d.pending_exception();
}

// install_all gives a raw context only what the manifest asks for: each
// built-in and binding costs heap on the device.
TEST(DeviceContext, InstallAllFollowsTheManifest) {
  Device bare;
  ASSERT_TRUE(bare.install(nullptr, 0)) << bare.pending_exception();
  for (const char* name : {"Date", "RegExp", "Map", "Set", "Uint8Array", "tls", "fetch", "dht11"})
    EXPECT_FALSE(bare.has_global(name)) << name;
  for (const char* name : {"console", "setTimeout", "photon"}) EXPECT_TRUE(bare.has_global(name)) << name;

  Device some;
  ASSERT_TRUE(some.install(nullptr, bundle::kFeatureDate | bundle::kFeatureMapSet | bundle::kFeatureFetch))
      << some.pending_exception();
  for (const char* name : {"Date", "Map", "WeakMap", "fetch", "Uint8Array"}) EXPECT_TRUE(some.has_global(name)) << name;
  for (const char* name : {"RegExp", "tls", "dht11"}) EXPECT_FALSE(some.has_global(name)) << name;
}

TEST(DeviceContext, TlsErrorIsAnErrorSubclass) {
  Device d;
  ASSERT_TRUE(d.install(nullptr)) << d.pending_exception();
  JSContext* ctx = d.rt.ctx();
  JSValue ctor = d.global("TLSError");
  JSValue error = d.global("Error");
  ASSERT_TRUE(JS_IsConstructor(ctx, ctor));
  EXPECT_EQ(d.str(ctor, "name"), "TLSError");
  JSValue len = JS_GetPropertyStr(ctx, ctor, "length");
  EXPECT_EQ(JS_VALUE_GET_INT(len), 3);
  JSValue super = JS_GetPrototype(ctx, ctor);
  EXPECT_TRUE(JS_StrictEq(ctx, super, error));  // extends Error
  JS_FreeValue(ctx, super);

  JSValue args[3] = {JS_NewString(ctx, "m"), JS_NewString(ctx, "CERT_EXPIRED"), JS_NewInt32(ctx, -9984)};
  JSValue e = JS_CallConstructor(ctx, ctor, 3, args);
  for (JSValue& v : args) JS_FreeValue(ctx, v);
  ASSERT_FALSE(JS_IsException(e)) << d.pending_exception();
  EXPECT_TRUE(JS_IsError(ctx, e));
  EXPECT_EQ(JS_IsInstanceOf(ctx, e, error), 1);
  EXPECT_EQ(JS_IsInstanceOf(ctx, e, ctor), 1);
  EXPECT_EQ(d.str(e, "name"), "TLSError");
  EXPECT_EQ(d.str(e, "message"), "m");
  EXPECT_EQ(d.str(e, "code"), "CERT_EXPIRED");
  EXPECT_EQ(d.str(e, "errno"), "-9984");
  EXPECT_NE(d.str(e, "stack").find("TLSError"), std::string::npos);
  JS_FreeValue(ctx, e);

  JSValue m = JS_NewString(ctx, "only a message");  // errno defaults to 0
  e = JS_CallConstructor(ctx, ctor, 1, &m);
  JS_FreeValue(ctx, m);
  EXPECT_EQ(d.str(e, "errno"), "0");
  EXPECT_EQ(d.str(e, "code"), "undefined");
  JS_FreeValue(ctx, e);

  JSValue r = JS_Call(ctx, ctor, JS_UNDEFINED, 0, nullptr);  // a class: only with new
  EXPECT_TRUE(JS_IsException(r));
  EXPECT_NE(d.pending_exception().find("TypeError"), std::string::npos);

  // What the bindings throw for TLS failures.
  net::Error ne;
  tls::Error te;
  te.set(tls::Code::kCertUntrusted, -0x2700, "server certificate is not trusted");
  ne.from_tls(te);
  e = bind::new_net_error(ctx, ne);
  EXPECT_EQ(JS_IsInstanceOf(ctx, e, ctor), 1);
  EXPECT_EQ(d.str(e, "code"), "CERT_UNTRUSTED");
  EXPECT_EQ(d.str(e, "message"), "server certificate is not trusted");
  JS_FreeValue(ctx, e);
  JS_FreeValue(ctx, error);
  JS_FreeValue(ctx, ctor);
}

TEST(DeviceContext, ConfigIsDeepFrozen) {
  TempJson cfg(R"({"app": {"answer": 42, "list": [1, {"deep": {"x": true}}]}, "name": "hub"})");
  Device d;
  ASSERT_TRUE(d.install(cfg.path.c_str())) << d.pending_exception();
  JSContext* ctx = d.rt.ctx();
  JSValue photon = d.global("photon");
  JSValue config = JS_GetPropertyStr(ctx, photon, "config");
  JSValue app = JS_GetPropertyStr(ctx, config, "app");
  JSValue list = JS_GetPropertyStr(ctx, app, "list");
  JSValue item = JS_GetPropertyUint32(ctx, list, 1);
  JSValue deep = JS_GetPropertyStr(ctx, item, "deep");
  for (JSValueConst v : {config, app, list, item, deep}) EXPECT_TRUE(d.frozen(v));
  EXPECT_EQ(d.str(app, "answer"), "42");
  // A write in strict mode (JS_SetPropertyStr throws) fails and changes nothing.
  EXPECT_LT(JS_SetPropertyStr(ctx, deep, "x", JS_NewInt32(ctx, 1)), 0);
  JS_FreeValue(ctx, JS_GetException(ctx));
  EXPECT_EQ(d.str(deep, "x"), "true");
  for (JSValue v : {deep, item, list, app, config, photon}) JS_FreeValue(ctx, v);
}

TEST(DeviceContext, OverlyDeepConfigIsRefusedClearly) {
  std::string text = "{\"app\":";
  for (int i = 0; i < 40; i++) text += "{\"a\":";
  text += "1";
  for (int i = 0; i < 41; i++) text += "}";
  TempJson cfg(text);
  Device d;
  EXPECT_FALSE(d.install(cfg.path.c_str()));
  std::string e = d.pending_exception();
  EXPECT_NE(e.find("RangeError: config: objects nested deeper than 32 levels"), std::string::npos) << e;
}
