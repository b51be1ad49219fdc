// What the Web-standard class bindings (Headers, Request, Response, the Body
// mixin, fetch) share: Web IDL ByteString conversion, promises settled at
// once, the JS heap as the HTTP layer's allocator, and the native parts of
// Headers and Body that the other classes hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#include "modules/bindings/class_def.h"
#include "net/http/header_list.h"
#include "net/url.h"
#include "quickjs.h"

namespace mcujs::bind {

net::http::Allocator js_allocator(JSRuntime* rt);

// A Web IDL ByteString: every code unit must be <= U+00FF and becomes one
// byte (TypeError "fn: what contains a character above U+00FF" otherwise).
class ByteString {
 public:
  ByteString() = default;
  ~ByteString();
  ByteString(const ByteString&) = delete;
  ByteString& operator=(const ByteString&) = delete;
  bool from(JSContext* ctx, JSValueConst v, const char* fn, const char* what);
  const char* data() const { return buf_ ? buf_ : ""; }
  size_t size() const { return len_; }

 private:
  JSContext* ctx_ = nullptr;
  char* buf_ = nullptr;
  size_t len_ = 0;
};
// Bytes -> a JS string of the same code units (the standard's isomorphic decode).
JSValue new_byte_string(JSContext* ctx, const char* s, size_t n);

// A JS string as UTF-8, lone surrogates as U+FFFD (USVString); *out is
// js_malloc'd and NUL-terminated.
bool utf8_of(JSContext* ctx, JSValueConst v, uint8_t** out, size_t* len);
// The Encoding standard's UTF-8 decode (U+FFFD for invalid sequences, or a
// TypeError naming fn when fatal; strip_bom drops a leading BOM).
JSValue decode_utf8(JSContext* ctx, const uint8_t* p, size_t n, bool fatal, bool strip_bom, const char* fn);

// A promise already resolved (ok) or rejected with v (consumed).
JSValue settled(JSContext* ctx, bool ok, JSValue v);
JSValue rejected_with_exception(JSContext* ctx);  // the pending exception

// ------------------------------------------------------------ Headers
enum class Guard : uint8_t { kNone, kRequest, kImmutable };

struct HeadersObj {
  explicit HeadersObj(JSRuntime* rt) : list(js_allocator(rt)) {}
  net::http::HeaderList list;
  Guard guard = Guard::kNone;
};

// Creates the Headers class if needed and a new empty Headers (a new
// reference), *out its native part; JS_EXCEPTION on failure.
JSValue new_headers(JSContext* ctx, Guard guard, HeadersObj** out);
HeadersObj* headers_of(JSValueConst v);  // nullptr when v is not a Headers
// Appends a HeadersInit (Headers, sequence of pairs, record) to l.
bool fill_headers(JSContext* ctx, const char* fn, net::http::HeaderList* l, JSValueConst init);
// Throws the error for a HeaderList result (false), or returns true on kOk.
bool header_result(JSContext* ctx, const char* fn, net::http::HeaderList::Result r, const char* name, size_t nl);
// Defines the Headers global (lazily).
bool install_headers_class(JSContext* ctx);

// ------------------------------------------------------------ Body mixin
// A body: its bytes (js_malloc'd, NUL-terminated; null body: present
// false), or, once a ReadableStream exists for it (`body` was asked for, or
// the body was given as a stream), that stream, which is then its only
// source (streams.cpp): bodyUsed is its disturbed flag.
struct Body {
  uint8_t* data = nullptr;
  size_t len = 0;
  bool present = false;
  bool used = false;  // disturbed (the bytes' case)
  JSValue stream = JS_UNDEFINED;
};
void body_free(JSRuntime* rt, Body* b);     // the bytes only
void body_release(JSRuntime* rt, Body* b);  // bytes and stream (finalizers)
void body_mark(JSRuntime* rt, const Body& b, JS_MarkFunc* mf);
// Takes ownership of a js_malloc'd NUL-terminated buffer (data may be null
// for an empty body).
void body_adopt(Body* b, uint8_t* data, size_t len);
// bodyUsed (disturbed), and "unusable" (disturbed or locked to a reader):
// 1, 0, or -1 with an exception.
int body_disturbed(JSContext* ctx, const Body& b);
int body_unusable(JSContext* ctx, const Body& b);
// The Content-Type a body implies: value is null (none), a literal, or buf.
struct ContentType {
  const char* value = nullptr;
  char buf[128];
};
// BodyInit -> bytes and the Content-Type it implies. A string,
// ArrayBuffer, view, URLSearchParams, FormData or Blob; a ReadableStream
// (out->stream, no type; a TypeError when it is disturbed or locked);
// anything else as its string.
bool body_extract(JSContext* ctx, const char* fn, JSValueConst v, Body* out, ContentType* content_type);
// clone(): dst gets a copy of src's bytes, or, for a stream, src and dst
// each get one branch of its tee (a TypeError naming fn when unusable).
bool body_clone(JSContext* ctx, const char* fn, Body* src, Body* dst);
bool body_copy(JSContext* ctx, const Body& src, Body* dst);  // the bytes
enum BodyKind { kText, kJson, kArrayBuffer, kBytes };
// text()/json()/arrayBuffer()/bytes(): a promise; marks the body used.
JSValue body_consume(JSContext* ctx, Body* b, BodyKind kind, const char* fn);
// blob(): a promise of a Blob typed by headers' Content-Type.
JSValue body_blob(JSContext* ctx, Body* b, JSValueConst headers, const char* fn);
// formData(): a promise of a FormData parsed by headers' Content-Type
// (urlencoded or multipart/form-data); a TypeError otherwise.
JSValue body_form_data(JSContext* ctx, Body* b, JSValueConst headers, const char* fn);
// The Body of a Request or a Response (their class name in cls).
struct BodyOwner {
  Body* body = nullptr;
  JSValue headers = JS_UNDEFINED;  // borrowed
  const char* cls = "";
};
bool body_owner(JSValueConst v, BodyOwner* out);
// Defines the mixin's text, json, arrayBuffer, bytes, blob and formData on
// a Request or Response prototype.
bool define_body_methods(JSContext* ctx, JSValueConst proto);
// `body`: null for a null body, else b's ReadableStream, created over the
// bytes on first use (kept in b->stream, which the owner's gc_mark marks).
JSValue body_stream(JSContext* ctx, Body* b);

// ------------------------------------------------------------ Blob
// v's bytes and type (a string) when v is a Blob (borrowed while v lives).
bool blob_bytes(JSValueConst v, const uint8_t** data, size_t* size, JSValueConst* type);
// A new Blob holding a copy of data, with the type normalised.
JSValue new_blob(JSContext* ctx, const uint8_t* data, size_t size, const char* type, size_t type_len);

// A net::Url on the JS heap (2.2 KB: never on a microcontroller's stack),
// freed with its holder. get() is nullptr (js_malloc threw) without memory.
class HeapUrl {
 public:
  explicit HeapUrl(JSContext* ctx) : ctx_(ctx), url_(static_cast<net::Url*>(js_malloc(ctx, sizeof(net::Url)))) {
    if (url_) new (url_) net::Url();
  }
  ~HeapUrl() { js_free(ctx_, url_); }
  HeapUrl(const HeapUrl&) = delete;
  HeapUrl& operator=(const HeapUrl&) = delete;
  net::Url* get() const { return url_; }

 private:
  JSContext* ctx_;
  net::Url* url_;
};

}  // namespace mcujs::bind
