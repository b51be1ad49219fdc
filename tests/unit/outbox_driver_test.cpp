// services/outbox/outbox: the delivery state machine with a fake transport and clock:
// wire body, order, retries with capped exponential backoff and jitter,
// dead letters on 4xx, drop reporting, liveness (busy/deadline), drain.
// Also services/outbox/backoff.h and the form encoder.
#include "services/outbox/outbox.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "services/outbox/backoff.h"
#include "net/http/request.h"
#include "tests/unit/outbox_fakes.h"

using mcujs::net::Backoff;
using mcujs::net::Outbox;
using mcujs::net::OutboxConfig;
using mcujs::net::OutboxStore;
using namespace outbox_test;

namespace {

struct Rig {
  MemKv kv;
  FakeClock clock;
  FixedEntropy entropy;
  FakeTransport transport;
  OutboxConfig config;
  std::unique_ptr<Outbox> outbox;

  Rig() {
    strcpy(config.secret, "s3cret");
    strcpy(config.coreid, "hub 1");
    config.backoff_initial_ms = 100;
    config.backoff_max_ms = 400;
  }
  void start() {
    outbox = std::make_unique<Outbox>(config, kv, clock, entropy, transport, test_log());
    char err[256] = {};
    ASSERT_TRUE(outbox->open(err, sizeof err)) << err;
  }
  uint32_t send(const char* name, const std::string& data) {
    uint32_t id = 0;
    EXPECT_EQ(outbox->send(name, strlen(name), reinterpret_cast<const uint8_t*>(data.data()), data.size(), &id),
              OutboxStore::Put::kQueued);
    return id;
  }
};

}  // namespace

TEST(OutboxBackoff, DoublesUpToTheCapWithFullJitter) {
  Backoff b(100, 1000);
  EXPECT_EQ(b.ceiling(), 100u);
  EXPECT_EQ(b.next(100), 100u);  // random % (ceiling + 1)
  EXPECT_EQ(b.ceiling(), 200u);
  EXPECT_EQ(b.next(0), 0u);
  EXPECT_EQ(b.ceiling(), 400u);
  b.next(7);
  EXPECT_EQ(b.ceiling(), 800u);
  b.next(7);
  EXPECT_EQ(b.ceiling(), 1000u);
  for (int i = 0; i < 100; i++) EXPECT_LE(b.next(0xffffffffu - static_cast<uint32_t>(i)), 1000u);
  EXPECT_EQ(b.ceiling(), 1000u) << "no overflow after many failures";
  b.reset();
  EXPECT_EQ(b.ceiling(), 100u);
  Backoff odd(500, 100);  // a max below initial is raised to it
  EXPECT_EQ(odd.ceiling(), 500u);
}

TEST(OutboxForm, EncodesLikeWhatwgFormUrlencoded) {
  const char* in = "a b&c=d/\xc3\xa9+%*-._~";
  char out[128];
  size_t n = mcujs::net::form_urlencode(reinterpret_cast<const uint8_t*>(in), strlen(in), out, sizeof out);
  EXPECT_EQ(std::string(out, n), "a+b%26c%3Dd%2F%C3%A9%2B%25*-._%7E");
  EXPECT_EQ(mcujs::net::form_urlencode(reinterpret_cast<const uint8_t*>(in), strlen(in), nullptr, 0), n)
      << "measures with cap 0";
}

// The shared wire-format vectors (tests/vectors/article_wire.data, also
// posted by receiver/tests/wire.sh): the outbox's encoding of each event's
// fields is byte for byte the body the receiver's test sends.
TEST(OutboxForm, MatchesTheSharedWireVectors) {
  const std::string path = std::string(MCUJS_TEST_VECTORS) + "/article_wire.data";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  auto enc = [](const std::string& s) {
    char out[1024];
    size_t n = mcujs::net::form_urlencode(reinterpret_cast<const uint8_t*>(s.data()), s.size(), out, sizeof out);
    return std::string(out, n);
  };
  int vectors = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    for (size_t pos = 0;;) {
      size_t tab = line.find('\t', pos);
      f.push_back(line.substr(pos, tab - pos));
      if (tab == std::string::npos) break;
      pos = tab + 1;
    }
    ASSERT_EQ(f.size(), 6u) << line;  // status, event, data, coreid, id, body
    EXPECT_EQ("event=" + enc(f[1]) + "&data=" + enc(f[2]) + "&coreid=" + enc(f[3]) + "&id=" + f[4], f[5]);
    vectors++;
  }
  EXPECT_GE(vectors, 5);
}

TEST(OutboxDriver, SendsInOrderWithTheArticleBody) {
  Rig r;
  r.start();
  EXPECT_EQ(r.send("sensor-report", "{\"t\":21}"), 1u);
  EXPECT_EQ(r.send("sensor-alarm", "x y"), 2u);
  EXPECT_FALSE(r.outbox->busy()) << "queued events alone do not keep the program alive";
  EXPECT_LE(r.outbox->deadline(), r.clock.now) << "due now";
  r.outbox->poll();
  ASSERT_EQ(r.transport.bodies.size(), 1u);
  EXPECT_EQ(r.transport.bodies[0], "event=sensor-report&data=%7B%22t%22%3A21%7D&coreid=hub+1&id=1");
  EXPECT_EQ(r.transport.secret, "s3cret");
  EXPECT_TRUE(r.outbox->busy()) << "in flight";
  EXPECT_EQ(r.outbox->stats().in_flight, 1u);
  r.outbox->poll();
  EXPECT_EQ(r.transport.bodies.size(), 1u) << "one at a time";
  r.transport.answer(204);
  EXPECT_EQ(r.kv.events(), 1u);
  r.outbox->poll();
  ASSERT_EQ(r.transport.bodies.size(), 2u);
  EXPECT_EQ(r.transport.bodies[1], "event=sensor-alarm&data=x+y&coreid=hub+1&id=2");
  r.transport.answer(200);
  Outbox::Stats s = r.outbox->stats();
  EXPECT_EQ(s.delivered, 2u);
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(r.kv.events(), 0u);
  EXPECT_EQ(r.outbox->deadline(), mcujs::core::kNever);
}

TEST(OutboxDriver, RetriesHeadOfLineWithCappedBackoff) {
  Rig r;
  r.start();
  r.send("a", "1");
  r.send("b", "2");
  const uint32_t ceilings[] = {100, 200, 400, 400};
  int attempt = 0;
  for (uint32_t c : ceilings) {
    r.entropy.value = c;  // c % (c + 1) == c: the whole ceiling
    r.outbox->poll();
    ASSERT_EQ(r.transport.bodies.size(), static_cast<size_t>(++attempt));
    EXPECT_NE(r.transport.bodies.back().find("&id=1"), std::string::npos) << "event 1 first";
    r.transport.answer(attempt % 2 ? 503 : 0);  // 5xx and network errors alike
    EXPECT_EQ(r.outbox->stats().next_retry_ms, c);
    EXPECT_EQ(r.outbox->deadline(), r.clock.now + c);
    EXPECT_FALSE(r.outbox->busy());
    r.clock.now += c - 1;
    r.outbox->poll();
    EXPECT_EQ(r.transport.bodies.size(), static_cast<size_t>(attempt)) << "not before the backoff";
    r.clock.now += 1;
  }
  EXPECT_EQ(r.outbox->stats().retries, 4u);
  r.outbox->poll();
  r.transport.answer(200);
  r.outbox->poll();
  EXPECT_NE(r.transport.bodies.back().find("&id=2"), std::string::npos);
  r.transport.answer(200);
  EXPECT_EQ(r.outbox->stats().delivered, 2u);
  // Success resets the backoff.
  r.send("c", "3");
  r.outbox->poll();
  r.entropy.value = 100;
  r.transport.answer(500);
  EXPECT_EQ(r.outbox->stats().next_retry_ms, 100u);
}

TEST(OutboxDriver, ZeroJitterRetriesAtOnce) {
  Rig r;
  r.start();
  r.entropy.value = 0;
  r.send("a", "1");
  r.outbox->poll();
  r.transport.answer(502);
  r.outbox->poll();
  EXPECT_EQ(r.transport.bodies.size(), 2u);
}

TEST(OutboxDriver, TransportThatCannotStartIsRetried) {
  Rig r;
  r.start();
  r.send("a", "1");
  r.transport.refuse = true;
  r.outbox->poll();
  EXPECT_EQ(r.outbox->stats().retries, 1u);
  EXPECT_FALSE(r.outbox->busy());
  r.transport.refuse = false;
  r.clock.now += 1000;
  r.outbox->poll();
  r.transport.answer(200);
  EXPECT_EQ(r.outbox->stats().delivered, 1u);
}

TEST(OutboxDriver, ClientErrorsGoToDeadLettersAndTheQueueContinues) {
  Rig r;
  r.start();
  r.send("poison", "p");
  r.send("ok", "o");
  r.outbox->poll();
  r.transport.answer(422);
  EXPECT_EQ(r.outbox->stats().dead_letters, 1u);
  EXPECT_EQ(r.outbox->stats().retries, 0u);
  r.outbox->poll();
  ASSERT_EQ(r.transport.bodies.size(), 2u);
  EXPECT_NE(r.transport.bodies[1].find("event=ok"), std::string::npos);
  r.transport.answer(200);
  ASSERT_EQ(r.outbox->store().dead_count(), 1u);
  EXPECT_EQ(r.outbox->store().dead(0).status, 422);
  EXPECT_STREQ(r.outbox->store().dead(0).name, "poison");
}

TEST(OutboxDriver, ReportsDropsOnTheNextDeliveredEventOnly) {
  Rig r;
  r.config.max_events = 1;
  r.start();
  r.send("sensor-report", "r1");
  r.send("sensor-report", "r2");  // drops r1
  r.outbox->poll();
  EXPECT_NE(r.transport.bodies[0].find("&id=2&dropped=1"), std::string::npos) << r.transport.bodies[0];
  r.entropy.value = 0;
  r.transport.answer(500);
  r.outbox->poll();
  EXPECT_NE(r.transport.bodies[1].find("&dropped=1"), std::string::npos) << "still unreported after a failure";
  r.transport.answer(200);
  r.send("sensor-report", "r3");
  r.outbox->poll();
  EXPECT_EQ(r.transport.bodies[2].find("dropped"), std::string::npos) << r.transport.bodies[2];
}

TEST(OutboxDriver, CriticalEventsAreConfigurable) {
  Rig r;
  r.config.max_events = 2;
  strcpy(r.config.critical[0], "fire");
  r.config.critical_count = 1;
  r.start();
  EXPECT_TRUE(r.outbox->is_critical("fire", 4));
  EXPECT_FALSE(r.outbox->is_critical("sensor-alarm", 12));
  r.send("fire", "f1");
  r.send("sensor-alarm", "s1");
  r.send("fire", "f2");  // drops s1 (not critical here)
  EXPECT_EQ(r.outbox->stats().dropped_reports, 1u);
  EXPECT_EQ(r.outbox->stats().dropped_alarms, 0u);
}

// Which events are critical is the app's configuration (cloud.queue.
// critical_events), not the outbox's: by default none is, and a full queue
// drops the oldest event whatever its name.
TEST(OutboxDriver, NoEventIsCriticalUnlessConfigured) {
  Rig r;
  EXPECT_EQ(r.config.critical_count, 0);
  r.config.max_events = 2;
  r.start();
  EXPECT_FALSE(r.outbox->is_critical("sensor-alarm", 12));
  r.send("sensor-alarm", "a1");
  r.send("sensor-report", "r1");
  r.send("sensor-alarm", "a2");  // drops a1, the oldest: no alarm here
  EXPECT_EQ(r.outbox->stats().dropped_reports, 1u);
  EXPECT_EQ(r.outbox->stats().dropped_alarms, 0u);
  r.outbox->poll();
  ASSERT_EQ(r.transport.bodies.size(), 1u);
  EXPECT_NE(r.transport.bodies[0].find("data=r1"), std::string::npos) << r.transport.bodies[0];
}

TEST(OutboxDriver, DrainKeepsTheLoopAliveUntilEmptyOrTimeout) {
  Rig r;
  r.start();
  r.send("a", "1");
  EXPECT_FALSE(r.outbox->busy());
  r.outbox->start_drain(5000);
  EXPECT_TRUE(r.outbox->busy());
  r.outbox->poll();
  r.transport.answer(200);
  EXPECT_FALSE(r.outbox->busy()) << "empty";
  r.send("b", "2");
  r.outbox->poll();
  r.entropy.value = 100000;
  r.transport.answer(0);
  EXPECT_TRUE(r.outbox->busy());
  EXPECT_LE(r.outbox->deadline(), r.clock.now + 5000);
  r.clock.now += 5000;
  EXPECT_FALSE(r.outbox->busy()) << "drain timeout";
}

TEST(OutboxDriver, RestartResumesWhereItStopped) {
  Rig r;
  r.start();
  r.send("a", "1");
  r.send("b", "2");
  r.outbox->poll();  // in flight when the "power fails"
  r.outbox.reset();
  r.transport.pending = nullptr;
  r.start();
  EXPECT_EQ(r.outbox->stats().queued, 2u);
  r.outbox->poll();
  EXPECT_NE(r.transport.bodies.back().find("&id=1"), std::string::npos);
  r.transport.answer(200);
  EXPECT_EQ(r.send("c", "3"), 3u);
}

// The header order of the article's wire format, from the request writer.
TEST(OutboxWire, ContentLengthRightAfterHost) {
  mcujs::net::http::Field f[2];
  f[0].name = "Content-Type";
  f[0].name_len = 12;
  f[0].value = "application/x-www-form-urlencoded";
  f[0].value_len = strlen(f[0].value);
  f[1].name = "Secret";
  f[1].name_len = 6;
  f[1].value = "s";
  f[1].value_len = 1;
  mcujs::net::http::RequestHead h;
  h.method = "POST";
  h.target = "/events";
  h.authority = "hub.example:8443";
  h.fields = f;
  h.field_count = 2;
  h.has_length = true;
  h.content_length = 42;
  h.length_first = true;
  char buf[512];
  size_t len = 0;
  ASSERT_EQ(mcujs::net::http::write_request_head(h, buf, sizeof buf, &len), mcujs::net::http::WriteError::kOk);
  EXPECT_EQ(std::string(buf, len),
            "POST /events HTTP/1.1\r\nHost: hub.example:8443\r\nContent-Length: 42\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nSecret: s\r\n\r\n");
  h.length_first = false;  // the default is unchanged: fields, then Content-Length
  ASSERT_EQ(mcujs::net::http::write_request_head(h, buf, sizeof buf, &len), mcujs::net::http::WriteError::kOk);
  EXPECT_EQ(std::string(buf, len),
            "POST /events HTTP/1.1\r\nHost: hub.example:8443\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nSecret: s\r\nContent-Length: 42\r\n\r\n");
}
