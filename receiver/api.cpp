#include "api.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "assets.h"
#include "form.h"
#include "log.h"

namespace mcujs_receiver {
namespace {

using http::json_error;

using nlohmann::json;

const Asset* find_asset(std::string_view name) {
  for (const Asset* a = kAssets; a->name; a++)
    if (name == a->name) return a;
  return nullptr;
}

void serve_asset(http::Response& res, const char* name, const char* type) {
  const Asset* a = find_asset(name);
  if (!a) return json_error(res, 404, "not found");
  res.set_content(a->data, a->size, type);
}

// The login page with an optional error line (fixed texts only).
void login_page(http::Response& res, int status, const char* error) {
  const Asset* a = find_asset("login.html");
  std::string page = a ? std::string(a->data, a->size) : "<form method=post action=login><input name=token></form>";
  static const std::string kMark = "<!--ERROR-->";
  if (size_t at = page.find(kMark); at != std::string::npos)
    page.replace(at, kMark.size(),
                 error ? std::string("<p class=\"login-error\" role=\"alert\">") + error + "</p>" : "");
  res.status = status;
  res.set_content(page, "text/html; charset=utf-8");
}

json parse_data(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

// Integer query parameter in lo..hi, or `def` when absent. False if bad.
bool int_param(const http::Request& req, const char* name, int64_t def, int64_t lo, int64_t hi, int64_t* out) {
  if (!req.has_param(name)) {
    *out = def;
    return true;
  }
  const std::string v = req.get_param_value(name);
  if (v.empty() || v.size() > 9) return false;
  int64_t x = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + (c - '0');
  }
  if (x < lo || x > hi) return false;
  *out = x;
  return true;
}

void send_json(http::Response& res, const json& j) {
  res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void set_session(http::Response& res, const std::string& token) {
  res.set_header("Set-Cookie",
                 std::string(kSessionCookie) + "=" + token + "; HttpOnly; Secure; SameSite=Strict; Path=/");
  res.status = 303;
  res.set_header("Location", "/");
}

constexpr int kMaxReadings = 20000;  // ~ one report every 4.3 s for 24 h

}  // namespace

void register_api(http::Router& svr, const Config& cfg, Store& store, const DeviceAuth& auth) {
  const std::string& token = cfg.dashboard_token;

  // Headers for every response (also the server's framing errors).
  svr.set_finisher([](http::Response& res) {
    char buf[64];
    time_t t = time(nullptr);
    struct tm tm_utc {};
    gmtime_r(&t, &tm_utc);
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm_utc);
    res.set_header("Date", buf);
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Strict-Transport-Security", "max-age=31536000");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  });

  svr.get("/healthz", [](const http::Request&, http::Response& res) {
    res.set_content("ok\n", "text/plain; charset=utf-8");
  });

  auto guarded = [token](auto handler) {
    return [token, handler](const http::Request& req, http::Response& res) {
      if (!dashboard_authorized(req, token)) {
        res.set_header("WWW-Authenticate", "Bearer realm=\"mcujs-receiver\"");
        return json_error(res, 401, "authentication required (Authorization: Bearer <token> or the session cookie)");
      }
      handler(req, res);
    };
  };

  // [{coreid, name, last_seen_ms, last_event, readings:{...}}]
  svr.get("/api/devices", guarded([&store, &auth](const http::Request&, http::Response& res) {
            json out = json::array();
            for (const DeviceRow& d : store.devices()) {
              std::string name = auth.name_of(d.coreid);
              out.push_back({{"coreid", d.coreid},
                             {"name", name.empty() ? json(nullptr) : json(name)},
                             {"last_seen_ms", d.last_seen_ms},
                             {"last_event", d.last_event},
                             {"readings", d.readings.empty() ? json::object() : parse_data(d.readings)}});
            }
            send_json(res, out);
          }));

  // [{t_ms, event, data:{...}}], oldest first.
  svr.get("/api/readings", guarded([&store](const http::Request& req, http::Response& res) {
            const std::string coreid = req.get_param_value("coreid");
            int64_t hours = 0;
            if (coreid.empty() || !valid_coreid(coreid)) return json_error(res, 400, "coreid=<device id> required");
            if (!int_param(req, "hours", 24, 1, 24 * 366, &hours)) return json_error(res, 400, "hours must be 1..8784");
            json out = json::array();
            for (const ReadingRow& r : store.readings(coreid, now_ms() - hours * 3600 * 1000, kMaxReadings))
              out.push_back({{"t_ms", r.t_ms}, {"event", r.event}, {"data", parse_data(r.data)}});
            send_json(res, out);
          }));

  // [{coreid, t_ms, data:{...}, mailed}], newest first.
  svr.get(
      "/api/alarms", guarded([&store](const http::Request& req, http::Response& res) {
        int64_t limit = 0;
        if (!int_param(req, "limit", 50, 1, 1000, &limit)) return json_error(res, 400, "limit must be 1..1000");
        json out = json::array();
        for (const AlarmRow& a : store.alarms(static_cast<int>(limit)))
          out.push_back({{"coreid", a.coreid}, {"t_ms", a.t_ms}, {"data", parse_data(a.data)}, {"mailed", a.mailed}});
        send_json(res, out);
      }));

  svr.get("/", [token](const http::Request& req, http::Response& res) {
    if (req.has_param("token")) {
      // One URL a browser can open: sets the session, then drops the token
      // from the address bar by redirecting to "/".
      if (token_matches(req.get_param_value("token"), token)) return set_session(res, token);
      log_warn("dashboard: wrong token from " + req.remote_addr);
      return login_page(res, 401, "Wrong token.");
    }
    if (dashboard_authorized(req, token)) return serve_asset(res, "index.html", "text/html; charset=utf-8");
    login_page(res, 200, nullptr);
  });
  svr.post("/login", [token](const http::Request& req, http::Response& res) {
    std::map<std::string, std::string> form;
    parse_form(req.body, &form);  // a malformed form is a wrong token
    if (token_matches(form["token"], token)) return set_session(res, token);
    log_warn("dashboard: failed login from " + req.remote_addr);
    login_page(res, 401, "Wrong token.");
  });
  svr.get("/app.js", [](const http::Request&, http::Response& res) {
    serve_asset(res, "app.js", "text/javascript; charset=utf-8");
  });
  svr.get("/style.css", [](const http::Request&, http::Response& res) {
    serve_asset(res, "style.css", "text/css; charset=utf-8");
  });
}

}  // namespace mcujs_receiver
