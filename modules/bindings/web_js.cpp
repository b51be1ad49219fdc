// Web-standard globals small enough to be written in JavaScript and
// compiled into the runtime: AbortController/AbortSignal (with
// AbortSignal.timeout/abort/any, EventTarget's add/removeEventListener and
// onabort), URL (the WHATWG URL parser, IDNA included), URLSearchParams
// (WHATWG URL's application/x-www-form-urlencoded) and structuredClone for
// plain data. Each source is evaluated on first
// access of its global (define_lazy_global); FormData too, so unused ones cost no heap;
// queueMicrotask is C++ (one job).
#include <cstring>

#include "modules/bindings/install.h"
#include "modules/bindings/js_text.h"
#include "modules/bindings/web_common.h"
#include "net/http/form.h"

namespace mcujs::bind {

namespace {

JSValue property_of(JSContext* ctx, const char* name, JsText text, const char* key) {
  JSValue v = eval_js_text(ctx, text, name);
  if (JS_IsException(v) || !key) return v;
  JSValue r = JS_GetPropertyStr(ctx, v, key);
  JS_FreeValue(ctx, v);
  return r;
}

// AbortController and AbortSignal come from one evaluation; the first one
// asked for defines both globals.
JSValue abort_pair(JSContext* ctx, const char* want) {
  JSValue pair = eval_js_text(ctx, JsText::kAbort, "<AbortController>");
  if (JS_IsException(pair)) return pair;
  JSValue global = JS_GetGlobalObject(ctx);
  const char* other = strcmp(want, "AbortSignal") == 0 ? "AbortController" : "AbortSignal";
  JS_DefinePropertyValueStr(ctx, global, other, JS_GetPropertyStr(ctx, pair, other),
                            JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
  JS_FreeValue(ctx, global);
  JSValue r = JS_GetPropertyStr(ctx, pair, want);
  JS_FreeValue(ctx, pair);
  return r;
}
JSValue create_abort_controller(JSContext* ctx) { return abort_pair(ctx, "AbortController"); }
JSValue create_abort_signal(JSContext* ctx) { return abort_pair(ctx, "AbortSignal"); }
// escape(s): the form serialisation of s's UTF-8 bytes.
JSValue form_escape_js(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  uint8_t* d = nullptr;
  size_t n = 0;
  if (!utf8_of(ctx, argc ? argv[0] : JS_UNDEFINED, &d, &n)) return JS_EXCEPTION;
  size_t len = net::http::form_escape(d, n, nullptr, 0);
  auto* out = static_cast<char*>(js_malloc(ctx, len + 1));
  JSValue r = JS_EXCEPTION;
  if (out) {
    net::http::form_escape(d, n, out, len);
    r = JS_NewStringLen(ctx, out, len);
  }
  js_free(ctx, out);
  js_free(ctx, d);
  return r;
}

// unescape(s): percent-decoded, then UTF-8 decoded (U+FFFD for bad bytes).
JSValue form_unescape_js(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  uint8_t* d = nullptr;
  size_t n = 0;
  if (!utf8_of(ctx, argc ? argv[0] : JS_UNDEFINED, &d, &n)) return JS_EXCEPTION;
  auto* out = static_cast<uint8_t*>(js_malloc(ctx, n + 1));
  JSValue r = JS_EXCEPTION;
  if (out) r = decode_utf8(ctx, out, net::http::form_unescape(reinterpret_cast<const char*>(d), n, out), false, false, "URLSearchParams");
  js_free(ctx, out);
  js_free(ctx, d);
  return r;
}

JSValue create_search_params(JSContext* ctx) {
  JSValue make = eval_js_text(ctx, JsText::kSearchParams, "<URLSearchParams>");
  if (JS_IsException(make)) return make;
  JSValue fns[2] = {JS_NewCFunction(ctx, form_escape_js, "escape", 1), JS_NewCFunction(ctx, form_unescape_js, "unescape", 1)};
  JSValue r = JS_Call(ctx, make, JS_UNDEFINED, 2, fns);
  for (JSValue& f : fns) JS_FreeValue(ctx, f);
  JS_FreeValue(ctx, make);
  return r;
}
JSValue create_url(JSContext* ctx) { return property_of(ctx, "<URL>", JsText::kUrl, nullptr); }
JSValue create_form_data(JSContext* ctx) { return property_of(ctx, "<FormData>", JsText::kFormData, nullptr); }
JSValue create_structured_clone(JSContext* ctx) {
  return property_of(ctx, "<structuredClone>", JsText::kClone, nullptr);
}

JSValue microtask_job(JSContext* ctx, int, JSValueConst* argv) {
  JSValue r = JS_Call(ctx, argv[0], JS_UNDEFINED, 0, nullptr);
  return r;  // an exception is reported like any job's
}

JSValue queue_microtask(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "queueMicrotask", argc, argv);
  if (!a.count(1) || !a.function(0, "callback")) return JS_EXCEPTION;
  if (JS_EnqueueJob(ctx, microtask_job, 1, argv) < 0) return JS_EXCEPTION;
  return JS_UNDEFINED;
}
JSValue create_queue_microtask(JSContext* ctx) { return JS_NewCFunction(ctx, queue_microtask, "queueMicrotask", 1); }

}  // namespace

// Each global only where its text can be made (js_text.h: a device app's
// bundle has the texts the app names).
bool install_abort(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  return !has_js_text(ctx, JsText::kAbort) || (define_lazy_global(ctx, "AbortController", create_abort_controller) &&
                                               define_lazy_global(ctx, "AbortSignal", create_abort_signal));
}

bool install_web_misc(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  auto lazy = [ctx](JsText text, const char* name, GlobalFactory create) {
    return !has_js_text(ctx, text) || define_lazy_global(ctx, name, create);
  };
  return lazy(JsText::kSearchParams, "URLSearchParams", create_search_params) &&
         lazy(JsText::kFormData, "FormData", create_form_data) && lazy(JsText::kUrl, "URL", create_url) &&
         lazy(JsText::kClone, "structuredClone", create_structured_clone) &&
         define_lazy_global(ctx, "queueMicrotask", create_queue_microtask);
}

}  // namespace mcujs::bind
