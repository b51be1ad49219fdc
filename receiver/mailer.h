// Alarm e-mail. The ingest transaction queues the message in the database
// (table mails); this background worker sends it over SMTP with libcurl and
// marks it sent, retrying with exponential backoff while the server is down.
// Nothing is lost across restarts: unsent mail is picked up at start.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "config.h"
#include "store.h"

namespace mcujs_receiver {

// The text of an alarm mail (also used by tests through the DB): who, when,
// the reasons and the readings as a "key: value" table and as indented JSON.
std::string render_alarm_body(const NewEvent& ev, const std::string& device_name, int64_t min_period_s);

class Mailer {
 public:
  Mailer(const Config& cfg, Store& store);
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  bool enabled() const { return !cfg_.smtp_url.empty(); }
  // How insert_event() should treat an alarm of the device called `name`.
  AlarmMailPolicy policy(const std::string& coreid, const std::string& name) const;

  void start();
  void notify();  // a mail was queued
  // Finishes (or aborts) the mail in flight, then joins the worker.
  void stop();

 private:
  void run();
  bool send(const PendingMail& m, std::string* error);
  static int progress(void* self, long long, long long, long long, long long);

  const Config& cfg_;
  Store& store_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  std::atomic<bool> stop_{false};
  std::thread worker_;
};

}  // namespace mcujs_receiver
