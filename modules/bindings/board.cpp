// The board API of the origin article, on the Particle Photon's pins:
// photon.pin(n) reads (digital pins: booleans, analog pins: numbers),
// photon.pin(n, value) writes, photon.pin.mode(n[, mode]), the pin constants
// on photon.pin as the article has them (photon.pin.D0..D7, A0..A7, DAC) and
// on photon (photon.D0..., HIGH, LOW), and the global dht11.read(pin). Everything goes through port::Gpio and port::Climate; on
// Linux those are the board simulator (docs/board.md).
#include <cstring>
#include <new>

#include "core/runtime.h"
#include "modules/bindings/args.h"
#include "modules/bindings/install.h"

namespace mcujs::bind {

namespace {

// A0..A7 read the 12-bit ADC and write 0/1 like digital pins; the DAC (A6)
// reads the ADC and writes 0..4095.
enum class PinKind : uint8_t { kDigital, kAnalog, kDac };

struct PinInfo {
  const char* name;
  uint16_t number;
  PinKind kind;
};

constexpr PinInfo kPins[] = {
    {"D0", 0, PinKind::kDigital},  {"D1", 1, PinKind::kDigital},  {"D2", 2, PinKind::kDigital},
    {"D3", 3, PinKind::kDigital},  {"D4", 4, PinKind::kDigital},  {"D5", 5, PinKind::kDigital},
    {"D6", 6, PinKind::kDigital},  {"D7", 7, PinKind::kDigital},  {"A0", 10, PinKind::kAnalog},
    {"A1", 11, PinKind::kAnalog},  {"A2", 12, PinKind::kAnalog},  {"A3", 13, PinKind::kAnalog},
    {"A4", 14, PinKind::kAnalog},  {"A5", 15, PinKind::kAnalog},  {"DAC", 16, PinKind::kDac},
    {"A7", 17, PinKind::kAnalog},
};
constexpr int kPinCount = sizeof kPins / sizeof kPins[0];
constexpr int64_t kDacMax = 4095;

struct ModeName {
  const char* name;
  port::PinMode mode;
};
constexpr ModeName kModes[] = {
    {"INPUT", port::PinMode::kInput},
    {"OUTPUT", port::PinMode::kOutput},
    {"INPUT_PULLUP", port::PinMode::kInputPullup},
    {"INPUT_PULLDOWN", port::PinMode::kInputPulldown},
};

// Pin modes as the script set them, so that writing an input is refused
// before it reaches the port. A pin whose mode was never set reads as an
// input; writing it is ignored, as Device OS's digitalWrite ignores a pin in
// PIN_MODE_NONE, with one warning per pin.
struct BoardState {
  port::PinMode mode[kPinCount] = {};
  bool mode_set[kPinCount] = {};
  bool warned[kPinCount] = {};
};

BoardState* state(JSContext* ctx) {
  return static_cast<BoardState*>(core::Runtime::from(ctx)->slot(core::Slot::kBoard));
}

const port::Platform& platform(JSContext* ctx) { return core::Runtime::from(ctx)->platform(); }

// The pin table helper: argument i as one of the board's pins (its index in
// kPins), or a TypeError/RangeError naming the function.
bool pin_arg(Args& a, int i, int* index) {
  int64_t n;
  if (!a.integer(i, "pin", INT32_MIN, INT32_MAX, &n)) return false;
  for (int k = 0; k < kPinCount; k++) {
    if (kPins[k].number == n) {
      *index = k;
      return true;
    }
  }
  a.range_error("unknown pin %ld (D0..D7 are 0..7, A0..A5 are 10..15, DAC (A6) is 16, A7 is 17)",
                static_cast<long>(n));
  return false;
}

// The value to write: a boolean or a number on digital outputs (any number
// but 0 and NaN is HIGH, as the article's binding converted it), 0..4095 on
// the DAC.
bool pin_value(Args& a, int i, const PinInfo& p, uint16_t* out) {
  if (p.kind == PinKind::kDac) {
    int64_t v;
    if (!a.integer(i, "value", 0, kDacMax, &v)) return false;
    *out = static_cast<uint16_t>(v);
    return true;
  }
  JSValueConst v = a[i];
  if (JS_IsBool(v)) {
    *out = JS_ToBool(a.ctx(), v) ? 1 : 0;
    return true;
  }
  double d;
  if (!JS_IsNumber(v) || JS_ToFloat64(a.ctx(), &d, v) < 0) {
    a.type_error("value for %s must be a boolean or a number (photon.HIGH / photon.LOW)", p.name);
    return false;
  }
  *out = d != 0 && d == d ? 1 : 0;
  return true;
}

JSValue port_failure(JSContext* ctx, const char* fn, const char* what, const PinInfo& p, int32_t rc) {
  return throw_error(ctx, "%s: %s %s failed: %s", fn, what, p.name, port::error_text(rc));
}

// photon.pin(n) -> true/false (D0..D7) or 0..4095 (analog pins, the DAC);
// photon.pin(n, value).
JSValue pin_fn(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "pin", argc, argv);
  int idx;
  if (!a.count(1, 2) || !pin_arg(a, 0, &idx)) return JS_EXCEPTION;
  const PinInfo& p = kPins[idx];
  port::Gpio* gpio = platform(ctx).gpio;
  if (!gpio) return throw_error(ctx, "pin: this board has no GPIO");
  if (argc == 1) {
    uint16_t v = 0;
    int32_t rc = gpio->read(p.number, &v);
    if (rc != port::kOk) return port_failure(ctx, a.fn(), "reading", p, rc);
    return p.kind == PinKind::kDigital ? JS_NewBool(ctx, v != 0) : JS_NewInt32(ctx, v);
  }
  BoardState* st = state(ctx);
  if (!st->mode_set[idx]) {
    uint16_t ignored;
    if (!pin_value(a, 1, p, &ignored)) return JS_EXCEPTION;
    if (!st->warned[idx]) {
      st->warned[idx] = true;
      core::Runtime::from(ctx)->log(port::LogLevel::kWarn,
                                    "pin: %s was written before photon.pin.mode(photon.pin.%s, 'OUTPUT'); "
                                    "the write is ignored, as on the Photon (Device OS ignores digitalWrite "
                                    "on a pin without a mode). Warned once per pin.",
                                    p.name, p.name);
    }
    return JS_UNDEFINED;
  }
  if (st->mode[idx] != port::PinMode::kOutput)
    return a.type_error("%s is an input; call photon.pin.mode(photon.%s, 'OUTPUT') before writing it", p.name,
                        p.name);
  uint16_t v;
  if (!pin_value(a, 1, p, &v)) return JS_EXCEPTION;
  int32_t rc = gpio->write(p.number, v);
  if (rc != port::kOk) return port_failure(ctx, a.fn(), "writing", p, rc);
  return JS_UNDEFINED;
}

// photon.pin.mode(n, 'INPUT' | 'OUTPUT' | 'INPUT_PULLUP' | 'INPUT_PULLDOWN');
// photon.pin.mode(n) -> the mode set, or null if none was.
JSValue pin_mode_fn(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "pin.mode", argc, argv);
  int idx;
  JsString name;
  if (!a.count(1, 2) || !pin_arg(a, 0, &idx)) return JS_EXCEPTION;
  if (argc == 1) {
    const BoardState* st = state(ctx);
    if (!st->mode_set[idx]) return JS_NULL;
    for (const ModeName& k : kModes)
      if (k.mode == st->mode[idx]) return JS_NewString(ctx, k.name);
    return JS_NULL;
  }
  if (!a.string(1, "mode", &name)) return JS_EXCEPTION;
  const ModeName* m = nullptr;
  for (const ModeName& k : kModes)
    if (!strcmp(k.name, name.c_str())) m = &k;
  if (!m)
    return a.range_error("mode must be 'INPUT', 'OUTPUT', 'INPUT_PULLUP' or 'INPUT_PULLDOWN', got '%.40s'",
                         name.c_str());
  port::Gpio* gpio = platform(ctx).gpio;
  if (!gpio) return throw_error(ctx, "pin.mode: this board has no GPIO");
  int32_t rc = gpio->set_mode(kPins[idx].number, m->mode);
  if (rc != port::kOk) return port_failure(ctx, a.fn(), "setting the mode of", kPins[idx], rc);
  state(ctx)->mode[idx] = m->mode;
  state(ctx)->mode_set[idx] = true;
  return JS_UNDEFINED;
}

// dht11.read(pin) -> {temperature, humidity}, or Error 'DHT read error' with
// .code saying why (TIMEOUT: no answer, IO_ERROR: a bad transfer...).
JSValue dht_read_fn(JSContext* ctx, JSValueConst, int argc, JSValueConst* argv) {
  Args a(ctx, "dht11.read", argc, argv);
  int idx;
  if (!a.count(1, 1) || !pin_arg(a, 0, &idx)) return JS_EXCEPTION;
  port::Climate* climate = platform(ctx).climate;
  if (!climate) return throw_error(ctx, "dht11.read: this board has no DHT sensor support");
  int16_t t = 0, h = 0;
  int32_t rc = climate->read(kPins[idx].number, &t, &h);
  if (rc != port::kOk) {
    JSValue err = JS_NewError(ctx);
    if (JS_IsException(err)) return err;
    constexpr int kFlags = JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE;  // like a built-in message
    JS_DefinePropertyValueStr(ctx, err, "message", JS_NewString(ctx, "DHT read error"), kFlags);
    JS_DefinePropertyValueStr(ctx, err, "code", JS_NewString(ctx, port::error_name(rc)), kFlags | JS_PROP_ENUMERABLE);
    return JS_Throw(ctx, err);
  }
  JSValue obj = JS_NewObject(ctx);
  if (JS_IsException(obj)) return obj;
  if (JS_SetPropertyStr(ctx, obj, "temperature", JS_NewInt32(ctx, t)) < 0 ||
      JS_SetPropertyStr(ctx, obj, "humidity", JS_NewInt32(ctx, h)) < 0) {
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
  }
  return obj;
}

void destroy_state(core::Runtime&, void* p) { delete static_cast<BoardState*>(p); }

// Read-only, enumerable constant (takes ownership of v).
bool constant(JSContext* ctx, JSValueConst obj, const char* name, JSValue v) {
  return JS_DefinePropertyValueStr(ctx, obj, name, v, JS_PROP_ENUMERABLE) >= 0;
}

bool install_pin(JSContext* ctx, JSValueConst photon) {
  for (const PinInfo& p : kPins)
    if (!constant(ctx, photon, p.name, JS_NewInt32(ctx, p.number))) return false;
  if (!constant(ctx, photon, "HIGH", JS_NewInt32(ctx, 1)) || !constant(ctx, photon, "LOW", JS_NewInt32(ctx, 0)))
    return false;
  JSValue pin = JS_NewCFunction(ctx, pin_fn, "pin", 2);
  if (JS_IsException(pin)) return false;
  JSValue mode = JS_NewCFunction(ctx, pin_mode_fn, "mode", 2);
  if (JS_IsException(mode)) {
    JS_FreeValue(ctx, pin);
    return false;
  }
  bool ok = true;
  for (const ModeName& m : kModes) ok = ok && constant(ctx, mode, m.name, JS_NewString(ctx, m.name));
  // The article has the pin numbers on photon.pin (photon.pin.D7); A6 is the DAC.
  for (const PinInfo& p : kPins) ok = ok && constant(ctx, pin, p.name, JS_NewInt32(ctx, p.number));
  ok = ok && constant(ctx, pin, "A6", JS_NewInt32(ctx, 16));
  if (!ok) JS_FreeValue(ctx, mode);
  if (!ok || JS_SetPropertyStr(ctx, pin, "mode", mode) < 0) {  // takes mode either way
    JS_FreeValue(ctx, pin);
    return false;
  }
  return JS_SetPropertyStr(ctx, photon, "pin", pin) >= 0;
}

}  // namespace

bool install_board(core::Runtime& rt) {
  JSContext* ctx = rt.ctx();
  auto* st = new (std::nothrow) BoardState;
  if (!st) return false;
  rt.set_slot(core::Slot::kBoard, st, destroy_state);

  JSValue photon = get_global(ctx, "photon");
  bool ok = !JS_IsException(photon);
  if (ok && !JS_IsObject(photon)) {  // installed without install_photon
    JS_FreeValue(ctx, photon);
    photon = JS_NewObject(ctx);
    ok = !JS_IsException(photon) && set_global(ctx, "photon", JS_DupValue(ctx, photon));
  }
  ok = ok && install_pin(ctx, photon);
  JSValue dht = ok ? JS_NewObject(ctx) : JS_UNDEFINED;
  ok = ok && !JS_IsException(dht) && set_function(ctx, dht, "read", dht_read_fn, 1);
  ok = ok && set_global(ctx, "dht11", JS_DupValue(ctx, dht));
  JS_FreeValue(ctx, dht);
  JS_FreeValue(ctx, photon);
  return ok;
}

}  // namespace mcujs::bind
