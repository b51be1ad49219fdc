#include "apps/cli/options.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mcujs::cli {

const char kUsage[] =
    "Usage: mcujs run [options] <script.js> [args...]\n"
    "       mcujs bundle --board BOARD -o OUT [--config FILE] [--ca FILE]\n"
    "                    [--file NAME=FILE]... [--features LIST] ENTRY.js\n"
    "       mcujs qemu --board BOARD [--flash-state FILE] [--net user|none|SPEC]\n"
    "                  [--image ELF] [--icount] [--timeout S] APP.bundle\n"
    "       mcujs --version | --help\n"
    "\n"
    "Runs a JavaScript file (an ES module when it uses import/export or ends in\n"
    ".mjs, else a plain script) on the Linux port, with the photon, console,\n"
    "timers, fetch and tls APIs. Exits 0 when the event loop is empty, 1 after\n"
    "an uncaught error or unhandled rejection (see --keep-running).\n"
    "\n"
    "Options:\n"
    "  --ca FILE               trust the PEM certificates in FILE (repeatable)\n"
    "  --log-level LEVEL       trace, info, warn, error or none (default info)\n"
    "  --memory-limit SIZE     JS heap limit, e.g. 512k, 64m (default 64m; 0 = none)\n"
    "  --gc-threshold SIZE     allocation volume between collections (default 256k)\n"
    "  --connect-timeout MS    TCP connect timeout (default 10000)\n"
    "  --handshake-timeout MS  TLS handshake timeout (default 10000)\n"
    "  --keep-running          log uncaught errors and keep the loop running\n"
    "  --config FILE           the app's JSON configuration (photon.config; its\n"
    "                          'cloud' section configures photon.publish's outbox)\n"
    "  --state-dir DIR         where persistent state (the outbox) is kept\n"
    "                          (default: ./mcujs-state)\n"
    "  --scenario FILE         drive the simulated board's sensors from FILE (JSON)\n"
    "  --trace FILE            write board outputs (pins, LEDs) as JSON lines\n"
    "  --no-tls-resumption     full TLS handshake for every connection (no session\n"
    "                          cache; see docs/tls.md)\n"
    "  --entropy SOURCE        'system' (getrandom, default) or 'prng' (a weak\n"
    "                          source, as in the origin article: TLS then refuses\n"
    "                          to start unless --insecure-entropy is given)\n"
    "\n"
    "Development hazards (each warns loudly; never use in production):\n"
    "  --insecure-skip-verify  do not verify server certificates\n"
    "  --insecure-entropy      let TLS run on an entropy source that is not strong\n"
    "  --insecure-no-wall-clock  connect without checking certificate validity\n"
    "                          periods when the clock is not set (warns)\n"
    "\n"
    "bundle compiles ENTRY.js and the modules it imports (relative paths) to\n"
    "QuickJS bytecode for BOARD (mps2-an385, mps2-an505) and packs them with the data files\n"
    "(--config -> config.json, --ca -> ca.pem); --features overrides the features\n"
    "found in the source (date, regexp, mapset, typedarrays, board, tls, fetch).\n"
    "The config's \"device\" section, e.g. {\"ntp\": \"10.0.2.2:12300\", \"log\": \"trace\"},\n"
    "is checked and becomes the device's boot settings (boot.cfg).\n"
    "qemu runs the board's runtime image under QEMU with the bundle in its flash,\n"
    "prints the UART and exits with the app's status; --flash-state FILE keeps\n"
    "the device's flash (bundle + storage) in FILE across runs (docs/firmware.md).\n"
    "\n"
    "Example:\n"
    "  mcujs run --ca ca.pem app.js\n";

bool parse_size(const char* s, size_t* out) {
  if (!s || !*s) return false;
  char* end = nullptr;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s || s[0] == '-') return false;
  unsigned long long mul = 1;
  if (*end == 'k' || *end == 'K') mul = 1024, end++;
  else if (*end == 'm' || *end == 'M') mul = 1024 * 1024, end++;
  else if (*end == 'g' || *end == 'G') mul = 1024ull * 1024 * 1024, end++;
  if (*end) return false;
  if (v > (~0ull) / mul) return false;
  *out = static_cast<size_t>(v * mul);
  return true;
}

static bool parse_ms(const char* s, uint32_t* out) {
  size_t v;
  if (!parse_size(s, &v) || v == 0 || v > 3600000) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool parse_options(int argc, char** argv, CliOptions* o, char* err, size_t err_len) {
  if (argc < 2) { o->command = Command::kHelp; return true; }
  const char* cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    o->command = Command::kHelp;
    return true;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-v") || !strcmp(cmd, "version")) {
    o->command = Command::kVersion;
    return true;
  }
  if (strcmp(cmd, "run") != 0) {
    snprintf(err, err_len, "unknown command '%s' (try: mcujs run <script.js>, mcujs bundle, mcujs qemu)", cmd);
    return false;
  }
  o->command = Command::kRun;
  o->net.ca_files = o->ca_files;
  int i = 2;
  for (; i < argc; i++) {
    const char* a = argv[i];
    if (a[0] != '-' || !strcmp(a, "-")) break;
    if (!strcmp(a, "--")) { i++; break; }
    auto value = [&](const char** v) {
      if (i + 1 >= argc) {
        snprintf(err, err_len, "option %s needs a value", a);
        return false;
      }
      *v = argv[++i];
      return true;
    };
    const char* v = nullptr;
    if (!strcmp(a, "--ca")) {
      if (!value(&v)) return false;
      if (o->net.ca_file_count >= CliOptions::kMaxCaFiles) {
        snprintf(err, err_len, "at most %d --ca files", CliOptions::kMaxCaFiles);
        return false;
      }
      o->ca_files[o->net.ca_file_count++] = v;
    } else if (!strcmp(a, "--config")) {
      if (!value(&o->config_file)) return false;
    } else if (!strcmp(a, "--state-dir")) {
      if (!value(&o->state_dir)) return false;
    } else if (!strcmp(a, "--scenario")) {
      if (!value(&o->scenario_file)) return false;
    } else if (!strcmp(a, "--trace")) {
      if (!value(&o->trace_file)) return false;
    } else if (!strcmp(a, "--log-level")) {
      if (!value(&v)) return false;
      if (!port::log_level_from_name(v, &o->runtime.log_level)) {
        snprintf(err, err_len, "--log-level: expected trace, info, warn, error or none, got '%s'", v);
        return false;
      }
    } else if (!strcmp(a, "--memory-limit") || !strcmp(a, "--gc-threshold")) {
      size_t n;
      if (!value(&v)) return false;
      if (!parse_size(v, &n)) {
        snprintf(err, err_len, "%s: expected a size like 512k or 64m, got '%s'", a, v);
        return false;
      }
      if (a[2] == 'm') o->runtime.memory_limit = n; else o->runtime.gc_threshold = n;
    } else if (!strcmp(a, "--connect-timeout") || !strcmp(a, "--handshake-timeout")) {
      uint32_t ms;
      if (!value(&v)) return false;
      if (!parse_ms(v, &ms)) {
        snprintf(err, err_len, "%s: expected milliseconds in 1..3600000, got '%s'", a, v);
        return false;
      }
      if (a[2] == 'c') o->net.connect_timeout_ms = ms; else o->net.tls.handshake_timeout_ms = ms;
    } else if (!strcmp(a, "--keep-running")) {
      o->runtime.exit_on_uncaught = false;
    } else if (!strcmp(a, "--entropy")) {
      if (!value(&v)) return false;
      if (!strcmp(v, "system")) o->entropy = EntropyChoice::kSystem;
      else if (!strcmp(v, "prng")) o->entropy = EntropyChoice::kPrng;
      else {
        snprintf(err, err_len, "--entropy: expected 'system' or 'prng', got '%s'", v);
        return false;
      }
    } else if (!strcmp(a, "--no-tls-resumption")) {
      o->net.tls.session_resumption = false;
    } else if (!strcmp(a, "--insecure-skip-verify")) {
      o->net.tls.insecure_skip_verify = true;
    } else if (!strcmp(a, "--insecure-entropy")) {
      o->net.tls.insecure_entropy = true;
    } else if (!strcmp(a, "--insecure-no-wall-clock")) {
      o->net.tls.insecure_no_wall_clock = true;
    } else {
      snprintf(err, err_len, "unknown option '%s' (see mcujs --help)", a);
      return false;
    }
  }
  if (i >= argc) {
    snprintf(err, err_len, "missing script file (usage: mcujs run [options] <script.js>)");
    return false;
  }
  o->script = argv[i];
  o->script_argc = argc - i;
  o->script_argv = argv + i;
  return true;
}

}  // namespace mcujs::cli
