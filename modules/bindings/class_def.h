// One way to define a JavaScript class backed by a native object, in the
// spirit of QuickJS's examples/point.c: one static ClassDef (name,
// constructor, finalizer, method and accessor tables), one JsClass per
// class, one install function per binding file.
//
//   const Method kProto[] = {method("get", get, 1), ...};
//   const Accessor kGetters[] = {getter("status", status)};
//   const ClassDef kDef = {.name = "Response", .ctor = ctor, ...};
//   JsClass g_response(kDef);
//   ... g_response.get(ctx, this_val, "Response.text") -> the native object
//
// The class id is process-wide (QuickJS ids are); the class itself (its
// prototype and constructor) is created per context on first use by
// ensure(), so a class nobody touches costs no heap. define_lazy_global()
// makes a global name create its value on first access.
#pragma once

#include <cstddef>

#include "modules/bindings/args.h"
#include "quickjs.h"

namespace mcujs::bind {

struct Accessor {
  const char* name;
  JSCFunction* get;
  JSCFunction* set;  // nullptr: read-only
};
constexpr Accessor getter(const char* name, JSCFunction* get) { return Accessor{name, get, nullptr}; }

struct ClassDef {
  const char* name = nullptr;
  JSCFunction* ctor = nullptr;  // nullptr: `new` throws "Illegal constructor"
  int ctor_length = 0;
  JSClassFinalizer* finalizer = nullptr;
  JSClassGCMark* gc_mark = nullptr;
  const Method* methods = nullptr;  // on the prototype
  size_t method_count = 0;
  const Accessor* accessors = nullptr;  // on the prototype
  size_t accessor_count = 0;
  const Method* statics = nullptr;  // on the constructor
  size_t static_count = 0;
  // Web IDL classes have enumerable methods and accessors; built-in style not.
  bool enumerable = true;
  // The constructor also works without `new` (the article's photon API);
  // ctor then gets an undefined new_target.
  bool callable = false;
  // Optional: anything else (Symbol.iterator, a parent prototype...).
  bool (*extra)(JSContext* ctx, JSValueConst ctor, JSValueConst proto) = nullptr;
};

class JsClass {
 public:
  explicit JsClass(const ClassDef& def) : def_(def) {}
  JsClass(const JsClass&) = delete;
  JsClass& operator=(const JsClass&) = delete;

  JSClassID id() const { return id_; }
  const char* name() const { return def_.name; }
  // Creates the class in ctx if it is not there yet. False: exception pending.
  bool ensure(JSContext* ctx);
  // The constructor (a new reference), or JS_EXCEPTION.
  JSValue constructor(JSContext* ctx);
  // A new instance owning `opaque` (its finalizer frees it); on failure
  // (JS_EXCEPTION) the caller still owns opaque. The prototype comes from
  // new_target (subclasses) or is the class's own.
  JSValue make(JSContext* ctx, JSValueConst new_target, void* opaque);
  // Another constructor of this class, sharing its prototype (photon's
  // TLSTCPClient next to TCPClient), callable as def.callable says; like
  // JS_SetConstructor it becomes the prototype's "constructor". A new
  // reference, or JS_EXCEPTION.
  JSValue alias(JSContext* ctx, const char* name, JSCFunction* ctor, int length);
  // v's native object, or nullptr with a TypeError "fn: not a <name>".
  void* get(JSContext* ctx, JSValueConst v, const char* fn) const;
  // v's native object or nullptr, no exception.
  void* peek(JSValueConst v) const { return id_ ? JS_GetOpaque(v, id_) : nullptr; }

 private:
  const ClassDef& def_;
  JSClassID id_ = 0;
};

// A finalizer for a native object that owns nothing but its own memory.
void free_opaque(JSRuntime* rt, JSValue val);

template <typename T>
T* native(JSContext* ctx, const JsClass& c, JSValueConst v, const char* fn) {
  return static_cast<T*>(c.get(ctx, v, fn));
}

// Defines globalThis[name] as an accessor that, on first read, calls
// create(ctx) (which returns the value: usually JsClass::constructor) and
// replaces itself with that value as a writable, configurable data
// property; a write replaces it too. Nothing is created before.
using GlobalFactory = JSValue (*)(JSContext* ctx);
bool define_lazy_global(JSContext* ctx, const char* name, GlobalFactory create);

// Defines methods/accessors on obj with Web IDL attributes (enumerable).
bool define_methods(JSContext* ctx, JSValueConst obj, const Method* m, size_t n, bool enumerable);
bool define_accessors(JSContext* ctx, JSValueConst obj, const Accessor* a, size_t n, bool enumerable);

}  // namespace mcujs::bind
