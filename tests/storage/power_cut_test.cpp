// Power cuts at every step: a sequence of writes (sets, replaces, deletes,
// enough volume for many garbage collections) runs on the simulated NOR
// flash once per program/erase call, losing power during that call (a word
// half-programmed, or a sector half-erased); sometimes power is lost again
// during the repair at the next mount. After each reboot every key must hold
// its old or its new value (the old until the write returned), read the
// same after another reboot, and the store must take further writes. The
// outbox (services/outbox/outbox_store) on the same store must keep every event it
// acknowledged. Bounded: one run per step of the sequence, and a time limit.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/outbox/outbox_store.h"
#include "storage/flash_kv.h"
#include "storage/sim_nor.h"

namespace {

using namespace mcujs;
using storage::FlashKvStore;
using storage::SimNor;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kSector = 4096;
constexpr auto kTimeLimit = std::chrono::seconds(120);  // per test; about 2 s here, 10x under ASan

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
  for (int i = 0; i < 500; i++) {
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

// A device with its mounted store, its flash erased or a copy of image; with
// cut_step, power is lost during that program/erase step from now.
struct Device {
  SimNor nor;
  FlashKvStore kv{nor};
  Device(uint32_t sectors, uint64_t cut_step, const std::vector<uint8_t>* image = nullptr) : nor(sectors, kSector) {
    if (image) nor.bytes() = *image;
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

// The sequence runs once without cuts, keeping the flash as it was before
// each operation; then each operation runs again from there (a reboot: the
// store mounts that flash) once per program/erase step it takes, losing
// power during that step.
TEST(PowerCut, EveryKeyHoldsItsOldOrNewValueAfterACutAtAnyStep) {
  const std::vector<Op> ops = make_ops();
  constexpr uint32_t kSectors = 6;
  std::vector<std::vector<uint8_t>> image(ops.size());
  std::vector<Model> model(ops.size());
  std::vector<uint64_t> steps(ops.size());
  FlashKvStore::Stats full;
  {
    Device d(kSectors, 0);
    Model m;
    for (size_t i = 0; i < ops.size(); i++) {
      image[i] = d.nor.bytes();
      model[i] = m;
      uint64_t before = d.nor.steps();
      ASSERT_EQ(apply(d.kv, ops[i]), port::kOk);
      steps[i] = d.nor.steps() - before;
      m[ops[i].key] = ops[i].value;
    }
    full = d.kv.stats();
    ASSERT_GT(full.gc_runs, 10u) << "the sequence must make the collector run";
  }
  auto t0 = Clock::now();
  uint64_t cases = 0;
  int repair_cuts = 0, new_values = 0, old_values = 0;
  for (size_t i = 0; i < ops.size(); i++) {
    for (uint64_t step = 1; step <= steps[i]; step++, cases++) {
      ASSERT_LT(Clock::now() - t0, kTimeLimit) << "at op " << i << " step " << step;
      Device d(kSectors, step, &image[i]);
      SimNor& nor = d.nor;
      const Op& cut = ops[i];
      ASSERT_NE(apply(d.kv, cut), port::kOk) << "op " << i << " step " << step;
      ASSERT_TRUE(nor.off()) << "op " << i << " step " << step << " was not reached";
      Model& done = model[i];

      FlashKvStore after(nor);
      reboot(nor, after, cases % 3 == 0, &repair_cuts);
      if (HasFatalFailure()) return;
      Model seen;
      for (int k = 0; k < 12; k++) {
        std::string key = "key" + std::to_string(k);
        std::optional<std::string> v = read(after, key);
        std::optional<std::string> old = done.count(key) ? done[key] : std::nullopt;
        if (key == cut.key && v == cut.value && v != old) {
          new_values++;
        } else {
          ASSERT_EQ(v, old) << "op " << i << ", step " << step << ", key " << key;
          if (key == cut.key) old_values++;
        }
        seen[key] = v;
      }
      // Stable: another reboot reads the same; and the store takes more writes.
      FlashKvStore again(nor);
      ASSERT_EQ(again.mount(), port::kOk);
      for (auto& [key, v] : seen) ASSERT_EQ(read(again, key), v) << "op " << i << " step " << step << " (2nd reboot)";
      for (size_t j = i; j < ops.size() && j < i + 8; j++) {
        ASSERT_EQ(apply(again, ops[j]), port::kOk) << "op " << i << " step " << step << ": op " << j << " after";
        seen[ops[j].key] = ops[j].value;
      }
      FlashKvStore third(nor);
      ASSERT_EQ(third.mount(), port::kOk);
      for (auto& [key, v] : seen) ASSERT_EQ(read(third, key), v) << "op " << i << " step " << step << " (more writes)";
    }
  }
  printf("[ measured ] %zu operations, %llu program/erase steps, %u collections: cut at every step; "
         "the write under the cut kept its old value %d times, its new one %d times; "
         "%d more cuts during the repair at mount; %.1f s\n",
         ops.size(), static_cast<unsigned long long>(cases), full.gc_runs, old_values, new_values, repair_cuts,
         std::chrono::duration<double>(Clock::now() - t0).count());
}

// The outbox on the flash store: events enqueued (some large, so the store
// collects garbage), the oldest delivered now and then. Whatever step loses
// power, every event whose enqueue returned kQueued and whose delivery was
// not confirmed is still there, unchanged, after the reboot, and ids are not
// reused. As above, each action reruns from the flash as it was before it.
TEST(PowerCut, OutboxLosesNothingItAcknowledged) {
  constexpr uint32_t kSectors = 8;
  constexpr int kEvents = 90;
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
  // Actions: enqueue event n (n > 0) or deliver the oldest (n == 0).
  std::vector<int> actions;
  for (int i = 1; i <= kEvents; i++) {
    actions.push_back(i);
    if (i % 3 != 1 && i > 6) actions.push_back(0);  // the queue stays short; the flash churns
  }
  using Owed = std::map<uint32_t, Ev>;
  auto open = [&](FlashKvStore& kv) {
    auto store = std::make_unique<net::OutboxStore>(kv, log);
    char err[256];
    EXPECT_TRUE(store->open(64, 4, err, sizeof err)) << err;
    return store;
  };
  auto ev = std::make_unique<net::OutboxEvent>();
  // Runs one action; false if the power went. *owed follows acknowledgements.
  auto act = [&](net::OutboxStore& store, int n, Owed* owed) {
    if (n == 0) {
      uint32_t head = store.head();
      bool ok = store.delivered(head, 0);
      owed->erase(head);  // once asked, it may come back (sent again, de-duplicated by id) or not
      return ok;
    }
    Ev e = event(n);
    *ev = net::OutboxEvent{};
    ev->alarm = e.alarm;
    ev->name_len = static_cast<uint8_t>(e.name.size());
    memcpy(ev->name, e.name.c_str(), e.name.size() + 1);
    ev->data_len = static_cast<uint16_t>(e.data.size());
    memcpy(ev->data, e.data.data(), e.data.size());
    if (store.enqueue(ev.get()) != net::OutboxStore::Put::kQueued) return false;
    (*owed)[ev->id] = e;
    return true;
  };
  std::vector<std::vector<uint8_t>> image(actions.size());
  std::vector<Owed> owed_before(actions.size());
  std::vector<uint64_t> steps(actions.size());
  FlashKvStore::Stats full;
  {
    Device d(kSectors, 0);
    auto store = open(d.kv);
    Owed owed;
    for (size_t a = 0; a < actions.size(); a++) {
      image[a] = d.nor.bytes();
      owed_before[a] = owed;
      uint64_t before = d.nor.steps();
      ASSERT_TRUE(act(*store, actions[a], &owed)) << "action " << a;
      steps[a] = d.nor.steps() - before;
    }
    full = d.kv.stats();
    ASSERT_GT(full.gc_runs, 5u);
  }
  auto t0 = Clock::now();
  uint64_t cases = 0;
  size_t checked = 0;
  for (size_t a = 0; a < actions.size(); a++) {
    for (uint64_t step = 1; step <= steps[a]; step++, cases++) {
      ASSERT_LT(Clock::now() - t0, kTimeLimit) << "at action " << a << " step " << step;
      Device d(kSectors, 0, &image[a]);
      auto store = open(d.kv);
      ASSERT_EQ(d.nor.steps(), 0u) << "opening a clean outbox writes nothing";
      d.nor.cut_at(step);
      Owed owed = owed_before[a];
      uint32_t max_id = owed.empty() ? 0 : owed.rbegin()->first;
      EXPECT_FALSE(act(*store, actions[a], &owed));
      ASSERT_TRUE(d.nor.off()) << "action " << a << " step " << step << " was not reached";
      d.nor.power_on();
      FlashKvStore after(d.nor);
      ASSERT_EQ(after.mount(), port::kOk) << "action " << a << " step " << step;
      auto reopened = open(after);
      EXPECT_GT(reopened->next_id(), max_id) << "action " << a << " step " << step << ": an id could be reused";
      for (auto& [id, e] : owed) {
        ASSERT_TRUE(reopened->load(id, ev.get())) << "action " << a << " step " << step << ": event #" << id << " lost";
        EXPECT_EQ(std::string(ev->name), e.name);
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(ev->data), ev->data_len), e.data) << "#" << id;
        checked++;
      }
    }
  }
  printf("[ measured ] outbox: %d events, %zu actions, %llu program/erase steps, %u collections: cut at every "
         "step, %zu acknowledged events checked after the reboots; %.1f s\n",
         kEvents, actions.size(), static_cast<unsigned long long>(cases), full.gc_runs, checked,
         std::chrono::duration<double>(Clock::now() - t0).count());
}

}  // namespace
