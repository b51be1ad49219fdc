#include "modules/bindings/class_def.h"

#include <cstdint>
#include <cstring>

namespace mcujs::bind {

namespace {

JSValue illegal_ctor(JSContext* ctx, JSValueConst, int, JSValueConst*) {
  return JS_ThrowTypeError(ctx, "Illegal constructor");
}

}  // namespace

bool define_methods(JSContext* ctx, JSValueConst obj, const Method* methods, size_t n, bool enumerable) {
  int flags = JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE | (enumerable ? JS_PROP_ENUMERABLE : 0);
  for (size_t i = 0; i < n; i++) {
    const Method& m = methods[i];
    JSValue f = m.fn ? JS_NewCFunction2(ctx, m.fn, m.name, m.length, JS_CFUNC_generic, 0)
                     : JS_NewCFunctionMagic(ctx, m.magic_fn, m.name, m.length, JS_CFUNC_generic_magic, m.magic);
    if (JS_IsException(f) || JS_DefinePropertyValueStr(ctx, obj, m.name, f, flags) < 0) return false;
  }
  return true;
}

bool define_accessors(JSContext* ctx, JSValueConst obj, const Accessor* acc, size_t n, bool enumerable) {
  for (size_t i = 0; i < n; i++) {
    const Accessor& a = acc[i];
    char name[64];
    snprintf(name, sizeof name, "get %s", a.name);
    JSValue g = JS_NewCFunction2(ctx, a.get, name, 0, JS_CFUNC_generic, 0);
    JSValue s = JS_UNDEFINED;
    if (a.set) {
      snprintf(name, sizeof name, "set %s", a.name);
      s = JS_NewCFunction2(ctx, a.set, name, 1, JS_CFUNC_generic, 0);
    }
    JSAtom atom = JS_NewAtom(ctx, a.name);
    int r = JS_DefinePropertyGetSet(ctx, obj, atom, g, s, JS_PROP_CONFIGURABLE | (enumerable ? JS_PROP_ENUMERABLE : 0));
    JS_FreeAtom(ctx, atom);
    if (r < 0) return false;
  }
  return true;
}

bool JsClass::ensure(JSContext* ctx) {
  JSRuntime* rt = JS_GetRuntime(ctx);
  if (id_ == 0) JS_NewClassID(&id_);
  if (!JS_IsRegisteredClass(rt, id_)) {
    JSClassDef d{};
    d.class_name = def_.name;
    d.finalizer = def_.finalizer;
    d.gc_mark = def_.gc_mark;
    if (JS_NewClass(rt, id_, &d) < 0) {
      JS_ThrowOutOfMemory(ctx);
      return false;
    }
  }
  JSValue have = JS_GetClassProto(ctx, id_);
  bool done = JS_IsObject(have);
  JS_FreeValue(ctx, have);
  if (done) return true;

  JSValue proto = JS_NewObject(ctx);
  if (JS_IsException(proto)) return false;
  JSValue ctor = JS_NewCFunction2(ctx, def_.ctor ? def_.ctor : illegal_ctor, def_.name, def_.ctor_length,
                                  JS_CFUNC_constructor, 0);
  bool ok = !JS_IsException(ctor) && define_methods(ctx, proto, def_.methods, def_.method_count, def_.enumerable) &&
            define_accessors(ctx, proto, def_.accessors, def_.accessor_count, def_.enumerable) &&
            define_methods(ctx, ctor, def_.statics, def_.static_count, def_.enumerable);
  if (ok) {
    JS_SetConstructor(ctx, ctor, proto);
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue symbol = JS_GetPropertyStr(ctx, global, "Symbol");
    JSValue to_string_tag = JS_GetPropertyStr(ctx, symbol, "toStringTag");
    JSAtom tag_atom = JS_ValueToAtom(ctx, to_string_tag);
    ok = JS_DefinePropertyValue(ctx, proto, tag_atom, JS_NewString(ctx, def_.name), JS_PROP_CONFIGURABLE) >= 0;
    JS_FreeAtom(ctx, tag_atom);
    JS_FreeValue(ctx, to_string_tag);
    JS_FreeValue(ctx, symbol);
    JS_FreeValue(ctx, global);
  }
  if (ok && def_.extra) ok = def_.extra(ctx, ctor, proto);
  if (!ok) {
    JS_FreeValue(ctx, ctor);
    JS_FreeValue(ctx, proto);
    return false;
  }
  JS_FreeValue(ctx, ctor);  // the prototype's "constructor" keeps it
  JS_SetClassProto(ctx, id_, proto);
  return true;
}

JSValue JsClass::constructor(JSContext* ctx) {
  if (!ensure(ctx)) return JS_EXCEPTION;
  JSValue proto = JS_GetClassProto(ctx, id_);
  JSValue ctor = JS_GetPropertyStr(ctx, proto, "constructor");
  JS_FreeValue(ctx, proto);
  return ctor;
}

JSValue JsClass::make(JSContext* ctx, JSValueConst new_target, void* opaque) {
  JSValue obj = JS_EXCEPTION;
  if (ensure(ctx)) {
    JSValue proto = JS_IsUndefined(new_target) ? JS_GetClassProto(ctx, id_)
                                               : JS_GetPropertyStr(ctx, new_target, "prototype");
    if (!JS_IsException(proto)) {
      if (!JS_IsObject(proto)) {  // a new_target whose prototype is not an object
        JS_FreeValue(ctx, proto);
        proto = JS_GetClassProto(ctx, id_);
      }
      obj = JS_NewObjectProtoClass(ctx, proto, id_);
      JS_FreeValue(ctx, proto);
    }
  }
  if (JS_IsException(obj)) return obj;
  JS_SetOpaque(obj, opaque);
  return obj;
}

void* JsClass::get(JSContext* ctx, JSValueConst v, const char* fn) const {
  void* p = peek(v);
  if (!p) JS_ThrowTypeError(ctx, "%s: not a %s", fn, def_.name);
  return p;
}

namespace {

// data[0], data[1]: the factory's address in two 32-bit halves (a JSValue
// cannot hold a pointer); data[2]: the name.
JSValue lazy_get(JSContext* ctx, JSValueConst, int, JSValueConst*, int, JSValue* data) {
  int32_t lo = 0, hi = 0;
  JS_ToInt32(ctx, &lo, data[0]);
  JS_ToInt32(ctx, &hi, data[1]);
  uintptr_t bits = static_cast<uintptr_t>(static_cast<uint32_t>(lo));
  if (sizeof(uintptr_t) > 4) bits |= static_cast<uintptr_t>(static_cast<uint64_t>(static_cast<uint32_t>(hi)) << 32);
  GlobalFactory create;
  memcpy(&create, &bits, sizeof create);
  JSValue v = create(ctx);
  if (JS_IsException(v)) return v;
  JSValue global = JS_GetGlobalObject(ctx);
  JSAtom name = JS_ValueToAtom(ctx, data[2]);
  int r = JS_DefinePropertyValue(ctx, global, name, JS_DupValue(ctx, v), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_FreeAtom(ctx, name);
  JS_FreeValue(ctx, global);
  if (r < 0) {
    JS_FreeValue(ctx, v);
    return JS_EXCEPTION;
  }
  return v;
}

JSValue lazy_set(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int, JSValue* data) {
  JSValue global = JS_GetGlobalObject(ctx);
  JSAtom name = JS_ValueToAtom(ctx, data[2]);
  int r = JS_DefinePropertyValue(ctx, global, name, JS_DupValue(ctx, argc ? argv[0] : JS_UNDEFINED),
                                 JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_FreeAtom(ctx, name);
  JS_FreeValue(ctx, global);
  return r < 0 ? JS_EXCEPTION : JS_UNDEFINED;
}

}  // namespace

bool define_lazy_global(JSContext* ctx, const char* name, GlobalFactory create) {
  static_assert(sizeof(GlobalFactory) <= 8, "a factory fits in two 32-bit halves");
  uint64_t bits = 0;
  memcpy(&bits, &create, sizeof create);
  JSValue data[3] = {JS_NewInt32(ctx, static_cast<int32_t>(static_cast<uint32_t>(bits))),
                     JS_NewInt32(ctx, static_cast<int32_t>(static_cast<uint32_t>(bits >> 32))),
                     JS_NewString(ctx, name)};
  if (JS_IsException(data[2])) return false;
  JSValue g = JS_NewCFunctionData(ctx, lazy_get, 0, 0, 3, data);
  JSValue s = JS_NewCFunctionData(ctx, lazy_set, 1, 0, 3, data);
  JS_FreeValue(ctx, data[2]);
  JSValue global = JS_GetGlobalObject(ctx);
  JSAtom atom = JS_NewAtom(ctx, name);
  int r = JS_IsException(g) || JS_IsException(s)
              ? (JS_FreeValue(ctx, g), JS_FreeValue(ctx, s), -1)
              : JS_DefinePropertyGetSet(ctx, global, atom, g, s, JS_PROP_CONFIGURABLE);
  JS_FreeAtom(ctx, atom);
  JS_FreeValue(ctx, global);
  return r >= 0;
}

}  // namespace mcujs::bind
