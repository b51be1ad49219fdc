#include "store.h"

#include <sqlite3.h>

#include <chrono>

#include "log.h"
#include "store_pg.h"

namespace mcujs_receiver {
namespace {

const char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY,
  coreid TEXT NOT NULL,
  event_id INTEGER,            -- the device's id; NULL (never equal) if it sent none
  event TEXT NOT NULL,
  data TEXT NOT NULL,          -- JSON object
  received_at_ms INTEGER NOT NULL,
  UNIQUE(coreid, event_id));
CREATE INDEX IF NOT EXISTS events_by_device_time ON events(coreid, received_at_ms);
-- The alarms list (newest first) reads this; sensor reports, nearly all the
-- events, get no entry in it: one index page fewer to write per commit
-- (it was an index on (event, id) of every event until December 2026).
DROP INDEX IF EXISTS events_by_name;
CREATE INDEX IF NOT EXISTS events_alarms ON events(id) WHERE event = 'sensor-alarm';
CREATE TABLE IF NOT EXISTS devices(
  coreid TEXT PRIMARY KEY,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  last_event TEXT NOT NULL,
  readings_row INTEGER);       -- events.id of the latest sensor-report/-alarm
CREATE TABLE IF NOT EXISTS alarm_mail_state(
  coreid TEXT PRIMARY KEY,
  last_mail_ms INTEGER NOT NULL);  -- when the last alarm mail was queued
CREATE TABLE IF NOT EXISTS mails(
  id INTEGER PRIMARY KEY,
  event_row INTEGER NOT NULL,  -- events.id of the alarm
  coreid TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  sent_ms INTEGER,             -- NULL until the SMTP server accepted it
  last_error TEXT);
CREATE INDEX IF NOT EXISTS mails_pending ON mails(next_attempt_ms) WHERE sent_ms IS NULL;
CREATE INDEX IF NOT EXISTS mails_by_event ON mails(event_row);
PRAGMA user_version = 1;
)sql";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : owned_(true) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) == SQLITE_OK;
  }
  // A statement of SqliteStore's cache: reset for its next use, not finalized.
  explicit Stmt(sqlite3_stmt* cached) : st_(cached), ok_(cached != nullptr), owned_(false) {}
  ~Stmt() {
    if (owned_) {
      sqlite3_finalize(st_);
    } else if (st_) {
      sqlite3_reset(st_);
      sqlite3_clear_bindings(st_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return ok_; }
  Stmt& bind(int i, const std::string& s) {
    ok_ = ok_ && sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT) == SQLITE_OK;
    return *this;
  }
  Stmt& bind(int i, int64_t v) {
    ok_ = ok_ && sqlite3_bind_int64(st_, i, v) == SQLITE_OK;
    return *this;
  }
  Stmt& bind_null(int i) {
    ok_ = ok_ && sqlite3_bind_null(st_, i) == SQLITE_OK;
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return ok_ ? sqlite3_step(st_) : SQLITE_ERROR; }
  bool run() { return step() == SQLITE_DONE; }
  int64_t i64(int col) { return sqlite3_column_int64(st_, col); }
  bool is_null(int col) { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  std::string text(int col) {
    const unsigned char* p = sqlite3_column_text(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* st_ = nullptr;
  bool ok_ = false, owned_ = false;
};

}  // namespace

SqliteStore::~SqliteStore() { close(); }

bool SqliteStore::exec(const char* sql, std::string* error) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) == SQLITE_OK) return true;
  if (error) *error = msg ? msg : sqlite3_errmsg(db_);
  sqlite3_free(msg);
  return false;
}

bool SqliteStore::open(const std::string& path, std::string* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    *error = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  // Other readers (sqlite3 CLI, backups) may hold locks for a moment.
  sqlite3_busy_timeout(db_, 5000);
  std::string err;
  // WAL: readers do not block the writer. synchronous=FULL: every COMMIT is
  // on disk before the 2xx, which lets the device delete its copy (NORMAL
  // could lose the last commits on a power cut).
  if (!exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", &err) ||
      !exec(kSchema, &err)) {
    *error = "database " + path + ": " + err;
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  Stmt mode(db_, "PRAGMA journal_mode");
  if (mode.step() != SQLITE_ROW || mode.text(0) != "wal") log_warn("database: WAL mode not available");
  return true;
}

sqlite3_stmt* SqliteStore::prepared(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return it->second;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
    sqlite3_finalize(st);
    return nullptr;
  }
  cache_.emplace(sql, st);
  return st;
}

bool SqliteStore::run_prepared(const char* sql, std::string* error) {
  Stmt st(prepared(sql));
  if (st.run()) return true;
  if (error) *error = sqlite3_errmsg(db_);
  return false;
}

void SqliteStore::close() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [sql, st] : cache_) sqlite3_finalize(st);
  cache_.clear();
  if (db_) {
    sqlite3_close(db_);  // all statements are finalized by their owners
    db_ = nullptr;
  }
}

std::vector<InsertOutcome> Store::run_group(const std::vector<Insert>& batch, const std::vector<size_t>& order,
                                            const GroupSql& sql, bool* abandoned) {
  *abandoned = false;
  std::vector<InsertOutcome> outs(batch.size());  // all kError
  std::string err;
  if (!sql.exec(sql.begin, &err)) {
    log_error("database: cannot begin: " + err);
    return outs;
  }
  for (size_t i : order) {
    if (!sql.exec("SAVEPOINT ev", &err)) {
      log_error("database: savepoint: " + err);
      sql.exec("ROLLBACK", nullptr);
      return std::vector<InsertOutcome>(batch.size());
    }
    try {
      outs[i] = sql.insert(batch[i]);
    } catch (const std::exception& e) {  // e.g. from the mail renderer
      log_error(std::string("database: insert failed: ") + e.what());
      outs[i] = InsertOutcome{};
    }
    if (outs[i].result == InsertResult::kError) {
      if (sql.give_up && sql.give_up()) {
        sql.exec("ROLLBACK", nullptr);
        *abandoned = true;
        return std::vector<InsertOutcome>(batch.size());
      }
      sql.exec("ROLLBACK TO SAVEPOINT ev", nullptr);  // this event only
    }
    sql.exec("RELEASE SAVEPOINT ev", nullptr);
  }
  auto t0 = std::chrono::steady_clock::now();
  bool committed = sql.exec("COMMIT", &err);
  last_commit_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!committed) {
    log_error("database: commit: " + err);
    sql.exec("ROLLBACK", nullptr);
    return std::vector<InsertOutcome>(batch.size());
  }
  return outs;
}

std::vector<InsertOutcome> SqliteStore::insert_events(const std::vector<Insert>& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return std::vector<InsertOutcome>(batch.size());
  std::vector<size_t> order(batch.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = i;
  bool abandoned = false;
  return run_group(batch, order,
                   {"BEGIN IMMEDIATE", [this](const char* q, std::string* e) { return run_prepared(q, e); },
                    [this](const Insert& in) { return insert_one(in.ev, in.mail); }, nullptr},
                   &abandoned);
}

InsertOutcome SqliteStore::insert_one(const NewEvent& ev, const AlarmMailPolicy& mail) {
  InsertOutcome out;
  auto fail = [&](const char* what) {
    log_error(std::string("database: ") + what + ": " + sqlite3_errmsg(db_));
    out.result = InsertResult::kError;
    return out;
  };
  const bool is_reading = ev.event == "sensor-report" || ev.event == "sensor-alarm";
  {
    Stmt ins(prepared("INSERT INTO events(coreid, event_id, event, data, received_at_ms) VALUES(?,?,?,?,?) "
             "ON CONFLICT(coreid, event_id) DO NOTHING"));
    ins.bind(1, ev.coreid);
    if (ev.event_id)
      ins.bind(2, *ev.event_id);
    else
      ins.bind_null(2);
    ins.bind(3, ev.event).bind(4, ev.data).bind(5, ev.received_at_ms);
    if (!ins.run()) return fail("insert event");
  }
  if (sqlite3_changes(db_) == 0) {
    // A retransmission: already stored. The device is alive all the same.
    Stmt seen(prepared("UPDATE devices SET last_seen_ms = max(last_seen_ms, ?) WHERE coreid = ?"));
    seen.bind(1, ev.received_at_ms).bind(2, ev.coreid);
    if (!seen.run()) return fail("update device");
    out.result = InsertResult::kDuplicate;
    return out;
  }
  out.row_id = sqlite3_last_insert_rowid(db_);
  {
    Stmt dev(prepared("INSERT INTO devices(coreid, first_seen_ms, last_seen_ms, last_event, readings_row) "
             "VALUES(?1, ?2, ?2, ?3, ?4) ON CONFLICT(coreid) DO UPDATE SET "
             "last_seen_ms = max(last_seen_ms, ?2), last_event = ?3, "
             "readings_row = coalesce(?4, readings_row)"));
    dev.bind(1, ev.coreid).bind(2, ev.received_at_ms).bind(3, ev.event);
    if (is_reading)
      dev.bind(4, out.row_id);
    else
      dev.bind_null(4);
    if (!dev.run()) return fail("update device");
  }
  if (ev.event == "sensor-alarm" && mail.enabled) {
    bool due = true;
    {
      Stmt st(prepared("SELECT last_mail_ms FROM alarm_mail_state WHERE coreid = ?"));
      st.bind(1, ev.coreid);
      int rc = st.step();
      if (rc == SQLITE_ROW) {
        int64_t since = ev.received_at_ms - st.i64(0);
        due = alarm_mail_due(since, mail.min_period_ms);
      } else if (rc != SQLITE_DONE) {
        return fail("read alarm state");
      }
    }
    if (due) {
      Stmt q(prepared("INSERT INTO mails(event_row, coreid, created_ms, subject, body, next_attempt_ms) "
             "VALUES(?,?,?,?,?,?)"));
      q.bind(1, out.row_id).bind(2, ev.coreid).bind(3, ev.received_at_ms).bind(4, mail.subject);
      q.bind(5, mail.render ? mail.render(ev, out.row_id) : ev.data).bind(6, ev.received_at_ms);
      if (!q.run()) return fail("queue mail");
      Stmt s(prepared("INSERT INTO alarm_mail_state(coreid, last_mail_ms) VALUES(?1, ?2) "
             "ON CONFLICT(coreid) DO UPDATE SET last_mail_ms = ?2"));
      s.bind(1, ev.coreid).bind(2, ev.received_at_ms);
      if (!s.run()) return fail("save alarm state");
      out.mail_queued = true;
    } else {
      out.mail_suppressed = true;
    }
  }
  out.result = InsertResult::kStored;
  return out;
}

std::vector<DeviceRow> SqliteStore::devices() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<DeviceRow> rows;
  if (!db_) return rows;
  Stmt st(db_,
          "SELECT d.coreid, d.last_seen_ms, d.last_event, e.data FROM devices d "
          "LEFT JOIN events e ON e.id = d.readings_row ORDER BY d.coreid");
  while (st.step() == SQLITE_ROW) rows.push_back({st.text(0), st.i64(1), st.text(2), st.text(3)});
  return rows;
}

std::vector<ReadingRow> SqliteStore::readings(const std::string& coreid, int64_t since_ms, int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ReadingRow> rows;
  if (!db_) return rows;
  // The newest `limit` rows of the window, returned oldest first.
  Stmt st(db_,
          "SELECT received_at_ms, event, data FROM (SELECT id, received_at_ms, event, data FROM events "
          "WHERE coreid = ? AND received_at_ms >= ? AND event IN ('sensor-report', 'sensor-alarm') "
          "ORDER BY received_at_ms DESC, id DESC LIMIT ?) ORDER BY received_at_ms, id");
  st.bind(1, coreid).bind(2, since_ms).bind(3, static_cast<int64_t>(limit));
  while (st.step() == SQLITE_ROW) rows.push_back({st.i64(0), st.text(1), st.text(2)});
  return rows;
}

std::vector<AlarmRow> SqliteStore::alarms(int limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<AlarmRow> rows;
  if (!db_) return rows;
  Stmt st(db_,
          "SELECT e.coreid, e.received_at_ms, e.data, "
          "EXISTS(SELECT 1 FROM mails m WHERE m.event_row = e.id AND m.sent_ms IS NOT NULL) "
          "FROM events e WHERE e.event = 'sensor-alarm' ORDER BY e.id DESC LIMIT ?");
  st.bind(1, static_cast<int64_t>(limit));
  while (st.step() == SQLITE_ROW) rows.push_back({st.text(0), st.i64(1), st.text(2), st.i64(3) != 0});
  return rows;
}

std::optional<PendingMail> SqliteStore::next_mail(int64_t now, int64_t* next_due_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  *next_due_ms = 0;
  if (!db_) return std::nullopt;
  Stmt st(db_,
          "SELECT id, subject, body, attempts, next_attempt_ms FROM mails WHERE sent_ms IS NULL "
          "ORDER BY next_attempt_ms, id LIMIT 1");
  if (st.step() != SQLITE_ROW) return std::nullopt;
  if (st.i64(4) > now) {
    *next_due_ms = st.i64(4);
    return std::nullopt;
  }
  return PendingMail{st.i64(0), st.text(1), st.text(2), static_cast<int>(st.i64(3))};
}

void SqliteStore::mail_sent(int64_t id, int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return;
  Stmt st(db_, "UPDATE mails SET sent_ms = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?");
  st.bind(1, now).bind(2, id);
  if (!st.run()) log_error(std::string("database: mark mail sent: ") + sqlite3_errmsg(db_));
}

void SqliteStore::mail_failed(int64_t id, int64_t retry_at_ms, const std::string& why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return;
  Stmt st(db_, "UPDATE mails SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ?");
  st.bind(1, retry_at_ms).bind(2, why).bind(3, id);
  if (!st.run()) log_error(std::string("database: mark mail failed: ") + sqlite3_errmsg(db_));
}

bool SqliteStore::integrity_ok() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return false;
  Stmt st(db_, "PRAGMA quick_check");
  return st.step() == SQLITE_ROW && st.text(0) == "ok";
}

bool is_postgres_uri(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Store> open_store(const std::string& db, std::string* error) {
  if (is_postgres_uri(db)) return open_pg_store(db, error);
  auto s = std::make_unique<SqliteStore>();
  if (!s->open(db, error)) return nullptr;
  return s;
}

}  // namespace mcujs_receiver
