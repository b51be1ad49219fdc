// Argument checking for native functions, written once.
//
// Every getter validates one argument and, on failure, throws a TypeError or
// RangeError that names the function and the argument ("connect: port must
// be an integer in 1..65535") and returns false; the binding then returns
// JS_EXCEPTION. Typical use:
//
//   Args a(ctx, "connect", argc, argv);
//   JsString host; int64_t port;
//   if (!a.count(2, 2) || !a.string(0, "host", &host) ||
//       !a.integer(1, "port", 1, 65535, &port)) return JS_EXCEPTION;
#pragma once

#include <cstddef>
#include <cstdint>

#include "quickjs.h"

namespace mcujs::bind {

// A C string borrowed from a JS value, freed on destruction.
class JsString {
 public:
  JsString() = default;
  ~JsString() { reset(); }
  JsString(const JsString&) = delete;
  JsString& operator=(const JsString&) = delete;
  bool from(JSContext* ctx, JSValueConst v);  // false + exception on failure
  void reset();
  const char* c_str() const { return str_ ? str_ : ""; }
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }

 private:
  JSContext* ctx_ = nullptr;
  const char* str_ = nullptr;
  size_t len_ = 0;
};

// Bytes from a string (UTF-8), an ArrayBuffer or a typed array view. Holds a
// reference to the underlying value while alive.
class JsBytes {
 public:
  JsBytes() = default;
  ~JsBytes() { reset(); }
  JsBytes(const JsBytes&) = delete;
  JsBytes& operator=(const JsBytes&) = delete;
  void reset();
  const uint8_t* data() const { return data_; }
  size_t size() const { return len_; }

 private:
  friend class Args;
  JSContext* ctx_ = nullptr;
  JsString str_;
  JSValue buffer_ = JS_UNDEFINED;
  const uint8_t* data_ = nullptr;
  size_t len_ = 0;
};

class Args {
 public:
  Args(JSContext* ctx, const char* fn, int argc, JSValueConst* argv)
      : ctx_(ctx), fn_(fn), argc_(argc), argv_(argv) {}

  // Checks min <= argc <= max (max < 0: no upper bound).
  bool count(int min, int max = -1);
  bool has(int i) const { return i < argc_ && !JS_IsUndefined(argv_[i]); }
  JSValueConst operator[](int i) const { return i < argc_ ? argv_[i] : JS_UNDEFINED; }
  int size() const { return argc_; }

  bool string(int i, const char* what, JsString* out);
  bool integer(int i, const char* what, int64_t lo, int64_t hi, int64_t* out);
  bool optional_integer(int i, const char* what, int64_t lo, int64_t hi, int64_t def, int64_t* out);
  bool number(int i, const char* what, double* out);
  bool function(int i, const char* what);
  bool object(int i, const char* what);
  // String, ArrayBuffer or typed array (Uint8Array...).
  bool bytes(int i, const char* what, JsBytes* out);
  // A host name or address: a string of 1..127 characters without NUL,
  // CR, LF or other control characters (TypeError: a NUL would silently
  // cut the name in C; RangeError for the length).
  bool host(int i, const char* what, JsString* out);

  // Throw helpers that prefix the function name.
  JSValue type_error(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  JSValue range_error(const char* fmt, ...) __attribute__((format(printf, 2, 3)));

  JSContext* ctx() const { return ctx_; }
  const char* fn() const { return fn_; }

 private:
  JSContext* ctx_;
  const char* fn_;
  int argc_;
  JSValueConst* argv_;
};

// Checks a host name already read (see Args::host); throws naming fn.
bool check_host(JSContext* ctx, const char* fn, const char* what, const JsString& host);

// Option bags: reads one property of an object with the same checks. A
// missing (undefined) property leaves *out as is and returns true.
class Options {
 public:
  Options(JSContext* ctx, const char* fn, JSValueConst obj) : ctx_(ctx), fn_(fn), obj_(obj) {}
  bool string(const char* key, JsString* out, bool required = false);
  bool integer(const char* key, int64_t lo, int64_t hi, int64_t* out);
  bool boolean(const char* key, bool* out);
  bool bytes(const char* key, JsBytes* out);
  // Returns a new reference (JS_UNDEFINED if missing, JS_EXCEPTION on error).
  JSValue get(const char* key);

 private:
  JSContext* ctx_;
  const char* fn_;
  JSValueConst obj_;
};

// Reads the uint8 bytes of an ArrayBuffer/typed array view without copying.
bool buffer_view(JSContext* ctx, JSValueConst v, const uint8_t** data, size_t* len, JSValue* keep);

// A method table entry. QuickJS's JS_CFUNC_DEF macros mix designated and
// positional initializers, which C++ rejects; use these instead:
//   const Method kProto[] = {method("read", read_fn, 0), method("log", out, 0, kInfo)};
struct Method {
  const char* name;
  JSCFunction* fn;             // plain function, or
  JSCFunctionMagic* magic_fn;  // function that receives `magic`
  int length;
  int magic;
};
constexpr Method method(const char* name, JSCFunction* fn, int length) {
  return Method{name, fn, nullptr, length, 0};
}
constexpr Method method(const char* name, JSCFunctionMagic* fn, int length, int magic) {
  return Method{name, nullptr, fn, length, magic};
}
// Defines every method on obj (writable, configurable, not enumerable, like
// built-in methods). False (exception pending) on failure.
bool set_methods(JSContext* ctx, JSValueConst obj, const Method* methods, size_t count);
template <size_t N>
bool set_methods(JSContext* ctx, JSValueConst obj, const Method (&methods)[N]) {
  return set_methods(ctx, obj, methods, N);
}

// Defines a method on obj; returns false (exception pending) on failure.
bool set_function(JSContext* ctx, JSValueConst obj, const char* name, JSCFunction* fn, int length);

// Throws a plain Error (not a TypeError/RangeError) with the message.
JSValue throw_error(JSContext* ctx, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Drops a reference from the job queue instead of now, so that a finalizer
// cannot free a native object (a connection) while its own code is still on
// the stack. Takes ownership of v.
void free_later(JSContext* ctx, JSValue v);

// A new object of number properties, {name: value, ...} in table order, or
// JS_EXCEPTION (out of memory).
struct NumberField {
  const char* name;
  double value;
};
JSValue new_number_object(JSContext* ctx, const NumberField* fields, size_t count);
template <size_t N>
JSValue new_number_object(JSContext* ctx, const NumberField (&fields)[N]) {
  return new_number_object(ctx, fields, N);
}

// A new Uint8Array holding a copy of data.
JSValue new_uint8array(JSContext* ctx, const uint8_t* data, size_t len);

// globalThis[name]: a new reference (JS_UNDEFINED when there is none;
// JS_EXCEPTION with the exception pending).
JSValue get_global(JSContext* ctx, const char* name);

// globalThis[name] = value (an ordinary assignment: writable, enumerable,
// configurable, as a script's own global). Takes value, also on failure;
// false with the exception pending.
bool set_global(JSContext* ctx, const char* name, JSValue value);

// The atom of the well-known symbol Symbol[name] ("iterator",
// "toStringTag"); the caller frees it. JS_ATOM_NULL with the exception
// pending on failure.
JSAtom well_known_symbol(JSContext* ctx, const char* name);

// v instanceof globalThis[ctor]: false for a primitive or when there is no
// such constructor; an exception from the check stays pending.
bool is_instance_of_global(JSContext* ctx, JSValueConst v, const char* ctor);

}  // namespace mcujs::bind
