#!/usr/bin/env python3
"""tools/scenario2c.py checks scenarios exactly as the Linux loader does.

  scenario2c_test.py MCUJS

For every case, writes s.json in a temporary directory and runs both
`mcujs run --scenario s.json empty.js` and `scenario2c.py s.json`: both must
accept it, or both refuse it with status 2 and the same message after their
program name ("mcujs: s.json: pins.A0...: ..." / "scenario2c: s.json: ...").
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO2C = os.path.join(HERE, '..', '..', 'tools', 'scenario2c.py')

SIG = '{"constant": 1}'
CASES = [
    # accepted
    '{}',
    '{"clock": "simulated", "duration_s": 0.001, "description": "x"}',
    '{"pins": {"A6": {"constant": 1, "noise": {"amplitude": 0, "seed": 18446744073709551615}}}}',
    '{"pins": {"D0": {"steps": [[0, 1], [0.0015, 2]]}, "A0": {"ramp": {"from": 1, "to": 1, "start_s": 3, "end_s": 3}}}}',
    '\ufeff{"pins": {}}',
    # refused: the loader's unit-test cases (tests/unit/board_scenario_test.cpp)
    '{',
    '[]',
    '{"pinz": {}}',
    '{"clock": "fast"}',
    '{"clock": 1}',
    '{"duration_s": "1h"}',
    '{"duration_s": -1}',
    '{"duration_s": 0}',
    '{"duration_s": 0.0004}',
    '{"pins": []}',
    '{"pins": {"D9": {"constant": 1}}}',
    '{"pins": {"D1": 5}}',
    '{"pins": {"D1": {}}}',
    '{"pins": {"D1": {"constant": 1, "ramp": {}}}}',
    '{"pins": {"D1": {"constant": "1"}}}',
    '{"pins": {"D1": {"constant": true}}}',
    '{"pins": {"D1": {"constant": 1, "nois": {}}}}',
    '{"pins": {"D1": {"steps": []}}}',
    '{"pins": {"D1": {"steps": [[0, 1], [1]]}}}',
    '{"pins": {"D1": {"steps": [[5, 1], [5, 0]]}}}',
    '{"pins": {"D1": {"steps": [[5, 1], [5.0004, 0]]}}}',
    '{"pins": {"D1": {"steps": [[-1, 1]]}}}',
    '{"pins": {"D1": {"steps": [[1e10, 1]]}}}',
    '{"pins": {"D1": {"steps": [[1, 1e400]]}}}',
    '{"pins": {"A0": {"ramp": {"from": 0, "to": 1, "start_s": 0}}}}',
    '{"pins": {"A0": {"ramp": {"from": 0, "to": 1, "start_s": 5, "end_s": 4}}}}',
    '{"pins": {"A0": {"ramp": {"from": 0, "to": 1, "start_s": 0, "end_s": 4, "x": 1}}}}',
    '{"pins": {"A0": {"ramp": [1]}}}',
    '{"pins": {"A0": {"constant": 0, "noise": {"amplitude": -1}}}}',
    '{"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "seed": -3}}}}',
    '{"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "seed": -0}}}}',
    '{"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "seed": 1.5}}}}',
    '{"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "seed": 18446744073709551616}}}}',
    '{"pins": {"A0": {"constant": 0, "noise": {"amplitude": 1, "zeed": 1, "amp": 2}}}}',
    '{"pins": {"A0": {"constant": 0, "spikes": {}}}}',
    '{"pins": {"A0": {"constant": 0, "spikes": [1]}}}',
    '{"pins": {"A0": {"constant": 0, "spikes": [{"at_s": 1, "duration_s": 1}]}}}',
    '{"pins": {"A0": {"constant": 0, "spikes": [{"at_s": 1, "duration_s": 0, "value": 1}]}}}',
    '{"pins": {"A0": {"constant": NaN}}}',
    '{"pins": {"A0": {"constant": 1%s}}}' % ('0' * 400),
    '{"pins": {"A0": {"constant": 1e-400}}}',
    '{"pins": {"A0": {"constant": 1}, "A6": {"constant": 1}, "DAC": {"constant": 2}}}',
    '{"pins": {"B1": %s, "A9": %s}}' % (SIG, SIG),
    '{"dht11": []}',
    '{"dht11": {"D2": {"temperature": {"constant": 1}}}}',
    '{"dht11": {"D2": {"humidity": {"constant": 1}}}}',
    '{"dht11": {"D2": {"temperature": %s, "humidity": %s, "errors": [{"at_s": 1}]}}}' % (SIG, SIG),
    '{"dht11": {"D2": {"temperature": %s, "humidity": %s, "errors": [{"at_s": 1, "duration_s": 1, "value": 3}]}}}'
    % (SIG, SIG),
    '{"dht11": {"D2": {"temperature": %s, "humidity": %s, "errors": {}}}}' % (SIG, SIG),
    '{"pins": {"D2": %s}, "dht11": {"D2": {"temperature": %s, "humidity": %s}}}' % (SIG, SIG, SIG),
    '{"pins": {"D1": {"steps": [%s]}}}' % ', '.join('[%d, 0]' % i for i in range(4097)),
    '{"pins": {"D1": {"constant": 0, "spikes": [%s]}}}'
    % ', '.join('{"at_s": %d, "duration_s": 1, "value": 1}' % i for i in range(1025)),
]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stderr.decode('utf-8', 'replace').strip()


def main():
    mcujs = os.path.abspath(sys.argv[1])
    failures = 0
    with tempfile.TemporaryDirectory(prefix='mcujs-sc2c-') as tmp:
        with open(os.path.join(tmp, 'empty.js'), 'w') as f:
            f.write('\n')
        for case in CASES:
            with open(os.path.join(tmp, 's.json'), 'w', encoding='utf-8') as f:
                f.write(case)
            rc_l, err_l = run([mcujs, 'run', '--scenario', 's.json', 'empty.js'], tmp)
            rc_g, err_g = run([sys.executable, SCENARIO2C, 's.json', '-o', 'out.cpp'], tmp)
            msg_l = err_l[len('mcujs: '):] if err_l.startswith('mcujs: ') else err_l
            msg_g = err_g[len('scenario2c: '):] if err_g.startswith('scenario2c: ') else err_g
            ok = rc_l == rc_g and (rc_l == 0 or (rc_l == 2 and msg_l == msg_g and msg_l.startswith('s.json: ')))
            if not ok:
                failures += 1
                print('FAIL: %s\n  mcujs      %d %r\n  scenario2c %d %r' % (case[:120], rc_l, err_l, rc_g, err_g))
    if failures:
        print('FAIL: %d of %d cases differ' % (failures, len(CASES)))
        return 1
    print('ok: %d cases, the same verdict and message' % len(CASES))
    return 0


if __name__ == '__main__':
    sys.exit(main())
