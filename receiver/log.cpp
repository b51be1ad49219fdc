#include "log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace mcujs_receiver {
namespace {
std::mutex g_mu;  // one line at a time from the server's threads
Level g_min = Level::kInfo;
thread_local std::string* t_batch = nullptr;  // a LogBatch's lines

void write_out(const std::string& text) {
  std::lock_guard<std::mutex> lock(g_mu);
  fwrite(text.data(), 1, text.size(), stderr);
  fflush(stderr);
}

const char* name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarn:
      return "WARN";
    case Level::kError:
      return "ERROR";
  }
  return "?";
}
}  // namespace

void set_log_level(Level min) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_min = min;
}

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso_time(int64_t ms) {
  time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm_utc {};
  gmtime_r(&secs, &tm_utc);
  char buf[40];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm_utc);
  snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

void log(Level level, const std::string& message) {
  std::string line = iso_time(now_ms());
  line += ' ';
  line += name(level);
  line += ' ';
  // Device-supplied text may end up here: every control character escaped
  // (one line, no terminal escape sequences).
  for (char c : message) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char hex[5];
      snprintf(hex, sizeof hex, "\\x%02x", u);
      line += hex;
    } else {
      line += c;
    }
  }
  line += '\n';
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (level < g_min) return;
  }
  if (t_batch) {
    *t_batch += line;
    return;
  }
  write_out(line);
}

LogBatch::LogBatch() {
  if (t_batch) return;
  t_batch = &lines_;
  owner_ = true;
}

LogBatch::~LogBatch() {
  if (!owner_) return;
  t_batch = nullptr;
  if (!lines_.empty()) write_out(lines_);
}

}  // namespace mcujs_receiver

namespace mcujs_receiver {
namespace {
thread_local bool t_logged = false;
}
void mark_request_logged() { t_logged = true; }
bool take_request_logged() {
  bool was = t_logged;
  t_logged = false;
  return was;
}
}  // namespace mcujs_receiver
