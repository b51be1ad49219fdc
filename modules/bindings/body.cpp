// The Body mixin of Request and Response (WHATWG Fetch): extracting a
// BodyInit into bytes (or taking a ReadableStream), consuming it once (text,
// json, arrayBuffer, bytes, blob, formData), clone(), and `body`, the
// body's ReadableStream (streams.cpp), made over the bytes on first use, or
// null for a null body. A body that never became a stream stays bytes in
// C++: no stream is created for text() or json() of a fetched response.
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <new>

#include "modules/bindings/request.h"
#include "modules/bindings/response.h"
#include "modules/bindings/streams.h"
#include "modules/bindings/web_common.h"

namespace mcujs::bind {

void body_free(JSRuntime* rt, Body* b) {
  js_free_rt(rt, b->data);
  b->data = nullptr;
  b->len = 0;
}

void body_release(JSRuntime* rt, Body* b) {
  body_free(rt, b);
  JS_FreeValueRT(rt, b->stream);
  b->stream = JS_UNDEFINED;
}

void body_mark(JSRuntime* rt, const Body& b, JS_MarkFunc* mf) { JS_MarkValue(rt, b.stream, mf); }

int body_disturbed(JSContext* ctx, const Body& b) {
  if (!b.present) return 0;
  return JS_IsUndefined(b.stream) ? b.used : stream_test(ctx, "disturbed", b.stream);
}

int body_unusable(JSContext* ctx, const Body& b) {
  if (!b.present) return 0;
  return JS_IsUndefined(b.stream) ? b.used : stream_test(ctx, "unusable", b.stream);
}

void body_adopt(Body* b, uint8_t* data, size_t len) {
  b->data = data;
  b->len = len;
  b->present = true;
}

namespace {

// Symbol.for(key) as an atom (JS_ATOM_NULL with an exception on failure).
JSAtom symbol_for(JSContext* ctx, const char* key) {
  JSValue k = JS_NewString(ctx, key);
  JSValue symbol = get_global(ctx, "Symbol");
  JSValue for_fn = JS_GetPropertyStr(ctx, symbol, "for");
  JSValue sym = JS_Call(ctx, for_fn, symbol, 1, &k);
  JSAtom atom = JS_IsException(sym) ? JS_ATOM_NULL : JS_ValueToAtom(ctx, sym);
  for (JSValue x : {sym, for_fn, symbol, k}) JS_FreeValue(ctx, x);
  return atom;
}

// v[Symbol.for('mcujs.multipart')]() when v is a FormData (a Blob), else
// JS_UNDEFINED.
JSValue form_data_blob(JSContext* ctx, JSValueConst v) {
  if (!JS_IsObject(v)) return JS_UNDEFINED;
  JSValue tag = JS_GetPropertyStr(ctx, v, "constructor");
  JSValue name = JS_IsException(tag) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, tag, "name");
  JS_FreeValue(ctx, tag);
  JsString tn;
  bool form = !JS_IsException(name) && tn.from(ctx, name) && strcmp(tn.c_str(), "FormData") == 0;
  JS_FreeValue(ctx, name);
  if (!form) return JS_HasException(ctx) ? JS_EXCEPTION : JS_UNDEFINED;
  JSAtom atom = symbol_for(ctx, "mcujs.multipart");
  JSValue method = atom == JS_ATOM_NULL ? JS_EXCEPTION : JS_GetProperty(ctx, v, atom);
  JSValue r = JS_IsFunction(ctx, method) ? JS_Call(ctx, method, v, 0, nullptr) : JS_UNDEFINED;
  JS_FreeValue(ctx, method);
  if (atom != JS_ATOM_NULL) JS_FreeAtom(ctx, atom);
  return r;
}

}  // namespace

bool body_extract(JSContext* ctx, const char* fn, JSValueConst v, Body* out, ContentType* ct) {
  ct->value = nullptr;
  const uint8_t* p = nullptr;
  size_t n = 0;
  JSValue keep = JS_UNDEFINED;
  JsString s;
  if (is_stream(ctx, v)) {
    int u = stream_test(ctx, "unusable", v);
    if (u != 0) {
      if (u > 0) JS_ThrowTypeError(ctx, "%s: the body stream is disturbed or locked", fn);
      return false;
    }
    out->present = true;
    out->stream = JS_DupValue(ctx, v);
    return true;
  }
  if (JS_HasException(ctx)) return false;
  if (JS_IsString(v)) {
    if (!s.from(ctx, v)) return false;
    p = reinterpret_cast<const uint8_t*>(s.c_str());
    n = s.size();
    ct->value = "text/plain;charset=UTF-8";
  } else if (JSValue multipart = form_data_blob(ctx, v); !JS_IsUndefined(multipart)) {
    // A FormData: its multipart/form-data serialisation (a Blob).
    if (JS_IsException(multipart)) return false;
    bool ok = body_extract(ctx, fn, multipart, out, ct);
    JS_FreeValue(ctx, multipart);
    return ok;
  } else if (JSValueConst type; blob_bytes(v, &p, &n, &type)) {
    // A Blob: its bytes, and its type when it has one.
    JsString t;
    if (!t.from(ctx, type)) return false;
    if (!t.empty() && t.size() < sizeof ct->buf) {
      memcpy(ct->buf, t.c_str(), t.size() + 1);
      ct->value = ct->buf;
    }
  } else if (!buffer_view(ctx, v, &p, &n, &keep)) {
    if (JS_HasException(ctx)) return false;
    // A URLSearchParams is sent form-encoded (its string serialisation).
    JSValue tag = JS_GetPropertyStr(ctx, v, "constructor");
    JSValue name = JS_IsException(tag) ? JS_EXCEPTION : JS_GetPropertyStr(ctx, tag, "name");
    JS_FreeValue(ctx, tag);
    JsString tn;
    bool params = !JS_IsException(name) && tn.from(ctx, name) && strcmp(tn.c_str(), "URLSearchParams") == 0;
    JS_FreeValue(ctx, name);
    if (JS_HasException(ctx)) return false;
    // Anything else is converted to a string, as Web IDL's USVString
    // fallback does (a URLSearchParams gives its serialisation).
    JSValue str = JS_ToString(ctx, v);
    if (JS_IsException(str)) return false;
    bool ok = s.from(ctx, str);
    JS_FreeValue(ctx, str);
    if (!ok) return false;
    p = reinterpret_cast<const uint8_t*>(s.c_str());
    n = s.size();
    ct->value = params ? "application/x-www-form-urlencoded;charset=UTF-8" : "text/plain;charset=UTF-8";
  }
  auto* data = static_cast<uint8_t*>(js_malloc(ctx, n + 1));
  if (!data) {
    JS_FreeValue(ctx, keep);
    return false;
  }
  if (n) memcpy(data, p, n);
  data[n] = 0;
  JS_FreeValue(ctx, keep);
  body_adopt(out, data, n);
  return true;
}

bool body_copy(JSContext* ctx, const Body& src, Body* dst) {
  *dst = Body{};
  dst->present = src.present;
  if (!src.present) return true;
  auto* d = static_cast<uint8_t*>(js_malloc(ctx, src.len + 1));
  if (!d) return false;
  if (src.len) memcpy(d, src.data, src.len);
  d[src.len] = 0;
  dst->data = d;
  dst->len = src.len;
  return true;
}

bool body_clone(JSContext* ctx, const char* fn, Body* src, Body* dst) {
  int u = body_unusable(ctx, *src);
  if (u != 0) {
    if (u > 0) JS_ThrowTypeError(ctx, "%s: body already used", fn);
    return false;
  }
  if (JS_IsUndefined(src->stream)) return body_copy(ctx, *src, dst);
  // The standard's clone: tee the stream, one branch each.
  JSValue pair = stream_call(ctx, "tee", 1, &src->stream);
  if (JS_IsException(pair)) return false;
  JSValue a = JS_GetPropertyUint32(ctx, pair, 0), b = JS_GetPropertyUint32(ctx, pair, 1);
  JS_FreeValue(ctx, pair);
  if (JS_IsException(a) || JS_IsException(b)) {
    JS_FreeValue(ctx, a);
    JS_FreeValue(ctx, b);
    return false;
  }
  JS_FreeValue(ctx, src->stream);
  src->stream = a;
  *dst = Body{};
  dst->present = true;
  dst->stream = b;
  return true;
}

namespace {
void free_buffer(JSRuntime* rt, void*, void* ptr) { js_free_rt(rt, ptr); }
}  // namespace

namespace {

// A body can be read while it is neither used nor locked to a reader;
// false with a rejected promise in *rejection otherwise.
bool readable(JSContext* ctx, const Body& b, const char* fn, JSValue* rejection) {
  if (!b.used) return true;
  JS_ThrowTypeError(ctx, "%s: body already used", fn);
  *rejection = rejected_with_exception(ctx);
  return false;
}

// The Content-Type of headers into buf (NUL-terminated; "" when absent or
// longer than cap - 1).
size_t content_type_of(JSValueConst headers, char* buf, size_t cap) {
  long n = -1;
  if (HeadersObj* h = headers_of(headers)) n = h->list.combined("content-type", 12, buf, cap - 1);
  if (n < 0 || static_cast<size_t>(n) >= cap) n = 0;
  buf[n] = 0;
  return static_cast<size_t>(n);
}

}  // namespace

JSValue body_consume(JSContext* ctx, Body* b, BodyKind kind, const char* fn) {
  JSValue rejection;
  if (!readable(ctx, *b, fn, &rejection)) return rejection;
  if (b->present) b->used = true;
  uint8_t* body = b->data;
  size_t len = b->len;
  b->data = nullptr;
  b->len = 0;
  JSValue v;
  if (kind == kText || kind == kJson) {
    const char* p = body ? reinterpret_cast<const char*>(body) : "";
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, len -= 3;  // UTF-8 decode drops a BOM
    v = kind == kText ? JS_NewStringLen(ctx, p, len) : JS_ParseJSON(ctx, p, len, "<body>");
    js_free(ctx, body);
  } else {
    // The buffer moves into the ArrayBuffer: no copy.
    v = body ? JS_NewArrayBuffer(ctx, body, len, free_buffer, nullptr, false) : JS_NewArrayBufferCopy(ctx, nullptr, 0);
    if (JS_IsException(v)) js_free(ctx, body);
    if (kind == kBytes && !JS_IsException(v)) {
      // With a buffer, QuickJS reads argv[1] (offset) and argv[2] (length).
      JSValue targs[3] = {v, JS_UNDEFINED, JS_UNDEFINED};
      JSValue u8 = JS_NewTypedArray(ctx, 3, targs, JS_TYPED_ARRAY_UINT8);
      JS_FreeValue(ctx, v);
      v = u8;
    }
  }
  if (JS_IsException(v)) return rejected_with_exception(ctx);
  return settled(ctx, true, v);
}

JSValue body_blob(JSContext* ctx, Body* b, JSValueConst headers, const char* fn) {
  JSValue rejection;
  if (!readable(ctx, *b, fn, &rejection)) return rejection;
  if (b->present) b->used = true;
  char type[128];
  size_t tl = content_type_of(headers, type, sizeof type);
  JSValue blob = new_blob(ctx, b->data, b->len, type, tl);
  body_free(JS_GetRuntime(ctx), b);
  if (JS_IsException(blob)) return rejected_with_exception(ctx);
  return settled(ctx, true, blob);
}

JSValue body_form_data(JSContext* ctx, Body* b, JSValueConst headers, const char* fn) {
  JSValue rejection;
  if (!readable(ctx, *b, fn, &rejection)) return rejection;
  char type[256];
  content_type_of(headers, type, sizeof type);
  // FormData[Symbol.for('mcujs.parse')](bytes, type), in web_js.cpp.
  JSValue form = get_global(ctx, "FormData");
  JSAtom atom = symbol_for(ctx, "mcujs.parse");
  JSValue parse = atom == JS_ATOM_NULL ? JS_EXCEPTION : JS_GetProperty(ctx, form, atom);
  JSValue args[2] = {new_uint8array(ctx, b->data, b->len), JS_NewString(ctx, type)};
  JSValue r = JS_IsFunction(ctx, parse) ? JS_Call(ctx, parse, form, 2, args)
                                        : JS_ThrowTypeError(ctx, "%s: FormData is not available", fn);
  for (JSValue v : {args[0], args[1], parse, form}) JS_FreeValue(ctx, v);
  if (atom != JS_ATOM_NULL) JS_FreeAtom(ctx, atom);
  if (JS_IsException(r)) return rejected_with_exception(ctx);
  if (b->present) b->used = true;
  body_free(JS_GetRuntime(ctx), b);
  return settled(ctx, true, r);
}

// ------------------------------------------------------------ the mixin's methods

namespace {

// text, json, arrayBuffer, bytes (BodyKind), blob, formData.
enum { kBlobMethod = kBytes + 1, kFormDataMethod };

JSValue body_method(JSContext* ctx, JSValueConst this_val, int, JSValueConst*, int magic) {
  static const char* const kNames[] = {"text", "json", "arrayBuffer", "bytes", "blob", "formData"};
  BodyOwner o;
  char fn[48];
  bool ok = body_owner(this_val, &o);
  snprintf(fn, sizeof fn, "%s.%s", ok ? o.cls : "Body", kNames[magic]);
  if (!ok) {
    JS_ThrowTypeError(ctx, "%s: not a Request or Response", fn);
    return rejected_with_exception(ctx);
  }
  if (!JS_IsUndefined(o.body->stream)) {
    // A stream: read it to the end in JavaScript (streams.cpp's consume).
    char type[256];
    size_t tl = content_type_of(o.headers, type, sizeof type);
    JSValue args[4] = {JS_DupValue(ctx, o.body->stream), JS_NewInt32(ctx, magic), JS_NewStringLen(ctx, type, tl),
                       JS_NewString(ctx, fn)};
    JSValue p = stream_call(ctx, "consume", 4, args);
    for (JSValue v : args) JS_FreeValue(ctx, v);
    return JS_IsException(p) ? rejected_with_exception(ctx) : p;
  }
  if (magic == kBlobMethod) return body_blob(ctx, o.body, o.headers, fn);
  if (magic == kFormDataMethod) return body_form_data(ctx, o.body, o.headers, fn);
  return body_consume(ctx, o.body, static_cast<BodyKind>(magic), fn);
}

const Method kBodyMethods[] = {
    method("arrayBuffer", body_method, 0, kArrayBuffer), method("blob", body_method, 0, kBlobMethod),
    method("bytes", body_method, 0, kBytes),             method("formData", body_method, 0, kFormDataMethod),
    method("json", body_method, 0, kJson),               method("text", body_method, 0, kText),
};

}  // namespace

bool body_owner(JSValueConst v, BodyOwner* out) {
  if (RequestObj* r = request_of(v)) {
    *out = BodyOwner{&r->body, r->headers, "Request"};
    return true;
  }
  if (response_body(v, &out->body, &out->headers)) {
    out->cls = "Response";
    return true;
  }
  return false;
}

bool define_body_methods(JSContext* ctx, JSValueConst proto) {
  return define_methods(ctx, proto, kBodyMethods, sizeof kBodyMethods / sizeof kBodyMethods[0], true);
}

// ------------------------------------------------------------ `body`

JSValue body_stream(JSContext* ctx, Body* b) {
  if (!b->present) return JS_NULL;
  if (!JS_IsUndefined(b->stream)) return JS_DupValue(ctx, b->stream);
  // The bytes move into the stream's one chunk (consumed already: a
  // disturbed, locked stream, as the standard's would be).
  JSValue u8 = new_uint8array(ctx, b->data, b->len);
  if (JS_IsException(u8)) return u8;
  JSValue args[2] = {u8, JS_NewBool(ctx, b->used)};
  JSValue stream = stream_call(ctx, "fromBytes", 2, args);
  JS_FreeValue(ctx, u8);
  if (JS_IsException(stream)) return stream;
  body_free(JS_GetRuntime(ctx), b);
  b->stream = JS_DupValue(ctx, stream);
  return stream;
}

}  // namespace mcujs::bind
