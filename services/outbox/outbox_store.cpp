#include "services/outbox/outbox_store.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace mcujs::net {

namespace {

constexpr char kMetaKey[] = "ob.meta";
constexpr uint8_t kMetaMagic[4] = {'O', 'B', 'M', '1'};
constexpr uint8_t kRecordVersion = 1;
constexpr size_t kRecordHead = 11;  // version, id, flags, status, name_len, data_len
constexpr size_t kMaxRecord = kRecordHead + OutboxEvent::kMaxName + OutboxEvent::kMaxData + 4;
constexpr size_t kMetaFixed = 4 + 7 * 4 + 2 + 2;
constexpr size_t kMaxMeta =
    kMetaFixed + OutboxStore::kMaxEventsLimit * 4 + OutboxStore::kMaxDeadLimit * 6 + 4;

// Little-endian writer/reader over a fixed buffer.
struct W {
  uint8_t* p;
  size_t n = 0;
  void u8(uint8_t v) { p[n++] = v; }
  void u16(uint16_t v) { u8(static_cast<uint8_t>(v)); u8(static_cast<uint8_t>(v >> 8)); }
  void u32(uint32_t v) { u16(static_cast<uint16_t>(v)); u16(static_cast<uint16_t>(v >> 16)); }
  void bytes(const void* b, size_t len) { memcpy(p + n, b, len); n += len; }
};
struct R {
  const uint8_t* p;
  size_t len;
  size_t n = 0;
  bool ok = true;
  uint8_t u8() {
    if (n + 1 > len) { ok = false; return 0; }
    return p[n++];
  }
  uint16_t u16() { uint16_t lo = u8(); return static_cast<uint16_t>(lo | (u8() << 8)); }
  uint32_t u32() { uint32_t lo = u16(); return lo | (static_cast<uint32_t>(u16()) << 16); }
};

void key_for(char kind, uint32_t id, char* out, size_t cap) {
  snprintf(out, cap, "ob.%c.%lu", kind, static_cast<unsigned long>(id));
}

bool crc_ok(const uint8_t* buf, size_t len) {
  if (len < 4) return false;
  R r{buf + len - 4, 4};
  return r.u32() == crc32(buf, len - 4);
}

}  // namespace

void OutboxLog::operator()(port::LogLevel level, const char* fmt, ...) const {
  if (!fn) return;
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fn(opaque, level, msg);
}

// ------------------------------------------------------------ records

bool OutboxStore::put_record(char kind, const OutboxEvent& ev) {
  uint8_t buf[kMaxRecord];
  W w{buf};
  w.u8(kRecordVersion);
  w.u32(ev.id);
  w.u8(ev.alarm ? 1 : 0);
  w.u16(ev.status);
  w.u8(ev.name_len);
  w.u16(ev.data_len);
  w.bytes(ev.name, ev.name_len);
  w.bytes(ev.data, ev.data_len);
  w.u32(crc32(buf, w.n));
  char key[24];
  key_for(kind, ev.id, key, sizeof key);
  int32_t rc = kv_.put(key, buf, w.n);
  if (rc != port::kOk) log_(port::LogLevel::kError, "outbox: cannot store %s: %s", key, port::error_name(rc));
  return rc == port::kOk;
}

bool OutboxStore::get_record(char kind, uint32_t id, OutboxEvent* ev, bool* missing) {
  uint8_t buf[kMaxRecord];
  char key[24];
  key_for(kind, id, key, sizeof key);
  int32_t n = kv_.get(key, buf, sizeof buf);
  *missing = n == port::kNotFound;
  if (n < 0) {
    if (!*missing) log_(port::LogLevel::kError, "outbox: cannot read %s: %s", key, port::error_name(n));
    return false;
  }
  R r{buf, static_cast<size_t>(n)};
  bool ok = static_cast<size_t>(n) <= sizeof buf && crc_ok(buf, static_cast<size_t>(n)) && r.u8() == kRecordVersion;
  if (ok) {
    ev->id = r.u32();
    ev->alarm = (r.u8() & 1) != 0;
    ev->status = r.u16();
    ev->name_len = r.u8();
    ev->data_len = r.u16();
    ok = r.ok && ev->id == id && ev->name_len <= OutboxEvent::kMaxName && ev->data_len <= OutboxEvent::kMaxData &&
         kRecordHead + ev->name_len + ev->data_len + 4 == static_cast<size_t>(n);
  }
  if (!ok) {
    log_(port::LogLevel::kError, "outbox: %s is damaged (%ld bytes); ignored", key, static_cast<long>(n));
    return false;
  }
  memcpy(ev->name, buf + kRecordHead, ev->name_len);
  ev->name[ev->name_len] = 0;
  memcpy(ev->data, buf + kRecordHead + ev->name_len, ev->data_len);
  return true;
}

void OutboxStore::remove_record(char kind, uint32_t id) {
  char key[24];
  key_for(kind, id, key, sizeof key);
  int32_t rc = kv_.remove(key);
  if (rc != port::kOk && rc != port::kNotFound)
    log_(port::LogLevel::kError, "outbox: cannot remove %s: %s", key, port::error_name(rc));
}

// ------------------------------------------------------------ meta

bool OutboxStore::save_meta() {
  uint8_t buf[kMaxMeta];
  W w{buf};
  w.bytes(kMetaMagic, 4);
  w.u32(next_id_);
  w.u32(counters_.delivered);
  w.u32(counters_.dead_total);
  w.u32(counters_.dead_dropped);
  w.u32(counters_.dropped_reports);
  w.u32(counters_.dropped_alarms);
  w.u32(counters_.unreported);
  w.u16(static_cast<uint16_t>(count_));
  w.u16(static_cast<uint16_t>(dead_count_));
  for (size_t i = 0; i < count_; i++) w.u32(ids_[i]);
  for (size_t i = 0; i < dead_count_; i++) {
    w.u32(dead_[i].id);
    w.u16(dead_[i].status);
  }
  w.u32(crc32(buf, w.n));
  int32_t rc = kv_.put(kMetaKey, buf, w.n);
  if (rc != port::kOk) log_(port::LogLevel::kError, "outbox: cannot store %s: %s", kMetaKey, port::error_name(rc));
  return rc == port::kOk;
}

bool OutboxStore::open(uint16_t max_events, uint16_t max_dead, char* err, size_t err_len) {
  max_events_ = max_events < 1 ? 1 : max_events > kMaxEventsLimit ? kMaxEventsLimit : max_events;
  max_dead_ = max_dead > kMaxDeadLimit ? kMaxDeadLimit : max_dead;
  count_ = dead_count_ = 0;
  next_id_ = 1;
  counters_ = Counters{};
  uint8_t buf[kMaxMeta];
  int32_t n = kv_.get(kMetaKey, buf, sizeof buf);
  bool dirty = false;
  uint32_t listed[kMaxEventsLimit];
  size_t listed_count = 0;
  Dead dead[kMaxDeadLimit];
  size_t dead_listed = 0;
  if (n == port::kNotFound) {
    dirty = true;  // a fresh store
  } else if (n < 0) {
    snprintf(err, err_len, "cannot read the outbox state (%s): %s", kMetaKey, port::error_name(n));
    return false;
  } else {
    R r{buf, static_cast<size_t>(n)};
    bool ok = static_cast<size_t>(n) <= sizeof buf && crc_ok(buf, static_cast<size_t>(n)) &&
              memcmp(buf, kMetaMagic, 4) == 0;
    if (ok) {
      r.n = 4;
      next_id_ = r.u32();
      counters_.delivered = r.u32();
      counters_.dead_total = r.u32();
      counters_.dead_dropped = r.u32();
      counters_.dropped_reports = r.u32();
      counters_.dropped_alarms = r.u32();
      counters_.unreported = r.u32();
      listed_count = r.u16();
      dead_listed = r.u16();
      ok = r.ok && listed_count <= kMaxEventsLimit && dead_listed <= kMaxDeadLimit && next_id_ >= 1 &&
           kMetaFixed + listed_count * 4 + dead_listed * 6 + 4 == static_cast<size_t>(n);
      for (size_t i = 0; ok && i < listed_count; i++) listed[i] = r.u32();
      for (size_t i = 0; ok && i < dead_listed; i++) {
        dead[i].id = r.u32();
        dead[i].status = r.u16();
      }
    }
    if (!ok) {
      snprintf(err, err_len,
               "the outbox state (%s) is damaged; refusing to start rather than reuse event ids "
               "(move the state directory away to start afresh)",
               kMetaKey);
      return false;
    }
  }

  // Events: a listed event whose record is gone was delivered (or dropped)
  // just before a crash; one with only a dead-letter record was being
  // dead-lettered. A leftover dead-letter record of a queued event is removed.
  OutboxEvent* ev = &scratch_;
  for (size_t i = 0; i < listed_count; i++) {
    uint32_t id = listed[i] & kIdMask;
    bool missing = false;
    if (get_record('e', id, ev, &missing)) {
      if (count_ < kMaxEventsLimit) ids_[count_++] = listed[i];
      bool dmissing = false;
      OutboxEvent* d = &scratch2_;
      if (get_record('d', id, d, &dmissing) || !dmissing) remove_record('d', id);
      continue;
    }
    dirty = true;
    bool dmissing = false;
    if (missing && get_record('d', id, ev, &dmissing)) {
      Dead dl;
      dl.id = id;
      dl.status = ev->status;
      memcpy(dl.name, ev->name, ev->name_len + 1);
      if (dead_listed < kMaxDeadLimit) dead[dead_listed++] = dl;
      counters_.dead_total++;
    } else if (!missing) {
      remove_record('e', id);  // damaged
    }
  }
  for (size_t i = 0; i < dead_listed; i++) {
    bool missing = false;
    if (!get_record('d', dead[i].id, ev, &missing)) {
      dirty = true;
      continue;
    }
    Dead dl = dead[i];
    memcpy(dl.name, ev->name, ev->name_len + 1);
    if (dl.status == 0) dl.status = ev->status;
    push_dead(dl);
  }
  // A record written just before a crash, before the meta record: adopt it
  // (its enqueue never returned, but nothing stored is thrown away).
  for (;;) {
    bool missing = false;
    if (!get_record('e', next_id_, ev, &missing)) {
      if (!missing) remove_record('e', next_id_);
      break;
    }
    log_(port::LogLevel::kInfo, "outbox: recovered event #%lu written before a crash",
         static_cast<unsigned long>(next_id_));
    if (count_ < kMaxEventsLimit) ids_[count_++] = next_id_ | (ev->alarm ? kAlarmBit : 0);
    next_id_++;
    dirty = true;
  }
  // A smaller max_events than last time, or an event recovered into a full
  // queue (a power cut between its record and the drop it caused): apply the
  // overflow policy, and say so as enqueue() does.
  while (count_ > max_events_) {
    int v = victim(true);
    size_t vi = v >= 0 ? static_cast<size_t>(v) : 0;
    bool alarm = (ids_[vi] & kAlarmBit) != 0;
    (alarm ? counters_.dropped_alarms : counters_.dropped_reports)++;
    counters_.unreported++;
    log_(port::LogLevel::kWarn, "outbox: queue full (%u events) at start; dropped the oldest %s #%lu (dropped so far: %lu reports, %lu alarms)",
         max_events_, alarm ? "alarm" : "report", static_cast<unsigned long>(ids_[vi] & kIdMask),
         static_cast<unsigned long>(counters_.dropped_reports), static_cast<unsigned long>(counters_.dropped_alarms));
    remove_record('e', ids_[vi] & kIdMask);
    remove_index(vi);
    dirty = true;
  }
  if (dirty && !save_meta()) {
    snprintf(err, err_len, "cannot write the outbox state (%s)", kMetaKey);
    return false;
  }
  return true;
}

// ------------------------------------------------------------ changes

void OutboxStore::remove_index(size_t i) {
  memmove(ids_ + i, ids_ + i + 1, (count_ - i - 1) * sizeof ids_[0]);
  count_--;
}

void OutboxStore::push_dead(const Dead& d) {
  while (dead_count_ >= max_dead_ && dead_count_ > 0) {
    remove_record('d', dead_[0].id);
    memmove(dead_, dead_ + 1, (dead_count_ - 1) * sizeof dead_[0]);
    dead_count_--;
    counters_.dead_dropped++;
  }
  if (max_dead_ == 0) {
    remove_record('d', d.id);
    counters_.dead_dropped++;
    return;
  }
  dead_[dead_count_++] = d;
}

// The oldest non-alarm event (not the one in flight); the new event itself
// if it is the only non-alarm; else the oldest alarm.
int OutboxStore::victim(bool new_is_alarm) const {
  for (size_t i = 0; i < count_; i++)
    if (!(ids_[i] & kAlarmBit) && (ids_[i] & kIdMask) != in_flight_) return static_cast<int>(i);
  if (!new_is_alarm) return -1;
  for (size_t i = 0; i < count_; i++)
    if ((ids_[i] & kIdMask) != in_flight_) return static_cast<int>(i);
  return -2;
}

OutboxStore::Put OutboxStore::enqueue(OutboxEvent* ev) {
  if (ev->name_len > OutboxEvent::kMaxName || ev->data_len > OutboxEvent::kMaxData) return Put::kError;
  if (next_id_ >= kIdMask) {
    log_(port::LogLevel::kError, "outbox: event ids exhausted");
    return Put::kError;
  }
  int v = -3;  // no victim needed
  if (count_ >= max_events_) {
    v = victim(ev->alarm);
    if (v == -1 || v == -2) {
      // Only alarms (or the event in flight) left: the new report goes.
      (ev->alarm ? counters_.dropped_alarms : counters_.dropped_reports)++;
      counters_.unreported++;
      log_(port::LogLevel::kWarn, "outbox: queue full (%u events); dropped new '%s' (dropped so far: %lu reports, %lu alarms)",
           max_events_, ev->name, static_cast<unsigned long>(counters_.dropped_reports),
           static_cast<unsigned long>(counters_.dropped_alarms));
      save_meta();
      return Put::kDroppedNew;
    }
  }
  ev->id = next_id_;
  ev->status = 0;
  if (!put_record('e', *ev)) return Put::kError;
  if (v >= 0) {
    uint32_t vid = ids_[v] & kIdMask;
    bool alarm = (ids_[v] & kAlarmBit) != 0;
    // Said before the record goes: a power cut between the two must not
    // make a drop silent (the log is what operators and tests count).
    (alarm ? counters_.dropped_alarms : counters_.dropped_reports)++;
    counters_.unreported++;
    log_(port::LogLevel::kWarn, "outbox: queue full (%u events); dropped the oldest %s #%lu (dropped so far: %lu reports, %lu alarms)",
         max_events_, alarm ? "alarm" : "report", static_cast<unsigned long>(vid),
         static_cast<unsigned long>(counters_.dropped_reports), static_cast<unsigned long>(counters_.dropped_alarms));
    remove_record('e', vid);
    remove_index(static_cast<size_t>(v));
  }
  ids_[count_++] = ev->id | (ev->alarm ? kAlarmBit : 0);
  next_id_++;
  if (!save_meta()) {
    // Not acknowledged: undo (the id is not reused: the record is removed).
    remove_record('e', ev->id);
    count_--;
    next_id_--;
    return Put::kError;
  }
  return Put::kQueued;
}

bool OutboxStore::load(uint32_t id, OutboxEvent* ev) {
  bool missing = false;
  return get_record('e', id, ev, &missing);
}

void OutboxStore::discard(uint32_t id) {
  for (size_t i = 0; i < count_; i++) {
    if ((ids_[i] & kIdMask) != id) continue;
    remove_record('e', id);
    remove_index(i);
    save_meta();
    return;
  }
}

bool OutboxStore::delivered(uint32_t id, uint32_t reported) {
  for (size_t i = 0; i < count_; i++) {
    if ((ids_[i] & kIdMask) != id) continue;
    remove_record('e', id);
    remove_index(i);
    counters_.delivered++;
    counters_.unreported = reported > counters_.unreported ? 0 : counters_.unreported - reported;
    return save_meta();
  }
  return false;
}

bool OutboxStore::dead_letter(const OutboxEvent& ev, uint16_t status) {
  size_t i = 0;
  while (i < count_ && (ids_[i] & kIdMask) != ev.id) i++;
  if (i == count_) return false;
  OutboxEvent* d = &scratch2_;
  *d = ev;
  d->status = status;
  if (max_dead_ > 0) put_record('d', *d);
  remove_record('e', ev.id);
  remove_index(i);
  Dead dl;
  dl.id = ev.id;
  dl.status = status;
  memcpy(dl.name, ev.name, ev.name_len);
  dl.name[ev.name_len] = 0;
  counters_.dead_total++;
  push_dead(dl);
  return save_meta();
}

}  // namespace mcujs::net
