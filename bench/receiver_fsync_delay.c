/* LD_PRELOAD shim for bench/receiver_ab.sh: fsync/fdatasync take
 * FSYNC_DELAY_US microseconds (a sleep, no CPU) and do nothing else, for a
 * database on tmpfs. A disk of known, steady latency, so that A/B runs on a
 * machine whose real disk is shared with other work compare the CPU and
 * thread paths, not the other jobs' writes. Benchmarks only: nothing reaches
 * a disk. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static long delay_ns = 160000;

__attribute__((constructor)) static void init(void) {
  const char* s = getenv("FSYNC_DELAY_US");
  if (s) delay_ns = atol(s) * 1000;
  prctl(PR_SET_TIMERSLACK, 1UL);  /* inherited by the threads created later */
}

static int delay(void) {
  struct timespec t = {delay_ns / 1000000000, delay_ns % 1000000000};
  while (nanosleep(&t, &t) != 0) {
  }
  return 0;
}

int fsync(int fd) { (void)fd; return delay(); }
int fdatasync(int fd) { (void)fd; return delay(); }
