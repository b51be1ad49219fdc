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
                                  def_.callable ? JS_CFUNC_constructor_or_func : JS_CFUNC_constructor, 0);
  bool ok = !JS_IsException(ctor) && define_methods(ctx, proto, def_.methods, def_.method_count, def_.enumerable) &&
            define_accessors(ctx, proto, def_.accessors, def_.accessor_count, def_.enumerable) &&
            define_methods(ctx, ctor, def_.statics, def_.static_count, def_.enumerable);
  if (ok) {
    JS_SetConstructor(ctx, ctor, proto);
    JSAtom tag_atom = well_known_symbol(ctx, "toStringTag");
    ok = tag_atom != JS_ATOM_NULL &&
         JS_DefinePropertyValue(ctx, proto, tag_atom, JS_NewString(ctx, def_.name), JS_PROP_CONFIGURABLE) >= 0;
    if (tag_atom != JS_ATOM_NULL) JS_FreeAtom(ctx, tag_atom);
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

JSValue JsClass::alias(JSContext* ctx, const char* name, JSCFunction* ctor, int length) {
  if (!ensure(ctx)) return JS_EXCEPTION;
  JSValue f = JS_NewCFunction2(ctx, ctor, name, length,
                               def_.callable ? JS_CFUNC_constructor_or_func : JS_CFUNC_constructor, 0);
  if (JS_IsException(f)) return f;
  JSValue proto = JS_GetClassProto(ctx, id_);
  JS_SetConstructor(ctx, f, proto);
  JS_FreeValue(ctx, proto);
  return f;
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

void free_opaque(JSRuntime* rt, JSValue val) {
  JSClassID id;
  js_free_rt(rt, JS_GetAnyOpaque(val, &id));
}

void* JsClass::get(JSContext* ctx, JSValueConst v, const char* fn) const {
  void* p = peek(v);
  if (!p) JS_ThrowTypeError(ctx, "%s: not a %s", fn, def_.name);
  return p;
}

namespace {

// Lazy globals cost one small table entry each: a single "resolver" object
// sits between the global object and Object.prototype, and its exotic
// get_own_property creates a missing global on first lookup (then defines
// it on the global object as a writable, configurable data property, so
// later lookups never reach the resolver again).
struct LazyEntry {
  JSAtom atom;
  GlobalFactory create;
};
struct LazyTable {
  LazyEntry* entries = nullptr;
  uint32_t count = 0, cap = 0;
};

JSClassID g_resolver_id = 0;  // process-wide, like every QuickJS class id

void resolver_finalizer(JSRuntime* rt, JSValue val) {
  auto* t = static_cast<LazyTable*>(JS_GetOpaque(val, g_resolver_id));
  if (!t) return;
  for (uint32_t i = 0; i < t->count; i++) JS_FreeAtomRT(rt, t->entries[i].atom);
  js_free_rt(rt, t->entries);
  js_free_rt(rt, t);
}

int resolver_get_own_property(JSContext* ctx, JSPropertyDescriptor* desc, JSValueConst obj, JSAtom prop) {
  auto* t = static_cast<LazyTable*>(JS_GetOpaque(obj, g_resolver_id));
  if (!t) return 0;
  for (uint32_t i = 0; i < t->count; i++) {
    if (t->entries[i].atom != prop) continue;
    // Taken out first: the factory may look up other lazy globals.
    GlobalFactory create = t->entries[i].create;
    JS_FreeAtom(ctx, t->entries[i].atom);
    t->entries[i] = t->entries[--t->count];
    JSValue v = create(ctx);
    if (JS_IsException(v)) return -1;
    JSValue global = JS_GetGlobalObject(ctx);
    int r = JS_DefinePropertyValue(ctx, global, prop, JS_DupValue(ctx, v), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_FreeValue(ctx, global);
    if (r < 0) {
      JS_FreeValue(ctx, v);
      return -1;
    }
    if (desc) {
      desc->flags = JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE;
      desc->value = v;
      desc->getter = JS_UNDEFINED;
      desc->setter = JS_UNDEFINED;
    } else {
      JS_FreeValue(ctx, v);
    }
    return 1;
  }
  return 0;
}

JSClassExoticMethods g_resolver_exotic = [] {
  JSClassExoticMethods m{};
  m.get_own_property = resolver_get_own_property;
  return m;
}();

// The resolver's table, inserting the resolver on first use.
LazyTable* lazy_table(JSContext* ctx) {
  JSRuntime* rt = JS_GetRuntime(ctx);
  if (g_resolver_id == 0) JS_NewClassID(&g_resolver_id);
  if (!JS_IsRegisteredClass(rt, g_resolver_id)) {
    JSClassDef d{};
    d.class_name = "LazyGlobals";
    d.finalizer = resolver_finalizer;
    d.exotic = &g_resolver_exotic;
    if (JS_NewClass(rt, g_resolver_id, &d) < 0) {
      JS_ThrowOutOfMemory(ctx);
      return nullptr;
    }
  }
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue proto = JS_GetPrototype(ctx, global);
  auto* t = static_cast<LazyTable*>(JS_GetOpaque(proto, g_resolver_id));
  if (!t && !JS_IsException(proto)) {
    t = static_cast<LazyTable*>(js_mallocz(ctx, sizeof(LazyTable)));
    JSValue resolver = t ? JS_NewObjectProtoClass(ctx, proto, g_resolver_id) : JS_EXCEPTION;
    if (JS_IsException(resolver)) {
      js_free(ctx, t);
      t = nullptr;
    } else {
      JS_SetOpaque(resolver, t);
      if (JS_SetPrototype(ctx, global, resolver) < 0) t = nullptr;  // the finalizer frees it
      JS_FreeValue(ctx, resolver);
    }
  }
  JS_FreeValue(ctx, proto);  // JS_GetPrototype returns a new reference in this QuickJS
  JS_FreeValue(ctx, global);
  return t;
}

}  // namespace

bool define_lazy_global(JSContext* ctx, const char* name, GlobalFactory create) {
  LazyTable* t = lazy_table(ctx);
  if (!t) return false;
  if (t->count == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 16;
    auto* e = static_cast<LazyEntry*>(js_realloc(ctx, t->entries, cap * sizeof(LazyEntry)));
    if (!e) return false;
    t->entries = e;
    t->cap = cap;
  }
  JSAtom atom = JS_NewAtom(ctx, name);
  if (atom == JS_ATOM_NULL) return false;
  t->entries[t->count++] = LazyEntry{atom, create};
  return true;
}

}  // namespace mcujs::bind
