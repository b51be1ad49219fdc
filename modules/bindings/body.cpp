// The Body mixin of Request and Response (WHATWG Fetch): extracting a
// BodyInit into bytes, consuming them once (text, json, arrayBuffer, bytes),
// and `body` as a minimal ReadableStream (getReader().read() gives the bytes
// as one Uint8Array chunk, then done), or null for a null body.
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <new>

#include "modules/bindings/request.h"
#include "modules/bindings/response.h"
#include "modules/bindings/web_common.h"

namespace mcujs::bind {

void body_free(JSRuntime* rt, Body* b) {
  js_free_rt(rt, b->data);
  b->data = nullptr;
  b->len = 0;
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
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue symbol = JS_GetPropertyStr(ctx, global, "Symbol");
  JSValue for_fn = JS_GetPropertyStr(ctx, symbol, "for");
  JSValue sym = JS_Call(ctx, for_fn, symbol, 1, &k);
  JSAtom atom = JS_IsException(sym) ? JS_ATOM_NULL : JS_ValueToAtom(ctx, sym);
  for (JSValue x : {sym, for_fn, symbol, global, k}) JS_FreeValue(ctx, x);
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
  (void)fn;
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

namespace {
void free_buffer(JSRuntime* rt, void*, void* ptr) { js_free_rt(rt, ptr); }
}  // namespace

namespace {

// A body can be read while it is neither used nor locked to a reader;
// false with a rejected promise in *rejection otherwise.
bool readable(JSContext* ctx, const Body& b, const char* fn, JSValue* rejection) {
  if (!b.used && !b.locked) return true;
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
  JSValue global = JS_GetGlobalObject(ctx);
  JSValue form = JS_GetPropertyStr(ctx, global, "FormData");
  JSAtom atom = symbol_for(ctx, "mcujs.parse");
  JSValue parse = atom == JS_ATOM_NULL ? JS_EXCEPTION : JS_GetProperty(ctx, form, atom);
  JSValue args[2] = {new_uint8array(ctx, b->data, b->len), JS_NewString(ctx, type)};
  JSValue r = JS_IsFunction(ctx, parse) ? JS_Call(ctx, parse, form, 2, args)
                                        : JS_ThrowTypeError(ctx, "%s: FormData is not available", fn);
  for (JSValue v : {args[0], args[1], parse, form, global}) JS_FreeValue(ctx, v);
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

// ------------------------------------------------------------ ReadableStream

namespace {

// A stream over the body of its owner (a Request or Response, held so that
// the Body stays alive); a reader over its stream.
struct StreamObj {
  JSValue owner = JS_UNDEFINED;
  Body* body = nullptr;
};
struct ReaderObj {
  JSValue stream = JS_UNDEFINED;
  bool released = false;
};

template <typename T>
void finalize(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* o = static_cast<T*>(JS_GetAnyOpaque(val, &id));
  if (!o) return;
  if constexpr (requires { o->owner; }) JS_FreeValueRT(rt, o->owner);
  if constexpr (requires { o->stream; }) JS_FreeValueRT(rt, o->stream);
  js_free_rt(rt, o);
}
template <typename T>
void mark(JSRuntime* rt, JSValueConst val, JS_MarkFunc* mf) {
  JSClassID id;
  auto* o = static_cast<T*>(JS_GetAnyOpaque(val, &id));
  if (!o) return;
  if constexpr (requires { o->owner; }) JS_MarkValue(rt, o->owner, mf);
  if constexpr (requires { o->stream; }) JS_MarkValue(rt, o->stream, mf);
}

extern const ClassDef kStreamDef, kReaderDef;
JsClass g_stream(kStreamDef);
JsClass g_reader(kReaderDef);

JSValue iter_result(JSContext* ctx, JSValue value, bool done) {
  JSValue r = JS_NewObject(ctx);
  if (JS_IsException(r)) {
    JS_FreeValue(ctx, value);
    return r;
  }
  JS_SetPropertyStr(ctx, r, "value", value);
  JS_SetPropertyStr(ctx, r, "done", JS_NewBool(ctx, done));
  return r;
}

JSValue stream_locked(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  auto* s = native<StreamObj>(ctx, g_stream, this_val, "ReadableStream.locked");
  return s ? JS_NewBool(ctx, s->body->locked) : JS_EXCEPTION;
}

JSValue stream_get_reader(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "ReadableStream.getReader", argc, argv);
  auto* s = native<StreamObj>(ctx, g_stream, this_val, a.fn());
  if (!s) return JS_EXCEPTION;
  if (s->body->locked) return a.type_error("the stream is locked to a reader");
  auto* r = static_cast<ReaderObj*>(js_mallocz(ctx, sizeof(ReaderObj)));
  if (!r) return JS_EXCEPTION;
  new (r) ReaderObj();
  r->stream = JS_DupValue(ctx, this_val);
  JSValue obj = g_reader.make(ctx, JS_UNDEFINED, r);
  if (JS_IsException(obj)) {
    JS_FreeValue(ctx, r->stream);
    js_free(ctx, r);
    return obj;
  }
  s->body->locked = true;
  return obj;
}

JSValue stream_cancel(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  auto* s = native<StreamObj>(ctx, g_stream, this_val, "ReadableStream.cancel");
  if (!s) return rejected_with_exception(ctx);
  if (s->body->locked) {
    JS_ThrowTypeError(ctx, "ReadableStream.cancel: the stream is locked to a reader");
    return rejected_with_exception(ctx);
  }
  s->body->used = true;
  body_free(JS_GetRuntime(ctx), s->body);
  return settled(ctx, true, JS_UNDEFINED);
}

StreamObj* reader_stream(JSContext* ctx, JSValueConst this_val, const char* fn) {
  auto* r = native<ReaderObj>(ctx, g_reader, this_val, fn);
  if (!r) return nullptr;
  if (r->released) {
    JS_ThrowTypeError(ctx, "%s: the reader was released", fn);
    return nullptr;
  }
  return static_cast<StreamObj*>(g_stream.peek(r->stream));
}

JSValue reader_read(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  StreamObj* s = reader_stream(ctx, this_val, "ReadableStreamDefaultReader.read");
  if (!s) return rejected_with_exception(ctx);
  Body* b = s->body;
  if (b->used) return settled(ctx, true, iter_result(ctx, JS_UNDEFINED, true));
  b->used = true;  // disturbed
  JSValue chunk = new_uint8array(ctx, b->data, b->len);
  body_free(JS_GetRuntime(ctx), b);
  if (JS_IsException(chunk)) return rejected_with_exception(ctx);
  return settled(ctx, true, iter_result(ctx, chunk, false));
}

JSValue reader_release(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  auto* r = native<ReaderObj>(ctx, g_reader, this_val, "ReadableStreamDefaultReader.releaseLock");
  if (!r) return JS_EXCEPTION;
  if (!r->released) {
    r->released = true;
    if (auto* s = static_cast<StreamObj*>(g_stream.peek(r->stream))) s->body->locked = false;
  }
  return JS_UNDEFINED;
}

JSValue reader_cancel(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  StreamObj* s = reader_stream(ctx, this_val, "ReadableStreamDefaultReader.cancel");
  if (!s) return rejected_with_exception(ctx);
  s->body->used = true;
  body_free(JS_GetRuntime(ctx), s->body);
  return settled(ctx, true, JS_UNDEFINED);
}

const Method kStreamProto[] = {method("getReader", stream_get_reader, 0), method("cancel", stream_cancel, 0)};
const Accessor kStreamGetters[] = {getter("locked", stream_locked)};
const ClassDef kStreamDef = {.name = "ReadableStream",
                             .finalizer = finalize<StreamObj>,
                             .gc_mark = mark<StreamObj>,
                             .methods = kStreamProto,
                             .method_count = 2,
                             .accessors = kStreamGetters,
                             .accessor_count = 1};
const Method kReaderProto[] = {method("read", reader_read, 0), method("releaseLock", reader_release, 0),
                               method("cancel", reader_cancel, 0)};
const ClassDef kReaderDef = {.name = "ReadableStreamDefaultReader",
                             .finalizer = finalize<ReaderObj>,
                             .gc_mark = mark<ReaderObj>,
                             .methods = kReaderProto,
                             .method_count = 3};

}  // namespace

JSValue body_stream(JSContext* ctx, JSValueConst owner, Body* b, JSValue* cache) {
  if (!b->present) return JS_NULL;
  if (!JS_IsUndefined(*cache)) return JS_DupValue(ctx, *cache);
  auto* s = static_cast<StreamObj*>(js_mallocz(ctx, sizeof(StreamObj)));
  if (!s) return JS_EXCEPTION;
  new (s) StreamObj();
  s->owner = JS_DupValue(ctx, owner);
  s->body = b;
  JSValue obj = g_stream.make(ctx, JS_UNDEFINED, s);
  if (JS_IsException(obj)) {
    JS_FreeValue(ctx, s->owner);
    js_free(ctx, s);
    return obj;
  }
  *cache = JS_DupValue(ctx, obj);
  return obj;
}

}  // namespace mcujs::bind
