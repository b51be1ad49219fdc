#include "store_pg.h"

#include <libpq-fe.h>

#include <algorithm>
#include <mutex>
#include <tuple>
#include <vector>

#include "log.h"

namespace mcujs_receiver {
namespace {

const char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS events(
  id BIGSERIAL PRIMARY KEY,
  coreid TEXT NOT NULL,
  event_id BIGINT,
  event TEXT NOT NULL,
  data TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL,
  UNIQUE(coreid, event_id));
CREATE INDEX IF NOT EXISTS events_by_device_time ON events(coreid, received_at_ms);
-- The alarms list (newest first) reads this; sensor reports, nearly all the
-- events, get no entry in it: one index page fewer to write per commit
-- (it was an index on (event, id) of every event until December 2026).
DROP INDEX IF EXISTS events_by_name;
CREATE INDEX IF NOT EXISTS events_alarms ON events(id) WHERE event = 'sensor-alarm';
CREATE TABLE IF NOT EXISTS devices(
  coreid TEXT PRIMARY KEY,
  first_seen_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL,
  last_event TEXT NOT NULL,
  readings_row BIGINT);
CREATE TABLE IF NOT EXISTS alarm_mail_state(
  coreid TEXT PRIMARY KEY,
  last_mail_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS mails(
  id BIGSERIAL PRIMARY KEY,
  event_row BIGINT NOT NULL,
  coreid TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  sent_ms BIGINT,
  last_error TEXT,
  claimed_until_ms BIGINT NOT NULL DEFAULT 0);  -- an instance is sending it until then
CREATE INDEX IF NOT EXISTS mails_pending ON mails(next_attempt_ms) WHERE sent_ms IS NULL;
CREATE INDEX IF NOT EXISTS mails_by_event ON mails(event_row);
)sql";

constexpr int64_t kMailLeaseMs = 120 * 1000;  // longer than one SMTP attempt (30 s)

// A PGresult that clears itself.
struct Result {
  PGresult* r = nullptr;
  explicit Result(PGresult* p) : r(p) {}
  ~Result() { PQclear(r); }
  Result(Result&& o) noexcept : r(o.r) { o.r = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  bool ok() const {
    auto s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  }
  int rows() const { return PQntuples(r); }
  std::string text(int row, int col) const { return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col)); }
  bool null(int row, int col) const { return PQgetisnull(r, row, col) != 0; }
  int64_t i64(int row, int col) const { return std::stoll(PQgetvalue(r, row, col)); }
};

class PgStore final : public Store {
 public:
  ~PgStore() override { PQfinish(conn_); }

  bool open(const std::string& uri, std::string* error) {
    conn_ = PQconnectdb(uri.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      *error = std::string("cannot connect to PostgreSQL: ") + (conn_ ? PQerrorMessage(conn_) : "out of memory");
      return false;
    }
    // Two instances starting together: one creates the schema at a time.
    std::string err;
    if (!exec("SELECT pg_advisory_lock(7235001)", &err) || !exec(kSchema, &err)) {
      *error = "PostgreSQL schema: " + err;
      return false;
    }
    exec("SELECT pg_advisory_unlock(7235001)", nullptr);
    return true;
  }

  std::vector<InsertOutcome> insert_events(const std::vector<Insert>& batch) override {
    std::lock_guard<std::mutex> lock(mu_);
    // One order for every instance (coreid, id): fewer lock cycles between
    // two instances' groups; a deadlock that still happens (40P01) rolls the
    // whole group back and runs it again.
    std::vector<size_t> order(batch.size());
    for (size_t i = 0; i < order.size(); i++) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const NewEvent &x = batch[a].ev, &y = batch[b].ev;
      return std::tie(x.coreid, x.event_id) < std::tie(y.coreid, y.event_id);
    });
    const GroupSql sql{"BEGIN", [this](const char* q, std::string* e) { return exec(q, e); },
                       [this](const Insert& in) { return insert_one(in.ev, in.mail); },
                       [this] { return last_state_ == "40P01"; }};
    for (int attempt = 0; attempt < 4; attempt++) {
      if (!connected()) break;
      bool deadlock = false;
      std::vector<InsertOutcome> outs = run_group(batch, order, sql, &deadlock);
      if (!deadlock) return outs;
      log_warn("database: deadlock with another instance, group of " + std::to_string(batch.size()) +
               " event(s) run again");
    }
    return std::vector<InsertOutcome>(batch.size());
  }

  std::vector<DeviceRow> devices() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<DeviceRow> rows;
    Result r = query(
        "SELECT d.coreid, d.last_seen_ms, d.last_event, coalesce(e.data, '') FROM devices d "
        "LEFT JOIN events e ON e.id = d.readings_row ORDER BY d.coreid",
        {});
    if (r.ok())
      for (int i = 0; i < r.rows(); i++) rows.push_back({r.text(i, 0), r.i64(i, 1), r.text(i, 2), r.text(i, 3)});
    return rows;
  }

  std::vector<ReadingRow> readings(const std::string& coreid, int64_t since_ms, int limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<ReadingRow> rows;
    Result r = query(
        "SELECT received_at_ms, event, data FROM (SELECT id, received_at_ms, event, data FROM events "
        "WHERE coreid = $1 AND received_at_ms >= $2 AND event IN ('sensor-report', 'sensor-alarm') "
        "ORDER BY received_at_ms DESC, id DESC LIMIT $3) t ORDER BY received_at_ms, id",
        {coreid, std::to_string(since_ms), std::to_string(limit)});
    if (r.ok())
      for (int i = 0; i < r.rows(); i++) rows.push_back({r.i64(i, 0), r.text(i, 1), r.text(i, 2)});
    return rows;
  }

  std::vector<AlarmRow> alarms(int limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<AlarmRow> rows;
    Result r = query(
        "SELECT e.coreid, e.received_at_ms, e.data, "
        "EXISTS(SELECT 1 FROM mails m WHERE m.event_row = e.id AND m.sent_ms IS NOT NULL) "
        "FROM events e WHERE e.event = 'sensor-alarm' ORDER BY e.id DESC LIMIT $1",
        {std::to_string(limit)});
    if (r.ok())
      for (int i = 0; i < r.rows(); i++)
        rows.push_back({r.text(i, 0), r.i64(i, 1), r.text(i, 2), r.text(i, 3) == "t"});
    return rows;
  }

  std::optional<PendingMail> next_mail(int64_t now, int64_t* next_due_ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    *next_due_ms = 0;
    if (!connected()) return std::nullopt;
    // Claim one due mail that no other instance is sending.
    Result r = query(
        "UPDATE mails SET claimed_until_ms = $2 WHERE id = (SELECT id FROM mails WHERE sent_ms IS NULL "
        "AND next_attempt_ms <= $1 AND claimed_until_ms <= $1 ORDER BY next_attempt_ms, id LIMIT 1 "
        "FOR UPDATE SKIP LOCKED) RETURNING id, subject, body, attempts",
        {std::to_string(now), std::to_string(now + kMailLeaseMs)});
    if (r.ok() && r.rows() == 1)
      return PendingMail{r.i64(0, 0), r.text(0, 1), r.text(0, 2), static_cast<int>(r.i64(0, 3))};
    Result due = query("SELECT min(greatest(next_attempt_ms, claimed_until_ms)) FROM mails WHERE sent_ms IS NULL", {});
    if (due.ok() && due.rows() == 1 && !due.null(0, 0)) *next_due_ms = std::max<int64_t>(due.i64(0, 0), now + 1);
    return std::nullopt;
  }

  void mail_sent(int64_t id, int64_t now) override {
    std::lock_guard<std::mutex> lock(mu_);
    Result r = query(
        "UPDATE mails SET sent_ms = $1, attempts = attempts + 1, last_error = NULL, claimed_until_ms = 0 "
        "WHERE id = $2",
        {std::to_string(now), std::to_string(id)});
    if (!r.ok()) log_error(std::string("database: mark mail sent: ") + PQerrorMessage(conn_));
  }

  void mail_failed(int64_t id, int64_t retry_at_ms, const std::string& why) override {
    std::lock_guard<std::mutex> lock(mu_);
    Result r = query(
        "UPDATE mails SET attempts = attempts + 1, next_attempt_ms = $1, last_error = $2, claimed_until_ms = 0 "
        "WHERE id = $3",
        {std::to_string(retry_at_ms), why, std::to_string(id)});
    if (!r.ok()) log_error(std::string("database: mark mail failed: ") + PQerrorMessage(conn_));
  }

  bool integrity_ok() override {
    std::lock_guard<std::mutex> lock(mu_);
    Result r = query("SELECT 1", {});
    return r.ok();
  }

 private:
  // A lost connection (server restart) is reopened on the next use.
  bool connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return true;
    PQreset(conn_);
    return PQstatus(conn_) == CONNECTION_OK;
  }

  bool exec(const char* sql, std::string* error) {
    Result r(PQexec(conn_, sql));
    if (r.ok()) return true;
    if (error) *error = PQerrorMessage(conn_);
    return false;
  }

  Result query(const char* sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    return run(sql, static_cast<int>(values.size()), values.data());
  }
  // NULL values allowed; remembers the SQLSTATE of a failure (deadlocks).
  Result run(const char* sql, int n, const char* const* values) {
    Result r(PQexecParams(conn_, sql, n, nullptr, values, nullptr, nullptr, 0));
    const char* state = r.ok() ? nullptr : PQresultErrorField(r.r, PG_DIAG_SQLSTATE);
    last_state_ = state ? state : "";
    return r;
  }

  // Inside the open transaction, mu_ held.
  InsertOutcome insert_one(const NewEvent& ev, const AlarmMailPolicy& mail) {
    InsertOutcome out;
    auto fail = [&](const char* what) {
      log_error(std::string("database: ") + what + ": " + PQerrorMessage(conn_));
      out.result = InsertResult::kError;
      return out;
    };
    const std::string t = std::to_string(ev.received_at_ms);
    const bool is_reading = ev.event == "sensor-report" || ev.event == "sensor-alarm";
    std::string id_text = ev.event_id ? std::to_string(*ev.event_id) : std::string();
    const char* p[5] = {ev.coreid.c_str(), ev.event_id ? id_text.c_str() : nullptr, ev.event.c_str(),
                        ev.data.c_str(), t.c_str()};
    Result ins = run(
        "INSERT INTO events(coreid, event_id, event, data, received_at_ms) "
        "VALUES($1,$2,$3,$4,$5) ON CONFLICT(coreid, event_id) DO NOTHING RETURNING id",
        5, p);
    if (!ins.ok()) return fail("insert event");
    if (ins.rows() == 0) {  // a retransmission, possibly to another instance
      Result seen = query("UPDATE devices SET last_seen_ms = greatest(last_seen_ms, $1) WHERE coreid = $2",
                          {t, ev.coreid});
      if (!seen.ok()) return fail("update device");
      out.result = InsertResult::kDuplicate;
      return out;
    }
    out.row_id = ins.i64(0, 0);
    const std::string row = std::to_string(out.row_id);
    const char* dp[4] = {ev.coreid.c_str(), t.c_str(), ev.event.c_str(), is_reading ? row.c_str() : nullptr};
    Result dev = run(
        "INSERT INTO devices(coreid, first_seen_ms, last_seen_ms, last_event, readings_row) "
        "VALUES($1, $2, $2, $3, $4) ON CONFLICT(coreid) DO UPDATE SET "
        "last_seen_ms = greatest(devices.last_seen_ms, $2), last_event = $3, "
        "readings_row = coalesce($4, devices.readings_row)",
        4, dp);
    if (!dev.ok()) return fail("update device");
    if (ev.event == "sensor-alarm" && mail.enabled) {
      // The device's row, locked until COMMIT: another instance deciding
      // about the same device waits here and then sees our last_mail_ms.
      Result mk = query("INSERT INTO alarm_mail_state(coreid, last_mail_ms) VALUES($1, $2) ON CONFLICT DO NOTHING",
                        {ev.coreid, std::to_string(INT64_MIN / 2)});
      if (!mk.ok()) return fail("alarm state");
      Result st = query("SELECT last_mail_ms FROM alarm_mail_state WHERE coreid = $1 FOR UPDATE", {ev.coreid});
      if (!st.ok() || st.rows() != 1) return fail("read alarm state");
      int64_t since = ev.received_at_ms - st.i64(0, 0);
      bool due = alarm_mail_due(since, mail.min_period_ms);
      if (due) {
        Result q = query(
            "INSERT INTO mails(event_row, coreid, created_ms, subject, body, next_attempt_ms) "
            "VALUES($1,$2,$3,$4,$5,$3)",
            {row, ev.coreid, t, mail.subject, mail.render ? mail.render(ev, out.row_id) : ev.data});
        if (!q.ok()) return fail("queue mail");
        Result s = query("UPDATE alarm_mail_state SET last_mail_ms = $2 WHERE coreid = $1", {ev.coreid, t});
        if (!s.ok()) return fail("save alarm state");
        out.mail_queued = true;
      } else {
        out.mail_suppressed = true;
      }
    }
    out.result = InsertResult::kStored;
    return out;
  }

  std::mutex mu_;
  PGconn* conn_ = nullptr;
  std::string last_state_;  // SQLSTATE of the last failed statement
};

}  // namespace

std::unique_ptr<Store> open_pg_store(const std::string& uri, std::string* error) {
  auto s = std::make_unique<PgStore>();
  if (!s->open(uri, error)) return nullptr;
  return s;
}

}  // namespace mcujs_receiver
