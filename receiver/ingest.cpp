#include "ingest.h"

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "form.h"
#include "log.h"
#include "mailer.h"

namespace mcujs_receiver {
namespace {

// "application/x-www-form-urlencoded" with optional parameters.
bool is_form_type(const std::string& ct) {
  static const std::string kType = "application/x-www-form-urlencoded";
  std::string base = ct.substr(0, ct.find(';'));
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t')) base.pop_back();
  if (base.size() != kType.size()) return false;
  for (size_t i = 0; i < base.size(); i++)
    if (std::tolower(static_cast<unsigned char>(base[i])) != kType[i]) return false;
  return true;
}

bool parse_event_id(const std::string& s, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;  // < 10^18 fits int64
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

std::string printable(const std::string& s, size_t max = 64) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

bool valid_event_name(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

Ingest::Ingest(const Config& cfg, GroupCommitter& committer, const DeviceAuth& auth, Mailer& mailer)
    : cfg_(cfg), committer_(committer), auth_(auth), mailer_(mailer) {}

namespace {

// What the log line of one ingest request says; lives until the answer.
struct Exchange {
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  std::string event, coreid, id_text = "-", note, remote_addr, tls_version;
  Level level = Level::kWarn;
  http::Respond respond;

  // Logs "<status> <event> from <coreid> (id N) [note] <ms> ms <TLS version>"
  // and answers (an error body for >= 400).
  void done(http::Response res, const std::string& why) {
    if (res.status >= 400) http::json_error(res, res.status, why);
    long ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
    std::string line = std::to_string(res.status) + " " + (event.empty() ? "-" : printable(event)) + " from " +
                       (coreid.empty() ? remote_addr : printable(coreid)) + " (id " + printable(id_text) + ")";
    if (res.status >= 400) line += ": " + why;
    if (!note.empty()) line += ", " + note;
    line += " " + std::to_string(ms) + " ms";
    if (!tls_version.empty()) line += " " + tls_version;  // which TLS the device negotiated
    log(level, line);
    res.logged = true;
    respond(std::move(res));
  }
  void fail(int status, const std::string& why) {
    http::Response res;
    res.status = status;
    done(std::move(res), why);
  }
};

}  // namespace

void Ingest::handle(const http::Request& req, http::Respond respond) {
  auto x = std::make_shared<Exchange>();
  x->remote_addr = req.remote_addr;
  x->tls_version = req.tls_version;
  x->respond = std::move(respond);
  std::string& event = x->event;
  std::string& coreid = x->coreid;
  std::string& id_text = x->id_text;
  auto done = [&](int status, const std::string& why) { x->fail(status, why); };

  if (!is_form_type(req.get_header_value("Content-Type")))
    return done(415, "Content-Type must be application/x-www-form-urlencoded");
  // The parser already refuses a longer body (from Content-Length or while
  // reading chunks); be explicit.
  if (req.body.size() > cfg_.max_body) return done(413, "body larger than " + std::to_string(cfg_.max_body) + " bytes");
  std::map<std::string, std::string> form;
  if (!parse_form(req.body, &form)) return done(400, "malformed form body");
  auto field = [&](const char* name, std::string* out) {
    auto it = form.find(name);
    if (it == form.end()) return false;
    *out = it->second;
    return true;
  };
  std::string data;
  bool has_event = field("event", &event);
  bool has_id = field("id", &id_text);
  if (!field("coreid", &coreid)) return done(400, "missing field coreid");
  if (!valid_coreid(coreid)) {
    std::string bad = coreid;
    coreid.clear();
    return done(400, "invalid coreid '" + printable(bad) + "'");
  }
  // Authenticate before saying anything about the rest of the request: by
  // the client certificate when the device sent one, else by its Secret.
  if (!req.client_cert_sha256.empty()) {
    if (!auth_.check_cert(coreid, req.client_cert_sha256, req.client_cert_cn, req.client_cert_verified))
      return done(401, "client certificate not bound to this coreid");
    x->note = "client certificate";
  } else if (!auth_.check(coreid, req.get_header_value("Secret"))) {
    return done(401, "wrong secret or unknown device");
  }
  if (!has_event) return done(400, "missing field event");
  if (!valid_event_name(event)) {
    std::string bad = event;
    event.clear();
    return done(400, "invalid event name '" + printable(bad) + "' (1..63 printable characters)");
  }
  if (!field("data", &data)) return done(400, "missing field data");
  nlohmann::json parsed = nlohmann::json::parse(data, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return done(400, "data is not a JSON object");
  NewEvent ev;
  ev.coreid = coreid;
  ev.event = event;
  ev.data = data;
  ev.received_at_ms = now_ms();
  if (has_id) {
    int64_t id = 0;
    if (!parse_event_id(id_text, &id)) return done(400, "id must be a decimal number below 10^18");
    ev.event_id = id;
  }
  if (auto it = form.find("dropped"); it != form.end())
    x->note += (x->note.empty() ? "" : ", ") + std::string("device dropped ") + printable(it->second, 20) + " event(s)";

  AlarmMailPolicy policy = mailer_.policy(coreid, auth_.name_of(coreid));
  committer_.submit(std::move(ev), std::move(policy), req.since_answer_us, [x, this](const InsertOutcome& out) {
    http::Response res;
    std::string& note = x->note;
    switch (out.result) {
      case InsertResult::kStored:
        x->level = Level::kInfo;
        if (out.mail_queued) note += std::string(note.empty() ? "" : ", ") + "alarm mail queued";
        if (out.mail_suppressed) note += std::string(note.empty() ? "" : ", ") + "alarm mail suppressed (minimum period)";
        res.status = 201;
        res.set_content(R"({"stored":true})", "application/json");
        if (out.mail_queued) mailer_.notify();
        return x->done(std::move(res), "");
      case InsertResult::kDuplicate:
        x->level = Level::kInfo;
        note = "duplicate";
        res.status = 200;
        res.set_content(R"({"stored":false,"duplicate":true})", "application/json");
        return x->done(std::move(res), "");
      case InsertResult::kError:
        x->level = Level::kError;
        return x->fail(503, "storage unavailable, retry later");
    }
  });
}

}  // namespace mcujs_receiver
