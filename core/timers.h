// setTimeout/setInterval bookkeeping: a list of pending timers sorted by due
// time. Each timer owns its callback and arguments (JS values) until it is
// cleared or, for a timeout, has fired.
#pragma once

#include <cstdint>

#include "quickjs.h"

namespace mcujs::core {

class Timers {
 public:
  explicit Timers(JSContext* ctx) : ctx_(ctx) {}
  ~Timers();
  Timers(const Timers&) = delete;
  Timers& operator=(const Timers&) = delete;

  // Takes copies of func and args. Returns the timer id (> 0), or 0 when out
  // of memory (a JS exception is then pending).
  int32_t add(JSValueConst func, int argc, JSValueConst* argv, uint64_t due, uint32_t interval,
              bool repeat);
  void clear(int32_t id);
  // Runs the callbacks of every timer due at `now`, in due order. A callback
  // that throws is reported through on_error (the runtime's reporter).
  // Returns the number of callbacks run.
  int fire_due(uint64_t now, void (*on_error)(void* opaque), void* opaque);
  uint64_t next_due() const;  // kNever-like UINT64_MAX when none
  int count() const { return count_; }

 private:
  struct Timer;
  void insert(Timer* t);
  void unlink(Timer* t);
  void destroy(Timer* t);

  JSContext* ctx_;
  Timer* head_ = nullptr;     // sorted by due, then by creation order
  Timer* current_ = nullptr;  // unlinked while its callback runs
  int32_t next_id_ = 1;
  int count_ = 0;
};

}  // namespace mcujs::core
