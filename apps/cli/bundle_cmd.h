// `mcujs bundle`: compiles an app (its entry module and every module it
// imports, followed transitively) to QuickJS bytecode and packs it with its
// data files into one bundle for a board (bundle/format.h, docs/firmware.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::cli {

int bundle_main(int argc, char** argv);  // argv[0] == "bundle"

// The features (bundle::kFeature*) a module's source text seems to use: the
// words of the globals behind each feature and regular expression literals,
// outside comments and strings. Conservative: a false hit costs heap at boot,
// a miss an error at run time (--features then says it explicitly).
uint32_t scan_features(const char* src, size_t len);

// The Web globals written in JavaScript (modules/bindings/js_text.h) that a
// source text names, as JsText bits: their names, `.body` and `.formData`
// (a Body's stream and form). The bundle then holds them compiled; a miss
// (a name built at run time) is a TypeError naming the global.
uint32_t scan_js_texts(const char* src, size_t len);

// "date,regexp" -> mask; false (err names the bad word) on an unknown name.
bool parse_features(const char* list, uint32_t* mask, char* err, size_t err_len);

}  // namespace mcujs::cli
