// The js_text backend without the texts (modules/bindings/js_text.h): for
// images that run bytecode only. install_all does not define these globals
// on a raw context; a Body's stream (`response.body`) still asks for the
// streams, and gets a clear TypeError instead of a parser error.
#include "modules/bindings/js_text.h"

namespace mcujs::bind {

JSValue eval_js_text(JSContext* ctx, JsText, const char* name) {
  return JS_ThrowTypeError(ctx, "%s is not in this image: written in JavaScript, it needs the parser, which an "
                           "image running bytecode only leaves out", name);
}

}  // namespace mcujs::bind
