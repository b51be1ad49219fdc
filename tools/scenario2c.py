#!/usr/bin/env python3
"""Compiles a board scenario (JSON, docs/board.md) into C++ constant tables.

  scenario2c.py SCENARIO.json -o OUT.cpp [--name NAME] [--function FN]

The output defines `const mcujs::sim::Scenario& mcujs_firmware_scenario()`
(declared in sim/compiled_scenario.h) over constexpr arrays, so the whole
scenario sits in flash: no parser, no heap, no constructors at boot.

The file is checked exactly as the Linux port's loader does
(ports/linux/scenario.cpp), with the same messages, e.g.
  scenario2c: s.json: pins.A0.ramp.end_s: must not be before start_s
and exit status 2; NAME (default: the path) is the file name in messages.
FN names the function instead (host tests link several scenarios).
Fields are visited in the loader's order (object keys sorted, as
nlohmann::json's std::map holds them), so the first error is the same one.
Times become whole milliseconds with the loader's rounding (llround of
s * 1000), and numbers are written with repr(), which reads back as the same
double: both ports evaluate identical tables.
"""
import argparse
import json
import math
import os
import sys

MAX_FILE = 1024 * 1024
MAX_SECONDS = 1e9
MAX_STEPS = 4096
MAX_SPIKES = 1024
MAX_ERRORS = 1024
PATH_MAX = 159  # the loader's Path buffer holds 159 characters

# sim/scenario.cpp's kBoardPins: name -> (number, analog)
PINS = {'D0': 0, 'D1': 1, 'D2': 2, 'D3': 3, 'D4': 4, 'D5': 5, 'D6': 6, 'D7': 7,
        'A0': 10, 'A1': 11, 'A2': 12, 'A3': 13, 'A4': 14, 'A5': 15, 'DAC': 16,
        'A7': 17}


class Bad(Exception):
    pass


class Int(int):
    """A JSON integer that remembers whether it was written with a minus
    sign: nlohmann stores "-0" as a signed integer, not an unsigned one."""
    negative = False


def parse_float(text):
    v = float(text)
    if not math.isfinite(v):
        raise ValueError(text)  # out of range: nlohmann refuses the document
    return v


def parse_int(text):
    n = int(text)
    if not -(1 << 63) <= n < 1 << 64:
        return parse_float(text)  # nlohmann reads it as a floating-point number
    v = Int(n)
    v.negative = text.startswith('-')
    return v


def reject_constant(text):
    raise ValueError(text)  # NaN, Infinity: not JSON


def path(base, key):
    if isinstance(key, int):
        return (base + '[%d]' % key)[:PATH_MAX]
    return (base + '.' + key)[:PATH_MAX]


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def llround(x):
    # C's llround for x >= 0: halves away from zero (Python's round() is
    # banker's). x - int(x) is exact for doubles below 2^53.
    r = int(x)
    return r + 1 if x - r >= 0.5 else r


def cfmt(fmt, *args):
    return fmt % args  # %g and %.0f format as C's printf does


class Parser:
    def __init__(self, name):
        self.name = name

    def fail(self, p, fmt, *args):
        raise Bad('%s: %s: %s' % (self.name, p, cfmt(fmt, *args)))

    def only_keys(self, obj, p, keys):
        for k in sorted(obj):
            if k not in keys:
                self.fail(p, "unknown field '%s'", k)

    def number(self, obj, key, p):
        sub = path(p, key)
        if key not in obj:
            self.fail(sub, 'missing (a number is required)')
        v = obj[key]
        if not is_number(v):
            self.fail(sub, 'must be a number')
        v = float(v)
        if not math.isfinite(v):
            self.fail(sub, 'must be finite')
        return v

    def seconds(self, obj, key, p):
        s = self.number(obj, key, p)
        if s < 0 or s > MAX_SECONDS:
            self.fail(path(p, key), 'must be a time in seconds in 0..%.0f, got %g', MAX_SECONDS, s)
        return llround(s * 1000.0)

    def steps(self, j, p):
        if not isinstance(j, list) or not j:
            self.fail(p, 'must be a non-empty array of [t_s, value]')
        if len(j) > MAX_STEPS:
            self.fail(p, 'at most %u steps', MAX_STEPS)
        out = []
        for i, s in enumerate(j):
            sub = path(p, i)
            if not isinstance(s, list) or len(s) != 2 or not is_number(s[0]) or not is_number(s[1]):
                self.fail(sub, 'must be [t_s, value] (two numbers)')
            t, v = float(s[0]), float(s[1])
            if not math.isfinite(t) or t < 0 or t > MAX_SECONDS or not math.isfinite(v):
                self.fail(sub, 't_s must be in 0..%.0f and value finite', MAX_SECONDS)
            t_ms = llround(t * 1000.0)
            if out and t_ms <= out[-1][0]:
                self.fail(sub, 't_s must increase from step to step')
            out.append((t_ms, v))
        return out

    def ramp(self, j, p, sig):
        if not isinstance(j, dict):
            self.fail(p, 'must be an object {from, to, start_s, end_s}')
        self.only_keys(j, p, ('from', 'to', 'start_s', 'end_s'))
        sig['ramp_from'] = self.number(j, 'from', p)
        sig['ramp_to'] = self.number(j, 'to', p)
        sig['ramp_start_ms'] = self.seconds(j, 'start_s', p)
        sig['ramp_end_ms'] = self.seconds(j, 'end_s', p)
        if sig['ramp_end_ms'] < sig['ramp_start_ms']:
            self.fail(path(p, 'end_s'), 'must not be before start_s')
        sig['kind'] = 'kRamp'

    def noise(self, j, p, sig):
        if not isinstance(j, dict):
            self.fail(p, 'must be an object {amplitude, seed}')
        self.only_keys(j, p, ('amplitude', 'seed'))
        sig['noise_amplitude'] = self.number(j, 'amplitude', p)
        if sig['noise_amplitude'] < 0:
            self.fail(path(p, 'amplitude'), 'must be >= 0')
        if 'seed' in j:
            seed = j['seed']
            if not isinstance(seed, Int) or seed.negative or seed < 0 or seed >= 1 << 64:
                self.fail(path(p, 'seed'), 'must be a non-negative integer')
            sig['noise_seed'] = int(seed)

    def windows(self, j, p, with_value, limit):
        more = ', value' if with_value else ''
        if not isinstance(j, list):
            self.fail(p, 'must be an array of {at_s, duration_s%s}', more)
        if len(j) > limit:
            self.fail(p, 'at most %u entries', limit)
        keys = ('at_s', 'duration_s', 'value') if with_value else ('at_s', 'duration_s')
        out = []
        for i, w in enumerate(j):
            sub = path(p, i)
            if not isinstance(w, dict):
                self.fail(sub, 'must be an object {at_s, duration_s%s}', more)
            self.only_keys(w, sub, keys)
            at = self.seconds(w, 'at_s', sub)
            dur = self.seconds(w, 'duration_s', sub)
            if dur == 0:
                self.fail(path(sub, 'duration_s'), 'must be at least 0.001')
            out.append((at, at + dur, self.number(w, 'value', sub)) if with_value else (at, at + dur))
        return out

    def signal(self, j, p):
        if not isinstance(j, dict):
            self.fail(p, 'must be an object with one of constant, steps or ramp')
        self.only_keys(j, p, ('constant', 'steps', 'ramp', 'noise', 'spikes'))
        bases = sum(k in j for k in ('constant', 'steps', 'ramp'))
        if bases != 1:
            self.fail(p, 'needs exactly one of constant, steps or ramp (got %d)', bases)
        sig = {'kind': 'kConstant', 'constant': 0.0, 'steps': [], 'ramp_from': 0.0, 'ramp_to': 0.0,
               'ramp_start_ms': 0, 'ramp_end_ms': 0, 'noise_amplitude': 0.0, 'noise_seed': 0,
               'spikes': []}
        if 'constant' in j:
            sig['constant'] = self.number(j, 'constant', p)
        elif 'steps' in j:
            sig['steps'] = self.steps(j['steps'], path(p, 'steps'))
            sig['kind'] = 'kSteps'
        else:
            self.ramp(j['ramp'], path(p, 'ramp'), sig)
        if 'noise' in j:
            self.noise(j['noise'], path(p, 'noise'), sig)
        if 'spikes' in j:
            sig['spikes'] = self.windows(j['spikes'], path(p, 'spikes'), True, MAX_SPIKES)
        return sig

    def pin_name(self, name, p, used):
        number = PINS.get('DAC' if name == 'A6' else name)
        if number is None:
            self.fail(p, 'unknown pin (the board has D0..D7, A0..A7 and DAC = A6)')
        if number in used:
            self.fail(p, 'pin %s is given twice (in pins or dht11)', 'DAC' if name == 'A6' else name)
        used.add(number)
        return number

    def dht(self, j, p):
        if not isinstance(j, dict):
            self.fail(p, 'must be an object {temperature, humidity[, errors]}')
        self.only_keys(j, p, ('temperature', 'humidity', 'errors'))
        out = {}
        for key in ('temperature', 'humidity'):
            sub = path(p, key)
            if key not in j:
                self.fail(sub, 'missing (a signal is required)')
            out[key] = self.signal(j[key], sub)
        out['errors'] = self.windows(j['errors'], path(p, 'errors'), False, MAX_ERRORS) if 'errors' in j else []
        return out

    def scenario(self, j):
        top = '(top level)'
        if not isinstance(j, dict):
            self.fail(top, 'must be a JSON object')
        self.only_keys(j, top, ('clock', 'duration_s', 'pins', 'dht11', 'description'))
        sc = {'simulated_clock': False, 'duration_ms': 0, 'pins': [], 'dht': []}
        if 'clock' in j:
            c = j['clock']
            if c not in ('simulated', 'real') or not isinstance(c, str):
                self.fail('clock', 'must be "simulated" or "real"')
            sc['simulated_clock'] = c == 'simulated'
        if 'duration_s' in j:
            sc['duration_ms'] = self.seconds(j, 'duration_s', top)
            if sc['duration_ms'] == 0:
                self.fail('duration_s', 'must be at least 0.001')
        used = set()
        if 'pins' in j:
            pins = j['pins']
            if not isinstance(pins, dict):
                self.fail('pins', 'must be an object {"D0": signal, ...}')
            for name in sorted(pins):
                p = path('pins', name)
                number = self.pin_name(name, p, used)
                sc['pins'].append((number, self.signal(pins[name], p)))
        if 'dht11' in j:
            d = j['dht11']
            if not isinstance(d, dict):
                self.fail('dht11', 'must be an object {"D2": {temperature, humidity}, ...}')
            for name in sorted(d):
                p = path('dht11', name)
                number = self.pin_name(name, p, used)
                sc['dht'].append((number, self.dht(d[name], p)))
        return sc


def load(file, name):
    try:
        with open(file, 'rb') as f:
            data = f.read(MAX_FILE + 1)
    except OSError:
        raise Bad('%s: cannot open the scenario file' % name)
    if len(data) > MAX_FILE:
        raise Bad('%s: the scenario file is larger than 1 MiB' % name)
    p = Parser(name)
    try:
        j = json.loads(data.decode('utf-8-sig'), parse_int=parse_int, parse_float=parse_float,
                       parse_constant=reject_constant)
    except (ValueError, UnicodeDecodeError):
        p.fail('(file)', 'not valid JSON')
    return p.scenario(j)


# ---------------------------------------------------------------- output
class Writer:
    def __init__(self):
        self.arrays = []
        self.n = 0

    def array(self, prefix, ctype, rows):
        if not rows:
            return 'nullptr'
        name = 'k%s%d' % (prefix, self.n)
        self.n += 1
        body = ''.join('    {%s},\n' % ', '.join(row) for row in rows)
        self.arrays.append('constexpr %s %s[] = {\n%s};\n' % (ctype, name, body))
        return name


def d(v):
    return repr(float(v))  # shortest text that reads back as the same double


def u(v):
    return '%dull' % v


def signal(w, sig):
    steps = w.array('Steps', 'Step', [(u(t), d(v)) for t, v in sig['steps']])
    spikes = w.array('Spikes', 'Spike', [(u(a), u(e), d(v)) for a, e, v in sig['spikes']])
    # Every field, in declaration order (sim/scenario.h).
    return ('{.kind = Signal::Kind::%s, .constant = %s, .steps = %s, .step_count = %d, '
            '.ramp_from = %s, .ramp_to = %s, .ramp_start_ms = %s, .ramp_end_ms = %s, '
            '.noise_amplitude = %s, .noise_seed = %s, .spikes = %s, .spike_count = %d}'
            % (sig['kind'], d(sig['constant']), steps, len(sig['steps']), d(sig['ramp_from']),
               d(sig['ramp_to']), u(sig['ramp_start_ms']), u(sig['ramp_end_ms']),
               d(sig['noise_amplitude']), u(sig['noise_seed']), spikes, len(sig['spikes'])))


def generate(sc, name, function):
    w = Writer()
    pins = [('.pin = %d' % n, '.signal = ' + signal(w, s)) for n, s in sc['pins']]
    dht = []
    for n, s in sc['dht']:
        errors = w.array('Errors', 'Window', [(u(a), u(e)) for a, e in s['errors']])
        dht.append(('.pin = %d' % n, '.temperature = ' + signal(w, s['temperature']),
                    '.humidity = ' + signal(w, s['humidity']), '.errors = ' + errors,
                    '.error_count = %d' % len(s['errors'])))
    pins_name = w.array('Pins', 'PinSignal', pins)
    dht_name = w.array('Dht', 'DhtSensor', dht)
    return ('// Generated by tools/scenario2c.py from %s: do not edit.\n'
            '// The board scenario as constant tables in flash (sim/scenario.h).\n'
            '#include "sim/compiled_scenario.h"\n\n'
            'namespace {\n\n'
            'using namespace mcujs::sim;\n\n'
            '%s\n'
            'constexpr Scenario kScenario = {.simulated_clock = %s, .duration_ms = %s, .pins = %s,\n'
            '                                .pin_count = %d, .dht = %s, .dht_count = %d};\n\n'
            '}  // namespace\n\n'
            'const mcujs::sim::Scenario& %s() { return kScenario; }\n'
            % (name.replace('\n', ' '), '\n'.join(w.arrays), 'true' if sc['simulated_clock'] else 'false',
               u(sc['duration_ms']), pins_name, len(pins), dht_name, len(dht), function))


def main():
    ap = argparse.ArgumentParser(description='Compile a board scenario (JSON) into C++ tables.')
    ap.add_argument('scenario')
    ap.add_argument('-o', '--output', required=True)
    ap.add_argument('--name', help='the file name used in messages (default: the path)')
    ap.add_argument('--function', default='mcujs_firmware_scenario', help='the function to define')
    a = ap.parse_args()
    name = a.name or a.scenario
    try:
        sc = load(a.scenario, name)
    except Bad as e:
        sys.stderr.write('scenario2c: %s\n' % e)
        return 2
    text = generate(sc, name, a.function)
    with open(a.output + '.tmp', 'w') as f:
        f.write(text)
    os.replace(a.output + '.tmp', a.output)
    return 0


if __name__ == '__main__':
    sys.exit(main())
