#include "apps/cli/bundle_cmd.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "apps/cli/boards.h"
#include "apps/cli/device_section.h"
#include "apps/cli/host_files.h"
#include "bundle/boot_settings.h"
#include "bundle/reader.h"
#include "bundle/writer.h"
#include "core/module_loader.h"
#include "modules/bindings/js_text.h"
#include "quickjs.h"

namespace mcujs::cli {

namespace {

constexpr char kBundleUsage[] =
    "usage: mcujs bundle --board BOARD -o OUT [--config FILE] [--ca FILE] [--file NAME=FILE]...\n"
    "                    [--features LIST] ENTRY.js\n";

struct WordFeature {
  const char* word;
  uint32_t bit;
};
constexpr WordFeature kWords[] = {
    {"Date", bundle::kFeatureDate},
    {"RegExp", bundle::kFeatureRegExp},
    {"Map", bundle::kFeatureMapSet},
    {"Set", bundle::kFeatureMapSet},
    {"WeakMap", bundle::kFeatureMapSet},
    {"WeakSet", bundle::kFeatureMapSet},
    {"ArrayBuffer", bundle::kFeatureTypedArrays},
    {"DataView", bundle::kFeatureTypedArrays},
    {"Uint8Array", bundle::kFeatureTypedArrays},
    {"Int8Array", bundle::kFeatureTypedArrays},
    {"Uint8ClampedArray", bundle::kFeatureTypedArrays},
    {"Uint16Array", bundle::kFeatureTypedArrays},
    {"Int16Array", bundle::kFeatureTypedArrays},
    {"Uint32Array", bundle::kFeatureTypedArrays},
    {"Int32Array", bundle::kFeatureTypedArrays},
    {"Float32Array", bundle::kFeatureTypedArrays},
    {"Float64Array", bundle::kFeatureTypedArrays},
    {"BigInt64Array", bundle::kFeatureTypedArrays},
    {"BigUint64Array", bundle::kFeatureTypedArrays},
    // The byte-moving Web globals exist only with typed arrays (install_all).
    {"Blob", bundle::kFeatureTypedArrays},
    {"TextEncoder", bundle::kFeatureTypedArrays},
    {"TextDecoder", bundle::kFeatureTypedArrays},
    {"atob", bundle::kFeatureTypedArrays},
    {"btoa", bundle::kFeatureTypedArrays},
    {"crypto", bundle::kFeatureTypedArrays},
    {"pin", bundle::kFeatureBoard},
    {"dht11", bundle::kFeatureBoard},
    {"tls", bundle::kFeatureTls},
    {"TLSError", bundle::kFeatureTls},
    {"fetch", bundle::kFeatureFetch},
    {"Response", bundle::kFeatureFetch},
    {"Headers", bundle::kFeatureFetch},
};

// The words by which an app reaches a Web global written in JavaScript
// (modules/bindings/js_text.h): its names, and a Body's `.body` stream.
struct WordText {
  const char* word;
  bind::JsText text;
  bool after_dot;  // only as a property: `.body`, not `{ body: ... }`
};
constexpr WordText kTextWords[] = {
    {"AbortController", bind::JsText::kAbort, false},
    {"AbortSignal", bind::JsText::kAbort, false},
    {"URLSearchParams", bind::JsText::kSearchParams, false},
    {"structuredClone", bind::JsText::kClone, false},
    {"FormData", bind::JsText::kFormData, false},
    {"formData", bind::JsText::kFormData, true},
    {"URL", bind::JsText::kUrl, false},
    {"ReadableStream", bind::JsText::kStreams, false},
    {"WritableStream", bind::JsText::kStreams, false},
    {"body", bind::JsText::kStreams, true},
};

// Built-ins a text names but uses only on values that cannot exist without
// them (structuredClone copies a Date with Date): not asked for in the
// manifest on its behalf, which saves 16 KB of JS heap at boot
// (js_text.cpp guards the one check that runs on every object). By JsText.
constexpr uint32_t kTextOptional[] = {
    0, 0, bundle::kFeatureDate | bundle::kFeatureRegExp | bundle::kFeatureTypedArrays, 0, 0, 0};
static_assert(sizeof kTextOptional / sizeof kTextOptional[0] == static_cast<size_t>(bind::JsText::kCount),
              "one entry per JsText");

bool ident_char(char c) { return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

// A '/' after one of these (or a keyword below) starts a regular expression.
bool regex_may_follow(char prev) { return prev == 0 || strchr("(,=:[!&|?{};+-*%<>~^", prev) != nullptr; }

// scan_features, and in *texts the JsText bits of the words naming them.
uint32_t scan(const char* src, size_t len, uint32_t* texts) {
  uint32_t mask = 0;
  char prev = 0;  // the last significant character ('a': a word)
  char prev_word[16] = {};
  // Template literals nest: each level is its text (kText) or a ${...}
  // substitution (its count of open braces), scanned as code.
  constexpr int kText = -1;
  int nest[32];
  int depth = 0;
  size_t i = 0;
  while (i < len) {
    char c = src[i];
    if (depth > 0 && nest[depth - 1] == kText) {  // inside a template's text
      if (c == '\\') {
        i += 2;
      } else if (c == '`') {
        depth--;
        i++;
        prev = ')';
      } else if (c == '$' && i + 1 < len && src[i + 1] == '{' && depth < 32) {
        nest[depth++] = 0;
        i += 2;
        prev = '(';
      } else {
        i++;
      }
      continue;
    }
    if (c == '/' && i + 1 < len && src[i + 1] == '/') {
      while (i < len && src[i] != '\n') i++;
    } else if (c == '/' && i + 1 < len && src[i + 1] == '*') {
      i += 2;
      while (i + 1 < len && !(src[i] == '*' && src[i + 1] == '/')) i++;
      i += 2;
    } else if (c == '`' && depth < 32) {
      nest[depth++] = kText;
      i++;
    } else if (c == '\'' || c == '"') {
      for (i++; i < len && src[i] != c && src[i] != '\n'; i++)
        if (src[i] == '\\') i++;
      i++;
      prev = ')';
    } else if (ident_char(c)) {
      size_t s = i;
      while (i < len && ident_char(src[i])) i++;
      size_t n = i - s;
      for (const WordFeature& w : kWords)
        if (strlen(w.word) == n && memcmp(w.word, src + s, n) == 0) mask |= w.bit;
      for (const WordText& w : kTextWords)
        if (strlen(w.word) == n && memcmp(w.word, src + s, n) == 0 && (!w.after_dot || prev == '.'))
          *texts |= 1u << static_cast<unsigned>(w.text);
      snprintf(prev_word, sizeof prev_word, "%.*s", static_cast<int>(n < 15 ? n : 15), src + s);
      prev = 'a';
    } else if (c == '/') {
      bool keyword = prev == 'a' && (!strcmp(prev_word, "return") || !strcmp(prev_word, "typeof") ||
                                     !strcmp(prev_word, "case") || !strcmp(prev_word, "of") ||
                                     !strcmp(prev_word, "in") || !strcmp(prev_word, "yield") ||
                                     !strcmp(prev_word, "await"));
      if (keyword || (prev != 'a' && regex_may_follow(prev))) {
        mask |= bundle::kFeatureRegExp;
        // Skip the literal so that a '/' inside it is not taken for another.
        bool in_class = false;
        for (i++; i < len && (src[i] != '/' || in_class) && src[i] != '\n'; i++) {
          if (src[i] == '\\') i++;
          else if (src[i] == '[') in_class = true;
          else if (src[i] == ']') in_class = false;
        }
      }
      i++;
      prev = ')';  // after a literal or a division, a '/' divides
    } else {
      if (c == '{' && depth > 0) nest[depth - 1]++;
      if (c == '}' && depth > 0 && nest[depth - 1]-- == 0) depth--;  // back to the template's text
      if (!isspace(static_cast<unsigned char>(c))) prev = c;
      i++;
    }
  }
  return mask;
}

}  // namespace

uint32_t scan_features(const char* src, size_t len) {
  uint32_t texts = 0;
  return scan(src, len, &texts);
}

uint32_t scan_js_texts(const char* src, size_t len) {
  uint32_t texts = 0;
  scan(src, len, &texts);
  return texts;
}

bool parse_features(const char* list, uint32_t* mask, char* err, size_t err_len) {
  *mask = 0;
  const char* p = list;
  while (*p) {
    size_t n = strcspn(p, ",");
    bool found = false;
    for (size_t b = 0; b < sizeof bundle::kFeatureNames / sizeof bundle::kFeatureNames[0]; b++) {
      if (strlen(bundle::kFeatureNames[b]) == n && strncmp(bundle::kFeatureNames[b], p, n) == 0) {
        *mask |= 1u << b;
        found = true;
      }
    }
    if (!found && n > 0) {
      snprintf(err, err_len, "--features: unknown feature '%.*s' (known: date, regexp, mapset, typedarrays, board, tls, fetch)",
               static_cast<int>(n), p);
      return false;
    }
    p += n;
    if (*p == ',') p++;
  }
  return true;
}

namespace {

// The state of one compilation: QuickJS calls the loader for each import.
struct Compiler {
  char root[1024];  // the entry's directory; module names are relative to it
  bundle::Writer* writer;
  uint32_t features = 0;
  uint32_t texts = 0;  // the JsText bits of the Web globals written in JavaScript it names
};

char* normalize(JSContext* ctx, const char* base, const char* spec, void*) {
  if (strncmp(spec, "./", 2) != 0 && strncmp(spec, "../", 3) != 0) {
    JS_ThrowReferenceError(ctx, "import '%s' from %s: only relative module paths (./, ../) can be bundled", spec,
                           base);
    return nullptr;
  }
  char out[bundle::kNameLen];
  if (!core::resolve_specifier(base, spec, out, sizeof out)) {
    JS_ThrowReferenceError(ctx, "import '%s' from %s: the module name is longer than %u characters", spec, base,
                           static_cast<unsigned>(bundle::kNameLen - 1));
    return nullptr;
  }
  if (strncmp(out, "../", 3) == 0 || out[0] == '/') {
    JS_ThrowReferenceError(ctx, "import '%s' from %s: outside the entry module's directory", spec, base);
    return nullptr;
  }
  return js_strdup(ctx, out);
}

// The bytecode of one QuickJS compilation result, checked for the version
// the image expects, added to w as (kind, name); false with err set.
bool add_bytecode(JSContext* ctx, JSValueConst fn, bundle::Kind kind, const char* name, bundle::Writer* w, char* err,
                  size_t err_len) {
  size_t size = 0;
  uint8_t* bc = JS_WriteObject(ctx, &size, fn, JS_WRITE_OBJ_BYTECODE);
  if (!bc) {
    snprintf(err, err_len, "%s: out of memory writing its bytecode", name);
    return false;
  }
  // The image checks the header's bytecode version: it must be this one.
  if (size == 0 || bc[0] != MCUJS_QUICKJS_BC_VERSION)
    snprintf(err, err_len, "QuickJS wrote bytecode version %d, not %d", size ? bc[0] : -1, MCUJS_QUICKJS_BC_VERSION);
  bool ok = size > 0 && bc[0] == MCUJS_QUICKJS_BC_VERSION && w->add(kind, name, bc, size, err, err_len);
  js_free(ctx, bc);
  return ok;
}

// Compiles the module NAME (a file under the root) and adds its bytecode.
JSValue compile(JSContext* ctx, Compiler* c, const char* name, bundle::Kind kind) {
  char path[2048], err[512];
  snprintf(path, sizeof path, "%s/%s", c->root, name);
  size_t len = 0;
  uint8_t* src = read_file(path, &len, err, sizeof err);
  if (!src) return JS_ThrowReferenceError(ctx, "%s", err);
  c->features |= scan(reinterpret_cast<const char*>(src), len, &c->texts);
  JSValue fn = JS_Eval(ctx, reinterpret_cast<const char*>(src), len, name,
                       JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
  free(src);
  if (JS_IsException(fn)) return fn;
  // The entry's imports are loaded (and added) before it: dependencies first.
  if (kind == bundle::Kind::kMainModule && JS_ResolveModule(ctx, fn) < 0) {
    JS_FreeValue(ctx, fn);
    return JS_EXCEPTION;
  }
  if (!add_bytecode(ctx, fn, kind, name, c->writer, err, sizeof err)) {
    JS_FreeValue(ctx, fn);
    return JS_ThrowInternalError(ctx, "%s", err);
  }
  return fn;
}

JSModuleDef* load(JSContext* ctx, const char* name, void* opaque) {
  JSValue fn = compile(ctx, static_cast<Compiler*>(opaque), name, bundle::Kind::kModule);
  if (JS_IsException(fn)) return nullptr;
  auto* m = static_cast<JSModuleDef*>(JS_VALUE_GET_PTR(fn));
  JS_FreeValue(ctx, fn);  // the context keeps the module
  return m;
}

void print_exception(JSContext* ctx) {
  JSValue e = JS_GetException(ctx);
  const char* s = JS_ToCString(ctx, e);
  fprintf(stderr, "mcujs bundle: %s\n", s ? s : "(unknown error)");
  JS_FreeCString(ctx, s);
  if (JS_IsError(ctx, e)) {
    JSValue st = JS_GetPropertyStr(ctx, e, "stack");
    const char* ss = JS_ToCString(ctx, st);
    if (ss && *ss) fprintf(stderr, "%s", ss);
    JS_FreeCString(ctx, ss);
    JS_FreeValue(ctx, st);
  }
  JS_FreeValue(ctx, e);
}

// The Web globals written in JavaScript that the app names (texts: JsText
// bits), with those they use in turn (their own words, scanned as the
// app's are), compiled as the image would compile them from source and
// added as kJsText entries; *features gains what their code needs (typed
// arrays, RegExp, Map...). False after printing why.
bool add_js_texts(uint32_t texts, bundle::Writer* w, uint32_t* features) {
  constexpr size_t kCount = static_cast<size_t>(bind::JsText::kCount);
  for (uint32_t seen = 0; seen != texts;) {  // the closure: a text may name another
    seen = texts;
    for (size_t i = 0; i < kCount; i++) {
      const char* src = nullptr;
      size_t len = 0;
      if ((seen & (1u << i)) && bind::js_text_source(static_cast<bind::JsText>(i), &src, &len))
        *features |= scan(src, len, &texts) & ~kTextOptional[i];
    }
  }
  JSRuntime* rt = JS_NewRuntime();
  JSContext* ctx = rt ? JS_NewContext(rt) : nullptr;
  bool ok = ctx != nullptr;
  // No line numbers either (the app's modules keep theirs): 30% less flash,
  // and less heap, since the image copies the bytecode and its debug info
  // into the heap (JS_ReadObject can keep bytecode in flash only when its
  // atoms land at the same indices, never the case here). Errors thrown
  // inside still name their function.
  if (ctx) JS_SetStripInfo(rt, JS_STRIP_SOURCE | JS_STRIP_DEBUG);
  for (size_t i = 0; ok && i < kCount; i++) {
    const char* src = nullptr;
    size_t len = 0;
    if (!(texts & (1u << i)) || !bind::js_text_source(static_cast<bind::JsText>(i), &src, &len)) continue;
    char script[bundle::kNameLen + 2], err[512];
    snprintf(script, sizeof script, "<%s>", bind::kJsTextNames[i]);
    JSValue fn = JS_Eval(ctx, src, len, script, JS_EVAL_TYPE_GLOBAL | JS_EVAL_FLAG_STRICT | JS_EVAL_FLAG_COMPILE_ONLY);
    if (JS_IsException(fn)) {
      print_exception(ctx);
      ok = false;
    } else if (!add_bytecode(ctx, fn, bundle::Kind::kJsText, bind::kJsTextNames[i], w, err, sizeof err)) {
      fprintf(stderr, "mcujs bundle: %s\n", err);
      ok = false;
    }
    JS_FreeValue(ctx, fn);
  }
  if (!ctx) fprintf(stderr, "mcujs bundle: out of memory creating QuickJS\n");
  if (ctx) JS_FreeContext(ctx);
  if (rt) JS_FreeRuntime(rt);
  return ok;
}

// Compiles the app into w; false after printing why.
bool compile_app(const char* entry, bundle::Writer* w, uint32_t* features, uint32_t* texts) {
  Compiler c{};
  c.writer = w;
  const char* slash = strrchr(entry, '/');
  const char* name = slash ? slash + 1 : entry;
  snprintf(c.root, sizeof c.root, "%.*s", slash ? static_cast<int>(slash - entry) : 1, slash ? entry : ".");
  if (slash == entry) snprintf(c.root, sizeof c.root, "/");
  JSRuntime* rt = JS_NewRuntime();
  JSContext* ctx = rt ? JS_NewContext(rt) : nullptr;
  if (!ctx) {
    fprintf(stderr, "mcujs bundle: out of memory creating QuickJS\n");
    if (rt) JS_FreeRuntime(rt);
    return false;
  }
  JS_SetStripInfo(rt, JS_STRIP_SOURCE);  // line numbers stay (stack traces)
  JS_SetModuleLoaderFunc(rt, normalize, load, &c);
  JSValue fn = compile(ctx, &c, name, bundle::Kind::kMainModule);
  bool ok = !JS_IsException(fn);
  if (!ok) print_exception(ctx);
  JS_FreeValue(ctx, fn);
  JS_FreeContext(ctx);
  JS_FreeRuntime(rt);
  *features = c.features;
  *texts = c.texts;
  return ok;
}

bool add_file(bundle::Writer* w, const char* name, const char* path) {
  char err[512];
  size_t len = 0;
  uint8_t* data = read_file(path, &len, err, sizeof err);
  bool ok = data && w->add(bundle::Kind::kFile, name, data, len, err, sizeof err);
  free(data);
  if (!ok) fprintf(stderr, "mcujs bundle: %s\n", err);
  return ok;
}

// The "device" section of the configuration at path, checked, as the
// bundle's boot.cfg (apps/cli/device_section.h). 0, or the exit status
// after printing why.
int add_boot_settings(bundle::Writer* w, const char* path) {
  char err[512];
  size_t len = 0;
  uint8_t* json = read_file(path, &len, err, sizeof err);
  if (!json) {
    fprintf(stderr, "mcujs bundle: %s\n", err);
    return 1;
  }
  char cfg[bundle::kBootSettingsMax];
  size_t cfg_len = 0;
  bool ok = compile_device_section(reinterpret_cast<const char*>(json), len, cfg, sizeof cfg, &cfg_len, err,
                                   sizeof err);
  free(json);
  if (!ok) {
    fprintf(stderr, "mcujs bundle: --config %s: %s\n", path, err);
    return 2;
  }
  if (cfg_len && !w->add(bundle::Kind::kFile, bundle::kBootSettingsFile, reinterpret_cast<const uint8_t*>(cfg),
                         cfg_len, err, sizeof err)) {
    fprintf(stderr, "mcujs bundle: %s\n", err);
    return 1;
  }
  return 0;
}

}  // namespace

int bundle_main(int argc, char** argv) {
  const char *board_name = nullptr, *out = nullptr, *entry = nullptr, *features_list = nullptr;
  const char* files[bundle::kMaxEntries][2] = {};
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    bool takes_value = !strcmp(a, "--board") || !strcmp(a, "-o") || !strcmp(a, "--config") || !strcmp(a, "--ca") ||
                       !strcmp(a, "--file") || !strcmp(a, "--features");
    if (takes_value && !v) {
      fprintf(stderr, "mcujs bundle: option %s needs a value\n%s", a, kBundleUsage);
      return 2;
    }
    if (takes_value) i++;
    if (!strcmp(a, "--board")) {
      board_name = v;
    } else if (!strcmp(a, "-o")) {
      out = v;
    } else if (!strcmp(a, "--features")) {
      features_list = v;
    } else if (!strcmp(a, "--config") || !strcmp(a, "--ca") || !strcmp(a, "--file")) {
      if (nfiles == static_cast<int>(bundle::kMaxEntries)) {
        fprintf(stderr, "mcujs bundle: too many data files\n");
        return 2;
      }
      const char* eq = strchr(v, '=');
      if (!strcmp(a, "--file") && (!eq || eq == v)) {
        fprintf(stderr, "mcujs bundle: --file: expected NAME=FILE, got '%s'\n", v);
        return 2;
      }
      files[nfiles][0] = !strcmp(a, "--config") ? "config.json" : !strcmp(a, "--ca") ? "ca.pem" : v;
      files[nfiles][1] = !strcmp(a, "--file") ? eq + 1 : v;
      nfiles++;
    } else if (a[0] == '-') {
      fprintf(stderr, "mcujs bundle: unknown option '%s'\n%s", a, kBundleUsage);
      return 2;
    } else if (entry) {
      fprintf(stderr, "mcujs bundle: one entry module only ('%s' and '%s')\n", entry, a);
      return 2;
    } else {
      entry = a;
    }
  }
  if (!board_name || !out || !entry) {
    fprintf(stderr, "mcujs bundle: --board, -o and an entry module are required\n%s", kBundleUsage);
    return 2;
  }
  const Board* board = find_board(board_name);
  if (!board) {
    fprintf(stderr, "mcujs bundle: --board: unknown board '%s' (known: %s)\n", board_name, kBoardNames);
    return 2;
  }
  char err[512];
  uint32_t explicit_features = 0;
  if (features_list && !parse_features(features_list, &explicit_features, err, sizeof err)) {
    fprintf(stderr, "mcujs bundle: %s\n", err);
    return 2;
  }
  bundle::Writer w(board->name, MCUJS_QUICKJS_VERSION, MCUJS_QUICKJS_BC_VERSION);
  uint32_t scanned = 0, texts = 0, text_features = 0;
  if (!compile_app(entry, &w, &scanned, &texts) || !add_js_texts(texts, &w, &text_features)) return 1;
  for (int i = 0; i < nfiles; i++) {
    char name[bundle::kNameLen + 1];
    snprintf(name, sizeof name, "%.*s", static_cast<int>(strcspn(files[i][0], "=")), files[i][0]);
    if (!strcmp(name, bundle::kBootSettingsFile)) {
      fprintf(stderr, "mcujs bundle: --file %s: that name is the device's boot settings, made from the \"device\" "
              "section of --config\n", name);
      return 2;
    }
    if (!add_file(&w, name, files[i][1])) return 1;
    if (strcmp(name, "config.json") != 0) continue;
    int rc = add_boot_settings(&w, files[i][1]);
    if (rc) return rc;
  }
  // The texts' own needs are ours to know: added to an explicit list too.
  uint32_t features = (features_list ? explicit_features : scanned) | text_features;
  w.set_features(features);
  size_t len = 0;
  uint8_t* bytes = w.finish(&len, err, sizeof err);
  if (!bytes) {
    fprintf(stderr, "mcujs bundle: %s\n", err);
    return 1;
  }
  // What the device will check, checked here first.
  bundle::Reader check;
  bundle::Status st = check.open(bytes, len, {board->name, MCUJS_QUICKJS_VERSION, MCUJS_QUICKJS_BC_VERSION});
  int rc = 0;
  if (st != bundle::Status::kOk) {
    fprintf(stderr, "mcujs bundle: internal error: the bundle does not read back: %s\n", bundle::status_text(st));
    rc = 1;
  } else if (len > board->bundle_size) {
    fprintf(stderr, "mcujs bundle: %lu bytes do not fit the %s's %lu-byte bundle partition\n",
            static_cast<unsigned long>(len), board->name, static_cast<unsigned long>(board->bundle_size));
    rc = 1;
  } else if (!write_file(out, bytes, len, err, sizeof err)) {
    fprintf(stderr, "mcujs bundle: %s\n", err);
    rc = 1;
  } else {
    char names[128] = "";
    for (size_t b = 0; b < sizeof bundle::kFeatureNames / sizeof bundle::kFeatureNames[0]; b++)
      if (features & (1u << b))
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? "," : "",
                 bundle::kFeatureNames[b]);
    printf("mcujs bundle: %s: %lu bytes, %lu entries, board %s, QuickJS %s, features: %s\n", out,
           static_cast<unsigned long>(len), static_cast<unsigned long>(check.entry_count()), board->name,
           MCUJS_QUICKJS_VERSION, names[0] ? names : "(none)");
  }
  free(bytes);
  return rc;
}

}  // namespace mcujs::cli
