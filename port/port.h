// The port interface: everything the core knows about the platform.
//
// One small abstract class per concern. A port (ports/<name>/) implements them
// and hands a Platform to the runtime; the core never includes a platform
// header. All calls are non-blocking unless stated otherwise, and none throws
// (the core builds with -fno-exceptions). Errors are negative PortError values.
//
// This header is the whole contract: every rule a backend must follow is
// written here, once, and checked on every backend by the port conformance
// suite (tests/port/, docs/porting.md). A backend's own header says only
// what it chose where this one leaves a choice (e.g. its socket count).
#pragma once

#include <cstddef>
#include <cstdint>

namespace mcujs::port {

// Error codes shared by every port call that can fail. Negative on purpose:
// I/O calls return a byte count >= 0 or one of these.
enum PortError : int32_t {
  kOk = 0,
  kWouldBlock = -1,      // try again after Poller::wait
  kClosed = -2,          // orderly end of stream / socket closed
  kReset = -3,           // connection reset by peer
  kRefused = -4,         // connection refused
  kUnreachable = -5,     // no route / network unreachable
  kResolveFailed = -6,   // host name did not resolve
  kTimeout = -7,
  kNoMemory = -8,
  kInvalid = -9,         // bad argument (unknown socket, port 0, ...)
  kNotFound = -10,       // key / file / pin not found
  kUnsupported = -11,    // the port does not provide this
  kIo = -12,             // any other platform failure
  kAddressInUse = -13,
};

// A short, stable name for a PortError ("CONNECTION_REFUSED"), used as the
// JavaScript error code, and a phrase for messages ("connection refused").
const char* error_name(int32_t err);
const char* error_text(int32_t err);

// ---------------------------------------------------------------- time
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since an arbitrary origin; never goes backwards.
  virtual uint64_t monotonic_ms() = 0;
  // Seconds since the Unix epoch, if the platform has a trustworthy wall
  // clock (RTC set by NTP, the host's clock...). Returns false otherwise; TLS
  // then cannot check certificate validity periods (see docs/tls.md).
  virtual bool wall_time(int64_t* unix_seconds) = 0;
  // The same in milliseconds: the clock of JavaScript's Date.now() and new
  // Date() (core::Runtime sets it as QuickJS's date clock; docs/time.md). A
  // simulated clock answers its simulated time. Default: wall_time() * 1000.
  virtual bool wall_time_ms(int64_t* unix_ms) {
    int64_t s = 0;
    if (!wall_time(&s)) return false;
    *unix_ms = s * 1000;
    return true;
  }
  // Simulated clocks only (the Linux board simulator): moves time forward by
  // ms at once and returns true. The event loop calls it instead of sleeping
  // when it would wait and no I/O is in flight, so idle time costs nothing.
  // A real clock cannot jump: it returns false and the loop really waits.
  virtual bool skip(uint32_t ms) {
    (void)ms;
    return false;
  }
  // Profiling only (how much CPU a TLS handshake takes): a fine count of
  // nanoseconds of the CPU's own time base, never skipped. On the emulated
  // board under QEMU -icount shift=0 it counts guest instructions; on Linux
  // it is the thread's CPU time. 0 when the platform has none.
  virtual uint64_t cpu_ns() { return 0; }
};

// ---------------------------------------------------------------- entropy
class Entropy {
 public:
  virtual ~Entropy() = default;
  // True only for a source fit to seed a cryptographic DRBG (getrandom(2), a
  // hardware TRNG). A PRNG must answer false: TLS then refuses to start.
  virtual bool strong() const = 0;
  // Fills buf with len bytes; returns kOk or a PortError.
  virtual int32_t fill(uint8_t* buf, size_t len) = 0;
  // Short description for logs ("getrandom", "stm32-rng", ...).
  virtual const char* name() const = 0;
};

// ---------------------------------------------------------------- logging
enum class LogLevel : uint8_t { kTrace = 0, kInfo = 1, kWarn = 2, kError = 3, kNone = 4 };
// "trace", "info", "warn", "error" or "none" -> *level; false if unknown
// (the CLI's --log-level, the firmware's log= boot argument).
bool log_level_from_name(const char* name, LogLevel* level);

class LogSink {
 public:
  virtual ~LogSink() = default;
  // One complete message without trailing newline (the sink adds framing).
  virtual void write(LogLevel level, const char* msg, size_t len) = 0;
};

// ---------------------------------------------------------------- TCP
using SocketId = int32_t;  // >= 0 when valid

enum class ConnectState : uint8_t { kPending, kConnected, kFailed };

class Tcp {
 public:
  virtual ~Tcp() = default;
  // Starts a connection to host:port (name or literal IPv4/IPv6 address).
  // Never blocks on the network; resolution may block on ports that have no
  // asynchronous resolver (documented per port). Progress with state().
  virtual int32_t connect(const char* host, uint16_t port, SocketId* out) = 0;
  // kPending until connected or failed; on kFailed *err holds the reason.
  virtual ConnectState state(SocketId s, int32_t* err) = 0;
  // Bytes read (> 0), kWouldBlock, kClosed, or an error. len == 0 reads 0.
  // kClosed means an orderly end of stream: the peer closed its sending side
  // and every byte it sent before has already been returned (data that came
  // before a FIN or a reset is always delivered first); later reads answer
  // kClosed again. A reset answers kReset. While connecting: kWouldBlock;
  // after a failed connect: the connect's error.
  virtual int32_t read(SocketId s, uint8_t* buf, size_t len) = 0;
  // Bytes accepted (> 0, possibly fewer than len), kWouldBlock, or an error
  // (kReset, or kClosed once the connection can carry no more data).
  virtual int32_t write(SocketId s, const uint8_t* buf, size_t len) = 0;
  // Bytes that can be read without blocking (0 if unknown or none).
  virtual int32_t pending(SocketId s) = 0;
  // Closes and forgets the socket; the id may be reused afterwards. Calls
  // with an unknown id (or a closed one) answer kInvalid, never crash.
  virtual void close(SocketId s) = 0;
  // Listening sockets (photon.TCPServer) on all interfaces: OPTIONAL. A
  // port without server sockets keeps these defaults, which answer
  // kUnsupported (the firmware ports: client sockets only).
  virtual int32_t listen(uint16_t port, SocketId* out) {
    (void)port;
    (void)out;
    return kUnsupported;
  }
  // Accepts one pending connection: kOk and *out, or kWouldBlock.
  virtual int32_t accept(SocketId listener, SocketId* out) {
    (void)listener;
    (void)out;
    return kUnsupported;
  }
};

// Waits for any I/O activity. The event loop calls it when it has nothing to
// run; it returns early when a socket may have become readable or writable
// (spurious returns are allowed: callers simply retry their I/O).
class Poller {
 public:
  virtual ~Poller() = default;
  virtual void wait(uint32_t timeout_ms) = 0;
};

// ---------------------------------------------------------------- board I/O
enum class PinMode : uint8_t { kInput, kOutput, kInputPullup, kInputPulldown };

class Gpio {
 public:
  virtual ~Gpio() = default;
  virtual int32_t set_mode(uint16_t pin, PinMode mode) = 0;
  virtual int32_t write(uint16_t pin, uint16_t value) = 0;
  // Digital pins read 0/1; analog pins read 0..4095 (12-bit ADC).
  virtual int32_t read(uint16_t pin, uint16_t* value) = 0;
};

// A DHT11-style temperature/humidity sensor on a pin (one-wire protocol, whole
// degrees Celsius and whole percent relative humidity).
class Climate {
 public:
  virtual ~Climate() = default;
  // kOk with both values, or an error: kTimeout (no answer, as when no sensor
  // is wired), kIo (checksum error), kInvalid (not a pin of this board).
  virtual int32_t read(uint16_t pin, int16_t* temperature_c, int16_t* humidity_pct) = 0;
};

// ---------------------------------------------------------------- storage
// Small key-value store (the sensor hub's outbox, localStorage). put() is
// atomic: after a crash a key holds either its old or its new value, never a
// mix.
//
// Keys: 1 to kMaxKeyLength bytes of [A-Za-z0-9._-], not starting with '.'
// (valid_key()), on every backend (a directory of files on Linux, the flash
// store on a device), so that what works on one works on all. Any other key
// answers kInvalid from get, put and remove. An empty value is a value.
inline constexpr size_t kMaxKeyLength = 64;
inline bool valid_key(const char* key) {
  if (!key || !key[0] || key[0] == '.') return false;
  size_t n = 0;
  for (; key[n]; n++) {
    char c = key[n];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok || n == kMaxKeyLength) return false;
  }
  return true;
}

class KvStore {
 public:
  virtual ~KvStore() = default;
  // Copies up to cap bytes (buf may be null when cap is 0); returns the
  // value's full length (which may exceed cap), or kNotFound.
  virtual int32_t get(const char* key, uint8_t* buf, size_t cap) = 0;
  // kOk, kInvalid (bad key), kNoMemory (no room left: nothing written, the
  // old value kept), or kIo.
  virtual int32_t put(const char* key, const uint8_t* val, size_t len) = 0;
  // kOk, or kNotFound if the key holds no value.
  virtual int32_t remove(const char* key) = 0;
};

// ---------------------------------------------------------------- files
// Read-only access to scripts and modules. On a microcontroller this is the
// table of modules linked into flash.
class Files {
 public:
  virtual ~Files() = default;
  // Reads the whole file into a buffer from alloc(len) (so the caller owns the
  // memory and decides where it comes from); returns its length, kNotFound
  // for a file that does not exist (alloc then not called), kNoMemory if
  // alloc returned null, or another error.
  using AllocFn = uint8_t* (*)(void* opaque, size_t len);
  virtual int32_t read(const char* path, AllocFn alloc, void* opaque, uint8_t** out) = 0;
};

// ---------------------------------------------------------------- memory
// The device's RAM use, for photon.memory() and end-of-run reports (the JS
// heap is counted by the core itself). Sizes in bytes.
struct MemoryStats {
  uint32_t ram_total = 0;      // all RAM
  uint32_t static_ram = 0;     // .data + .bss
  uint32_t heap_size = 0;      // the malloc heap's region
  uint32_t heap_peak = 0;      // its high-water mark
  uint32_t heap_used_peak = 0; // most bytes in live blocks (heap_peak less it: fragmentation)
  uint32_t heap_free_min = 0;  // heap_size - heap_peak
  uint32_t stack_size = 0;     // the main stack's region
  uint32_t stack_peak = 0;     // its high-water mark (painted stack)
};

class Memory {
 public:
  virtual ~Memory() = default;
  virtual MemoryStats stats() = 0;
};

// Everything a runtime needs from its platform. Optional parts may be null.
// Build it with designated initializers (`.clock = &clock, ...`), so that a
// new member never shifts the others.
struct Platform {
  Clock* clock = nullptr;
  Entropy* entropy = nullptr;
  LogSink* log = nullptr;
  Tcp* tcp = nullptr;
  Poller* poller = nullptr;
  Files* files = nullptr;
  Gpio* gpio = nullptr;        // optional
  KvStore* kv = nullptr;       // optional
  Climate* climate = nullptr;  // optional (DHT sensors)
  Memory* memory = nullptr;  // optional (a device's RAM report)
};

}  // namespace mcujs::port
