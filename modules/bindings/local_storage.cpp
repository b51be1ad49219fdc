// localStorage (Web Storage): getItem, setItem, removeItem, clear, key(),
// length, on the platform's key-value store (port::Platform::kv: the state
// directory on Linux, the flash store on the device; docs/storage.md).
//
// All items are one record, "localStorage" in the store: "LS01" then, per
// item in insertion order, key length and value length (u16 little-endian)
// and the UTF-8 bytes. A setItem rewrites that record, and the store's put is
// atomic, so after a power cut the items are all as before the call or all
// as after it. The quota bounds the record (and so the RAM a call borrows
// from the JS heap, and the flash record, which must fit a 4 KB sector).
// Keys and values are strings; other values are converted with String(), as
// browsers do.
#include <cstdio>
#include <cstring>

#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"

namespace mcujs::bind {

namespace {

constexpr char kRecordKey[] = "localStorage";
constexpr uint8_t kMagic[4] = {'L', 'S', '0', '1'};
constexpr size_t kItemHead = 4;                   // key length, value length
constexpr size_t kQuota = 2048;                   // bytes of keys, values and kItemHead per item
constexpr size_t kCap = sizeof kMagic + kQuota;   // the largest record

port::KvStore* store(JSContext* ctx) {
  core::Runtime* rt = core::Runtime::from(ctx);
  return rt ? rt->platform().kv : nullptr;
}

// The items, read into a buffer from the JS heap; items() walks them.
struct Items {
  JSContext* ctx;
  uint8_t* buf = nullptr;
  size_t len = 0;  // bytes of items (after the magic)

  explicit Items(JSContext* c) : ctx(c) {}
  ~Items() { js_free(ctx, buf); }
  Items(const Items&) = delete;
  Items& operator=(const Items&) = delete;
  uint8_t* data() { return buf + sizeof kMagic; }

  // False with an exception pending (fn names the caller).
  bool load(const char* fn) {
    buf = static_cast<uint8_t*>(js_malloc(ctx, kCap));
    if (!buf) return false;
    port::KvStore* kv = store(ctx);
    int32_t n = kv ? kv->get(kRecordKey, buf, kCap) : port::kUnsupported;
    if (n == port::kNotFound) return true;
    if (n < 0) {
      throw_error(ctx, "%s: cannot read the stored items: %s", fn, port::error_text(n));
      return false;
    }
    if (static_cast<size_t>(n) < sizeof kMagic || static_cast<size_t>(n) > kCap || memcmp(buf, kMagic, 4) != 0 ||
        !valid(buf + sizeof kMagic, static_cast<size_t>(n) - sizeof kMagic)) {
      throw_error(ctx, "%s: the stored items are damaged (localStorage.clear() starts afresh)", fn);
      return false;
    }
    len = static_cast<size_t>(n) - sizeof kMagic;
    return true;
  }
  static bool valid(const uint8_t* p, size_t n) {
    for (size_t at = 0; at < n;) {
      if (n - at < kItemHead) return false;
      size_t item = kItemHead + (p[at] | (p[at + 1] << 8)) + (p[at + 2] | (p[at + 3] << 8));
      if (item > n - at) return false;
      at += item;
    }
    return true;
  }
  // Calls f(offset, key, key_len, value, value_len) per item until it returns false.
  template <typename F>
  void each(F f) {
    uint8_t* p = data();
    for (size_t at = 0; at < len;) {
      size_t kl = p[at] | (p[at + 1] << 8), vl = p[at + 2] | (p[at + 3] << 8);
      const char* k = reinterpret_cast<const char*>(p + at + kItemHead);
      if (!f(at, k, kl, k + kl, vl)) return;
      at += kItemHead + kl + vl;
    }
  }
  // Offset of key's item, or -1.
  long find(const char* key, size_t klen) {
    long found = -1;
    each([&](size_t at, const char* k, size_t kl, const char*, size_t) {
      if (kl == klen && memcmp(k, key, kl) == 0) found = static_cast<long>(at);
      return found < 0;
    });
    return found;
  }
  size_t item_size(size_t at) {
    uint8_t* p = data() + at;
    return kItemHead + (p[0] | (p[1] << 8)) + (p[2] | (p[3] << 8));
  }
  void cut(size_t at) {
    size_t n = item_size(at);
    memmove(data() + at, data() + at + n, len - at - n);
    len -= n;
  }
  bool save(const char* fn) {
    port::KvStore* kv = store(ctx);
    int32_t rc;
    if (len == 0) {
      rc = kv->remove(kRecordKey);
      if (rc == port::kNotFound) rc = port::kOk;
    } else {
      memcpy(buf, kMagic, sizeof kMagic);
      rc = kv->put(kRecordKey, buf, sizeof kMagic + len);
    }
    if (rc != port::kOk) throw_error(ctx, "%s: cannot store the items: %s", fn, port::error_text(rc));
    return rc == port::kOk;
  }
};

// A key or value: any value but a Symbol, converted with String().
bool string_arg(Args& a, int i, const char* what, JsString* out) {
  if (JS_IsSymbol(a[i])) {
    a.type_error("%s must be a string (a Symbol cannot be converted)", what);
    return false;
  }
  return out->from(a.ctx(), a[i]);
}

JSValue get_item(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "localStorage.getItem", argc, argv);
  JsString key;
  Items items(ctx);
  if (!a.count(1) || !string_arg(a, 0, "key", &key) || !items.load(a.fn())) return JS_EXCEPTION;
  long at = items.find(key.c_str(), key.size());
  if (at < 0) return JS_NULL;
  const uint8_t* p = items.data() + at;
  size_t kl = p[0] | (p[1] << 8), vl = p[2] | (p[3] << 8);
  return JS_NewStringLen(ctx, reinterpret_cast<const char*>(p + kItemHead + kl), vl);
}

JSValue quota_exceeded(JSContext* ctx, size_t need, size_t free_bytes) {
  JSValue err = JS_NewError(ctx);
  if (JS_IsException(err)) return err;
  char msg[160];
  snprintf(msg, sizeof msg, "localStorage.setItem: quota of %lu bytes exceeded (the item needs %lu, %lu free)",
           static_cast<unsigned long>(kQuota), static_cast<unsigned long>(need),
           static_cast<unsigned long>(free_bytes));
  // A DOMException in browsers: name QuotaExceededError, legacy code 22.
  JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, msg), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_DefinePropertyValueStr(ctx, err, "name", JS_NewString(ctx, "QuotaExceededError"),
                            JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_DefinePropertyValueStr(ctx, err, "code", JS_NewInt32(ctx, 22), JS_PROP_CONFIGURABLE);
  return JS_Throw(ctx, err);
}

JSValue set_item(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "localStorage.setItem", argc, argv);
  JsString key, value;
  Items items(ctx);
  if (!a.count(2) || !string_arg(a, 0, "key", &key) || !string_arg(a, 1, "value", &value) || !items.load(a.fn()))
    return JS_EXCEPTION;
  long at = items.find(key.c_str(), key.size());
  size_t old = at < 0 ? 0 : items.item_size(static_cast<size_t>(at));
  size_t need = kItemHead + key.size() + value.size();
  if (need > kQuota || items.len - old + need > kQuota) return quota_exceeded(ctx, need, kQuota - (items.len - old));
  if (at >= 0) {
    // In place when the size is the same (order kept); else moved to the end.
    const uint8_t* p = items.data() + at;
    size_t vl = p[2] | (p[3] << 8);
    if (vl == value.size()) {
      if (memcmp(p + kItemHead + key.size(), value.c_str(), vl) == 0) return JS_UNDEFINED;  // unchanged
      memcpy(items.data() + at + kItemHead + key.size(), value.c_str(), vl);
      return items.save(a.fn()) ? JS_UNDEFINED : JS_EXCEPTION;
    }
    items.cut(static_cast<size_t>(at));
  }
  uint8_t* p = items.data() + items.len;
  p[0] = static_cast<uint8_t>(key.size());
  p[1] = static_cast<uint8_t>(key.size() >> 8);
  p[2] = static_cast<uint8_t>(value.size());
  p[3] = static_cast<uint8_t>(value.size() >> 8);
  memcpy(p + kItemHead, key.c_str(), key.size());
  memcpy(p + kItemHead + key.size(), value.c_str(), value.size());
  items.len += need;
  return items.save(a.fn()) ? JS_UNDEFINED : JS_EXCEPTION;
}

JSValue remove_item(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "localStorage.removeItem", argc, argv);
  JsString key;
  Items items(ctx);
  if (!a.count(1) || !string_arg(a, 0, "key", &key) || !items.load(a.fn())) return JS_EXCEPTION;
  long at = items.find(key.c_str(), key.size());
  if (at < 0) return JS_UNDEFINED;
  items.cut(static_cast<size_t>(at));
  return items.save(a.fn()) ? JS_UNDEFINED : JS_EXCEPTION;
}

JSValue clear(JSContext* ctx, JSValueConst, int, JSValueConst*) {
  port::KvStore* kv = store(ctx);
  int32_t rc = kv ? kv->remove(kRecordKey) : port::kUnsupported;
  if (rc != port::kOk && rc != port::kNotFound)
    return throw_error(ctx, "localStorage.clear: cannot remove the items: %s", port::error_text(rc));
  return JS_UNDEFINED;
}

JSValue key_at(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "localStorage.key", argc, argv);
  if (!a.count(1)) return JS_EXCEPTION;
  if (JS_IsSymbol(a[0])) return a.type_error("index must be a number");
  int32_t i32;
  if (JS_ToInt32(ctx, &i32, a[0]) < 0) return JS_EXCEPTION;  // WebIDL unsigned long: modulo 2^32
  uint32_t index = static_cast<uint32_t>(i32);
  Items items(ctx);
  if (!items.load(a.fn())) return JS_EXCEPTION;
  JSValue out = JS_NULL;
  uint32_t n = 0;
  items.each([&](size_t, const char* k, size_t kl, const char*, size_t) {
    if (n++ != index) return true;
    out = JS_NewStringLen(ctx, k, kl);
    return false;
  });
  return out;
}

JSValue length(JSContext* ctx, JSValueConst, int, JSValueConst*) {
  Items items(ctx);
  if (!items.load("localStorage.length")) return JS_EXCEPTION;
  uint32_t n = 0;
  items.each([&](size_t, const char*, size_t, const char*, size_t) { return ++n > 0; });
  return JS_NewUint32(ctx, n);
}

const Method kMethods[] = {
    method("getItem", get_item, 1), method("setItem", set_item, 2), method("removeItem", remove_item, 1),
    method("clear", clear, 0),      method("key", key_at, 1),
};

// The localStorage object: the methods and the length getter.
JSValue new_local_storage(JSContext* ctx) {
  JSValue obj = JS_NewObject(ctx);
  if (JS_IsException(obj)) return obj;
  bool ok = set_methods(ctx, obj, kMethods);
  if (ok) {
    JSValue getter = JS_NewCFunction(ctx, length, "get length", 0);
    JSAtom name = JS_NewAtom(ctx, "length");
    // Takes the getter, even on failure.
    ok = name != JS_ATOM_NULL &&
         JS_DefinePropertyGetSet(ctx, obj, name, getter, JS_UNDEFINED, JS_PROP_CONFIGURABLE) >= 0;
    JS_FreeAtom(ctx, name);
  }
  if (ok) return obj;
  JS_FreeValue(ctx, obj);
  return JS_EXCEPTION;
}

// The global's first read makes the object and puts it in the getter's place:
// an app that never uses localStorage pays for one function, not for the
// object and its six (about 1 KB of JS heap on the device).
JSValue first_use(JSContext* ctx, JSValueConst, int, JSValueConst*) {
  JSValue obj = new_local_storage(ctx);
  if (JS_IsException(obj)) return obj;
  JSValue global = JS_GetGlobalObject(ctx);
  // Takes the reference it is given, even on failure.
  int r = JS_DefinePropertyValueStr(ctx, global, "localStorage", JS_DupValue(ctx, obj),
                                    JS_PROP_CONFIGURABLE | JS_PROP_WRITABLE);
  JS_FreeValue(ctx, global);
  if (r < 0) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  return obj;
}

}  // namespace

bool install_local_storage(core::Runtime& rt) {
  if (!rt.platform().kv) return true;  // no store on this platform: no localStorage
  JSContext* ctx = rt.ctx();
  JSValue getter = JS_NewCFunction(ctx, first_use, "get localStorage", 0);
  if (JS_IsException(getter)) return false;
  JSValue global = JS_GetGlobalObject(ctx);
  JSAtom name = JS_NewAtom(ctx, "localStorage");
  // Takes the getter, even on failure.
  bool ok = name != JS_ATOM_NULL &&
            JS_DefinePropertyGetSet(ctx, global, name, getter, JS_UNDEFINED, JS_PROP_CONFIGURABLE) >= 0;
  JS_FreeAtom(ctx, name);
  JS_FreeValue(ctx, global);
  return ok;
}

}  // namespace mcujs::bind
