// Blob (W3C File API): immutable bytes with a MIME type. Constructed from
// strings (UTF-8), ArrayBuffers, views and other Blobs; size, type,
// slice(), text(), arrayBuffer(), bytes(). A Blob is also a BodyInit
// (body_extract) and what Body.blob() resolves to.
#include <cmath>
#include <cstring>
#include <new>

#include "modules/bindings/install.h"
#include "modules/bindings/web_common.h"

namespace mcujs::bind {

namespace {

struct BlobObj {
  uint8_t* data = nullptr;  // js_malloc'd (size + 1), never null once made
  size_t size = 0;
  JSValue type = JS_UNDEFINED;
};

void blob_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* b = static_cast<BlobObj*>(JS_GetAnyOpaque(val, &id));
  if (!b) return;
  js_free_rt(rt, b->data);
  JS_FreeValueRT(rt, b->type);
  js_free_rt(rt, b);
}

extern const ClassDef kBlobDef;
JsClass g_blob(kBlobDef);

// The File API's type rule: only U+0020..U+007E, lowercased; else "".
JSValue normalize_type(JSContext* ctx, const char* s, size_t n) {
  char buf[256];
  if (n >= sizeof buf) return JS_NewString(ctx, "");
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c < 0x20 || c > 0x7e) return JS_NewString(ctx, "");
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
  }
  return JS_NewStringLen(ctx, buf, n);
}

// Takes data (js_malloc'd, size + 1 bytes) and type.
JSValue make_blob(JSContext* ctx, JSValueConst new_target, uint8_t* data, size_t size, JSValue type) {
  auto* b = static_cast<BlobObj*>(js_mallocz(ctx, sizeof(BlobObj)));
  JSValue obj = b ? g_blob.make(ctx, new_target, b) : JS_EXCEPTION;
  if (JS_IsException(obj)) {
    js_free(ctx, b);
    js_free(ctx, data);
    JS_FreeValue(ctx, type);
    return obj;
  }
  data[size] = 0;
  b->data = data;
  b->size = size;
  b->type = type;
  return obj;
}

// A growing byte buffer on the JS heap.
struct Bytes {
  uint8_t* p = nullptr;
  size_t n = 0, cap = 0;
  bool add(JSContext* ctx, const uint8_t* d, size_t len) {
    if (n + len + 1 > cap) {
      size_t c = cap ? cap * 2 : 64;
      while (c < n + len + 1) c *= 2;
      auto* q = static_cast<uint8_t*>(js_realloc(ctx, p, c));
      if (!q) return false;
      p = q;
      cap = c;
    }
    if (len) memcpy(p + n, d, len);
    n += len;
    return true;
  }
};

bool add_part(JSContext* ctx, const char* fn, Bytes* out, JSValueConst part) {
  if (auto* b = static_cast<BlobObj*>(g_blob.peek(part))) return out->add(ctx, b->data, b->size);
  const uint8_t* p = nullptr;
  size_t n = 0;
  JSValue keep = JS_UNDEFINED;
  if (JS_IsObject(part) && buffer_view(ctx, part, &p, &n, &keep)) {
    bool ok = out->add(ctx, p, n);
    JS_FreeValue(ctx, keep);
    return ok;
  }
  uint8_t* s = nullptr;
  if (!utf8_of(ctx, part, &s, &n)) return false;  // anything else: its string (USVString)
  bool ok = out->add(ctx, s, n);
  js_free(ctx, s);
  (void)fn;
  return ok;
}

JSValue blob_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "Blob", argc, argv);
  Bytes bytes;
  if (!bytes.add(ctx, nullptr, 0)) return JS_EXCEPTION;
  auto fail = [&]() {
    js_free(ctx, bytes.p);
    return JS_EXCEPTION;
  };
  if (a.has(0) && !JS_IsNull(a[0])) {
    if (!JS_IsObject(a[0])) {
      a.type_error("blobParts must be a sequence");
      return fail();
    }
    int64_t n = 0;
    JSValue len = JS_GetPropertyStr(ctx, a[0], "length");
    bool ok = !JS_IsException(len) && JS_ToInt64(ctx, &n, len) == 0;
    n = n < 0 ? 0 : n > (1 << 24) ? (1 << 24) : n;
    JS_FreeValue(ctx, len);
    if (!ok) return fail();
    // Any iterable: arrays are the common case; others go through Array.from.
    JSValue arr = JS_UNDEFINED;
    if (JS_IsArray(ctx, a[0]) != 1) {
      JSValue array = get_global(ctx, "Array");
      JSValue from = JS_GetPropertyStr(ctx, array, "from");
      JSValueConst src = a[0];
      arr = JS_Call(ctx, from, array, 1, &src);
      JS_FreeValue(ctx, from);
      JS_FreeValue(ctx, array);
      if (JS_IsException(arr)) return fail();
      len = JS_GetPropertyStr(ctx, arr, "length");
      if (JS_ToInt64(ctx, &n, len) < 0) n = 0;
      n = n < 0 ? 0 : n > (1 << 24) ? (1 << 24) : n;
      JS_FreeValue(ctx, len);
    }
    JSValueConst list = JS_IsUndefined(arr) ? a[0] : arr;
    for (int64_t i = 0; ok && i < n; i++) {
      JSValue part = JS_GetPropertyUint32(ctx, list, static_cast<uint32_t>(i));
      ok = !JS_IsException(part) && add_part(ctx, a.fn(), &bytes, part);
      JS_FreeValue(ctx, part);
    }
    JS_FreeValue(ctx, arr);
    if (!ok) return fail();
  }
  if (a.has(1) && !JS_IsNull(a[1]) && !a.object(1, "options")) return fail();
  Options o(ctx, a.fn(), a[1]);
  JsString type;
  if (!o.string("type", &type)) return fail();
  JSValue t = normalize_type(ctx, type.c_str(), type.size());
  if (JS_IsException(t)) return fail();
  return make_blob(ctx, new_target, bytes.p, bytes.n, t);
}

BlobObj* self(JSContext* ctx, JSValueConst v, const char* fn) { return native<BlobObj>(ctx, g_blob, v, fn); }

JSValue blob_size(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  BlobObj* b = self(ctx, this_val, "Blob.size");
  return b ? JS_NewInt64(ctx, static_cast<int64_t>(b->size)) : JS_EXCEPTION;
}
JSValue blob_type(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  BlobObj* b = self(ctx, this_val, "Blob.type");
  return b ? JS_DupValue(ctx, b->type) : JS_EXCEPTION;
}

// slice(start, end, contentType): negative positions count from the end.
JSValue blob_slice(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Blob.slice", argc, argv);
  BlobObj* b = self(ctx, this_val, a.fn());
  if (!b) return JS_EXCEPTION;
  auto pos = [&](int i, int64_t def, int64_t* out) {
    if (!a.has(i)) {
      *out = def;
      return true;
    }
    double d = 0;
    if (JS_ToFloat64(ctx, &d, a[i]) < 0) return false;
    double size = static_cast<double>(b->size);
    d = std::isnan(d) ? 0 : std::trunc(d);
    d = d < 0 ? std::fmax(size + d, 0) : std::fmin(d, size);
    *out = static_cast<int64_t>(d);
    return true;
  };
  int64_t start = 0, end = 0;
  if (!pos(0, 0, &start) || !pos(1, static_cast<int64_t>(b->size), &end)) return JS_EXCEPTION;
  size_t n = end > start ? static_cast<size_t>(end - start) : 0;
  JSValue type = JS_NewString(ctx, "");
  if (a.has(2)) {
    JsString t;
    JS_FreeValue(ctx, type);
    if (!t.from(ctx, a[2])) return JS_EXCEPTION;
    type = normalize_type(ctx, t.c_str(), t.size());
  }
  auto* d = static_cast<uint8_t*>(js_malloc(ctx, n + 1));
  if (!d) {
    JS_FreeValue(ctx, type);
    return JS_EXCEPTION;
  }
  if (n) memcpy(d, b->data + start, n);
  return make_blob(ctx, JS_UNDEFINED, d, n, type);
}

// text (kText), arrayBuffer, bytes: promises over a copy.
JSValue blob_read(JSContext* ctx, JSValueConst this_val, int, JSValueConst*, int magic) {
  static const char* const kNames[] = {"Blob.text", "Blob.json", "Blob.arrayBuffer", "Blob.bytes"};
  BlobObj* b = self(ctx, this_val, kNames[magic]);
  if (!b) return rejected_with_exception(ctx);
  if (magic == kText) return settled(ctx, true, decode_utf8(ctx, b->data, b->size, false, true, kNames[magic]));
  Body body;
  if (!body_copy(ctx, Body{b->data, b->size, true, false}, &body)) return rejected_with_exception(ctx);
  return body_consume(ctx, &body, static_cast<BodyKind>(magic), kNames[magic]);
}

const Method kProto[] = {method("slice", blob_slice, 0), method("text", blob_read, 0, kText),
                         method("arrayBuffer", blob_read, 0, kArrayBuffer), method("bytes", blob_read, 0, kBytes)};
const Accessor kGetters[] = {getter("size", blob_size), getter("type", blob_type)};
const ClassDef kBlobDef = {.name = "Blob",
                           .ctor = blob_ctor,
                           .finalizer = blob_finalizer,
                           .methods = kProto,
                           .method_count = 4,
                           .accessors = kGetters,
                           .accessor_count = 2};

JSValue blob_constructor(JSContext* ctx) { return g_blob.constructor(ctx); }

}  // namespace

bool blob_bytes(JSValueConst v, const uint8_t** data, size_t* size, JSValueConst* type) {
  auto* b = static_cast<BlobObj*>(g_blob.peek(v));
  if (!b) return false;
  *data = b->data;
  *size = b->size;
  *type = b->type;
  return true;
}

JSValue new_blob(JSContext* ctx, const uint8_t* data, size_t size, const char* type, size_t type_len) {
  auto* d = static_cast<uint8_t*>(js_malloc(ctx, size + 1));
  if (!d) return JS_EXCEPTION;
  if (size) memcpy(d, data, size);
  JSValue t = normalize_type(ctx, type, type_len);
  if (JS_IsException(t)) {
    js_free(ctx, d);
    return t;
  }
  return make_blob(ctx, JS_UNDEFINED, d, size, t);
}

bool install_blob(core::Runtime& rt) { return define_lazy_global(rt.ctx(), "Blob", blob_constructor); }

}  // namespace mcujs::bind
