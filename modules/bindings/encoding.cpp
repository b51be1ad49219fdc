// TextEncoder, TextDecoder (WHATWG Encoding: UTF-8, and UTF-16LE/BE for
// decoding; the WinterTC minimum common API asks for UTF-8 only), atob and
// btoa (HTML's forgiving base64).
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <new>

#include "modules/bindings/install.h"
#include "modules/bindings/web_common.h"
#include "net/http/data_url.h"

namespace mcujs::bind {

namespace {
// Length of the valid UTF-8 sequence at p (1..4), 0 if invalid or truncated.
size_t seq_len(const uint8_t* p, size_t n);
// The bytes a UTF-8 sequence led by c has (0: c leads none), and the range
// its second byte must be in (the others: 80..BF).
size_t seq_need(uint8_t c, uint8_t* lo, uint8_t* hi) {
  *lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  *hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  return c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
}
}  // namespace

// ------------------------------------------------------------ UTF-8
// A JS string as UTF-8 with lone surrogates replaced by U+FFFD (QuickJS
// hands them out as 3-byte ED A0..BF sequences). *out: js_malloc'd.
bool utf8_of(JSContext* ctx, JSValueConst v, uint8_t** out, size_t* len) {
  JsString s;
  if (!s.from(ctx, v)) return false;
  auto* d = static_cast<uint8_t*>(js_malloc(ctx, s.size() + 1));
  if (!d) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(s.c_str());
  size_t n = s.size();
  memcpy(d, p, n);
  for (size_t i = 0; i + 2 < n; i++)
    if (d[i] == 0xED && d[i + 1] >= 0xA0) {  // a surrogate left unpaired by the encoder
      d[i] = 0xEF;
      d[i + 1] = 0xBF;
      d[i + 2] = 0xBD;
      i += 2;
    }
  d[n] = 0;
  *out = d;
  *len = n;
  return true;
}

namespace {
size_t seq_len(const uint8_t* p, size_t n) {
  uint8_t c = p[0], lo, hi;
  if (c < 0x80) return 1;
  size_t need = seq_need(c, &lo, &hi);
  if (!need) return 0;
  if (n < 2 || p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < need; i++)
    if (i >= n || (p[i] & 0xC0) != 0x80) return 0;
  return need;
}
}  // namespace

// The standard's UTF-8 decode: invalid sequences become U+FFFD (one per
// maximal subpart), or fail when fatal.
JSValue decode_utf8(JSContext* ctx, const uint8_t* p, size_t n, bool fatal, bool strip_bom, const char* fn) {
  if (strip_bom && n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3, n -= 3;
  auto* out = static_cast<char*>(js_malloc(ctx, n * 3 + 1));
  if (!out) return JS_EXCEPTION;
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    size_t l = seq_len(p + i, n - i);
    if (l) {
      memcpy(out + k, p + i, l);
      k += l;
      i += l;
      continue;
    }
    if (fatal) {
      js_free(ctx, out);
      return JS_ThrowTypeError(ctx, "%s: invalid UTF-8 at byte %lu", fn, static_cast<unsigned long>(i));
    }
    // Skip the maximal subpart: the lead byte plus the continuation bytes
    // that were still valid for it.
    size_t skip = 1;
    uint8_t lo, hi;
    size_t need = seq_need(p[i], &lo, &hi);
    for (size_t j = 1; j < need && i + j < n; j++, lo = 0x80, hi = 0xBF) {
      if (p[i + j] < lo || p[i + j] > hi) break;
      skip++;
    }
    memcpy(out + k, "\xEF\xBF\xBD", 3);
    k += 3;
    i += skip;
  }
  JSValue s = JS_NewStringLen(ctx, out, k);
  js_free(ctx, out);
  return s;
}

namespace {

// ------------------------------------------------------------ TextEncoder
extern const ClassDef kEncoderDef;
JsClass g_encoder(kEncoderDef);
struct EncoderObj {
  int unused;
};

JSValue encoder_ctor(JSContext* ctx, JSValueConst new_target, int, JSValueConst*) {
  auto* e = static_cast<EncoderObj*>(js_mallocz(ctx, sizeof(EncoderObj)));
  if (!e) return JS_EXCEPTION;
  JSValue obj = g_encoder.make(ctx, new_target, e);
  if (JS_IsException(obj)) js_free(ctx, e);
  return obj;
}

JSValue encoder_encoding(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  if (!g_encoder.get(ctx, this_val, "TextEncoder.encoding")) return JS_EXCEPTION;
  return JS_NewString(ctx, "utf-8");
}

JSValue encoder_encode(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "TextEncoder.encode", argc, argv);
  if (!g_encoder.get(ctx, this_val, a.fn())) return JS_EXCEPTION;
  uint8_t* d = nullptr;
  size_t n = 0;
  if (!a.has(0)) return new_uint8array(ctx, nullptr, 0);
  if (!utf8_of(ctx, a[0], &d, &n)) return JS_EXCEPTION;
  JSValue r = new_uint8array(ctx, d, n);
  js_free(ctx, d);
  return r;
}

// encodeInto(source, destination) -> {read (UTF-16 units), written (bytes)}:
// whole code points only.
JSValue encoder_encode_into(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "TextEncoder.encodeInto", argc, argv);
  if (!g_encoder.get(ctx, this_val, a.fn()) || !a.count(2)) return JS_EXCEPTION;
  size_t cap = 0;
  uint8_t* dst = nullptr;
  const uint8_t* view = nullptr;
  JSValue keep = JS_UNDEFINED;
  if (!is_instance_of_global(ctx, a[1], "Uint8Array") || !buffer_view(ctx, a[1], &view, &cap, &keep)) {
    if (!JS_HasException(ctx)) a.type_error("destination must be a Uint8Array");
    return JS_EXCEPTION;
  }
  dst = const_cast<uint8_t*>(view);
  uint8_t* src = nullptr;
  size_t n = 0;
  if (!utf8_of(ctx, a[0], &src, &n)) {
    JS_FreeValue(ctx, keep);
    return JS_EXCEPTION;
  }
  size_t read = 0, written = 0;
  for (size_t i = 0; i < n;) {
    size_t l = seq_len(src + i, n - i);
    if (!l) l = 1;
    if (written + l > cap) break;
    memcpy(dst + written, src + i, l);
    written += l;
    read += l == 4 ? 2 : 1;
    i += l;
  }
  js_free(ctx, src);
  JS_FreeValue(ctx, keep);
  return new_number_object(ctx, {{"read", static_cast<double>(read)}, {"written", static_cast<double>(written)}});
}

const Method kEncoderProto[] = {method("encode", encoder_encode, 0), method("encodeInto", encoder_encode_into, 2)};
const Accessor kEncoderGetters[] = {getter("encoding", encoder_encoding)};
const ClassDef kEncoderDef = {.name = "TextEncoder",
                              .ctor = encoder_ctor,
                              .finalizer = free_opaque,
                              .methods = kEncoderProto,
                              .method_count = 2,
                              .accessors = kEncoderGetters,
                              .accessor_count = 1};

// ------------------------------------------------------------ TextDecoder
// The encodings TextDecoder knows: UTF-8 and the two UTF-16s (no tables
// needed); legacy single- and multi-byte ones are left out (their tables).
enum Kind : uint8_t { kUtf8, kUtf16le, kUtf16be, kCount };
const char* const kNames[] = {"utf-8", "utf-16le", "utf-16be"};
struct Label {
  const char* label;
  Kind kind;
};
const Label kLabels[] = {{"utf-8", kUtf8},         {"utf8", kUtf8},           {"unicode-1-1-utf-8", kUtf8},
                         {"unicode11utf8", kUtf8}, {"unicode20utf8", kUtf8},  {"x-unicode20utf8", kUtf8},
                         {"utf-16le", kUtf16le},   {"utf-16", kUtf16le},      {"unicode", kUtf16le},
                         {"unicodefeff", kUtf16le}, {"ucs-2", kUtf16le},      {"csunicode", kUtf16le},
                         {"iso-10646-ucs-2", kUtf16le}, {"utf-16be", kUtf16be}, {"unicodefffe", kUtf16be}};

// A decoder's stream state: the bytes of a sequence cut by a chunk's end
// (decode(chunk, {stream: true})), and whether the stream's start (where a
// BOM is dropped) is behind.
struct DecoderObj {
  Kind kind = kUtf8;
  bool fatal = false;
  bool ignore_bom = false;
  bool bom_done = false;
  uint8_t npend = 0;
  uint8_t pend[3] = {};
};

// UTF-16 (big-endian when be) to a string: an unpaired surrogate or an odd
// last byte is U+FFFD, or a TypeError when fatal.
JSValue decode_utf16(JSContext* ctx, const uint8_t* p, size_t n, bool be, bool fatal, const char* fn) {
  auto* out = static_cast<char*>(js_malloc(ctx, n / 2 * 3 + 4));
  if (!out) return JS_EXCEPTION;
  size_t k = 0;
  auto unit = [&](size_t i) -> uint32_t { return be ? p[i] << 8 | p[i + 1] : p[i + 1] << 8 | p[i]; };
  for (size_t i = 0; i < n;) {
    uint32_t c = i + 1 < n ? unit(i) : 0xDC00;  // an odd last byte: an error, like a lone trail
    size_t used = 2;
    if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      used = 4;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      if (fatal) {
        js_free(ctx, out);
        return JS_ThrowTypeError(ctx, "%s: invalid UTF-16 at byte %lu", fn, static_cast<unsigned long>(i));
      }
      c = 0xFFFD;
    }
    if (c < 0x80) {
      out[k++] = static_cast<char>(c);
    } else if (c < 0x800) {
      out[k++] = static_cast<char>(0xC0 | c >> 6);
      out[k++] = static_cast<char>(0x80 | (c & 63));
    } else if (c < 0x10000) {
      out[k++] = static_cast<char>(0xE0 | c >> 12);
      out[k++] = static_cast<char>(0x80 | (c >> 6 & 63));
      out[k++] = static_cast<char>(0x80 | (c & 63));
    } else {
      out[k++] = static_cast<char>(0xF0 | c >> 18);
      out[k++] = static_cast<char>(0x80 | (c >> 12 & 63));
      out[k++] = static_cast<char>(0x80 | (c >> 6 & 63));
      out[k++] = static_cast<char>(0x80 | (c & 63));
    }
    i += used;
  }
  JSValue s = JS_NewStringLen(ctx, out, k);
  js_free(ctx, out);
  return s;
}

// A UTF-16 stream keeps an odd byte and a lead surrogate that ends a chunk.
size_t cut_tail16(const uint8_t* p, size_t n, bool be) {
  size_t end = n & ~static_cast<size_t>(1);
  if (end >= 2 && (p[end - (be ? 2 : 1)] & 0xFC) == 0xD8) end -= 2;
  return end;
}

// Where the incomplete but so far valid UTF-8 sequence that ends p[0..n)
// starts (n if none): a stream keeps those bytes for the next chunk.
size_t cut_tail(const uint8_t* p, size_t n) {
  for (size_t i = n > 3 ? n - 3 : 0; i < n; i++) {
    uint8_t lo, hi;
    size_t need = seq_need(p[i], &lo, &hi);
    if (need <= n - i) continue;  // no lead, or a whole sequence
    bool ok = true;
    for (size_t j = i + 1; j < n && ok; j++, lo = 0x80, hi = 0xBF) ok = p[j] >= lo && p[j] <= hi;
    if (ok) return i;
  }
  return n;
}
extern const ClassDef kDecoderDef;
JsClass g_decoder(kDecoderDef);

JSValue decoder_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "TextDecoder", argc, argv);
  Kind kind = kUtf8;
  if (a.has(0)) {
    JsString label;
    if (!label.from(ctx, a[0])) return JS_EXCEPTION;
    // Labels of UTF-8 (trimmed, ASCII case-insensitive).
    const char* l = label.c_str();
    size_t n = label.size();
    while (n && (*l == ' ' || *l == '\t' || *l == '\n' || *l == '\f' || *l == '\r')) l++, n--;
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\n' || l[n - 1] == '\f' || l[n - 1] == '\r')) n--;
    kind = kCount;
    for (const Label& x : kLabels)
      if (net::http::equals_ci(l, n, x.label)) kind = x.kind;
    if (kind == kCount)
      return a.range_error("encoding '%.*s' is not supported (only utf-8, utf-16le, utf-16be)", static_cast<int>(n > 40 ? 40 : n), l);
  }
  if (a.has(1) && !JS_IsNull(a[1]) && !a.object(1, "options")) return JS_EXCEPTION;
  Options o(ctx, a.fn(), a[1]);
  bool fatal = false, ignore_bom = false;
  if (!o.boolean("fatal", &fatal) || !o.boolean("ignoreBOM", &ignore_bom)) return JS_EXCEPTION;
  auto* d = static_cast<DecoderObj*>(js_mallocz(ctx, sizeof(DecoderObj)));
  if (!d) return JS_EXCEPTION;
  d->fatal = fatal;
  d->ignore_bom = ignore_bom;
  d->kind = kind;
  JSValue obj = g_decoder.make(ctx, new_target, d);
  if (JS_IsException(obj)) js_free(ctx, d);
  return obj;
}

JSValue decoder_attr(JSContext* ctx, JSValueConst this_val, int magic) {
  auto* d = native<DecoderObj>(ctx, g_decoder, this_val, "TextDecoder");
  if (!d) return JS_EXCEPTION;
  if (magic == 0) return JS_NewString(ctx, kNames[d->kind]);
  return JS_NewBool(ctx, magic == 1 ? d->fatal : d->ignore_bom);
}
JSValue decoder_encoding(JSContext* ctx, JSValueConst t, int, JSValueConst*) { return decoder_attr(ctx, t, 0); }
JSValue decoder_fatal(JSContext* ctx, JSValueConst t, int, JSValueConst*) { return decoder_attr(ctx, t, 1); }
JSValue decoder_ignore_bom(JSContext* ctx, JSValueConst t, int, JSValueConst*) { return decoder_attr(ctx, t, 2); }

JSValue decoder_decode(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "TextDecoder.decode", argc, argv);
  auto* d = native<DecoderObj>(ctx, g_decoder, this_val, a.fn());
  if (!d) return JS_EXCEPTION;
  bool stream = false;
  if (a.has(1) && !JS_IsNull(a[1]) && !a.object(1, "options")) return JS_EXCEPTION;
  if (!Options(ctx, a.fn(), a[1]).boolean("stream", &stream)) return JS_EXCEPTION;
  const uint8_t* p = nullptr;
  size_t n = 0;
  JSValue keep = JS_UNDEFINED;
  if (a.has(0) && !buffer_view(ctx, a[0], &p, &n, &keep)) {
    if (!JS_HasException(ctx)) a.type_error("input must be an ArrayBuffer or a view of one");
    return JS_EXCEPTION;
  }
  // The pending bytes, then this chunk (copied: the caller may reuse its buffer).
  size_t total = d->npend + n;
  auto* buf = static_cast<uint8_t*>(js_malloc(ctx, total + 1));
  if (!buf) {
    JS_FreeValue(ctx, keep);
    return JS_EXCEPTION;
  }
  memcpy(buf, d->pend, d->npend);
  if (n) memcpy(buf + d->npend, p, n);
  JS_FreeValue(ctx, keep);
  static const uint8_t kBoms[3][3] = {{0xEF, 0xBB, 0xBF}, {0xFF, 0xFE}, {0xFE, 0xFF}};
  const uint8_t* bom = kBoms[d->kind];
  size_t bom_len = d->kind == kUtf8 ? 3 : 2, start = 0, end = total;
  if (stream) end = d->kind == kUtf8 ? cut_tail(buf, total) : cut_tail16(buf, total, d->kind == kUtf16be);
  if (!d->ignore_bom && !d->bom_done) {
    if (total >= bom_len && memcmp(buf, bom, bom_len) == 0) start = bom_len;
    // A stream whose first bytes may still become a BOM waits for more.
    if (stream && total < bom_len && memcmp(buf, bom, total) == 0) end = 0;
    else d->bom_done = true;
  }
  if (start > end) start = end;
  d->npend = static_cast<uint8_t>(total - end);
  memcpy(d->pend, buf + end, d->npend);
  JSValue s = d->kind == kUtf8 ? decode_utf8(ctx, buf + start, end - start, d->fatal, false, a.fn())
                               : decode_utf16(ctx, buf + start, end - start, d->kind == kUtf16be, d->fatal, a.fn());
  js_free(ctx, buf);
  if (!stream || JS_IsException(s)) d->npend = 0, d->bom_done = false;  // the stream ends (an error ends it too)
  return s;
}


const Method kDecoderProto[] = {method("decode", decoder_decode, 0)};
const Accessor kDecoderGetters[] = {getter("encoding", decoder_encoding), getter("fatal", decoder_fatal),
                                    getter("ignoreBOM", decoder_ignore_bom)};
const ClassDef kDecoderDef = {.name = "TextDecoder",
                              .ctor = decoder_ctor,
                              .finalizer = free_opaque,
                              .methods = kDecoderProto,
                              .method_count = 1,
                              .accessors = kDecoderGetters,
                              .accessor_count = 3};

// ------------------------------------------------------------ base64
const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

JSValue invalid_character(JSContext* ctx, const char* fn, const char* why) {
  JSValue err = JS_NewError(ctx);
  if (JS_IsException(err)) return err;
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", fn, why);
  JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, msg), JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_DefinePropertyValueStr(ctx, err, "name", JS_NewString(ctx, "InvalidCharacterError"),
                            JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  return JS_Throw(ctx, err);
}

JSValue js_btoa(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "btoa", argc, argv);
  ByteString in;
  if (!a.count(1)) return JS_EXCEPTION;
  if (!in.from(ctx, a[0], a.fn(), "data")) {
    JS_FreeValue(ctx, JS_GetException(ctx));
    return invalid_character(ctx, a.fn(), "data contains a character above U+00FF");
  }
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t n = in.size();
  auto* out = static_cast<char*>(js_malloc(ctx, (n + 2) / 3 * 4 + 1));
  if (!out) return JS_EXCEPTION;
  size_t k = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = static_cast<uint32_t>(p[i]) << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
    out[k++] = kB64[v >> 18 & 63];
    out[k++] = kB64[v >> 12 & 63];
    out[k++] = i + 1 < n ? kB64[v >> 6 & 63] : '=';
    out[k++] = i + 2 < n ? kB64[v & 63] : '=';
  }
  JSValue s = JS_NewStringLen(ctx, out, k);
  js_free(ctx, out);
  return s;
}

JSValue js_atob(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "atob", argc, argv);
  JsString in;
  if (!a.count(1)) return JS_EXCEPTION;
  JSValue str = JS_ToString(ctx, a[0]);
  if (JS_IsException(str)) return str;
  bool got = in.from(ctx, str);
  JS_FreeValue(ctx, str);
  if (!got) return JS_EXCEPTION;
  auto* out = static_cast<uint8_t*>(js_malloc(ctx, in.size() * 3 / 4 + 3));
  if (!out) return JS_EXCEPTION;
  size_t k = 0;
  const char* why = nullptr;
  net::http::forgiving_base64(in.c_str(), in.size(), out, &k, &why);
  JSValue r = why ? invalid_character(ctx, a.fn(), why) : new_byte_string(ctx, reinterpret_cast<const char*>(out), k);
  js_free(ctx, out);
  return r;
}

JSValue encoder_constructor(JSContext* ctx) { return g_encoder.constructor(ctx); }
JSValue decoder_constructor(JSContext* ctx) { return g_decoder.constructor(ctx); }
JSValue atob_function(JSContext* ctx) { return JS_NewCFunction(ctx, js_atob, "atob", 1); }
JSValue btoa_function(JSContext* ctx) { return JS_NewCFunction(ctx, js_btoa, "btoa", 1); }

}  // namespace

bool install_encoding(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  return define_lazy_global(ctx, "TextEncoder", encoder_constructor) &&
         define_lazy_global(ctx, "TextDecoder", decoder_constructor) && define_lazy_global(ctx, "atob", atob_function) &&
         define_lazy_global(ctx, "btoa", btoa_function);
}

}  // namespace mcujs::bind
