// The outbox's persistent queue: events waiting for delivery and the
// dead-letter list, kept in a port::KvStore (see docs/outbox.md for the
// format and the crash-safety argument).
//
// RAM holds only an index (id + alarm flag per queued event, id + status +
// name per dead letter) in fixed arrays; an event's name and data are read
// back from the store when it is sent. Every change writes the affected
// record first and the meta record ("ob.meta": next id, index, counters)
// last, and removals delete the record before the meta update, so that after
// a crash the meta record never names an event that could be mistaken for
// another, and an id is never reused.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/limits.h"
#include "port/port.h"
#include "storage/crc32.h"

namespace mcujs::net {

struct OutboxEvent {
  static constexpr size_t kMaxName = MCUJS_OUTBOX_MAX_NAME;  // core/limits.h
  static constexpr size_t kMaxData = MCUJS_OUTBOX_MAX_DATA;  // core/limits.h: 1024, 512 on mps2-an385 (CMakePresets.json)
  uint32_t id = 0;
  bool alarm = false;
  uint16_t status = 0;  // the HTTP status that dead-lettered it (0: queued)
  uint8_t name_len = 0;
  uint16_t data_len = 0;
  char name[kMaxName + 1] = {};
  uint8_t data[kMaxData] = {};
};

// Log hook: the outbox knows no runtime.
struct OutboxLog {
  void (*fn)(void* opaque, port::LogLevel level, const char* msg) = nullptr;
  void* opaque = nullptr;
  void operator()(port::LogLevel level, const char* fmt, ...) const __attribute__((format(printf, 3, 4)));
};

class OutboxStore {
 public:
  // core/limits.h; the build may set them (services/outbox/CMakeLists.txt):
  // 256 and 64 on the host, 64 and 8 on the boards.
  static constexpr uint16_t kMaxEventsLimit = MCUJS_OUTBOX_MAX_EVENTS_LIMIT;
  static constexpr uint16_t kMaxDeadLimit = MCUJS_OUTBOX_MAX_DEAD_LIMIT;

  struct Counters {
    uint32_t delivered = 0;
    uint32_t retries = 0;          // RAM only (not worth a flash write per retry)
    uint32_t dead_total = 0;       // events ever dead-lettered
    uint32_t dead_dropped = 0;     // dead letters dropped beyond max_dead
    uint32_t dropped_reports = 0;  // overflow drops of non-alarm events
    uint32_t dropped_alarms = 0;   // overflow drops of alarms
    uint32_t unreported = 0;       // drops not yet reported to the server
  };
  struct Dead {
    uint32_t id = 0;
    uint16_t status = 0;
    char name[OutboxEvent::kMaxName + 1] = {};
  };

  // Result of enqueue().
  enum class Put : uint8_t { kQueued, kDroppedNew, kError };

  OutboxStore(port::KvStore& kv, const OutboxLog& log) : kv_(kv), log_(log) {}

  // Loads the state (or starts empty); false, with a message, if the stored
  // meta record is unreadable (refusing is safer than reusing ids).
  bool open(uint16_t max_events, uint16_t max_dead, char* err, size_t err_len);

  // Persists a new event, applying the overflow policy when full. On kQueued
  // the event (with ev->id set) is in the store.
  Put enqueue(OutboxEvent* ev);
  // Reads a queued event back; false if it is gone or damaged.
  bool load(uint32_t id, OutboxEvent* ev);
  // The server took it (2xx): forget it; `reported` drops were reported with it.
  bool delivered(uint32_t id, uint32_t reported);
  // A 4xx: move it to the dead-letter list.
  bool dead_letter(const OutboxEvent& ev, uint16_t status);
  // Forgets a queued event that cannot be loaded.
  void discard(uint32_t id);

  size_t count() const { return count_; }
  uint32_t head() const { return count_ ? ids_[0] & kIdMask : 0; }
  uint32_t next_id() const { return next_id_; }
  size_t dead_count() const { return dead_count_; }
  const Dead& dead(size_t i) const { return dead_[i]; }
  Counters& counters() { return counters_; }
  const Counters& counters() const { return counters_; }
  // The event being sent is never chosen as an overflow victim.
  void set_in_flight(uint32_t id) { in_flight_ = id; }

 private:
  static constexpr uint32_t kAlarmBit = 0x80000000u;
  static constexpr uint32_t kIdMask = 0x7fffffffu;

  bool save_meta();
  bool put_record(char kind, const OutboxEvent& ev);
  bool get_record(char kind, uint32_t id, OutboxEvent* ev, bool* missing);
  void remove_record(char kind, uint32_t id);
  void remove_index(size_t i);
  void push_dead(const Dead& d);
  int victim(bool new_is_alarm) const;  // index, -1: the new event, -2: none

  port::KvStore& kv_;
  OutboxLog log_;
  uint16_t max_events_ = 64;
  uint16_t max_dead_ = 16;
  uint32_t next_id_ = 1;
  uint32_t in_flight_ = 0;
  Counters counters_;
  size_t count_ = 0;
  uint32_t ids_[kMaxEventsLimit] = {};  // id | kAlarmBit, oldest first
  size_t dead_count_ = 0;
  Dead dead_[kMaxDeadLimit];            // oldest first
  OutboxEvent scratch_, scratch2_;      // record buffers (kept off the stack)
};

using storage::crc32;  // the records' check, shared with the flash store

}  // namespace mcujs::net
