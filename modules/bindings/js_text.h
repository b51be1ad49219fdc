// The text of the Web globals written in JavaScript (web_js.cpp, streams.cpp),
// compiled from source on first use. Two backends, chosen by the build
// (MCUJS_JS_TEXT, modules/CMakeLists.txt): js_text.cpp holds the texts, for
// builds with the JavaScript parser (the CLI); js_text_none.cpp holds none,
// for images that run bytecode only (the firmware: no parser linked), where
// the texts would be ~34 KB of flash that can never run.
#pragma once

#include <cstddef>
#include <cstdint>

#include "quickjs.h"

namespace mcujs::bind {

enum class JsText : uint8_t { kAbort, kSearchParams, kClone, kFormData, kUrl, kStreams, kCount };

// Evaluates the text (an expression in parentheses) and returns its value;
// name is the script name in stack traces ("<URL>"). Without the text (the
// none backend): a TypeError saying so, naming the global.
JSValue eval_js_text(JSContext* ctx, JsText which, const char* name);

}  // namespace mcujs::bind
