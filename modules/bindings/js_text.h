// The text of the Web globals written in JavaScript (web_js.cpp, streams.cpp),
// made on first use. Two backends, chosen by the build (MCUJS_JS_TEXT,
// modules/CMakeLists.txt): js_text.cpp holds the texts and compiles them
// from source, for builds with the JavaScript parser (the CLI, which also
// compiles them into bundles); js_text_bundle.cpp reads them compiled from
// the app's bundle (bundle::Kind::kJsText entries written by `mcujs bundle`),
// for images that run bytecode only (the firmware: no parser, and ~34 KB of
// text that could never run stays out of its flash).
#pragma once

#include <cstddef>
#include <cstdint>

#include "quickjs.h"

namespace mcujs::bind {

enum class JsText : uint8_t { kAbort, kSearchParams, kClone, kFormData, kUrl, kStreams, kCount };

// The global each text makes (the first, for a pair), by JsText: its entry's
// name in a bundle and the name an error about it gives.
inline constexpr const char* kJsTextNames[] = {"AbortController", "URLSearchParams", "structuredClone",
                                               "FormData",        "URL",             "ReadableStream"};
static_assert(sizeof kJsTextNames / sizeof kJsTextNames[0] == static_cast<size_t>(JsText::kCount),
              "one name per JsText");

// Evaluates the text (an expression in parentheses) and returns its value;
// name is the script name in stack traces ("<URL>"). Without it (a bundle
// without its entry, or no bundle): a TypeError naming the global.
JSValue eval_js_text(JSContext* ctx, JsText which, const char* name);

// Whether eval_js_text can make the text in ctx: the install functions
// define a text's globals only then (a device app that names none of them
// keeps its boot heap).
bool has_js_text(JSContext* ctx, JsText which);

// The source of a text (the backend with the texts; false in the others):
// `mcujs bundle` compiles it into the bundles of apps that reach it.
bool js_text_source(JsText which, const char** src, size_t* len);

}  // namespace mcujs::bind
