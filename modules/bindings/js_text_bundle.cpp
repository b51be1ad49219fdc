// The js_text backend of images that run bytecode only (the firmware): the
// texts come compiled in the app's bundle, one bundle::Kind::kJsText entry
// per text (`mcujs bundle` adds those the app reaches, apps/cli/bundle_cmd.cpp).
// install_all keeps the bundle in the runtime's kJsText slot (Features::
// js_texts); a text is read on first use, as the parser backend compiles it
// then, so an unused one costs no heap. Read as the app's modules are
// (JS_READ_OBJ_ROM_DATA); its bytecode is still copied to the heap, since
// its atoms never land at the indices they had when written.
#include "bundle/reader.h"
#include "core/runtime.h"
#include "modules/bindings/js_text.h"

namespace mcujs::bind {

namespace {

bool find(JSContext* ctx, JsText which, bundle::Entry* e) {
  const auto* app = static_cast<const bundle::Reader*>(core::Runtime::from(ctx)->slot(core::Slot::kJsText));
  return app && which < JsText::kCount && app->find(bundle::Kind::kJsText, kJsTextNames[static_cast<size_t>(which)], e);
}

}  // namespace

JSValue eval_js_text(JSContext* ctx, JsText which, const char*) {
  const char* global = kJsTextNames[static_cast<size_t>(which)];
  bundle::Entry e{};
  if (!find(ctx, which, &e))
    return JS_ThrowTypeError(ctx, "%s is not in this app's bundle: written in JavaScript, it is compiled into the "
                             "bundle when the app's source names it (a bundle from an older mcujs has none)", global);
  JSValue fn = JS_ReadObject(ctx, e.data, e.size, JS_READ_OBJ_BYTECODE | JS_READ_OBJ_ROM_DATA);
  if (JS_IsException(fn)) return fn;
  if (JS_VALUE_GET_TAG(fn) != JS_TAG_FUNCTION_BYTECODE) {
    JS_FreeValue(ctx, fn);
    return JS_ThrowTypeError(ctx, "%s: the bundle's entry is not a compiled script", global);
  }
  return JS_EvalFunction(ctx, fn);  // takes fn
}

bool has_js_text(JSContext* ctx, JsText which) {
  bundle::Entry e{};
  return find(ctx, which, &e);
}

bool js_text_source(JsText, const char**, size_t*) { return false; }

}  // namespace mcujs::bind
