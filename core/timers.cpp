#include "core/timers.h"

namespace mcujs::core {

struct Timers::Timer {
  int32_t id;
  uint64_t due;
  uint32_t interval;
  bool repeat;
  bool cleared;  // cleared from inside its own callback
  Timer* next;
  JSValue func;
  int argc;
  JSValue* argv;
};

Timers::~Timers() {
  while (head_) {
    Timer* t = head_;
    head_ = t->next;
    destroy(t);
  }
}

void Timers::destroy(Timer* t) {
  JS_FreeValue(ctx_, t->func);
  for (int i = 0; i < t->argc; i++) JS_FreeValue(ctx_, t->argv[i]);
  js_free(ctx_, t->argv);
  js_free(ctx_, t);
  count_--;
}

void Timers::insert(Timer* t) {
  Timer** p = &head_;
  while (*p && (*p)->due <= t->due) p = &(*p)->next;
  t->next = *p;
  *p = t;
}

void Timers::unlink(Timer* t) {
  for (Timer** p = &head_; *p; p = &(*p)->next) {
    if (*p == t) { *p = t->next; return; }
  }
}

int32_t Timers::add(JSValueConst func, int argc, JSValueConst* argv, uint64_t due,
                    uint32_t interval, bool repeat) {
  Timer* t = static_cast<Timer*>(js_mallocz(ctx_, sizeof(Timer)));
  if (!t) return 0;
  if (argc > 0) {
    t->argv = static_cast<JSValue*>(js_malloc(ctx_, sizeof(JSValue) * static_cast<size_t>(argc)));
    if (!t->argv) { js_free(ctx_, t); return 0; }
    for (int i = 0; i < argc; i++) t->argv[i] = JS_DupValue(ctx_, argv[i]);
  }
  t->argc = argc;
  t->func = JS_DupValue(ctx_, func);
  t->due = due;
  t->interval = interval;
  t->repeat = repeat;
  t->id = next_id_;
  next_id_ = next_id_ == INT32_MAX ? 1 : next_id_ + 1;
  count_++;
  insert(t);
  return t->id;
}

void Timers::clear(int32_t id) {
  if (current_ && current_->id == id) { current_->cleared = true; return; }
  for (Timer* t = head_; t; t = t->next) {
    if (t->id != id) continue;
    unlink(t);
    destroy(t);
    return;
  }
}

uint64_t Timers::next_due() const { return head_ ? head_->due : UINT64_MAX; }

int Timers::fire_due(uint64_t now, void (*on_error)(void*), void* opaque) {
  int fired = 0;
  // Only timers due now run in this pass; an interval re-armed below lands
  // after `now`, so a 0 ms interval cannot starve the loop.
  while (head_ && head_->due <= now) {
    Timer* t = head_;
    head_ = t->next;
    current_ = t;
    JSValue ret = JS_Call(ctx_, t->func, JS_UNDEFINED, t->argc, t->argv);
    current_ = nullptr;
    fired++;
    if (JS_IsException(ret)) on_error(opaque);
    JS_FreeValue(ctx_, ret);
    if (t->repeat && !t->cleared) {
      t->due = now + (t->interval ? t->interval : 1);
      insert(t);
    } else {
      destroy(t);
    }
  }
  return fired;
}

}  // namespace mcujs::core
