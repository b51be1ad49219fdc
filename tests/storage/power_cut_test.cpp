// Power cuts at every step: a sequence of writes (sets, replaces, deletes,
// enough volume for many garbage collections) runs on the simulated NOR
// flash once per program/erase call, losing power during that call (a word
// half-programmed, or a sector half-erased); sometimes power is lost again
// during the repair at the next mount. After each reboot every key must hold
// its old or its new value (the old until the write returned), read the
// same after another reboot, and the store must take further writes. The
// outbox (net/outbox_store) on the same store must keep every event it
// acknowledged. Bounded: one run per step of the sequence, and a time limit.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/outbox_store.h"
#include "storage/flash_kv.h"
#include "storage/sim_nor.h"

namespace {

using namespace mcujs;
using storage::FlashKvStore;
using storage::SimNor;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kSector = 4096;
constexpr auto kTimeLimit = std::chrono::seconds(100);

// One step of the key-value sequence: value nullopt is a remove.
struct Op {
  std::string key;
  std::optional<std::string> value;
};

std::vector<Op> make_ops() {
  std::vector<Op> ops;
  uint32_t x = 7;
  auto rnd = [&x](uint32_t n) {
    x = x * 1103515245u + 12345u;
    return (x >> 8) % n;
  };
  for (int i = 0; i < 260; i++) {
    std::string key = "key" + std::to_string(rnd(12));
    if (rnd(6) == 0) {
      ops.push_back({key, std::nullopt});
    } else {
      size_t len = rnd(5) == 0 ? 900 + rnd(900) : rnd(200);
      std::string v = "#" + std::to_string(i) + ":";
      while (v.size() < len) v += static_cast<char>('a' + (v.size() * 7 + static_cast<size_t>(i)) % 26);
      ops.push_back({key, v.substr(0, std::max(len, static_cast<size_t>(1)))});
    }
  }
  return ops;
}

using Model = std::map<std::string, std::optional<std::string>>;

// A device with an erased flash and its mounted store; with cut_step, power
// is lost during that program/erase step.
struct Device {
  SimNor nor;
  FlashKvStore kv{nor};
  Device(uint32_t sectors, uint64_t cut_step) : nor(sectors, kSector) {
    EXPECT_EQ(kv.mount(), port::kOk);
    nor.cut_at(cut_step);
  }
};

std::optional<std::string> read(FlashKvStore& kv, const std::string& key) {
  std::vector<uint8_t> buf(4096);
  int32_t n = kv.get(key.c_str(), buf.data(), buf.size());
  if (n == port::kNotFound) return std::nullopt;
  EXPECT_GE(n, 0) << key << ": " << port::error_name(n);
  if (n < 0) return std::string("<error>");
  return std::string(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(n));
}

int32_t apply(FlashKvStore& kv, const Op& op) {
  if (!op.value) {
    int32_t rc = kv.remove(op.key.c_str());
    return rc == port::kNotFound ? port::kOk : rc;
  }
  return kv.put(op.key.c_str(), reinterpret_cast<const uint8_t*>(op.value->data()), op.value->size());
}

// Mounts after a cut; with repair_cut, loses power again during the repair
// (if the mount has anything to repair) and mounts once more.
void reboot(SimNor& nor, FlashKvStore& kv, bool repair_cut, int* repair_cuts) {
  nor.power_on();
  if (repair_cut) {
    nor.cut_at(1);
    int32_t rc = kv.mount();
    if (nor.off()) {
      ++*repair_cuts;
      EXPECT_NE(rc, port::kOk);
    }
    nor.power_on();
  }
  ASSERT_EQ(kv.mount(), port::kOk);
}

TEST(PowerCut, EveryKeyHoldsItsOldOrNewValueAfterACutAtAnyStep) {
  const std::vector<Op> ops = make_ops();
  constexpr uint32_t kSectors = 6;
  // A run without cuts: how many steps the sequence takes.
  uint64_t total_steps;
  FlashKvStore::Stats full;
  {
    Device d(kSectors, 0);
    for (const Op& op : ops) ASSERT_EQ(apply(d.kv, op), port::kOk);
    total_steps = d.nor.steps();
    full = d.kv.stats();
    ASSERT_GT(full.gc_runs, 10u) << "the sequence must make the collector run";
  }
  auto t0 = Clock::now();
  int repair_cuts = 0, new_values = 0, old_values = 0;
  for (uint64_t step = 1; step <= total_steps; step++) {
    ASSERT_LT(Clock::now() - t0, kTimeLimit) << "at step " << step << " of " << total_steps;
    Device d(kSectors, step);
    SimNor& nor = d.nor;
    FlashKvStore& kv = d.kv;
    Model done;
    size_t i = 0;
    for (; i < ops.size(); i++) {
      if (apply(kv, ops[i]) != port::kOk) break;
      done[ops[i].key] = ops[i].value;
    }
    ASSERT_TRUE(nor.off()) << "step " << step << " was not reached";
    ASSERT_LT(i, ops.size());
    const Op& cut = ops[i];

    FlashKvStore after(nor);
    reboot(nor, after, step % 3 == 0, &repair_cuts);
    if (HasFatalFailure()) return;
    Model seen;
    for (int k = 0; k < 12; k++) {
      std::string key = "key" + std::to_string(k);
      std::optional<std::string> v = read(after, key);
      std::optional<std::string> old = done.count(key) ? done[key] : std::nullopt;
      if (key == cut.key && v == cut.value && v != old) {
        new_values++;
      } else {
        ASSERT_EQ(v, old) << "step " << step << ", op " << i << ", key " << key;
        if (key == cut.key) old_values++;
      }
      seen[key] = v;
    }
    // Stable: another reboot reads the same; and the store takes more writes.
    FlashKvStore again(nor);
    ASSERT_EQ(again.mount(), port::kOk);
    for (auto& [key, v] : seen) ASSERT_EQ(read(again, key), v) << "step " << step << " (second reboot)";
    for (size_t j = i; j < ops.size() && j < i + 8; j++) {
      ASSERT_EQ(apply(again, ops[j]), port::kOk) << "step " << step << ", op " << j << " after the reboot";
      seen[ops[j].key] = ops[j].value;
    }
    FlashKvStore third(nor);
    ASSERT_EQ(third.mount(), port::kOk);
    for (auto& [key, v] : seen) ASSERT_EQ(read(third, key), v) << "step " << step << " (after more writes)";
  }
  printf("[ measured ] %zu operations, %llu program/erase steps, %u collections: cut at every step; "
         "the write under the cut kept its old value %d times, its new one %d times; "
         "%d more cuts during the repair at mount; %.1f s\n",
         ops.size(), static_cast<unsigned long long>(total_steps), full.gc_runs, old_values, new_values, repair_cuts,
         std::chrono::duration<double>(Clock::now() - t0).count());
}

// The outbox on the flash store: events enqueued (some large, so the store
// collects garbage), the oldest delivered now and then. Whatever step loses
// power, every event whose enqueue returned kQueued and whose delivery was
// not confirmed is still there, unchanged, after the reboot, and ids are not
// reused.
TEST(PowerCut, OutboxLosesNothingItAcknowledged) {
  constexpr uint32_t kSectors = 8;
  net::OutboxLog log;  // quiet
  struct Ev {
    std::string name, data;
    bool alarm;
  };
  auto event = [](int i) {
    Ev e;
    e.name = i % 5 == 0 ? "sensor-alarm" : "sensor-report";
    e.alarm = i % 5 == 0;
    size_t len = static_cast<size_t>(i * 131 % 900) + 20;
    e.data = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(len, static_cast<char>('a' + i % 26)) + "\"}";
    return e;
  };
  constexpr int kEvents = 60;
  // Runs the sequence until it ends or the power goes; returns acknowledged
  // events still owed (id -> event) and the largest id ever acknowledged.
  struct Result {
    std::map<uint32_t, Ev> owed;
    uint32_t max_id = 0;
    bool cut = false;
  };
  auto run = [&](SimNor& nor, FlashKvStore& kv) {
    Result r;
    auto store = std::make_unique<net::OutboxStore>(kv, log);
    char err[256];
    if (!store->open(64, 4, err, sizeof err)) {
      r.cut = true;
      return r;
    }
    auto ev = std::make_unique<net::OutboxEvent>();
    for (int i = 1; i <= kEvents; i++) {
      Ev e = event(i);
      *ev = net::OutboxEvent{};
      ev->alarm = e.alarm;
      ev->name_len = static_cast<uint8_t>(e.name.size());
      memcpy(ev->name, e.name.c_str(), e.name.size() + 1);
      ev->data_len = static_cast<uint16_t>(e.data.size());
      memcpy(ev->data, e.data.data(), e.data.size());
      net::OutboxStore::Put p = store->enqueue(ev.get());
      if (nor.off()) break;
      EXPECT_EQ(p, net::OutboxStore::Put::kQueued);
      r.owed[ev->id] = e;
      r.max_id = std::max(r.max_id, ev->id);
      if (i % 3 == 0 && store->count() > 4) {
        uint32_t head = store->head();
        bool ok = store->delivered(head, 0);
        if (nor.off()) {
          r.owed.erase(head);  // in flight: may come back (delivered again, de-duplicated by id) or not
          break;
        }
        EXPECT_TRUE(ok);
        r.owed.erase(head);
      }
    }
    r.cut = nor.off();
    return r;
  };
  uint64_t total_steps;
  FlashKvStore::Stats full;
  {
    Device d(kSectors, 0);
    Result r = run(d.nor, d.kv);
    ASSERT_FALSE(r.cut);
    total_steps = d.nor.steps();
    full = d.kv.stats();
    ASSERT_GT(full.gc_runs, 5u);
  }
  auto t0 = Clock::now();
  size_t checked = 0;
  for (uint64_t step = 1; step <= total_steps; step++) {
    ASSERT_LT(Clock::now() - t0, kTimeLimit) << "at step " << step << " of " << total_steps;
    Device d(kSectors, step);
    SimNor& nor = d.nor;
    Result r = run(nor, d.kv);
    ASSERT_TRUE(r.cut) << "step " << step;
    nor.power_on();
    FlashKvStore after(nor);
    ASSERT_EQ(after.mount(), port::kOk) << "step " << step;
    auto store = std::make_unique<net::OutboxStore>(after, log);
    char err[256];
    ASSERT_TRUE(store->open(64, 4, err, sizeof err)) << "step " << step << ": " << err;
    EXPECT_GT(store->next_id(), r.max_id) << "step " << step << ": an acknowledged id could be reused";
    auto ev = std::make_unique<net::OutboxEvent>();
    for (auto& [id, e] : r.owed) {
      ASSERT_TRUE(store->load(id, ev.get())) << "step " << step << ": acknowledged event #" << id << " lost";
      EXPECT_EQ(std::string(ev->name), e.name);
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(ev->data), ev->data_len), e.data) << "#" << id;
      checked++;
    }
  }
  printf("[ measured ] outbox: %d events, %llu program/erase steps, %u collections: cut at every step, "
         "%zu acknowledged events checked after the reboots; %.1f s\n",
         kEvents, static_cast<unsigned long long>(total_steps), full.gc_runs, checked,
         std::chrono::duration<double>(Clock::now() - t0).count());
}

}  // namespace
