// The runtime core: one QuickJS runtime and context, the event loop, timers,
// the module loader and error reporting. Knows no platform: everything comes
// through the port::Platform given at construction.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/event_loop.h"
#include "core/heap.h"
#include "core/timers.h"
#include "port/port.h"
#include "quickjs.h"

namespace mcujs::core {

struct RuntimeOptions {
  size_t memory_limit = 64u * 1024 * 1024;  // bytes of JS heap; 0 = unlimited
  size_t gc_threshold = 256u * 1024;        // allocation volume between GCs
  size_t stack_size = 256u * 1024;          // JS recursion limit in bytes
  // An uncaught exception (in a timer, a callback, the main script) or an
  // unhandled promise rejection is always logged. With exit_on_uncaught the
  // program then ends with status 1 (Node.js behaviour, the CLI default);
  // without it the loop keeps running (a device that must not stop).
  bool exit_on_uncaught = true;
  port::LogLevel log_level = port::LogLevel::kInfo;
  // Creates the context. The default has every standard built-in. A device
  // passes one built from JS_NewContextRaw and only the JS_AddIntrinsic*
  // its API needs: less heap, and without JS_AddIntrinsicEval the linker
  // drops the JS parser (the firmware runs bytecode; docs/firmware.md).
  JSContext* (*new_context)(JSRuntime* rt) = JS_NewContext;
};

// Per-runtime state of the binding modules, owned by the runtime and freed
// (in reverse order) before the JS context. Fixed slots: no hidden globals.
enum class Slot : uint8_t { kTimers, kTls, kNet, kPhoton, kFetch, kBoard, kOutbox, kJsText, kCount };

class Runtime {
 public:
  using SlotDestroy = void (*)(Runtime& rt, void* state);

  Runtime(const port::Platform& platform, const RuntimeOptions& options);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Creates the QuickJS runtime and context; false when out of memory.
  bool init();

  static Runtime* from(JSContext* ctx) { return static_cast<Runtime*>(JS_GetContextOpaque(ctx)); }
  JSContext* ctx() const { return ctx_; }
  JSRuntime* rt() const { return rt_; }
  EventLoop& loop() { return loop_; }
  Timers& timers() { return *timers_; }
  const port::Platform& platform() const { return platform_; }
  const RuntimeOptions& options() const { return options_; }

  void set_slot(Slot s, void* state, SlotDestroy destroy);
  void* slot(Slot s) const { return slots_[static_cast<int>(s)].state; }

  // Logging through the port's sink, filtered by options().log_level.
  void log(port::LogLevel level, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  void log_text(port::LogLevel level, const char* text, size_t len);
  bool logs(port::LogLevel level) const { return level >= options_.log_level; }

  // Loads a file as a module (when it uses import/export or ends in .mjs)
  // or as a plain script, and evaluates it. False on error (logged).
  bool eval_file(const char* path);
  bool eval_source(const char* name, const char* src, size_t len, bool module);

  // Runs the loop until nothing is left to do (no timers, no busy I/O, no
  // jobs) or, with exit_on_uncaught, the first uncaught error. Returns the
  // exit status: 0, or 1 after an uncaught error.
  int run();
  // Runs every pending promise job (and reports rejections left unhandled).
  void run_jobs();
  // Logs the pending exception with message, stack and file:line.
  void report_exception(const char* what = "Uncaught");
  void report_value(const char* what, JSValueConst err);
  bool had_uncaught() const { return uncaught_ > 0; }
  // JS heap in use, peak and refused allocations (memory_limit enforced).
  const HeapStats& heap() const { return heap_; }
  // Asks run() to stop after the current step (Ctrl-C, a fatal error).
  void stop() { stop_ = true; }

 private:
  static void on_rejection(JSContext* ctx, JSValueConst promise, JSValueConst reason,
                           JS_BOOL handled, void* opaque);
  void report_unhandled();
  void bound_gc_threshold();
  JSValue compile_as_module(const char* name, const char* src, size_t len, bool* module);
  bool should_stop() const { return stop_ || (uncaught_ > 0 && options_.exit_on_uncaught); }

  struct SlotEntry {
    void* state = nullptr;
    SlotDestroy destroy = nullptr;
  };
  struct Rejection;

  const port::Platform& platform_;
  RuntimeOptions options_;
  EventLoop loop_;
  JSRuntime* rt_ = nullptr;
  JSContext* ctx_ = nullptr;
  Timers* timers_ = nullptr;
  SlotEntry slots_[static_cast<int>(Slot::kCount)];
  Rejection* rejections_ = nullptr;  // unhandled so far, reported after jobs
  HeapStats heap_;
  uint32_t refused_reported_ = 0;  // heap_.refused when last reported
  int uncaught_ = 0;
  bool stop_ = false;
};

}  // namespace mcujs::core
