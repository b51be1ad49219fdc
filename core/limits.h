// The runtime's own limits, in one place, in the style of lwIP's opt.h: each
// is a macro with a default that a build may override (-DMCUJS_X=..., e.g.
// from a preset's cache variables), one comment each, and the checks below
// (static_assert, like Mbed TLS's check_config.h) refuse a combination that
// cannot work at compile time instead of at run time. Sizes in bytes, times
// in milliseconds. (The TLS record buffers are Mbed TLS's own settings, in
// tls/config/; lwIP's pools in ports/mps2-an385/lwip/lwipopts.h.)
#pragma once

#include <cstdint>

// ------------------------------------------------------------------ outbox
// Largest cloud.queue.max_events: sizes a fixed array (4 bytes an event,
// twice while the state loads). CMake cache variable of the same name.
#ifndef MCUJS_OUTBOX_MAX_EVENTS_LIMIT
#define MCUJS_OUTBOX_MAX_EVENTS_LIMIT 256
#endif
// Largest cloud.queue.max_dead (dead letters kept, 72 bytes each).
#ifndef MCUJS_OUTBOX_MAX_DEAD_LIMIT
#define MCUJS_OUTBOX_MAX_DEAD_LIMIT 64
#endif
// Longest event name, and event data, photon.publish() accepts.
#ifndef MCUJS_OUTBOX_MAX_NAME
#define MCUJS_OUTBOX_MAX_NAME 63
#endif
#ifndef MCUJS_OUTBOX_MAX_DATA
#define MCUJS_OUTBOX_MAX_DATA 1024
#endif

// ------------------------------------------------------------------ sockets
// Sockets open at once on the Linux port (its fixed socket table).
#ifndef MCUJS_LINUX_MAX_SOCKETS
#define MCUJS_LINUX_MAX_SOCKETS 32
#endif
// Sockets open at once on the MPS2 boards (one lwIP TCP pcb each: at most
// MEMP_NUM_TCP_PCB, checked in ports/mps2-an385/net.cpp).
#ifndef MCUJS_MPS2_MAX_SOCKETS
#define MCUJS_MPS2_MAX_SOCKETS 4
#endif

// ------------------------------------------------------------------ HTTP
// Most idle keep-alive connections fetch() may be configured to keep.
#ifndef MCUJS_HTTP_MAX_IDLE_LIMIT
#define MCUJS_HTTP_MAX_IDLE_LIMIT 8
#endif

// ------------------------------------------------------------------ checks
static_assert(MCUJS_OUTBOX_MAX_EVENTS_LIMIT >= 1 && MCUJS_OUTBOX_MAX_EVENTS_LIMIT <= 65535,
              "MCUJS_OUTBOX_MAX_EVENTS_LIMIT: 1..65535 (a uint16_t count)");
static_assert(MCUJS_OUTBOX_MAX_DEAD_LIMIT >= 1 && MCUJS_OUTBOX_MAX_DEAD_LIMIT <= MCUJS_OUTBOX_MAX_EVENTS_LIMIT,
              "MCUJS_OUTBOX_MAX_DEAD_LIMIT: 1..MCUJS_OUTBOX_MAX_EVENTS_LIMIT");
static_assert(MCUJS_OUTBOX_MAX_NAME >= 1 && MCUJS_OUTBOX_MAX_NAME <= 255,
              "MCUJS_OUTBOX_MAX_NAME: 1..255 (a uint8_t length on flash)");
static_assert(MCUJS_OUTBOX_MAX_DATA >= 1 && MCUJS_OUTBOX_MAX_DATA <= 65535,
              "MCUJS_OUTBOX_MAX_DATA: 1..65535 (a uint16_t length on flash)");
static_assert(MCUJS_LINUX_MAX_SOCKETS >= 1 && MCUJS_MPS2_MAX_SOCKETS >= 1, "at least one socket");
static_assert(MCUJS_HTTP_MAX_IDLE_LIMIT >= 1 && MCUJS_HTTP_MAX_IDLE_LIMIT <= 255,
              "MCUJS_HTTP_MAX_IDLE_LIMIT: 1..255 (a uint8_t)");
