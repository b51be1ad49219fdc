// The scenario file parser (nlohmann/json in its non-throwing mode:
// parse(..., nullptr, false) and explicit type checks), filling the shared
// model (sim/scenario.h). tools/scenario2c.py checks files the same way, with
// the same messages, for the firmware.
#include "ports/linux/scenario.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace mcujs::linux_port {

using json = nlohmann::json;

// ---------------------------------------------------------------- parser
namespace {

constexpr double kMaxSeconds = 1e9;  // ~31 years: keeps ms in range

// A field path for messages: base + ".key" or base + "[i]" (truncated if long).
class Path {
 public:
  Path(const char* base, const char* key) {
    add(base);
    add(".");
    add(key);
  }
  Path(const char* base, size_t index) {
    char num[32];
    snprintf(num, sizeof num, "[%zu]", index);
    add(base);
    add(num);
  }
  operator const char*() const { return s_; }

 private:
  void add(const char* p) {
    while (*p && n_ + 1 < sizeof s_) s_[n_++] = *p++;
    s_[n_] = 0;
  }
  char s_[160] = {};
  size_t n_ = 0;
};

// Field paths ("pins.A0.ramp.end_s") and the error message.
class Parser {
 public:
  Parser(const char* name, Scenario* sc, char* err, size_t err_len)
      : name_(name), sc_(sc), err_(err), err_len_(err_len) {}

  bool fail(const char* path, const char* fmt, ...) __attribute__((format(printf, 3, 4))) {
    int n = snprintf(err_, err_len_, "%s: %s: ", name_, path);
    if (n < 0 || static_cast<size_t>(n) >= err_len_) return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_ + n, err_len_ - static_cast<size_t>(n), fmt, ap);
    va_end(ap);
    return false;
  }

  // Only the listed keys may appear (catches typos like "ramps").
  bool only_keys(const json& obj, const char* path, const char* const* keys, size_t n) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool known = false;
      for (size_t i = 0; i < n; i++) known = known || it.key() == keys[i];
      if (!known) return fail(path, "unknown field '%s'", it.key().c_str());
    }
    return true;
  }

  bool number(const json& obj, const char* key, const char* path, double* out) {
    auto it = obj.find(key);
    Path sub(path, key);
    if (it == obj.end()) return fail(sub, "missing (a number is required)");
    if (!it->is_number()) return fail(sub, "must be a number");
    *out = it->get<double>();
    if (!std::isfinite(*out)) return fail(sub, "must be finite");
    return true;
  }

  bool seconds(const json& obj, const char* key, const char* path, uint64_t* ms) {
    double s;
    if (!number(obj, key, path, &s)) return false;
    if (s < 0 || s > kMaxSeconds) {
      return fail(Path(path, key), "must be a time in seconds in 0..%.0f, got %g", kMaxSeconds, s);
    }
    *ms = static_cast<uint64_t>(std::llround(s * 1000.0));
    return true;
  }

  bool steps(const json& j, const char* path, Signal* out) {
    if (!j.is_array() || j.empty()) return fail(path, "must be a non-empty array of [t_s, value]");
    if (j.size() > Signal::kMaxSteps) return fail(path, "at most %u steps", Signal::kMaxSteps);
    if (sc_->steps_used == Scenario::kMaxArrays) return fail(path, "too many signals");
    std::unique_ptr<Step[]>& steps = sc_->owned_steps[sc_->steps_used++];
    steps.reset(new (std::nothrow) Step[j.size()]);
    if (!steps) return fail(path, "out of memory");
    out->steps = steps.get();
    for (size_t i = 0; i < j.size(); i++) {
      Path sub(path, i);
      const json& s = j[i];
      if (!s.is_array() || s.size() != 2 || !s[0].is_number() || !s[1].is_number())
        return fail(sub, "must be [t_s, value] (two numbers)");
      double t = s[0].get<double>(), v = s[1].get<double>();
      if (!std::isfinite(t) || t < 0 || t > kMaxSeconds || !std::isfinite(v))
        return fail(sub, "t_s must be in 0..%.0f and value finite", kMaxSeconds);
      uint64_t t_ms = static_cast<uint64_t>(std::llround(t * 1000.0));
      if (i > 0 && t_ms <= steps[i - 1].t_ms) return fail(sub, "t_s must increase from step to step");
      steps[i] = Step{t_ms, v};
    }
    out->step_count = static_cast<uint32_t>(j.size());
    out->kind = Signal::Kind::kSteps;
    return true;
  }

  bool ramp(const json& j, const char* path, Signal* out) {
    static const char* const kKeys[] = {"from", "to", "start_s", "end_s"};
    if (!j.is_object()) return fail(path, "must be an object {from, to, start_s, end_s}");
    if (!only_keys(j, path, kKeys, 4) || !number(j, "from", path, &out->ramp_from) ||
        !number(j, "to", path, &out->ramp_to) || !seconds(j, "start_s", path, &out->ramp_start_ms) ||
        !seconds(j, "end_s", path, &out->ramp_end_ms))
      return false;
    if (out->ramp_end_ms < out->ramp_start_ms) {
      return fail(Path(path, "end_s"), "must not be before start_s");
    }
    out->kind = Signal::Kind::kRamp;
    return true;
  }

  bool noise(const json& j, const char* path, Signal* out) {
    static const char* const kKeys[] = {"amplitude", "seed"};
    if (!j.is_object()) return fail(path, "must be an object {amplitude, seed}");
    if (!only_keys(j, path, kKeys, 2) || !number(j, "amplitude", path, &out->noise_amplitude)) return false;
    if (out->noise_amplitude < 0) return fail(Path(path, "amplitude"), "must be >= 0");
    auto seed = j.find("seed");
    if (seed != j.end()) {
      if (!seed->is_number_unsigned())
        return fail(Path(path, "seed"), "must be a non-negative integer");
      out->noise_seed = seed->get<uint64_t>();
    }
    return true;
  }

  // [{at_s, duration_s[, value]}]: spikes (with value) or error windows,
  // stored in *store (one of the scenario's owned arrays).
  template <typename T>
  bool windows(const json& j, const char* path, bool with_value, uint32_t max,
               std::unique_ptr<T[]>* store, const T** out, uint32_t* count) {
    static const char* const kKeys[] = {"at_s", "duration_s", "value"};
    if (!j.is_array()) return fail(path, "must be an array of {at_s, duration_s%s}", with_value ? ", value" : "");
    if (j.size() > max) return fail(path, "at most %u entries", max);
    store->reset(new (std::nothrow) T[j.size() ? j.size() : 1]);
    if (!*store) return fail(path, "out of memory");
    *out = store->get();
    for (size_t i = 0; i < j.size(); i++) {
      Path sub(path, i);
      const json& w = j[i];
      if (!w.is_object()) return fail(sub, "must be an object {at_s, duration_s%s}", with_value ? ", value" : "");
      uint64_t at = 0, dur = 0;
      if (!only_keys(w, sub, kKeys, with_value ? 3 : 2) || !seconds(w, "at_s", sub, &at) ||
          !seconds(w, "duration_s", sub, &dur))
        return false;
      if (dur == 0) return fail(Path(sub, "duration_s"), "must be at least 0.001");
      T& t = (*store)[i];
      t.at_ms = at;
      t.end_ms = at + dur;
      if constexpr (std::is_same_v<T, Spike>) {
        if (!number(w, "value", sub, &t.value)) return false;
      }
    }
    *count = static_cast<uint32_t>(j.size());
    return true;
  }

  bool signal(const json& j, const char* path, Signal* out) {
    static const char* const kKeys[] = {"constant", "steps", "ramp", "noise", "spikes"};
    if (!j.is_object()) return fail(path, "must be an object with one of constant, steps or ramp");
    if (!only_keys(j, path, kKeys, 5)) return false;
    int bases = static_cast<int>(j.contains("constant")) + static_cast<int>(j.contains("steps")) +
                static_cast<int>(j.contains("ramp"));
    if (bases != 1) return fail(path, "needs exactly one of constant, steps or ramp (got %d)", bases);
    if (j.contains("constant")) {
      if (!number(j, "constant", path, &out->constant)) return false;
      out->kind = Signal::Kind::kConstant;
    } else if (j.contains("steps")) {
      Path sub(path, "steps");
      if (!steps(j["steps"], sub, out)) return false;
    } else {
      Path sub(path, "ramp");
      if (!ramp(j["ramp"], sub, out)) return false;
    }
    if (j.contains("noise")) {
      Path sub(path, "noise");
      if (!noise(j["noise"], sub, out)) return false;
    }
    if (j.contains("spikes")) {
      Path sub(path, "spikes");
      if (sc_->spikes_used == Scenario::kMaxArrays) return fail(sub, "too many signals");
      if (!windows<Spike>(j["spikes"], sub, true, Signal::kMaxSpikes, &sc_->owned_spikes[sc_->spikes_used++],
                          &out->spikes, &out->spike_count))
        return false;
    }
    return true;
  }

  bool pin_name(const std::string& name, const char* path, Scenario* sc, const BoardPin** out) {
    *out = board_pin_named(name.c_str());
    if (!*out) return fail(path, "unknown pin (the board has D0..D7, A0..A7 and DAC = A6)");
    if (sc->pin_signal((*out)->number) || sc->dht_on((*out)->number))
      return fail(path, "pin %s is given twice (in pins or dht11)", (*out)->name);
    return true;
  }

  bool dht(const json& j, const char* path, DhtSensor* out) {
    static const char* const kKeys[] = {"temperature", "humidity", "errors"};
    if (!j.is_object()) return fail(path, "must be an object {temperature, humidity[, errors]}");
    if (!only_keys(j, path, kKeys, 3)) return false;
    for (int k = 0; k < 2; k++) {
      const char* key = k == 0 ? "temperature" : "humidity";
      Path sub(path, key);
      if (!j.contains(key)) return fail(sub, "missing (a signal is required)");
      if (!signal(j[key], sub, k == 0 ? &out->temperature : &out->humidity)) return false;
    }
    if (j.contains("errors")) {
      Path sub(path, "errors");
      if (sc_->windows_used == kBoardPinCount) return fail(sub, "too many sensors");
      if (!windows<Window>(j["errors"], sub, false, DhtSensor::kMaxErrors,
                           &sc_->owned_windows[sc_->windows_used++], &out->errors, &out->error_count))
        return false;
    }
    return true;
  }

  bool scenario(const json& j, Scenario* sc) {
    static const char* const kKeys[] = {"clock", "duration_s", "pins", "dht11", "description"};
    if (!j.is_object()) return fail("(top level)", "must be a JSON object");
    if (!only_keys(j, "(top level)", kKeys, 5)) return false;
    if (j.contains("clock")) {
      const json& c = j["clock"];
      if (!c.is_string() || (c != "simulated" && c != "real"))
        return fail("clock", "must be \"simulated\" or \"real\"");
      sc->simulated_clock = c == "simulated";
    }
    if (j.contains("duration_s")) {
      if (!seconds(j, "duration_s", "(top level)", &sc->duration_ms)) return false;
      if (sc->duration_ms == 0) return fail("duration_s", "must be at least 0.001");
    }
    if (j.contains("pins")) {
      const json& pins = j["pins"];
      if (!pins.is_object()) return fail("pins", "must be an object {\"D0\": signal, ...}");
      for (auto it = pins.begin(); it != pins.end(); ++it) {
        Path path("pins", it.key().c_str());
        const BoardPin* p;
        if (!pin_name(it.key(), path, sc, &p)) return false;
        PinSignal& ps = sc->pin_store[sc->pin_count];
        ps.pin = p->number;
        if (!signal(it.value(), path, &ps.signal)) return false;
        sc->pin_count++;
      }
    }
    if (j.contains("dht11")) {
      const json& d = j["dht11"];
      if (!d.is_object()) return fail("dht11", "must be an object {\"D2\": {temperature, humidity}, ...}");
      for (auto it = d.begin(); it != d.end(); ++it) {
        Path path("dht11", it.key().c_str());
        const BoardPin* p;
        if (!pin_name(it.key(), path, sc, &p)) return false;
        DhtSensor& ds = sc->dht_store[sc->dht_count];
        ds.pin = p->number;
        if (!dht(it.value(), path, &ds)) return false;
        sc->dht_count++;
      }
    }
    return true;
  }

 private:
  const char* name_;
  Scenario* sc_;  // owns the arrays the model points to
  char* err_;
  size_t err_len_;
};

}  // namespace

bool parse_scenario(const char* text, size_t len, const char* name, Scenario* out, char* err,
                    size_t err_len) {
  Parser p(name, out, err, err_len);
  json j = json::parse(text, text + len, nullptr, false);
  if (j.is_discarded()) return p.fail("(file)", "not valid JSON");
  return p.scenario(j, out);
}

bool load_scenario(const char* path, Scenario* out, char* err, size_t err_len) {
  constexpr size_t kMaxFile = 1024 * 1024;
  FILE* f = fopen(path, "rb");
  if (!f) {
    snprintf(err, err_len, "%s: cannot open the scenario file", path);
    return false;
  }
  std::unique_ptr<char[]> buf(new (std::nothrow) char[kMaxFile + 1]);
  size_t n = buf ? fread(buf.get(), 1, kMaxFile + 1, f) : 0;
  bool read_error = ferror(f) != 0;
  fclose(f);
  if (!buf || read_error) {
    snprintf(err, err_len, "%s: cannot read the scenario file", path);
    return false;
  }
  if (n > kMaxFile) {
    snprintf(err, err_len, "%s: the scenario file is larger than 1 MiB", path);
    return false;
  }
  return parse_scenario(buf.get(), n, path, out, err, err_len);
}

}  // namespace mcujs::linux_port
