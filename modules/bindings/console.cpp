// console.log/info/warn/error/debug: arguments joined by spaces, strings as
// is, other values through JSON.stringify when it gives something (objects,
// arrays), else String(); one message per call through the port's log sink.
#include <cstring>

#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"

namespace mcujs::bind {

namespace {

using port::LogLevel;

// Appends the text for one value to a growing js_malloc'ed buffer.
struct Text {
  JSContext* ctx;
  char* buf = nullptr;
  size_t len = 0, cap = 0;
  bool ok = true;

  void append(const char* s, size_t n) {
    if (!ok) return;
    if (len + n + 1 > cap) {
      size_t ncap = (len + n + 1) * 2;
      char* nb = static_cast<char*>(js_realloc(ctx, buf, ncap));
      if (!nb) { ok = false; return; }
      buf = nb;
      cap = ncap;
    }
    memcpy(buf + len, s, n);
    len += n;
    buf[len] = 0;
  }
};

void append_value(Text& t, JSValueConst v) {
  JSContext* ctx = t.ctx;
  JSValue str = JS_UNDEFINED;
  bool plain_object = JS_IsObject(v) && !JS_IsFunction(ctx, v) && !JS_IsError(ctx, v);
  if (plain_object) {
    str = JS_JSONStringify(ctx, v, JS_UNDEFINED, JS_UNDEFINED);
    if (JS_IsException(str)) {  // cycles, BigInt...: fall back to String()
      JS_FreeValue(ctx, JS_GetException(ctx));
      str = JS_UNDEFINED;
    }
  }
  if (JS_IsError(ctx, v)) {  // "Error: msg" plus the stack, like Node
    JsString s, st;
    JSValue stack = JS_GetPropertyStr(ctx, v, "stack");
    if (s.from(ctx, v)) t.append(s.c_str(), s.size());
    else JS_FreeValue(ctx, JS_GetException(ctx));
    if (JS_IsString(stack) && st.from(ctx, stack) && st.size()) {
      t.append("\n", 1);
      t.append(st.c_str(), st.size() - (st.c_str()[st.size() - 1] == '\n' ? 1 : 0));
    }
    JS_FreeValue(ctx, stack);
    return;
  }
  JsString s;
  if (s.from(ctx, JS_IsString(str) ? static_cast<JSValueConst>(str) : v)) {
    t.append(s.c_str(), s.size());
  } else {
    JS_FreeValue(ctx, JS_GetException(ctx));
    t.append("[unprintable]", 13);
  }
  JS_FreeValue(ctx, str);
}

JSValue console_out(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int magic) {
  auto level = static_cast<LogLevel>(magic);
  core::Runtime* rt = core::Runtime::from(ctx);
  if (!rt->logs(level)) return JS_UNDEFINED;
  Text t{ctx};
  for (int i = 0; i < argc; i++) {
    if (i) t.append(" ", 1);
    append_value(t, argv[i]);
  }
  if (!t.ok) {
    js_free(ctx, t.buf);
    return JS_ThrowOutOfMemory(ctx);
  }
  rt->log_text(level, t.buf ? t.buf : "", t.len);
  js_free(ctx, t.buf);
  return JS_UNDEFINED;
}

const Method kConsole[] = {
    method("log", console_out, 0, static_cast<int>(LogLevel::kInfo)),
    method("info", console_out, 0, static_cast<int>(LogLevel::kInfo)),
    method("debug", console_out, 0, static_cast<int>(LogLevel::kTrace)),
    method("trace", console_out, 0, static_cast<int>(LogLevel::kTrace)),
    method("warn", console_out, 0, static_cast<int>(LogLevel::kWarn)),
    method("error", console_out, 0, static_cast<int>(LogLevel::kError)),
};

}  // namespace

// Shared with photon.log, which is the same thing under the article's names.
bool install_log_functions(JSContext* ctx, JSValueConst obj) {
  return set_methods(ctx, obj, kConsole);
}

bool install_console(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  JSValue console = JS_NewObject(ctx);
  if (JS_IsException(console)) return false;
  if (!install_log_functions(ctx, console)) {
    JS_FreeValue(ctx, console);
    return false;
  }
  return set_global(ctx, "console", console);
}

}  // namespace mcujs::bind
