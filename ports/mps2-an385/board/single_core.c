/* What QuickJS needs from an OS, for one core and one thread.
 *  - pthread mutexes: QuickJS locks its class-id table and Atomics state;
 *    with a single thread (interrupt handlers never run JavaScript) there is
 *    no contention, so lock/unlock succeed at once.
 *  - pthread condition variables: only Atomics.wait uses them, and the
 *    firmware turns blocking off (JS_SetCanBlock(rt, 0)), so it throws
 *    before it gets here; they fail with ENOSYS.
 *  - 64-bit atomics (Atomics on BigInt64Array): the Cortex-M3 has no LDREXD,
 *    so GCC calls these; masking interrupts makes them atomic on one core.
 *  - clock_gettime: the SysTick's milliseconds (monotonic) or the wall
 *    clock set by SNTP (realtime; board.cpp). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

int pthread_mutex_lock(pthread_mutex_t *m) { (void)m; return 0; }
int pthread_mutex_unlock(pthread_mutex_t *m) { (void)m; return 0; }
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a) { (void)c; (void)a; return ENOSYS; }
int pthread_cond_destroy(pthread_cond_t *c) { (void)c; return 0; }
int pthread_cond_signal(pthread_cond_t *c) { (void)c; return ENOSYS; }
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) { (void)c; (void)m; return ENOSYS; }
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t) {
  (void)c; (void)m; (void)t;
  return ENOSYS;
}

static uint32_t irq_save(void) {
  uint32_t primask;
  __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
  return primask;
}
static void irq_restore(uint32_t primask) { __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory"); }

typedef unsigned long long u64;

u64 __atomic_load_8(const volatile void *p, int order) {
  (void)order;
  uint32_t s = irq_save();
  u64 v = *(const volatile u64 *)p;
  irq_restore(s);
  return v;
}

void __atomic_store_8(volatile void *p, u64 v, int order) {
  (void)order;
  uint32_t s = irq_save();
  *(volatile u64 *)p = v;
  irq_restore(s);
}

u64 __atomic_exchange_8(volatile void *p, u64 v, int order) {
  (void)order;
  uint32_t s = irq_save();
  u64 old = *(volatile u64 *)p;
  *(volatile u64 *)p = v;
  irq_restore(s);
  return old;
}

_Bool __atomic_compare_exchange_8(volatile void *p, void *expected, u64 desired, _Bool weak, int so, int fo) {
  (void)weak; (void)so; (void)fo;
  uint32_t s = irq_save();
  u64 cur = *(volatile u64 *)p, exp;
  memcpy(&exp, expected, sizeof exp);
  _Bool ok = cur == exp;
  if (ok) *(volatile u64 *)p = desired;
  else memcpy(expected, &cur, sizeof cur);
  irq_restore(s);
  return ok;
}

#define FETCH_OP(name, op)                                   \
  u64 __atomic_fetch_##name##_8(volatile void *p, u64 v, int order) { \
    (void)order;                                             \
    uint32_t s = irq_save();                                 \
    u64 old = *(volatile u64 *)p;                            \
    *(volatile u64 *)p = old op v;                           \
    irq_restore(s);                                          \
    return old;                                              \
  }
FETCH_OP(add, +)
FETCH_OP(sub, -)
FETCH_OP(and, &)
FETCH_OP(or, |)
FETCH_OP(xor, ^)

/* Defined in board.cpp: SysTick milliseconds, and the wall clock's Unix
 * milliseconds once SNTP set it (-1 before). */
uint64_t mcujs_mps2_monotonic_ms(void);
int64_t mcujs_mps2_wall_ms(void);

int clock_gettime(clockid_t id, struct timespec *ts) {
  int64_t ms = (int64_t)mcujs_mps2_monotonic_ms();
  if (id == CLOCK_REALTIME) {
    int64_t wall = mcujs_mps2_wall_ms();
    if (wall >= 0) ms = wall;
  }
  ts->tv_sec = (time_t)(ms / 1000);
  ts->tv_nsec = (long)(ms % 1000) * 1000000L;
  return 0;
}
