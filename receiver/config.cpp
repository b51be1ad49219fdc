#include "config.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace mcujs_receiver {
namespace {

using nlohmann::json;

const char kUsage[] =
    "usage: mcujs-receiver [--config FILE] [options]\n"
    "\n"
    "Receives the sensor hub's events over HTTPS (the article's Webtask), stores\n"
    "them in SQLite, mails alarms and serves a dashboard. See docs/receiver.md.\n"
    "\n"
    "Quick start:\n"
    "  cp receiver/receiver.example.json receiver.json   # edit secrets and paths\n"
    "  mcujs-receiver --config receiver.json\n"
    "  then open https://localhost:8443/?token=<dashboard_token>\n"
    "\n"
    "Options (each overrides the same setting in the config file):\n"
    "  --config FILE          JSON config file (keys: see receiver.example.json)\n"
    "  --listen ADDR[:PORT]   address to listen on (default 127.0.0.1:8443;\n"
    "                         port 0 lets the kernel pick one, see --port-file)\n"
    "  --cert FILE            server certificate chain, PEM, leaf first\n"
    "  --key FILE             its private key, PEM\n"
    "  --db FILE|URI          SQLite database (default receiver.db), or\n"
    "                         postgresql://... for several instances\n"
    "  --path PATH            where devices POST events (default /events)\n"
    "  --dashboard-token TOK  token for the dashboard and the JSON API\n"
    "                         (visible in `ps`: prefer the config file)\n"
    "  --max-body BYTES       largest accepted event body (default 4096)\n"
    "  --max-send-fragment BYTES  largest TLS record we send, 512..16384\n"
    "                         (default 4096: devices with 4 KB receive buffers)\n"
    "  --read-timeout S       seconds a client may stay silent (default 10)\n"
    "  --threads N            worker threads (default: one per core)\n"
    "  --idle-timeout S       idle keep-alive connections closed after S s (default 5)\n"
    "  --max-connections N    open connections at most (default 16384)\n"
    "  --max-connections-per-client N  per client address (default 256)\n"
    "  --smtp-url URL         smtp://host:port for alarm e-mail (none: no mail)\n"
    "  --mail-from ADDR       sender of alarm e-mail\n"
    "  --mail-to ADDR[,ADDR]  recipients of alarm e-mail\n"
    "  --alarm-min-period S   at most one alarm e-mail per device per S seconds\n"
    "                         (default 300)\n"
    "  --port-file FILE       write the bound port there once listening\n"
    "  --verbose              also log every API request\n"
    "  --help, --version\n"
    "\n"
    "Devices (coreid and secret) are only set in the config file.\n"
    "Stop with Ctrl-C or SIGTERM: it finishes the running requests and mail.\n";

const std::set<std::string> kKeys = {"listen",
                                     "port",
                                     "cert",
                                     "key",
                                     "db",
                                     "path",
                                     "devices",
                                     "secret",
                                     "client_ca",
                                     "dashboard_token",
                                     "max_body",
                                     "max_send_fragment",
                                     "read_timeout_s",
                                     "threads",
                                     "idle_timeout_s",
                                     "max_connections",
                                     "max_connections_per_client",
                                     "smtp_url",
                                     "smtp_starttls",
                                     "mail_from",
                                     "mail_to",
                                     "mail_subject",
                                     "alarm_min_period_s"};

bool parse_int(const std::string& s, int64_t lo, int64_t hi, int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// "ADDR", "ADDR:PORT", "[V6]:PORT".
bool parse_listen(const std::string& s, Config* cfg, std::string* error) {
  std::string host = s, port;
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos) {
      *error = "listen: missing ']' in " + s;
      return false;
    }
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') {
        *error = "listen: expected ':' after ']' in " + s;
        return false;
      }
      port = s.substr(close + 2);
    }
  } else if (size_t colon = s.rfind(':'); colon != std::string::npos && s.find(':') == colon) {
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  if (host.empty()) {
    *error = "listen: no address in '" + s + "'";
    return false;
  }
  cfg->listen_host = host;
  if (!port.empty() || (s.size() && s.back() == ':')) {
    int64_t p;
    if (!parse_int(port, 0, 65535, &p)) {
      *error = "listen: bad port in '" + s + "'";
      return false;
    }
    cfg->port = static_cast<int>(p);
  }
  return true;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

std::string relative_to(const std::string& dir, const std::string& p) {
  if (p.empty() || p[0] == '/' || dir.empty()) return p;
  return dir + "/" + p;
}

// "AB:CD:..." or "abcd...": lowercase hex without colons ("" if not hex).
std::string normalize_fingerprint(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "x";  // fails the length check
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool header_safe(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

const char* usage() { return kUsage; }

bool valid_coreid(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool load_config_file(const std::string& file, Config* cfg, std::string* error) {
  std::ifstream in(file);
  if (!in) {
    *error = "cannot read config file " + file;
    return false;
  }
  json j = json::parse(in, nullptr, false, true);  // comments allowed
  if (j.is_discarded() || !j.is_object()) {
    *error = file + ": not a JSON object (check commas and quotes)";
    return false;
  }
  std::string dir;
  if (size_t slash = file.rfind('/'); slash != std::string::npos) dir = file.substr(0, slash);
  try {
    for (auto& [k, v] : j.items()) {
      if (k.rfind("_", 0) == 0 || k.rfind("comment", 0) == 0) continue;  // comments
      if (!kKeys.count(k)) {
        *error = file + ": unknown key '" + k + "'";
        return false;
      }
    }
    auto str = [&](const char* k, std::string* out) {
      if (j.contains(k)) *out = j.at(k).get<std::string>();
    };
    if (j.contains("listen") && !parse_listen(j["listen"].get<std::string>(), cfg, error)) return false;
    if (j.contains("port")) {
      int p = j["port"].get<int>();
      if (p < 0 || p > 65535) {
        *error = file + ": port out of range";
        return false;
      }
      cfg->port = p;
    }
    str("cert", &cfg->cert);
    str("key", &cfg->key);
    str("db", &cfg->db);
    cfg->cert = relative_to(dir, cfg->cert);
    cfg->key = relative_to(dir, cfg->key);
    if (cfg->db.find("://") == std::string::npos) cfg->db = relative_to(dir, cfg->db);  // not a PostgreSQL URI
    str("path", &cfg->path);
    str("secret", &cfg->shared_secret);
    str("client_ca", &cfg->client_ca);
    cfg->client_ca = relative_to(dir, cfg->client_ca);
    str("dashboard_token", &cfg->dashboard_token);
    str("smtp_url", &cfg->smtp_url);
    str("mail_from", &cfg->mail_from);
    str("mail_subject", &cfg->mail_subject);
    if (j.contains("smtp_starttls")) cfg->smtp_starttls = j["smtp_starttls"].get<bool>();
    if (j.contains("mail_to")) {
      if (j["mail_to"].is_array())
        cfg->mail_to = j["mail_to"].get<std::vector<std::string>>();
      else
        cfg->mail_to = split_commas(j["mail_to"].get<std::string>());
    }
    if (j.contains("max_body")) cfg->max_body = j["max_body"].get<size_t>();
    if (j.contains("max_send_fragment")) cfg->max_send_fragment = j["max_send_fragment"].get<int>();
    if (j.contains("read_timeout_s")) cfg->read_timeout_s = j["read_timeout_s"].get<int>();
    if (j.contains("threads")) cfg->threads = j["threads"].get<int>();
    if (j.contains("idle_timeout_s")) cfg->idle_timeout_s = j["idle_timeout_s"].get<int>();
    if (j.contains("max_connections")) cfg->max_connections = j["max_connections"].get<int>();
    if (j.contains("max_connections_per_client"))
      cfg->max_connections_per_client = j["max_connections_per_client"].get<int>();
    if (j.contains("alarm_min_period_s")) cfg->alarm_min_period_s = j["alarm_min_period_s"].get<int64_t>();
    if (j.contains("devices")) {
      cfg->devices.clear();
      for (const auto& d : j.at("devices")) {
        Device dev;
        dev.coreid = d.at("coreid").get<std::string>();
        if (d.contains("secret")) dev.secret = d["secret"].get<std::string>();
        if (d.contains("cert_sha256")) dev.cert_sha256 = normalize_fingerprint(d["cert_sha256"].get<std::string>());
        if (d.contains("name")) dev.name = d["name"].get<std::string>();
        cfg->devices.push_back(dev);
      }
    }
  } catch (const json::exception& e) {
    *error = file + ": " + e.what();
    return false;
  }
  return true;
}

ParseResult parse_args(int argc, char** argv, Config* cfg, std::string* error) {
  // Pass 1: help/version and the config file, so flags override the file.
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      fputs(kUsage, stdout);
      return ParseResult::kExit;
    }
    if (a == "--version") {
      puts("mcujs-receiver " MCUJS_RECEIVER_VERSION);
      return ParseResult::kExit;
    }
  }
  struct Flag {
    std::string name, value;
  };
  std::vector<Flag> flags;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) {
      *error = "unexpected argument '" + a + "' (see --help)";
      return ParseResult::kError;
    }
    if (a == "--verbose") {
      cfg->verbose = true;
      continue;
    }
    Flag f;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      f.name = a.substr(2, eq - 2);
      f.value = a.substr(eq + 1);
    } else {
      f.name = a.substr(2);
      if (i + 1 >= argc) {
        *error = a + " needs a value (see --help)";
        return ParseResult::kError;
      }
      f.value = argv[++i];
    }
    flags.push_back(f);
  }
  for (const Flag& f : flags)
    if (f.name == "config" && !load_config_file(f.value, cfg, error)) return ParseResult::kError;
  for (const Flag& f : flags) {
    const std::string& n = f.name;
    const std::string& v = f.value;
    int64_t x = 0;
    auto num = [&](int64_t lo, int64_t hi) {
      if (parse_int(v, lo, hi, &x)) return true;
      *error = "--" + n + ": expected a number in " + std::to_string(lo) + ".." + std::to_string(hi);
      return false;
    };
    if (n == "config")
      continue;
    else if (n == "listen") {
      if (!parse_listen(v, cfg, error)) return ParseResult::kError;
    } else if (n == "cert")
      cfg->cert = v;
    else if (n == "key")
      cfg->key = v;
    else if (n == "db")
      cfg->db = v;
    else if (n == "path")
      cfg->path = v;
    else if (n == "dashboard-token")
      cfg->dashboard_token = v;
    else if (n == "smtp-url")
      cfg->smtp_url = v;
    else if (n == "mail-from")
      cfg->mail_from = v;
    else if (n == "mail-to")
      cfg->mail_to = split_commas(v);
    else if (n == "port-file")
      cfg->port_file = v;
    else if (n == "max-body") {
      if (!num(64, 1 << 20)) return ParseResult::kError;
      cfg->max_body = static_cast<size_t>(x);
    } else if (n == "max-send-fragment") {
      if (!num(512, 16384)) return ParseResult::kError;
      cfg->max_send_fragment = static_cast<int>(x);
    } else if (n == "read-timeout") {
      if (!num(1, 3600)) return ParseResult::kError;
      cfg->read_timeout_s = static_cast<int>(x);
    } else if (n == "threads") {
      if (!num(1, 256)) return ParseResult::kError;
      cfg->threads = static_cast<int>(x);
    } else if (n == "idle-timeout") {
      if (!num(1, 3600)) return ParseResult::kError;
      cfg->idle_timeout_s = static_cast<int>(x);
    } else if (n == "max-connections") {
      if (!num(1, 1000000)) return ParseResult::kError;
      cfg->max_connections = static_cast<int>(x);
    } else if (n == "max-connections-per-client") {
      if (!num(1, 1000000)) return ParseResult::kError;
      cfg->max_connections_per_client = static_cast<int>(x);
    } else if (n == "alarm-min-period") {
      if (!num(0, 366LL * 86400)) return ParseResult::kError;
      cfg->alarm_min_period_s = x;
    } else {
      *error = "unknown option --" + n + " (see --help)";
      return ParseResult::kError;
    }
  }
  return ParseResult::kOk;
}

bool validate(const Config& c, std::string* error) {
  if (c.cert.empty() || c.key.empty()) {
    *error = "--cert and --key are required (PEM files)";
    return false;
  }
  if (c.path.empty() || c.path[0] != '/' || c.path.rfind("/api/", 0) == 0 || c.path == "/" || c.path == "/login" ||
      c.path == "/healthz") {
    *error = "path must start with '/' and not clash with the dashboard routes";
    return false;
  }
  if (c.max_body < 64 || c.max_body > (1u << 20)) {
    *error = "max_body must be 64..1048576";
    return false;
  }
  if (c.max_send_fragment < 512 || c.max_send_fragment > 16384) {
    *error = "max_send_fragment must be 512..16384";
    return false;
  }
  if (c.read_timeout_s < 1 || c.read_timeout_s > 3600) {
    *error = "read_timeout_s must be 1..3600";
    return false;
  }
  if (c.threads < 0 || c.threads > 256) {
    *error = "threads must be 1..256 (0: one per core)";
    return false;
  }
  if (c.idle_timeout_s < 1 || c.idle_timeout_s > 3600) {
    *error = "idle_timeout_s must be 1..3600";
    return false;
  }
  if (c.max_connections < 1 || c.max_connections > 1000000 || c.max_connections_per_client < 1 ||
      c.max_connections_per_client > 1000000) {
    *error = "max_connections and max_connections_per_client must be 1..1000000";
    return false;
  }
  if (c.alarm_min_period_s < 0) {
    *error = "alarm_min_period_s must be >= 0";
    return false;
  }
  if (c.devices.empty() && c.shared_secret.empty()) {
    *error = "no devices configured: add \"devices\": [{\"coreid\": ..., \"secret\": ...}] to the config";
    return false;
  }
  std::set<std::string> seen;
  for (const Device& d : c.devices) {
    if (!valid_coreid(d.coreid)) {
      *error = "device coreid '" + d.coreid + "': 1..64 of A-Z a-z 0-9 . _ : -";
      return false;
    }
    if (!seen.insert(d.coreid).second) {
      *error = "device " + d.coreid + " listed twice";
      return false;
    }
    if (!d.cert_sha256.empty() && d.cert_sha256.size() != 64) {
      *error = "device " + d.coreid + ": cert_sha256 must be 64 hex digits (openssl x509 -noout -fingerprint -sha256)";
      return false;
    }
    if (d.secret.size() < 8 && !(d.secret.empty() && !d.cert_sha256.empty())) {
      *error = "device " + d.coreid + ": secret shorter than 8 characters";
      return false;
    }
    if (!header_safe(d.secret)) {
      *error = "device " + d.coreid + ": secret has control characters";
      return false;
    }
  }
  if (!c.shared_secret.empty() && c.shared_secret.size() < 8) {
    *error = "secret shorter than 8 characters";
    return false;
  }
  // The token is also the cookie value: keep it to cookie-safe characters.
  for (char ch : c.dashboard_token) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
              ch == '_' || ch == '.' || ch == '~' || ch == '+' || ch == '/' || ch == '=';
    if (!ok) {
      *error = "dashboard_token: use only A-Z a-z 0-9 - _ . ~ + / =";
      return false;
    }
  }
  if (!c.smtp_url.empty()) {
    if (c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0) {
      *error = "smtp_url must be smtp://host:port or smtps://host:port";
      return false;
    }
    if (c.mail_from.empty() || c.mail_to.empty()) {
      *error = "smtp_url needs mail_from and mail_to";
      return false;
    }
    bool ok = header_safe(c.mail_from) && header_safe(c.mail_subject);
    for (const auto& t : c.mail_to) ok = ok && header_safe(t) && !t.empty();
    if (!ok) {
      *error = "mail_from, mail_to and mail_subject must be one line each";
      return false;
    }
  }
  return true;
}

}  // namespace mcujs_receiver
