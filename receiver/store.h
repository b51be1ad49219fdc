// SQLite storage: events, devices' last contact, the alarm e-mail queue and
// the per-device time of the last alarm mail. One connection, serialized by
// a mutex (the group committer and the mailer share it); WAL journal with
// synchronous=FULL, because a 2xx tells the device it may forget the event.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace mcujs_receiver {

struct NewEvent {
  std::string coreid;
  std::optional<int64_t> event_id;  // none: old client, no de-duplication
  std::string event;
  std::string data;  // JSON object text
  int64_t received_at_ms = 0;
};

// What to do about e-mail for an alarm (decided inside the transaction).
struct AlarmMailPolicy {
  bool enabled = false;  // SMTP configured
  int64_t min_period_ms = 0;
  std::string subject;
  // Builds the message body for the stored event (its row id known by then).
  std::function<std::string(const NewEvent& ev, int64_t row_id)> render;
};

// Whether an alarm received `since_ms` after the device's last mail gets a
// mail of its own. Within one period either way is "the same period": events
// of one group are decided in (coreid, id) order, not arrival order, and two
// instances' clocks differ by milliseconds, so a slightly negative `since`
// is normal and must not send a second mail. A clock set back by more than a
// period sends one (it must not silence alarms for long).
inline bool alarm_mail_due(int64_t since_ms, int64_t min_period_ms) {
  return since_ms >= min_period_ms || since_ms < -min_period_ms;
}

enum class InsertResult { kStored, kDuplicate, kError };

struct InsertOutcome {
  InsertResult result = InsertResult::kError;
  int64_t row_id = 0;
  bool mail_queued = false;
  bool mail_suppressed = false;  // an alarm within the minimum period
};

struct DeviceRow {
  std::string coreid;
  int64_t last_seen_ms = 0;
  std::string last_event;
  std::string readings;  // JSON text of the latest report or alarm, or ""
};

struct ReadingRow {
  int64_t t_ms;
  std::string event, data;
};

struct AlarmRow {
  std::string coreid;
  int64_t t_ms;
  std::string data;
  bool mailed;
};

struct PendingMail {
  int64_t id = 0;
  std::string subject, body;
  int attempts = 0;
};

// The storage interface: SQLite (embedded, the default) or PostgreSQL
// (several receiver instances sharing one database, store_pg.*).
class Store {
 public:
  virtual ~Store() = default;

  // Stores the event (and for an alarm maybe queues its e-mail) in one
  // transaction; returns after the COMMIT.
  InsertOutcome insert_event(const NewEvent& ev, const AlarmMailPolicy& mail) {
    return insert_events({Insert{ev, mail}}).front();
  }

  struct Insert {
    NewEvent ev;
    AlarmMailPolicy mail;
  };
  // Group commit: all of them in ONE transaction (each in its own savepoint,
  // so one failing event does not take the others along); one outcome per
  // insert, in order, once the COMMIT is on disk (all kError if it fails).
  virtual std::vector<InsertOutcome> insert_events(const std::vector<Insert>& batch) = 0;

  virtual std::vector<DeviceRow> devices() = 0;
  virtual std::vector<ReadingRow> readings(const std::string& coreid, int64_t since_ms, int limit) = 0;
  virtual std::vector<AlarmRow> alarms(int limit) = 0;

  // The mail queue. next_mail: the oldest unsent mail due at now_ms (claimed
  // for this instance), or the time the next one is due in *next_due_ms (0
  // when the queue is empty).
  virtual std::optional<PendingMail> next_mail(int64_t now_ms, int64_t* next_due_ms) = 0;
  virtual void mail_sent(int64_t id, int64_t now_ms) = 0;
  virtual void mail_failed(int64_t id, int64_t retry_at_ms, const std::string& why) = 0;

  virtual bool integrity_ok() = 0;

  // How long the last group's COMMIT statement took (writing the WAL or
  // the PostgreSQL commit record, and the fsync), in ms; for the group
  // committer's counters. Read on the thread that called insert_events.
  double last_commit_ms() const { return last_commit_ms_; }

 protected:
  // One group transaction, shared by both stores: `begin`, each insert (in
  // `order`) in its own savepoint, COMMIT. `exec` runs a statement;
  // `insert` stores one event; `give_up` says whether a failed insert must
  // abandon the whole group (then: ROLLBACK, *abandoned set, all kError).
  struct GroupSql {
    const char* begin;
    std::function<bool(const char* sql, std::string* error)> exec;
    std::function<InsertOutcome(const Insert&)> insert;
    std::function<bool()> give_up;
  };
  std::vector<InsertOutcome> run_group(const std::vector<Insert>& batch, const std::vector<size_t>& order,
                                       const GroupSql& sql, bool* abandoned);
  double last_commit_ms_ = 0;
};

class SqliteStore final : public Store {
 public:
  SqliteStore() = default;
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  bool open(const std::string& path, std::string* error);
  void close();

  std::vector<InsertOutcome> insert_events(const std::vector<Insert>& batch) override;
  std::vector<DeviceRow> devices() override;
  std::vector<ReadingRow> readings(const std::string& coreid, int64_t since_ms, int limit) override;
  std::vector<AlarmRow> alarms(int limit) override;
  std::optional<PendingMail> next_mail(int64_t now_ms, int64_t* next_due_ms) override;
  void mail_sent(int64_t id, int64_t now_ms) override;
  void mail_failed(int64_t id, int64_t retry_at_ms, const std::string& why) override;
  bool integrity_ok() override;

 private:
  bool exec(const char* sql, std::string* error);
  // The statement for `sql` (a string literal: the cache's key is its
  // address), prepared once; nullptr if it does not prepare. mu_ held.
  sqlite3_stmt* prepared(const char* sql);
  bool run_prepared(const char* sql, std::string* error);
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
  // Inside an open transaction, mu_ held.
  InsertOutcome insert_one(const NewEvent& ev, const AlarmMailPolicy& mail);
  std::mutex mu_;
  sqlite3* db_ = nullptr;
};

// `db` is a SQLite file, or a PostgreSQL URI (postgresql://...).
std::unique_ptr<Store> open_store(const std::string& db, std::string* error);
bool is_postgres_uri(const std::string& db);

}  // namespace mcujs_receiver
