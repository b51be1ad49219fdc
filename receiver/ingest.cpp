#include "ingest.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "log.h"
#include "mailer.h"

namespace mcujs_receiver {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool url_decode(const std::string& in, size_t begin, size_t end, std::string* out) {
  out->clear();
  for (size_t i = begin; i < end; i++) {
    char c = in[i];
    if (c == '+') {
      *out += ' ';
    } else if (c == '%') {
      if (i + 2 >= end) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += c;
    }
  }
  return true;
}

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

bool parse_form(const std::string& body, std::map<std::string, std::string>* out) {
  out->clear();
  if (body.empty()) return false;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string::npos) amp = body.size();
    size_t eq = body.find('=', pos);
    if (eq == std::string::npos || eq >= amp || eq == pos) return false;
    std::string name, value;
    if (!url_decode(body, pos, eq, &name) || !url_decode(body, eq + 1, amp, &value)) return false;
    if (name.empty() || !out->emplace(name, value).second) return false;
    pos = amp + 1;
  }
  return true;
}

bool valid_event_name(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  for (char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

void json_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

Ingest::Ingest(const Config& cfg, Store& store, const DeviceAuth& auth, Mailer& mailer)
    : cfg_(cfg), store_(store), auth_(auth), mailer_(mailer) {}

void Ingest::handle(const httplib::Request& req, httplib::Response& res) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string event, coreid, id_text = "-";
  std::string note;
  Level level = Level::kWarn;
  // Logs "<status> <event> from <coreid> (id N) [note] <ms> ms <TLS version>" on every path.
  auto done = [&](int status, const std::string& why) {
    if (status >= 400) json_error(res, status, why);
    long ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
    std::string line = std::to_string(status) + " " + (event.empty() ? "-" : printable(event)) + " from " +
                       (coreid.empty() ? req.remote_addr : printable(coreid)) + " (id " + printable(id_text) + ")";
    if (status >= 400) line += ": " + why;
    if (!note.empty()) line += ", " + note;
    line += " " + std::to_string(ms) + " ms";
    if (req.ssl) line += std::string(" ") + SSL_get_version(req.ssl);  // which TLS the device negotiated
    log(level, line);
    mark_request_logged();
  };

  if (!is_form_type(req.get_header_value("Content-Type")))
    return done(415, "Content-Type must be application/x-www-form-urlencoded");
  // httplib already refuses a longer body (payload max length); be explicit.
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
  // Authenticate before saying anything about the rest of the request.
  if (!auth_.check(coreid, req.get_header_value("Secret"))) return done(401, "wrong secret or unknown device");
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
    note = "device dropped " + printable(it->second, 20) + " event(s)";

  InsertOutcome out = store_.insert_event(ev, mailer_.policy(coreid, auth_.name_of(coreid)));
  switch (out.result) {
    case InsertResult::kStored:
      level = Level::kInfo;
      if (out.mail_queued) note += std::string(note.empty() ? "" : ", ") + "alarm mail queued";
      if (out.mail_suppressed) note += std::string(note.empty() ? "" : ", ") + "alarm mail suppressed (minimum period)";
      res.status = 201;
      res.set_content(R"({"stored":true})", "application/json");
      if (out.mail_queued) mailer_.notify();
      return done(201, "");
    case InsertResult::kDuplicate:
      level = Level::kInfo;
      note = "duplicate";
      res.status = 200;
      res.set_content(R"({"stored":false,"duplicate":true})", "application/json");
      return done(200, "");
    case InsertResult::kError:
      level = Level::kError;
      return done(503, "storage unavailable, retry later");
  }
}

}  // namespace mcujs_receiver
