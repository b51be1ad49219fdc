#!/usr/bin/env python3
"""Budget report of the mps2-an385 firmware (docs/firmware.md).

Flash by component from the GNU ld map file, static RAM from it too, and the
run-time numbers (heap peak, stack peak, smallest free heap) from the
firmware's "MEMORY ..." line in a QEMU log when one is given. Prints a table
and writes JSON (for the benchmarks).

  fw_budget.py --map build/mps2-an385/mcujs-runtime.map \
               [--log qemu.log] [--bundle app.bundle] [--json build/mps2-an385/budget.json]
               [--delivered N] [--headroom build/mps2-an385/headroom.json]

--delivered: the events the receiver acknowledged in the run (the handshake
instructions per delivered event). --headroom: the figures of the headroom
probe (tests/firmware/headroom, ctest -R firmware.headroom): how much more
app JavaScript runs next to the sensor hub inside the 128 KB.

The runtime image holds no app: its JavaScript comes as a bundle in the
bundle partition (--bundle: its size, reported apart).
"""
import argparse
import json
import os
import re
import sys

FLASH_SECTIONS = {'.isr_vector', '.text', '.rodata', '.ARM.extab', '.ARM.exidx', '.init_array'}
RAM_INIT_SECTIONS = {'.data'}      # in RAM, initial values stored in flash
RAM_ZERO_SECTIONS = {'.bss'}

# Goals (measured, not asserted): flash <= 768 KB (issue 4), RAM in use
# (static + heap peak + stack peak) <= 100 KB of the Photon's 128 KB and a
# full TLS 1.3 handshake <= 66 M instructions (issue 11).
# Limits: the runtime partition (768 KB) and the bundle partition (128 KB)
# of ports/mps2-an385/flash_layout.h.
FLASH_LIMIT = 768 * 1024
FLASH_GOAL = 768 * 1024
BUNDLE_LIMIT = 128 * 1024
RAM_LIMIT = 128 * 1024
RAM_GOAL = 100 * 1024
FULL_HANDSHAKE_GOAL = 66 * 1000 * 1000

# 'padding': alignment fill, less what merging identical strings saved (the
# map lists input sections before the merge); it makes the sum exact.
COMPONENTS = ['QuickJS', 'Mbed TLS', 'lwIP', 'runtime', 'libc', 'data', 'padding']


def component(origin):
    o = origin.replace('\\', '/')
    if 'libquickjs.a' in o:
        return 'QuickJS'
    if 'libmbedtls' in o:
        return 'Mbed TLS'
    if 'lwip' in o.lower():
        return 'lwIP'
    if '_scenario.cpp' in o:
        return 'data'  # the compiled scenario
    if re.search(r'libmcujs_|mcujs_port_|/mcujs-runtime\.dir/|apps/firmware', o):
        return 'runtime'
    if re.search(r'lib(c|c_nano|g|g_nano|m|gcc|stdc\+\+|stdc\+\+_nano|nosys)\.a|crt|arm-none-eabi', o):
        return 'libc'
    return 'libc'  # linker-generated or unknown: count with the C library


def parse_map(path):
    flash = {c: 0 for c in COMPONENTS}
    ram_data = ram_bss = 0
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith('Linker script and memory map'))
    except StopIteration:
        sys.exit('fw_budget: %s: not a GNU ld map file' % path)
    out_sec = None
    out_total = 0  # the output sections' real sizes
    pending = None  # input section name waiting for its address line
    in_sec_re = re.compile(r'^ (\S+)\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)(?:\s+(.*))?$')
    cont_re = re.compile(r'^\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)(?:\s+(.*))?$')
    for line in lines[start + 1:]:
        m = re.match(r'^(\.\S+|/DISCARD/)(?:\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+))?', line)
        if m:
            out_sec = m.group(1)
            if m.group(3) and (out_sec in FLASH_SECTIONS or out_sec in RAM_INIT_SECTIONS):
                out_total += int(m.group(3), 16)
            if m.group(3) and out_sec in RAM_INIT_SECTIONS:
                ram_data = int(m.group(3), 16)
            if m.group(3) and out_sec in RAM_ZERO_SECTIONS:
                ram_bss = int(m.group(3), 16)
            pending = None
            continue
        size = origin = None
        m = in_sec_re.match(line)
        if m and not m.group(1).startswith('0x'):
            name, size, origin = m.group(1), int(m.group(3), 16), m.group(4) or ''
        elif pending is not None:
            m = cont_re.match(line)
            if m:
                name, size, origin = pending, int(m.group(2), 16), m.group(3) or ''
            pending = None
        else:
            m = re.match(r'^ (\.\S+)$', line)
            if m:
                pending = m.group(1)
            continue
        if size is None or size == 0:
            continue
        if name == '*fill*':
            continue  # in 'padding', computed from the output sections below
        if out_sec in FLASH_SECTIONS:
            flash[component(origin)] += size
        elif out_sec in RAM_INIT_SECTIONS:
            flash['data'] += size
    flash['padding'] = out_total - sum(v for k, v in flash.items() if k != 'padding')
    return flash, ram_data, ram_bss


def parse_log(path, prefix='MEMORY '):
    """The key=value pairs of the firmware's first line starting with prefix."""
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            if line.startswith(prefix):
                return {k: int(v) for k, v in re.findall(r'(\w+)=(\d+)', line)}
    return None


def print_handshakes(hs, icount, report, delivered=None):
    """The firmware's "TLS handshakes full=N resumed=M full_ns=.. resumed_ns=.."
    line: virtual time spent inside the handshake's steps (not waiting for the
    network). Under -icount shift=0 one instruction is one ns, so these are
    deterministic instruction counts; without it they follow the host."""
    unit = 'instructions' if icount else 'virtual ns (run with QEMU_ICOUNT=1 for instruction counts)'
    out = {'unit': 'instructions' if icount else 'virtual_ns'}
    print('TLS handshakes (%s)' % unit)
    for kind in ('full', 'resumed'):
        n, total = hs.get(kind, 0), hs.get(kind + '_ns', 0)
        avg = total // n if n else 0
        out[kind] = {'count': n, 'total': total, 'each': avg}
        print('  %-20s %8d  %12s each' % (kind, n, '{:,}'.format(avg) if n else '-'))
    if hs.get('full') and hs.get('resumed') and out['full']['each']:
        ratio = out['resumed']['each'] / out['full']['each']
        out['resumed_vs_full'] = round(ratio, 3)
        print('  resumed / full       %8.3f' % ratio)
    if icount and out['full']['count']:
        out['full_goal'] = FULL_HANDSHAKE_GOAL
        if out['full']['each'] > FULL_HANDSHAKE_GOAL:
            print('  full handshake OVER GOAL (%s)' % '{:,}'.format(FULL_HANDSHAKE_GOAL))
    if delivered:
        total = out['full']['total'] + out['resumed']['total']
        out['delivered_events'] = delivered
        out['per_delivered_event'] = total // delivered
        print('  per delivered event  %8s  %12s  (%d handshake(s) for %d events)' % (
            '', '{:,}'.format(total // delivered), out['full']['count'] + out['resumed']['count'], delivered))
    report['tls_handshakes'] = out


def print_headroom(path, report):
    """The headroom probe's figures (tests/firmware/headroom/headroom_test.py)."""
    if not os.path.exists(path):
        print('Headroom: no %s (ctest --test-dir build/mps2-an385 -R firmware.headroom writes it)' % path)
        return
    with open(path) as f:
        h = json.load(f)
    report['headroom'] = h
    print('Headroom next to the sensor hub (largest extra that still runs it to its end)')
    print('  %-20s %8d KB  (JS heap peak +%d; then: %s)' % ('JS heap', h['js_kb'], h['js_heap_peak_extra'],
                                                          h['js_limit_by']))
    print('  %-20s %8.1f KB  (%d functions, JS heap peak +%d; then: %s)' % (
        'bytecode', h['bytecode_kb'], h['functions'], h['bytecode_heap_extra'], h['bytecode_limit_by']))


def kb(n):
    return '%.1f KB' % (n / 1024.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--map', required=True)
    ap.add_argument('--log', help='QEMU output holding the firmware\'s MEMORY line')
    ap.add_argument('--json', help='where to write the report as JSON')
    ap.add_argument('--icount', action='store_true', help='the run used -icount shift=0')
    ap.add_argument('--bundle', help='the app bundle the run used (its size is reported apart)')
    ap.add_argument('--delivered', type=int, help='events the receiver acknowledged in the run')
    ap.add_argument('--headroom', help='the headroom probe\'s JSON (tests/firmware/headroom)')
    a = ap.parse_args()

    flash, ram_data, ram_bss = parse_map(a.map)
    total = sum(flash.values())
    report = {
        'flash': {'total': total, 'limit': FLASH_LIMIT, 'goal': FLASH_GOAL,
                  'components': {k: v for k, v in flash.items() if v}},
        'ram': {'limit': RAM_LIMIT, 'goal': RAM_GOAL, 'static': ram_data + ram_bss,
                'data': ram_data, 'bss': ram_bss},
    }
    print('Flash by component')
    for k in COMPONENTS:
        if flash[k]:
            print('  %-14s %8d  %9s  %5.1f %%' % (k, flash[k], kb(flash[k]), 100.0 * flash[k] / total))
    print('  %-14s %8d  %9s  (goal %s, limit %s)%s' % ('total', total, kb(total), kb(FLASH_GOAL),
                                                      kb(FLASH_LIMIT),
                                                      '' if total <= FLASH_GOAL else '  OVER GOAL'))
    if a.bundle:
        size = os.path.getsize(a.bundle)
        report['bundle'] = {'size': size, 'limit': BUNDLE_LIMIT}
        print('  %-14s %8d  %9s  (in the bundle partition, of %s)' % ('app bundle', size, kb(size),
                                                                     kb(BUNDLE_LIMIT)))
    print('RAM')
    print('  %-20s %8d  (.data %d + .bss %d)' % ('static', ram_data + ram_bss, ram_data, ram_bss))
    if a.log:
        mem = parse_log(a.log)
        if mem is None:
            print('  (no MEMORY line in %s: the run did not finish)' % a.log)
            report['ram']['run'] = None
        else:
            in_use = mem['static'] + mem['heap_peak'] + mem['stack_peak']
            report['ram']['run'] = mem
            report['ram']['in_use'] = in_use
            print('  %-20s %8d  (JS heap: %d at boot, peak %d, limit %d)' % (
                'heap peak', mem['heap_peak'], mem.get('js_heap_boot', 0), mem['js_heap_peak'],
                mem['js_heap_limit']))
            if 'heap_used_peak' in mem:
                print('  %-20s %8d  (the rest of the heap peak: fragmentation)' % ('  in live blocks',
                                                                             mem['heap_used_peak']))
            print('  %-20s %8d  (of %d)' % ('stack peak', mem['stack_peak'], mem['stack_size']))
            print('  %-20s %8d  %9s  (goal %s, limit %s)%s' % (
                'in use', in_use, kb(in_use), kb(RAM_GOAL), kb(RAM_LIMIT),
                '' if in_use <= RAM_GOAL else '  OVER GOAL'))
            print('  %-20s %8d' % ('smallest free heap', mem['heap_free_min']))
        hs = parse_log(a.log, 'TLS handshakes ')
        if hs:
            print_handshakes(hs, a.icount, report, a.delivered)
    if a.headroom:
        print_headroom(a.headroom, report)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(report, f, indent=2, sort_keys=True)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
