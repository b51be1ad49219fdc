// setTimeout, setInterval, clearTimeout, clearInterval with the standard
// argument handling: a non-function callback is a TypeError; the delay is
// converted with ToNumber, NaN or negative means 0, more than 2^31-1 ms
// means 1 (as in Node.js, with a warning); extra arguments are passed to the
// callback. Ids are positive integers; clearing an unknown id does nothing.
#include <cmath>

#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"

namespace mcujs::bind {

namespace {

JSValue set_timer(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv, int repeat) {
  Args a(ctx, repeat ? "setInterval" : "setTimeout", argc, argv);
  if (!a.count(1) || !a.function(0, "callback")) return JS_EXCEPTION;
  double delay = 0;
  if (a.has(1) && JS_ToFloat64(ctx, &delay, argv[1]) < 0) return JS_EXCEPTION;
  core::Runtime* rt = core::Runtime::from(ctx);
  if (std::isnan(delay) || delay < 0) delay = 0;
  if (delay > 2147483647.0) {
    rt->log(port::LogLevel::kWarn, "%s: delay %.0f ms does not fit in 32 bits; using 1 ms", a.fn(),
            delay);
    delay = 1;
  }
  auto ms = static_cast<uint32_t>(delay);
  int extra = argc > 2 ? argc - 2 : 0;
  int32_t id = rt->timers().add(argv[0], extra, argv + 2, rt->loop().now() + ms, ms, repeat != 0);
  if (id == 0) return JS_ThrowOutOfMemory(ctx);
  return JS_NewInt32(ctx, id);
}

JSValue clear_timer(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  if (argc < 1 || !JS_IsNumber(argv[0])) return JS_UNDEFINED;  // like browsers: ignore
  double id = 0;
  if (JS_ToFloat64(ctx, &id, argv[0]) < 0) return JS_EXCEPTION;
  if (id >= 1 && id <= 2147483647.0) core::Runtime::from(ctx)->timers().clear(static_cast<int32_t>(id));
  return JS_UNDEFINED;
}

const Method kTimers[] = {
    method("setTimeout", set_timer, 2, 0),
    method("setInterval", set_timer, 2, 1),
    method("clearTimeout", clear_timer, 1),
    method("clearInterval", clear_timer, 1),
};

}  // namespace

bool install_timers(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  JSValue global = JS_GetGlobalObject(ctx);
  bool ok = set_methods(ctx, global, kTimers);
  JS_FreeValue(ctx, global);
  return ok;
}

}  // namespace mcujs::bind
