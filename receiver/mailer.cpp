#include "mailer.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "log.h"

namespace mcujs_receiver {
namespace {

constexpr int64_t kBackoffFirstMs = 1000;
constexpr int64_t kBackoffMaxMs = 60 * 1000;
constexpr size_t kMaxLine = 900;  // SMTP allows 998 octets per line

// Control characters out; a line stays a line.
std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  return out;
}

std::string rfc5322_date(int64_t ms) {
  time_t t = static_cast<time_t>(ms / 1000);
  struct tm tm_utc {};
  gmtime_r(&t, &tm_utc);
  char buf[64];
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm_utc);
  return buf;
}

// LF -> CRLF, long lines cut (a device can send a long string value).
std::string to_crlf(const std::string& text) {
  std::string out;
  size_t col = 0;
  for (char c : text) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
      col = 0;
      continue;
    }
    if (col >= kMaxLine) {
      out += "\r\n  ";
      col = 2;
    }
    out += c;
    col++;
  }
  return out;
}

struct Upload {
  std::string data;
  size_t pos = 0;
};

size_t read_cb(char* buf, size_t size, size_t n, void* p) {
  auto* u = static_cast<Upload*>(p);
  size_t len = std::min(size * n, u->data.size() - u->pos);
  memcpy(buf, u->data.data() + u->pos, len);
  u->pos += len;
  return len;
}

}  // namespace

std::string render_alarm_body(const NewEvent& ev, const std::string& device_name, int64_t min_period_s) {
  nlohmann::json data = nlohmann::json::parse(ev.data, nullptr, false);
  std::string who = device_name.empty() ? ev.coreid : one_line(device_name) + " (" + ev.coreid + ")";
  std::string s = "Alarm from " + who + "\n";
  s += "Received: " + iso_time(ev.received_at_ms) + "\n";
  if (ev.event_id) s += "Event id: " + std::to_string(*ev.event_id) + "\n";
  if (data.is_object() && data.contains("reasons") && data["reasons"].is_array()) {
    std::string r;
    for (const auto& x : data["reasons"])
      r += (r.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
    s += "Reasons: " + one_line(r) + "\n";
  }
  s += "\nReadings:\n";
  if (data.is_object()) {
    for (auto& [k, v] : data.items()) {
      if (k == "reasons") continue;
      s += "  " + one_line(k) + ": " + one_line(v.is_string() ? v.get<std::string>() : v.dump()) + "\n";
    }
    s += "\nAs JSON:\n" + data.dump(2, ' ', true) + "\n";
  } else {
    s += ev.data + "\n";
  }
  s += "\nFurther alarms from this device within " + std::to_string(min_period_s) +
       " s are stored but not mailed.\n-- \nmcujs-receiver\n";
  return s;
}

Mailer::Mailer(const Config& cfg, Store& store) : cfg_(cfg), store_(store) {}

Mailer::~Mailer() { stop(); }

AlarmMailPolicy Mailer::policy(const std::string& coreid, const std::string& name) const {
  AlarmMailPolicy p;
  p.enabled = enabled();
  p.min_period_ms = cfg_.alarm_min_period_s * 1000;
  p.subject = one_line(cfg_.mail_subject) + ": " + coreid;  // coreid: ASCII, header-safe
  int64_t period = cfg_.alarm_min_period_s;
  p.render = [name, period](const NewEvent& ev, int64_t) { return render_alarm_body(ev, name, period); };
  return p;
}

void Mailer::start() {
  if (!enabled() || worker_.joinable()) return;
  worker_ = std::thread([this] { run(); });
}

void Mailer::notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_one();
}

void Mailer::stop() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  worker_.join();
}

int Mailer::progress(void* self, long long, long long, long long, long long) {
  return static_cast<Mailer*>(self)->stop_.load() ? 1 : 0;  // nonzero aborts
}

bool Mailer::send(const PendingMail& m, std::string* error) {
  CURL* c = curl_easy_init();
  if (!c) {
    *error = "curl_easy_init failed";
    return false;
  }
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  std::string to_list;
  struct curl_slist* rcpt = nullptr;
  for (const auto& t : cfg_.mail_to) {
    to_list += (to_list.empty() ? "" : ", ") + t;
    rcpt = curl_slist_append(rcpt, ("<" + t + ">").c_str());
  }
  int64_t now = now_ms();
  Upload up;
  up.data = to_crlf("Date: " + rfc5322_date(now) + "\n" + "From: " + cfg_.mail_from + "\n" + "To: " + to_list + "\n" +
                    "Subject: " + m.subject + "\n" + "Message-ID: <mcujs-receiver." + std::to_string(m.id) + "." +
                    std::to_string(now) + "@" + one_line(host) + ">\n" +
                    "MIME-Version: 1.0\n"
                    "Content-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: 8bit\n"
                    "\n" +
                    m.body);
  std::string from = "<" + cfg_.mail_from + ">";
  char errbuf[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, cfg_.smtp_url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, this);
  if (cfg_.smtp_starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) *error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  return rc == CURLE_OK;
}

void Mailer::run() {
  log_info("mailer: sending alarm mail to " + std::to_string(cfg_.mail_to.size()) + " recipient(s) via " +
           cfg_.smtp_url);
  while (!stop_) {
    int64_t next_due = 0;
    std::optional<PendingMail> m = store_.next_mail(now_ms(), &next_due);
    if (m) {
      std::string why;
      if (send(*m, &why)) {
        store_.mail_sent(m->id, now_ms());
        log_info("mailer: alarm mail #" + std::to_string(m->id) + " sent");
      } else if (!stop_) {
        int shift = std::min(m->attempts, 16);
        int64_t delay = std::min(kBackoffFirstMs << shift, kBackoffMaxMs);
        store_.mail_failed(m->id, now_ms() + delay, why);
        log_warn("mailer: alarm mail #" + std::to_string(m->id) + " not sent (" + why + "), retry in " +
                 std::to_string(delay / 1000) + " s");
      }
      continue;
    }
    // Nothing due: sleep until the next retry, a new mail or stop.
    std::unique_lock<std::mutex> lock(mu_);
    auto wait = next_due ? std::chrono::milliseconds(std::max<int64_t>(next_due - now_ms(), 10))
                         : std::chrono::milliseconds(60 * 1000);
    cv_.wait_for(lock, wait, [this] { return wake_ || stop_.load(); });
    wake_ = false;
  }
}

}  // namespace mcujs_receiver
