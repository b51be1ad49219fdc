// ReadableStream and WritableStream (WHATWG Streams, default controllers:
// queue with a size strategy and high-water mark, pull/cancel of the source,
// readers with pending reads, tee, pipeTo/pipeThrough, async iteration), in
// JavaScript evaluated on first use like the other web_js globals; and the
// hooks through which the Body mixin (body.cpp) and fetch use a stream:
// disturbed/locked, read everything, a stream over bytes, tee for clone().
// The hooks object lives in a context slot (the prototype slot of a class
// that has no instances), so C++ reaches it without a global name a script
// could replace. Byte streams (`type: 'bytes'`, as bodies are) have BYOB
// readers, which fill the caller's view in place (QuickJS has no
// ArrayBuffer.prototype.transfer to detach it) and no byobRequest.
#include "modules/bindings/streams.h"

#include "modules/bindings/class_def.h"
#include "modules/bindings/install.h"
#include "modules/bindings/js_text.h"

namespace mcujs::bind {

namespace {

JSClassID g_slot_id = 0;  // a class without instances: its per-context prototype slot holds the hooks

JSValue create_streams(JSContext* ctx) {
  JSRuntime* rt = JS_GetRuntime(ctx);
  if (g_slot_id == 0) JS_NewClassID(&g_slot_id);
  if (!JS_IsRegisteredClass(rt, g_slot_id)) {
    JSClassDef d{};
    d.class_name = "StreamHooks";
    if (JS_NewClass(rt, g_slot_id, &d) < 0) return JS_ThrowOutOfMemory(ctx);
  }
  JSValue have = JS_GetClassProto(ctx, g_slot_id);
  if (JS_IsObject(have)) return have;
  JS_FreeValue(ctx, have);
  JSValue hooks = eval_js_text(ctx, JsText::kStreams, "<streams>");
  if (JS_IsException(hooks)) return hooks;
  JS_SetClassProto(ctx, g_slot_id, JS_DupValue(ctx, hooks));
  return hooks;
}

JSValue hooks_member(JSContext* ctx, const char* name) {
  JSValue hooks = create_streams(ctx);
  if (JS_IsException(hooks)) return hooks;
  JSValue v = JS_GetPropertyStr(ctx, hooks, name);
  JS_FreeValue(ctx, hooks);
  return v;
}

JSValue create_readable_stream(JSContext* ctx) { return hooks_member(ctx, "ReadableStream"); }
JSValue create_writable_stream(JSContext* ctx) { return hooks_member(ctx, "WritableStream"); }

}  // namespace

bool streams_created(JSContext* ctx) {
  if (g_slot_id == 0 || !JS_IsRegisteredClass(JS_GetRuntime(ctx), g_slot_id)) return false;
  JSValue have = JS_GetClassProto(ctx, g_slot_id);
  bool r = JS_IsObject(have);
  JS_FreeValue(ctx, have);
  return r;
}

JSValue stream_call(JSContext* ctx, const char* hook, int argc, JSValueConst* argv) {
  JSValue hooks = create_streams(ctx);
  if (JS_IsException(hooks)) return hooks;
  JSValue f = JS_GetPropertyStr(ctx, hooks, hook);
  JSValue r = JS_IsException(f) ? f : JS_Call(ctx, f, hooks, argc, argv);
  JS_FreeValue(ctx, f);
  JS_FreeValue(ctx, hooks);
  return r;
}

int stream_test(JSContext* ctx, const char* hook, JSValueConst stream) {
  JSValue r = stream_call(ctx, hook, 1, &stream);
  if (JS_IsException(r)) return -1;
  int b = JS_ToBool(ctx, r);
  JS_FreeValue(ctx, r);
  return b;
}

bool is_stream(JSContext* ctx, JSValueConst v) {
  // No stream can exist before the class does: nothing to evaluate then.
  return JS_IsObject(v) && streams_created(ctx) && stream_test(ctx, "isStream", v) == 1;
}

bool install_streams(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  if (!has_js_text(ctx, JsText::kStreams)) return true;  // a device app's bundle without them
  return define_lazy_global(ctx, "ReadableStream", create_readable_stream) &&
         define_lazy_global(ctx, "WritableStream", create_writable_stream);
}

}  // namespace mcujs::bind
