// Headers (WHATWG Fetch) on net::http::HeaderList: ByteString names and
// values, live iteration (an iterator sees changes made while it runs, as
// the standard's index-based iterator does), HeadersInit from a Headers,
// any iterable of pairs (a custom Symbol.iterator included) or a record.
#include <cstring>
#include <new>

#include "modules/bindings/web_common.h"

namespace mcujs::bind {

namespace {

using net::http::Field;
using net::http::HeaderList;

void headers_finalizer(JSRuntime* rt, JSValue val);
bool headers_extra(JSContext* ctx, JSValueConst ctor, JSValueConst proto);
JSValue headers_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv);
extern const Method kHeadersProto[10];
extern const ClassDef kHeadersDef;
JsClass g_headers(kHeadersDef);

// ------------------------------------------------------------ iterator
struct IterObj {
  JSValue headers = JS_UNDEFINED;
  int kind = 0;
  uint32_t index = 0;
};
enum PairKind { kEntries, kKeys, kValues };

void iter_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* it = static_cast<IterObj*>(JS_GetAnyOpaque(val, &id));
  if (!it) return;
  JS_FreeValueRT(rt, it->headers);
  js_free_rt(rt, it);
}
void iter_mark(JSRuntime* rt, JSValueConst val, JS_MarkFunc* mark) {
  JSClassID id;
  auto* it = static_cast<IterObj*>(JS_GetAnyOpaque(val, &id));
  if (it) JS_MarkValue(rt, it->headers, mark);
}

// The combined value of name as a JS string, or null.
JSValue get_value(JSContext* ctx, const HeaderList& l, const char* name, size_t nl) {
  long len = l.combined(name, nl, nullptr, 0);
  if (len < 0) return JS_NULL;
  auto* buf = static_cast<char*>(js_malloc(ctx, static_cast<size_t>(len) + 1));
  if (!buf) return JS_EXCEPTION;
  l.combined(name, nl, buf, static_cast<size_t>(len));
  JSValue v = new_byte_string(ctx, buf, static_cast<size_t>(len));
  js_free(ctx, buf);
  return v;
}

// The i-th pair of sort-and-combine as [name, value], name or value;
// JS_UNDEFINED past the end.
JSValue pair_at(JSContext* ctx, const HeaderList& l, uint32_t i, int kind) {
  Field name, single;
  if (!l.sorted_at(i, &name, &single)) return JS_UNDEFINED;
  JSValue n = JS_NewStringLen(ctx, name.name, name.name_len);
  if (kind == kKeys) return n;
  JSValue v = single.value ? new_byte_string(ctx, single.value, single.value_len)
                           : get_value(ctx, l, name.name, name.name_len);
  if (kind == kValues) {
    JS_FreeValue(ctx, n);
    return v;
  }
  JSValue arr = JS_NewArray(ctx);
  if (JS_IsException(arr) || JS_IsException(n) || JS_IsException(v)) {
    JS_FreeValue(ctx, arr);
    JS_FreeValue(ctx, n);
    JS_FreeValue(ctx, v);
    return JS_EXCEPTION;
  }
  JS_SetPropertyUint32(ctx, arr, 0, n);
  JS_SetPropertyUint32(ctx, arr, 1, v);
  return arr;
}

extern const ClassDef kIterDef;
JsClass g_iter(kIterDef);

JSValue iter_next(JSContext* ctx, JSValueConst this_val, int, JSValueConst*) {
  auto* it = native<IterObj>(ctx, g_iter, this_val, "Headers Iterator.next");
  if (!it) return JS_EXCEPTION;
  auto* h = headers_of(it->headers);
  JSValue v = h ? pair_at(ctx, h->list, it->index, it->kind) : JS_UNDEFINED;
  if (JS_IsException(v)) return v;
  bool done = JS_IsUndefined(v);
  if (!done) it->index++;
  JSValue r = JS_NewObject(ctx);
  if (JS_IsException(r)) {
    JS_FreeValue(ctx, v);
    return r;
  }
  JS_SetPropertyStr(ctx, r, "value", v);
  JS_SetPropertyStr(ctx, r, "done", JS_NewBool(ctx, done));
  return r;
}

// The iterator prototype inherits %IteratorPrototype%.
bool iter_extra(JSContext* ctx, JSValueConst, JSValueConst proto) {
  JSValue arr = JS_NewArray(ctx);
  JSValue values = JS_GetPropertyStr(ctx, arr, "values");
  JSValue ai = JS_Call(ctx, values, arr, 0, nullptr);
  JSValue aip = JS_GetPrototype(ctx, ai);  // %ArrayIteratorPrototype% (a new reference)
  JSValue ip = JS_IsException(aip) ? JS_EXCEPTION : JS_GetPrototype(ctx, aip);
  bool ok = !JS_IsException(ip) && JS_SetPrototype(ctx, proto, ip) >= 0;
  JS_FreeValue(ctx, ip);
  JS_FreeValue(ctx, aip);
  JS_FreeValue(ctx, ai);
  JS_FreeValue(ctx, values);
  JS_FreeValue(ctx, arr);
  return ok;
}

const Method kIterProto[] = {method("next", iter_next, 0)};
const ClassDef kIterDef = {.name = "Headers Iterator",
                           .finalizer = iter_finalizer,
                           .gc_mark = iter_mark,
                           .methods = kIterProto,
                           .method_count = 1,
                           .extra = iter_extra};

// ------------------------------------------------------------ Headers

void headers_finalizer(JSRuntime* rt, JSValue val) {
  JSClassID id;
  auto* h = static_cast<HeadersObj*>(JS_GetAnyOpaque(val, &id));
  if (!h) return;
  h->~HeadersObj();
  js_free_rt(rt, h);
}

JSValue make_headers(JSContext* ctx, JSValueConst new_target, Guard guard, HeadersObj** out) {
  auto* h = static_cast<HeadersObj*>(js_malloc(ctx, sizeof(HeadersObj)));
  if (!h) return JS_EXCEPTION;
  new (h) HeadersObj(JS_GetRuntime(ctx));
  h->guard = guard;
  JSValue obj = g_headers.make(ctx, new_target, h);
  if (JS_IsException(obj)) {
    h->~HeadersObj();
    js_free(ctx, h);
    return obj;
  }
  *out = h;
  return obj;
}

bool append_pair(JSContext* ctx, const char* fn, HeaderList* l, JSValueConst name, JSValueConst value) {
  ByteString n, v;
  if (!n.from(ctx, name, fn, "header name") || !v.from(ctx, value, fn, "header value")) return false;
  return header_result(ctx, fn, l->append(n.data(), n.size(), v.data(), v.size()), n.data(), n.size());
}

// Runs the iteration protocol over obj with the iterator method fn, calling
// each(value) until done; false with an exception.
template <typename F>
bool iterate(JSContext* ctx, JSValueConst obj, JSValueConst fn, F each) {
  JSValue it = JS_Call(ctx, fn, obj, 0, nullptr);
  if (JS_IsException(it)) return false;
  if (!JS_IsObject(it)) {
    JS_FreeValue(ctx, it);
    JS_ThrowTypeError(ctx, "iterator is not an object");
    return false;
  }
  JSValue next = JS_GetPropertyStr(ctx, it, "next");
  bool ok = !JS_IsException(next);
  while (ok) {
    JSValue r = JS_Call(ctx, next, it, 0, nullptr);
    if (JS_IsException(r)) {
      ok = false;
      break;
    }
    if (!JS_IsObject(r)) {
      JS_FreeValue(ctx, r);
      JS_ThrowTypeError(ctx, "iterator result is not an object");
      ok = false;
      break;
    }
    JSValue d = JS_GetPropertyStr(ctx, r, "done");
    int done = JS_IsException(d) ? -1 : JS_ToBool(ctx, d);
    JS_FreeValue(ctx, d);
    if (done != 0) {
      JS_FreeValue(ctx, r);
      ok = done > 0;
      break;
    }
    JSValue v = JS_GetPropertyStr(ctx, r, "value");
    JS_FreeValue(ctx, r);
    ok = !JS_IsException(v) && each(v);
    JS_FreeValue(ctx, v);
  }
  JS_FreeValue(ctx, next);
  JS_FreeValue(ctx, it);
  return ok;
}

JSValue iterator_method(JSContext* ctx, JSValueConst obj) {
  JSAtom atom = well_known_symbol(ctx, "iterator");
  if (atom == JS_ATOM_NULL) return JS_EXCEPTION;
  JSValue m = JS_GetProperty(ctx, obj, atom);
  JS_FreeAtom(ctx, atom);
  return m;
}

}  // namespace

HeadersObj* headers_of(JSValueConst v) { return static_cast<HeadersObj*>(g_headers.peek(v)); }

JSValue new_headers(JSContext* ctx, Guard guard, HeadersObj** out) { return make_headers(ctx, JS_UNDEFINED, guard, out); }

bool fill_headers(JSContext* ctx, const char* fn, HeaderList* l, JSValueConst init) {
  if (JS_IsUndefined(init)) return true;
  if (!JS_IsObject(init)) {
    JS_ThrowTypeError(ctx, "%s: headers must be an object, an iterable of [name, value] pairs or a Headers", fn);
    return false;
  }
  JSValue m = iterator_method(ctx, init);
  if (JS_IsException(m)) return false;
  if (!JS_IsUndefined(m) && !JS_IsNull(m)) {  // sequence<sequence<ByteString>>
    if (!JS_IsFunction(ctx, m)) {
      JS_FreeValue(ctx, m);
      JS_ThrowTypeError(ctx, "%s: headers[Symbol.iterator] is not a function", fn);
      return false;
    }
    bool ok = iterate(ctx, init, m, [&](JSValueConst pair) {
      JSValue pm = JS_IsObject(pair) ? iterator_method(ctx, pair) : JS_UNDEFINED;
      if (JS_IsException(pm)) return false;
      if (!JS_IsFunction(ctx, pm)) {
        JS_FreeValue(ctx, pm);
        JS_ThrowTypeError(ctx, "%s: each header must be a [name, value] pair", fn);
        return false;
      }
      JSValue items[2] = {JS_UNDEFINED, JS_UNDEFINED};
      int n = 0;
      bool pok = iterate(ctx, pair, pm, [&](JSValueConst v) {
        if (n < 2) items[n] = JS_DupValue(ctx, v);
        n++;
        if (n > 2) {
          JS_ThrowTypeError(ctx, "%s: each header must be a [name, value] pair", fn);
          return false;
        }
        return true;
      });
      JS_FreeValue(ctx, pm);
      if (pok && n != 2) {
        JS_ThrowTypeError(ctx, "%s: each header must be a [name, value] pair", fn);
        pok = false;
      }
      pok = pok && append_pair(ctx, fn, l, items[0], items[1]);
      JS_FreeValue(ctx, items[0]);
      JS_FreeValue(ctx, items[1]);
      return pok;
    });
    JS_FreeValue(ctx, m);
    return ok;
  }
  // record<ByteString, ByteString>: for each own key in order, its
  // descriptor then its value; an enumerable symbol key is a TypeError.
  JSPropertyEnum* props = nullptr;
  uint32_t count = 0;
  if (JS_GetOwnPropertyNames(ctx, &props, &count, init, JS_GPN_STRING_MASK | JS_GPN_SYMBOL_MASK) < 0) return false;
  bool ok = true;
  for (uint32_t i = 0; ok && i < count; i++) {
    JSPropertyDescriptor desc;
    int has = JS_GetOwnProperty(ctx, &desc, init, props[i].atom);
    if (has < 0) {
      ok = false;
      break;
    }
    if (!has) continue;
    bool enumerable = desc.flags & JS_PROP_ENUMERABLE;
    JS_FreeValue(ctx, desc.value);
    JS_FreeValue(ctx, desc.getter);
    JS_FreeValue(ctx, desc.setter);
    if (!enumerable) continue;
    JSValue name = JS_AtomToValue(ctx, props[i].atom);
    if (JS_IsSymbol(name)) {
      JS_FreeValue(ctx, name);
      JS_ThrowTypeError(ctx, "%s: a header name cannot be a symbol", fn);
      ok = false;
      break;
    }
    // Web IDL converts the key to a ByteString before it gets the value.
    ByteString n, v;
    ok = !JS_IsException(name) && n.from(ctx, name, fn, "header name");
    JS_FreeValue(ctx, name);
    JSValue value = ok ? JS_GetProperty(ctx, init, props[i].atom) : JS_UNDEFINED;
    ok = ok && !JS_IsException(value) && v.from(ctx, value, fn, "header value") &&
         header_result(ctx, fn, l->append(n.data(), n.size(), v.data(), v.size()), n.data(), n.size());
    JS_FreeValue(ctx, value);
  }
  for (uint32_t i = 0; i < count; i++) JS_FreeAtom(ctx, props[i].atom);
  js_free(ctx, props);
  return ok;
}

namespace {

JSValue headers_ctor(JSContext* ctx, JSValueConst new_target, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers", argc, argv);
  HeadersObj* h = nullptr;
  JSValue obj = make_headers(ctx, new_target, Guard::kNone, &h);
  if (JS_IsException(obj)) return obj;
  if (!fill_headers(ctx, a.fn(), &h->list, a[0])) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  return obj;
}

// A name argument as a ByteString; the standard throws TypeError for non-tokens.
bool name_arg(Args& a, int i, ByteString* out) {
  if (!a.count(i + 1) || !out->from(a.ctx(), a[i], a.fn(), "header name")) return false;
  if (!net::http::is_token(out->data(), out->size())) {
    a.type_error("invalid header name '%.*s'", static_cast<int>(out->size() > 64 ? 64 : out->size()), out->data());
    return false;
  }
  return true;
}

JSValue headers_get(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.get", argc, argv);
  auto* h = native<HeadersObj>(ctx, g_headers, this_val, a.fn());
  ByteString name;
  if (!h || !name_arg(a, 0, &name)) return JS_EXCEPTION;
  return get_value(ctx, h->list, name.data(), name.size());
}

JSValue headers_has(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.has", argc, argv);
  auto* h = native<HeadersObj>(ctx, g_headers, this_val, a.fn());
  ByteString name;
  if (!h || !name_arg(a, 0, &name)) return JS_EXCEPTION;
  return JS_NewBool(ctx, h->list.has(name.data(), name.size()));
}

// append (magic 0), set (1), delete (2).
JSValue headers_modify(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic) {
  static const char* const kNames[] = {"Headers.append", "Headers.set", "Headers.delete"};
  Args a(ctx, kNames[magic], argc, argv);
  auto* h = native<HeadersObj>(ctx, g_headers, this_val, a.fn());
  ByteString name, value;
  if (!h || !name_arg(a, 0, &name)) return JS_EXCEPTION;
  if (magic != 2 && (!a.count(2) || !value.from(ctx, a[1], a.fn(), "header value"))) return JS_EXCEPTION;
  if (h->guard == Guard::kImmutable) return a.type_error("headers are immutable");
  if (magic == 2) {
    h->list.remove(name.data(), name.size());
    return JS_UNDEFINED;
  }
  HeaderList::Result r = magic == 1 ? h->list.set(name.data(), name.size(), value.data(), value.size())
                                    : h->list.append(name.data(), name.size(), value.data(), value.size());
  return header_result(ctx, a.fn(), r, name.data(), name.size()) ? JS_UNDEFINED : JS_EXCEPTION;
}

JSValue headers_get_set_cookie(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.getSetCookie", argc, argv);
  auto* h = native<HeadersObj>(ctx, g_headers, this_val, a.fn());
  if (!h) return JS_EXCEPTION;
  JSValue arr = JS_NewArray(ctx);
  uint32_t i = 0;
  Field f;
  for (size_t k = 0; !JS_IsException(arr) && h->list.at(k, &f); k++)
    if (f.name_len == 10 && memcmp(f.name, "set-cookie", 10) == 0)
      JS_SetPropertyUint32(ctx, arr, i++, new_byte_string(ctx, f.value, f.value_len));
  return arr;
}

// entries (magic kEntries), keys, values: live iterators.
JSValue headers_iterate(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv, int magic) {
  Args a(ctx, "Headers.entries", argc, argv);
  if (!native<HeadersObj>(ctx, g_headers, this_val, a.fn())) return JS_EXCEPTION;
  auto* it = static_cast<IterObj*>(js_malloc(ctx, sizeof(IterObj)));
  if (!it) return JS_EXCEPTION;
  new (it) IterObj();
  it->headers = JS_DupValue(ctx, this_val);
  it->kind = magic;
  JSValue obj = g_iter.make(ctx, JS_UNDEFINED, it);
  if (JS_IsException(obj)) {
    JS_FreeValue(ctx, it->headers);
    js_free(ctx, it);
  }
  return obj;
}

JSValue headers_for_each(JSContext* ctx, JSValueConst this_val, int argc, JSValueConst* argv) {
  Args a(ctx, "Headers.forEach", argc, argv);
  auto* h = native<HeadersObj>(ctx, g_headers, this_val, a.fn());
  if (!h || !a.count(1) || !a.function(0, "callback")) return JS_EXCEPTION;
  for (uint32_t i = 0;; i++) {  // live, like the iterators; bounded by the list's size
    JSValue pair = pair_at(ctx, h->list, i, kEntries);
    if (JS_IsException(pair)) return pair;
    if (JS_IsUndefined(pair)) break;
    JSValue args[3] = {JS_GetPropertyUint32(ctx, pair, 1), JS_GetPropertyUint32(ctx, pair, 0),
                       JS_DupValue(ctx, this_val)};
    JSValue r = JS_Call(ctx, argv[0], a[1], 3, args);
    for (JSValue& v : args) JS_FreeValue(ctx, v);
    JS_FreeValue(ctx, pair);
    if (JS_IsException(r)) return r;
    JS_FreeValue(ctx, r);
  }
  return JS_UNDEFINED;
}

const Method kHeadersProto[10] = {
    method("append", headers_modify, 2, 0),
    method("delete", headers_modify, 1, 2),
    method("get", headers_get, 1),
    method("getSetCookie", headers_get_set_cookie, 0),
    method("has", headers_has, 1),
    method("set", headers_modify, 2, 1),
    method("entries", headers_iterate, 0, kEntries),
    method("keys", headers_iterate, 0, kKeys),
    method("values", headers_iterate, 0, kValues),
    method("forEach", headers_for_each, 1),
};

// headers[Symbol.iterator] is entries.
bool headers_extra(JSContext* ctx, JSValueConst, JSValueConst proto) {
  JSAtom atom = well_known_symbol(ctx, "iterator");
  if (atom == JS_ATOM_NULL) return false;
  JSValue entries = JS_GetPropertyStr(ctx, proto, "entries");
  bool ok = JS_DefinePropertyValue(ctx, proto, atom, entries, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) >= 0;
  JS_FreeAtom(ctx, atom);
  return ok;
}

const ClassDef kHeadersDef = {.name = "Headers",
                              .ctor = headers_ctor,
                              .ctor_length = 0,
                              .finalizer = headers_finalizer,
                              .methods = kHeadersProto,
                              .method_count = 10,
                              .extra = headers_extra};

JSValue headers_constructor(JSContext* ctx) { return g_headers.constructor(ctx); }

}  // namespace

bool install_headers_class(JSContext* ctx) { return define_lazy_global(ctx, "Headers", headers_constructor); }

}  // namespace mcujs::bind
