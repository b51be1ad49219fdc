// The runtime's own limits, in one place, in the style of lwIP's opt.h: each
// is a macro with a default that a build may override (-DMCUJS_X=..., e.g.
// from a preset's cache variables), one comment each, and the checks below
// (static_assert, like Mbed TLS's check_config.h) refuse a combination that
// cannot work at compile time instead of at run time. Sizes in bytes, times
// in milliseconds. (The TLS record buffers are Mbed TLS's own settings, in
// tls/config/; lwIP's pools in ports/mps2-an385/net/lwip/lwipopts.h.)
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
// MEMP_NUM_TCP_PCB, checked in ports/mps2-an385/net/net.cpp).
#ifndef MCUJS_MPS2_MAX_SOCKETS
#define MCUJS_MPS2_MAX_SOCKETS 4
#endif

// ------------------------------------------------------------------ HTTP, fetch
// Most idle keep-alive connections fetch() may be configured to keep.
#ifndef MCUJS_HTTP_MAX_IDLE_LIMIT
#define MCUJS_HTTP_MAX_IDLE_LIMIT 8
#endif

// fetch()'s timeout (whole request, redirects included) when its init names none.
#ifndef MCUJS_FETCH_TIMEOUT_MS
#define MCUJS_FETCH_TIMEOUT_MS 30000
#endif
// fetch()'s largest response body when its init names no maxBodySize (the
// body is held whole: keep it well under the JS heap on a board).
#ifndef MCUJS_FETCH_MAX_BODY
#define MCUJS_FETCH_MAX_BODY (1 << 20)
#endif
// fetch()'s response head buffer (status line + header fields) and header
// slots (16 bytes each on 32 bits), allocated per exchange in flight in the
// JS heap: fetch.configure({maxHeaderSize}) changes the first at run time.
// 8192 / 64 by default; 2048 / 32 on the boards (CMakePresets.json), where
// 8 KB per fetch was a tenth of the mps2-an385's JS heap. CMake cache
// variables of the same names (modules/CMakeLists.txt).
#ifndef MCUJS_FETCH_MAX_HEAD
#define MCUJS_FETCH_MAX_HEAD 8192
#endif
#ifndef MCUJS_FETCH_MAX_FIELDS
#define MCUJS_FETCH_MAX_FIELDS 64
#endif
// Redirect hops fetch() follows before it fails (the Fetch standard's 20).
#ifndef MCUJS_HTTP_MAX_REDIRECTS
#define MCUJS_HTTP_MAX_REDIRECTS 20
#endif

// ------------------------------------------------------------------ sockets (JS)
// Bytes a photon TCPClient buffers for available()/peek() (in each client).
#ifndef MCUJS_PHOTON_READ_AHEAD
#define MCUJS_PHOTON_READ_AHEAD 512
#endif
// Largest string one TCPClient.read() returns (its "max" argument's bound).
#ifndef MCUJS_PHOTON_MAX_READ_CHUNK
#define MCUJS_PHOTON_MAX_READ_CHUNK 16384
#endif
// How long TCPClient.write() waits for a peer that accepts no data.
#ifndef MCUJS_PHOTON_WRITE_TIMEOUT_MS
#define MCUJS_PHOTON_WRITE_TIMEOUT_MS 30000
#endif
// How long after a write() a TCPClient/TLSTCPClient counts as waiting for
// an answer (until data or the end arrives, or stop()): the event loop then
// waits in real time (a simulated clock does not jump over the network's
// time while the script polls with delay()) and the program does not end.
#ifndef MCUJS_PHOTON_REPLY_WAIT_MS
#define MCUJS_PHOTON_REPLY_WAIT_MS 10000
#endif
// How long TLSTCPClient.stop() (and connect() on an open client) waits for
// the server's TLS 1.3 session ticket when none has arrived yet, so that the
// next connection resumes (docs/tls.md "Clients that close without reading").
#ifndef MCUJS_PHOTON_TICKET_WAIT_MS
#define MCUJS_PHOTON_TICKET_WAIT_MS 500
#endif
// Bytes a tls.connect socket reads per step (a buffer on the C stack).
#ifndef MCUJS_TLS_SOCKET_READ_CHUNK
#define MCUJS_TLS_SOCKET_READ_CHUNK 4096
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
static_assert(MCUJS_FETCH_TIMEOUT_MS >= 1 && MCUJS_FETCH_TIMEOUT_MS <= 24LL * 3600 * 1000,
              "MCUJS_FETCH_TIMEOUT_MS: 1..86400000 (what fetch's timeout option accepts)");
static_assert(MCUJS_FETCH_MAX_BODY >= 0 && MCUJS_FETCH_MAX_BODY <= 0x7fffffffLL,
              "MCUJS_FETCH_MAX_BODY: 0..2^31-1 (an ArrayBuffer's limit)");
static_assert(MCUJS_FETCH_MAX_HEAD >= 256 && MCUJS_FETCH_MAX_HEAD <= 65536,
              "MCUJS_FETCH_MAX_HEAD: 256..65536 (what fetch.configure's maxHeaderSize accepts)");
static_assert(MCUJS_FETCH_MAX_FIELDS >= 8 && MCUJS_FETCH_MAX_FIELDS <= 65535,
              "MCUJS_FETCH_MAX_FIELDS: 8..65535 (a uint16_t)");
static_assert(MCUJS_HTTP_MAX_REDIRECTS >= 0 && MCUJS_HTTP_MAX_REDIRECTS <= 255, "MCUJS_HTTP_MAX_REDIRECTS: 0..255");
static_assert(MCUJS_PHOTON_READ_AHEAD >= 1 && MCUJS_PHOTON_READ_AHEAD <= MCUJS_PHOTON_MAX_READ_CHUNK,
              "MCUJS_PHOTON_READ_AHEAD: 1..MCUJS_PHOTON_MAX_READ_CHUNK");
static_assert(MCUJS_PHOTON_WRITE_TIMEOUT_MS >= 1, "MCUJS_PHOTON_WRITE_TIMEOUT_MS: at least 1 ms");
static_assert(MCUJS_PHOTON_REPLY_WAIT_MS >= 0, "MCUJS_PHOTON_REPLY_WAIT_MS: 0 or more ms");
static_assert(MCUJS_PHOTON_TICKET_WAIT_MS >= 0 && MCUJS_PHOTON_TICKET_WAIT_MS <= 10000,
              "MCUJS_PHOTON_TICKET_WAIT_MS: 0..10000 (stop() blocks the script that long at most)");
static_assert(MCUJS_TLS_SOCKET_READ_CHUNK >= 64 && MCUJS_TLS_SOCKET_READ_CHUNK <= 16384,
              "MCUJS_TLS_SOCKET_READ_CHUNK: 64..16384 (on the C stack; a TLS record is at most 16 KB)");
