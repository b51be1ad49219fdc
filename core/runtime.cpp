#include "core/runtime.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>
#include <string_view>

#include "core/module_loader.h"

namespace mcujs::core {

struct Runtime::Rejection {
  JSValue promise;
  JSValue reason;
  Rejection* next;
};

Runtime::Runtime(const port::Platform& platform, const RuntimeOptions& options)
    : platform_(platform), options_(options), loop_(platform) {}

Runtime::~Runtime() {
  // Binding state first (it holds JS values), newest slot first.
  for (int i = static_cast<int>(Slot::kCount) - 1; i >= 0; i--) {
    if (slots_[i].destroy) slots_[i].destroy(*this, slots_[i].state);
    slots_[i] = SlotEntry{};
  }
  while (rejections_) {
    Rejection* r = rejections_;
    rejections_ = r->next;
    JS_FreeValue(ctx_, r->promise);
    JS_FreeValue(ctx_, r->reason);
    js_free(ctx_, r);
  }
  delete timers_;
  if (ctx_) JS_FreeContext(ctx_);
  if (rt_) JS_FreeRuntime(rt_);
}

// QuickJS's date clock (our QuickJS patch, deps/patches/quickjs/): the
// platform's wall clock, so that Date follows a simulated board clock or a
// device's SNTP-synced one; without a wall clock, time since boot (1970).
namespace {
int64_t date_now(void* opaque) {
  const port::Platform& p = static_cast<Runtime*>(opaque)->platform();
  int64_t ms = 0;
  if (p.clock && p.clock->wall_time_ms(&ms)) return ms;
  return p.clock ? static_cast<int64_t>(p.clock->monotonic_ms()) : 0;
}
}  // namespace

bool Runtime::init() {
  heap_.limit = options_.memory_limit;
  rt_ = JS_NewRuntime2(&heap_functions(), &heap_);
  if (!rt_) return false;
  JS_SetGCThreshold(rt_, options_.gc_threshold);
  bound_gc_threshold();
  JS_SetMaxStackSize(rt_, options_.stack_size);
  JS_SetDateNowFunc(rt_, date_now, this);
  JS_SetHostPromiseRejectionTracker(rt_, on_rejection, this);
  install_module_loader(*this);
  ctx_ = options_.new_context(rt_);
  if (!ctx_) return false;
  JS_SetContextOpaque(ctx_, this);
  timers_ = new (std::nothrow) Timers(ctx_);
  return timers_ != nullptr;
}

void Runtime::set_slot(Slot s, void* state, SlotDestroy destroy) {
  slots_[static_cast<int>(s)] = SlotEntry{state, destroy};
}

void Runtime::log_text(port::LogLevel level, const char* text, size_t len) {
  if (logs(level)) platform_.log->write(level, text, len);
}

void Runtime::log(port::LogLevel level, const char* fmt, ...) {
  if (!logs(level)) return;
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  size_t len = static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1;
  platform_.log->write(level, buf, len);
}

// "Uncaught TypeError: x is not a function\n    at f (app.js:3:7)": the
// message, then the stack QuickJS recorded (which names file:line).
void Runtime::report_value(const char* what, JSValueConst err) {
  // QuickJS throws null when it cannot even allocate the InternalError.
  if (JS_IsNull(err) && heap_.refused != refused_reported_) {
    refused_reported_ = heap_.refused;
    log(port::LogLevel::kError, "%s InternalError: out of memory (JS heap limit %lu bytes, peak %lu)", what,
        static_cast<unsigned long>(heap_.limit), static_cast<unsigned long>(heap_.peak));
    return;
  }
  refused_reported_ = heap_.refused;
  const char* msg = JS_ToCString(ctx_, err);
  const char* stack = nullptr;
  JSValue sv = JS_UNDEFINED;
  if (JS_IsError(ctx_, err)) {
    sv = JS_GetPropertyStr(ctx_, err, "stack");
    if (JS_IsString(sv)) stack = JS_ToCString(ctx_, sv);
  }
  // A thrown non-Error still gets a message; a failed conversion says so.
  const char* text = msg ? msg : "(exception could not be converted to a string)";
  size_t need = strlen(what) + strlen(text) + (stack ? strlen(stack) : 0) + 4;
  char* buf = static_cast<char*>(js_malloc_rt(rt_, need));
  if (buf) {
    int n = snprintf(buf, need, "%s %s%s%s", what, text, stack && *stack ? "\n" : "", stack ? stack : "");
    while (n > 0 && buf[n - 1] == '\n') n--;
    platform_.log->write(port::LogLevel::kError, buf, static_cast<size_t>(n));
    js_free_rt(rt_, buf);
  } else {
    platform_.log->write(port::LogLevel::kError, text, strlen(text));
  }
  if (stack) JS_FreeCString(ctx_, stack);
  JS_FreeValue(ctx_, sv);
  if (msg) JS_FreeCString(ctx_, msg);
}

void Runtime::report_exception(const char* what) {
  JSValue err = JS_GetException(ctx_);
  uncaught_++;
  report_value(what, err);
  JS_FreeValue(ctx_, err);
}

void Runtime::on_rejection(JSContext* ctx, JSValueConst promise, JSValueConst reason,
                           JS_BOOL handled, void* opaque) {
  auto* self = static_cast<Runtime*>(opaque);
  if (handled) {  // a handler arrived later: forget the pending report
    for (Rejection** p = &self->rejections_; *p; p = &(*p)->next) {
      if (JS_VALUE_GET_PTR((*p)->promise) == JS_VALUE_GET_PTR(promise)) {
        Rejection* r = *p;
        *p = r->next;
        JS_FreeValue(ctx, r->promise);
        JS_FreeValue(ctx, r->reason);
        js_free(ctx, r);
        return;
      }
    }
    return;
  }
  auto* r = static_cast<Rejection*>(js_malloc(ctx, sizeof(Rejection)));
  if (!r) {  // cannot keep it: report now rather than drop it
    self->uncaught_++;
    self->report_value("Unhandled promise rejection:", reason);
    return;
  }
  r->promise = JS_DupValue(ctx, promise);
  r->reason = JS_DupValue(ctx, reason);
  r->next = self->rejections_;
  self->rejections_ = r;
}

// Reports in the order the rejections happened. One error can reject a chain
// of promises (an async module and its evaluation promise); it is reported once.
void Runtime::report_unhandled() {
  // The list is newest first: reverse it.
  Rejection* ordered = nullptr;
  while (rejections_) {
    Rejection* r = rejections_;
    rejections_ = r->next;
    r->next = ordered;
    ordered = r;
  }
  while (ordered) {
    Rejection* r = ordered;
    ordered = r->next;
    bool seen = false;
    for (Rejection* o = ordered; o && JS_IsObject(r->reason); o = o->next)
      seen = seen || (JS_IsObject(o->reason) && JS_VALUE_GET_PTR(o->reason) == JS_VALUE_GET_PTR(r->reason));
    if (!seen) {
      uncaught_++;
      report_value("Unhandled promise rejection:", r->reason);
    }
    JS_FreeValue(ctx_, r->promise);
    JS_FreeValue(ctx_, r->reason);
    js_free(ctx_, r);
  }
}

void Runtime::run_jobs() {
  for (;;) {
    JSContext* jctx = nullptr;
    int r = JS_ExecutePendingJob(rt_, &jctx);
    if (r == 0) break;
    if (r < 0) report_exception();
  }
  report_unhandled();
  bound_gc_threshold();
}

// After each collection QuickJS sets the next one at 1.5 times the heap in
// use. Under a memory limit that point can lie beyond the limit, and an
// allocation then fails with "out of memory" where a collection would have
// freed plenty (seen on the 128 KB board). So between tasks the next
// collection is set gc_threshold above what is in use, and never later than
// 7/8 of the limit.
void Runtime::bound_gc_threshold() {
  if (!heap_.limit) return;
  size_t cap = heap_.limit - heap_.limit / 8;
  size_t next = heap_.used + options_.gc_threshold;
  JS_SetGCThreshold(rt_, next < cap ? next : cap);
}

// A script that does not parse as a script but does as a module is one (the
// rule Node.js follows): JS_DetectModule sees import/export, not a top-level
// await. Called with the script's parse error pending; returns the compiled
// module (and sets *module), or JS_EXCEPTION with the script's error.
JSValue Runtime::compile_as_module(const char* name, const char* src, size_t len, bool* module) {
  JSValue script_error = JS_GetException(ctx_);
  JSValue m = JS_Eval(ctx_, src, len, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
  if (JS_IsException(m)) {
    JS_FreeValue(ctx_, JS_GetException(ctx_));
    JS_Throw(ctx_, script_error);
    return JS_EXCEPTION;
  }
  JS_FreeValue(ctx_, script_error);
  set_import_meta(*this, m, name, true);
  *module = true;
  return m;
}

bool Runtime::eval_source(const char* name, const char* src, size_t len, bool module) {
  int flags = module ? JS_EVAL_TYPE_MODULE : JS_EVAL_TYPE_GLOBAL;
  JSValue v;
  if (module) {
    v = JS_Eval(ctx_, src, len, name, flags | JS_EVAL_FLAG_COMPILE_ONLY);
    if (!JS_IsException(v)) {
      set_import_meta(*this, v, name, true);
      v = JS_EvalFunction(ctx_, v);  // a promise: top-level await is allowed
    }
  } else {
    v = JS_Eval(ctx_, src, len, name, flags | JS_EVAL_FLAG_COMPILE_ONLY);
    bool may_await = std::string_view(src, len).find("await") != std::string_view::npos;
    if (JS_IsException(v) && may_await) v = compile_as_module(name, src, len, &module);
    if (!JS_IsException(v)) v = JS_EvalFunction(ctx_, v);
  }
  if (JS_IsException(v)) {
    report_exception();
    return false;
  }
  bool ok = true;
  if (module && JS_IsObject(v)) {
    // The evaluation promise: a rejection (an error thrown at top level, even
    // after an await) is reported by the rejection tracker once jobs run.
    run_jobs();
    ok = JS_PromiseState(ctx_, v) != JS_PROMISE_REJECTED;
  }
  JS_FreeValue(ctx_, v);
  return ok;
}

bool Runtime::eval_file(const char* path) {
  size_t len = 0;
  char* src = load_source(*this, path, &len);
  if (!src) return false;
  size_t plen = strlen(path);
  bool module = (plen > 4 && strcmp(path + plen - 4, ".mjs") == 0) || JS_DetectModule(src, len);
  bool ok = eval_source(path, src, len, module);
  js_free(ctx_, src);
  return ok;
}

int Runtime::run() {
  run_jobs();
  while (!should_stop()) {
    uint64_t now = loop_.now();
    if (timers_->fire_due(now, [](void* o) { static_cast<Runtime*>(o)->report_exception(); }, this))
      run_jobs();
    if (should_stop()) break;
    bool timers = timers_->count() > 0;
    if (!timers && !loop_.any_busy() && !JS_IsJobPending(rt_)) break;
    uint64_t due = timers_->next_due();
    now = loop_.now();
    uint32_t wait = 60000;  // I/O deadlines shorten it inside service()
    if (due != UINT64_MAX) wait = due <= now ? 0 : (due - now < wait ? static_cast<uint32_t>(due - now) : wait);
    loop_.service(wait);
    run_jobs();
  }
  return uncaught_ > 0 ? 1 : 0;
}

}  // namespace mcujs::core
