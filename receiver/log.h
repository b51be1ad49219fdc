// One-line logs to stderr: "<ISO time> LEVEL message". Thread-safe.
#pragma once
#include <cstdint>
#include <string>

namespace mcujs_receiver {

enum class Level { kDebug, kInfo, kWarn, kError };

void set_log_level(Level min);
void log(Level level, const std::string& message);
inline void log_info(const std::string& m) { log(Level::kInfo, m); }
inline void log_warn(const std::string& m) { log(Level::kWarn, m); }
inline void log_error(const std::string& m) { log(Level::kError, m); }

// While one lives on a thread, that thread's log lines are collected and
// written together when it ends (one write for a group commit's answers
// instead of one per event).
class LogBatch {
 public:
  LogBatch();
  ~LogBatch();
  LogBatch(const LogBatch&) = delete;
  LogBatch& operator=(const LogBatch&) = delete;

 private:
  std::string lines_;
  bool owner_ = false;  // false when nested in another one (it writes)
};

// Wall clock in ms since the epoch, and as ISO 8601 UTC ("...T...123Z").
int64_t now_ms();
std::string iso_time(int64_t ms);

}  // namespace mcujs_receiver

namespace mcujs_receiver {
// The ingest handler logs its own line; this tells the generic request
// logger (same thread, after the handler) not to log that request again.
void mark_request_logged();
bool take_request_logged();
}  // namespace mcujs_receiver
