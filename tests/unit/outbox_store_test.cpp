// services/outbox/outbox_store: persistence, id order, overflow policy, dead letters and
// recovery after a crash at each step (simulated on an in-memory KvStore).
#include "services/outbox/outbox_store.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tests/unit/outbox_fakes.h"

using mcujs::net::OutboxEvent;
using mcujs::net::OutboxStore;
using outbox_test::MemKv;
using outbox_test::test_log;

namespace {

OutboxEvent make(const char* name, const std::string& data, bool alarm = false) {
  OutboxEvent e;
  e.name_len = static_cast<uint8_t>(strlen(name));
  memcpy(e.name, name, e.name_len);
  e.data_len = static_cast<uint16_t>(data.size());
  memcpy(e.data, data.data(), data.size());
  e.alarm = alarm;
  return e;
}

OutboxStore::Put add(OutboxStore& s, const char* name, const std::string& data, bool alarm = false,
                     uint32_t* id = nullptr) {
  OutboxEvent e = make(name, data, alarm);
  OutboxStore::Put r = s.enqueue(&e);
  if (id) *id = e.id;
  return r;
}

std::string data_of(OutboxStore& s, uint32_t id) {
  OutboxEvent e;
  if (!s.load(id, &e)) return "<missing>";
  return std::string(reinterpret_cast<const char*>(e.data), e.data_len);
}

bool open(OutboxStore& s, uint16_t max_events = 64, uint16_t max_dead = 16) {
  char err[256] = {};
  bool ok = s.open(max_events, max_dead, err, sizeof err);
  EXPECT_TRUE(ok) << err;
  return ok;
}

// Delivers every queued event in order, returning their data joined by ','.
std::string drain(OutboxStore& s) {
  std::string out;
  for (int guard = 0; s.count() > 0 && guard < 1000; guard++) {
    uint32_t id = s.head();
    out += (out.empty() ? "" : ",") + data_of(s, id);
    EXPECT_TRUE(s.delivered(id, 0));
  }
  return out;
}

}  // namespace

TEST(OutboxStore, PersistsAndReloadsInIdOrder) {
  MemKv kv;
  {
    OutboxStore s(kv, test_log());
    ASSERT_TRUE(open(s));
    for (int i = 1; i <= 5; i++) {
      uint32_t id = 0;
      EXPECT_EQ(add(s, "sensor-report", "r" + std::to_string(i), false, &id), OutboxStore::Put::kQueued);
      EXPECT_EQ(id, static_cast<uint32_t>(i));
    }
    EXPECT_TRUE(s.delivered(1, 0));
  }
  EXPECT_EQ(kv.events(), 4u);
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  EXPECT_EQ(s.count(), 4u);
  EXPECT_EQ(s.head(), 2u);
  EXPECT_EQ(s.counters().delivered, 1u);
  uint32_t id = 0;
  add(s, "sensor-report", "r6", false, &id);
  EXPECT_EQ(id, 6u) << "ids are never reused";
  EXPECT_EQ(drain(s), "r2,r3,r4,r5,r6");
  EXPECT_EQ(kv.events(), 0u);
}

TEST(OutboxStore, RefusesOversizedEvents) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  OutboxEvent e = make("x", "");
  e.name_len = 64;
  EXPECT_EQ(s.enqueue(&e), OutboxStore::Put::kError);
  e = make("x", "");
  e.data_len = OutboxEvent::kMaxData + 1;
  EXPECT_EQ(s.enqueue(&e), OutboxStore::Put::kError);
  EXPECT_EQ(s.count(), 0u);
  EXPECT_EQ(add(s, "x", std::string(OutboxEvent::kMaxData, 'd')), OutboxStore::Put::kQueued);
}

TEST(OutboxStore, OverflowDropsOldestReportsBeforeAlarms) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s, 4));
  add(s, "r", "r1");
  add(s, "a", "a1", true);
  add(s, "r", "r2");
  add(s, "r", "r3");
  EXPECT_EQ(add(s, "a", "a2", true), OutboxStore::Put::kQueued);  // drops r1
  EXPECT_EQ(add(s, "r", "r4"), OutboxStore::Put::kQueued);        // drops r2
  EXPECT_EQ(add(s, "a", "a3", true), OutboxStore::Put::kQueued);  // drops r3
  EXPECT_EQ(add(s, "a", "a4", true), OutboxStore::Put::kQueued);  // drops r4
  EXPECT_EQ(add(s, "r", "r5"), OutboxStore::Put::kDroppedNew);    // only alarms left
  EXPECT_EQ(add(s, "a", "a5", true), OutboxStore::Put::kQueued);  // drops a1
  EXPECT_EQ(s.count(), 4u);
  EXPECT_EQ(s.counters().dropped_reports, 5u);
  EXPECT_EQ(s.counters().dropped_alarms, 1u);
  EXPECT_EQ(s.counters().unreported, 6u);
  EXPECT_EQ(kv.events(), 4u) << "dropped events leave the store";
  OutboxStore again(kv, test_log());
  ASSERT_TRUE(open(again, 4));
  EXPECT_EQ(again.counters().dropped_reports, 5u);
  EXPECT_EQ(again.counters().unreported, 6u);
  EXPECT_TRUE(again.delivered(again.head(), 6));
  EXPECT_EQ(again.counters().unreported, 0u);
  EXPECT_EQ(drain(again), "a3,a4,a5");
}

TEST(OutboxStore, NeverDropsTheEventInFlight) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s, 2));
  add(s, "r", "r1");
  add(s, "r", "r2");
  s.set_in_flight(1);
  EXPECT_EQ(add(s, "r", "r3"), OutboxStore::Put::kQueued);  // drops r2, not r1
  EXPECT_EQ(data_of(s, 1), "r1");
  EXPECT_EQ(data_of(s, 2), "<missing>");
}

TEST(OutboxStore, DeadLettersAreBoundedAndPersisted) {
  MemKv kv;
  {
    OutboxStore s(kv, test_log());
    ASSERT_TRUE(open(s, 64, 2));
    for (int i = 1; i <= 4; i++) add(s, "bad", "b" + std::to_string(i));
    for (int i = 1; i <= 3; i++) {
      OutboxEvent e;
      ASSERT_TRUE(s.load(s.head(), &e));
      EXPECT_TRUE(s.dead_letter(e, static_cast<uint16_t>(400 + i)));
    }
    EXPECT_EQ(s.dead_count(), 2u);
    EXPECT_EQ(s.counters().dead_dropped, 1u);
    EXPECT_EQ(s.dead(0).id, 2u);
    EXPECT_EQ(s.head(), 4u);
  }
  EXPECT_EQ(kv.data.count("ob.d.1"), 0u) << "the oldest dead letter is dropped from the store too";
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s, 64, 2));
  ASSERT_EQ(s.dead_count(), 2u);
  EXPECT_EQ(s.dead(0).id, 2u);
  EXPECT_EQ(s.dead(0).status, 402);
  EXPECT_STREQ(s.dead(1).name, "bad");
  EXPECT_EQ(s.dead(1).status, 403);
  EXPECT_EQ(s.count(), 1u);
  EXPECT_EQ(s.counters().dead_total, 3u);
}

// Crash after an event record was written but before the meta record: the
// event is recovered (adopted) and its id not reused.
TEST(OutboxStore, CrashBeforeMetaKeepsTheWrittenEvent) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  add(s, "r", "r1");
  std::string meta = kv.data["ob.meta"];
  add(s, "r", "r2");
  kv.data["ob.meta"] = meta;  // the meta update of r2 never happened
  OutboxStore again(kv, test_log());
  ASSERT_TRUE(open(again));
  EXPECT_EQ(again.count(), 2u);
  uint32_t id = 0;
  add(again, "r", "r3", false, &id);
  EXPECT_EQ(id, 3u);
  EXPECT_EQ(drain(again), "r1,r2,r3");
}

// Crash after a delivered event's record was removed, before the meta
// update: the listed-but-missing event is skipped.
TEST(OutboxStore, CrashAfterDeliveryRemovalSkipsTheEvent) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  add(s, "r", "r1");
  add(s, "r", "r2");
  std::string meta = kv.data["ob.meta"];
  s.delivered(1, 0);
  kv.data["ob.meta"] = meta;
  OutboxStore again(kv, test_log());
  ASSERT_TRUE(open(again));
  EXPECT_EQ(again.count(), 1u);
  EXPECT_EQ(again.head(), 2u);
}

// Crash in the middle of dead-lettering: record copied, queue entry still
// there -> still queued (sent again); entry gone but meta old -> dead.
TEST(OutboxStore, CrashWhileDeadLettering) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  add(s, "poison", "p");
  add(s, "r", "r2");
  MemKv before = kv;
  OutboxEvent e;
  ASSERT_TRUE(s.load(1, &e));
  s.dead_letter(e, 400);
  // (1) only the dead-letter record was written.
  MemKv k1 = before;
  k1.data["ob.d.1"] = kv.data["ob.d.1"];
  OutboxStore a(k1, test_log());
  ASSERT_TRUE(open(a));
  EXPECT_EQ(a.count(), 2u);
  EXPECT_EQ(a.dead_count(), 0u);
  EXPECT_EQ(k1.data.count("ob.d.1"), 0u);
  // (2) the queued record is gone too, the meta not yet updated.
  MemKv k2 = before;
  k2.data["ob.d.1"] = kv.data["ob.d.1"];
  k2.data.erase("ob.e.1");
  OutboxStore b(k2, test_log());
  ASSERT_TRUE(open(b));
  EXPECT_EQ(b.count(), 1u);
  ASSERT_EQ(b.dead_count(), 1u);
  EXPECT_EQ(b.dead(0).status, 400);
}

TEST(OutboxStore, DamagedMetaRefusesToStart) {
  MemKv kv;
  {
    OutboxStore s(kv, test_log());
    ASSERT_TRUE(open(s));
    add(s, "r", "r1");
  }
  kv.data["ob.meta"][5] ^= 0x40;
  OutboxStore s(kv, test_log());
  char err[256] = {};
  EXPECT_FALSE(s.open(64, 16, err, sizeof err));
  EXPECT_NE(strstr(err, "damaged"), nullptr) << err;
}

TEST(OutboxStore, DamagedEventRecordIsSkipped) {
  MemKv kv;
  {
    OutboxStore s(kv, test_log());
    ASSERT_TRUE(open(s));
    add(s, "r", "r1");
    add(s, "r", "r2");
  }
  kv.data["ob.e.1"][12] ^= 1;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  EXPECT_EQ(s.count(), 1u);
  EXPECT_EQ(s.head(), 2u);
}

TEST(OutboxStore, FailedWriteIsNotAcknowledged) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s));
  kv.fail_puts_after = 0;
  EXPECT_EQ(add(s, "r", "r1"), OutboxStore::Put::kError);
  kv.fail_puts_after = 1;  // the record is written, the meta is not
  EXPECT_EQ(add(s, "r", "r1"), OutboxStore::Put::kError);
  EXPECT_EQ(kv.events(), 0u) << "the unacknowledged record is removed";
  kv.fail_puts_after = -1;
  uint32_t id = 0;
  EXPECT_EQ(add(s, "r", "r1", false, &id), OutboxStore::Put::kQueued);
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(s.count(), 1u);
}

TEST(OutboxStore, SmallerLimitAppliesThePolicyOnLoad) {
  MemKv kv;
  {
    OutboxStore s(kv, test_log());
    ASSERT_TRUE(open(s, 8));
    add(s, "a", "a1", true);
    add(s, "r", "r1");
    add(s, "r", "r2");
    add(s, "a", "a2", true);
  }
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s, 2));
  EXPECT_EQ(s.counters().dropped_reports, 2u);
  EXPECT_EQ(drain(s), "a1,a2");
}

// A power cut after a new event's record was written into a full queue,
// before the drop it caused: at the next start the event is recovered and
// the overflow policy drops the oldest report then, logged with its id like
// any drop (firmware.hub_power_cuts counts the logged drops).
TEST(OutboxStore, RecoveredIntoAFullQueueLogsTheDrop) {
  MemKv kv;
  OutboxStore s(kv, test_log());
  ASSERT_TRUE(open(s, 2));
  add(s, "r", "r1");
  add(s, "a", "a1", true);
  std::string meta = kv.data["ob.meta"], r1 = kv.data["ob.e.1"];
  ASSERT_FALSE(r1.empty());
  add(s, "r", "r2");  // drops r1
  // The cut: r2's record written, r1's removal and the meta update not.
  kv.data["ob.meta"] = meta;
  kv.data["ob.e.1"] = r1;
  outbox_test::log_lines()->clear();
  OutboxStore again(kv, test_log());
  ASSERT_TRUE(open(again, 2));
  EXPECT_EQ(again.counters().dropped_reports, 1u);
  bool logged = false;
  for (const std::string& l : *outbox_test::log_lines())
    logged = logged || l.find("dropped the oldest report #1 ") != std::string::npos;
  EXPECT_TRUE(logged);
  EXPECT_EQ(drain(again), "a1,r2");
}

TEST(OutboxStore, Crc32KnownAnswer) {
  const char* s = "123456789";
  EXPECT_EQ(mcujs::net::crc32(reinterpret_cast<const uint8_t*>(s), 9), 0xCBF43926u);
}
