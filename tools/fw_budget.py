#!/usr/bin/env python3
"""Budget report of an MPS2 board's firmware (docs/firmware.md, docs/porting.md).

Flash by component from the GNU ld map file, static RAM from it too, and the
run-time numbers (heap peak, stack peak, smallest free heap) from the
firmware's "MEMORY ..." line in a QEMU log when one is given. Prints a table
and writes JSON (for the benchmarks).

  fw_budget.py --map build/<board>/mcujs-runtime.map [--board mps2-an385|mps2-an505] \
               [--log qemu.log] [--bundle app.bundle] [--json build/mps2-an385/budget.json]
               [--delivered N] [--headroom build/mps2-an385/headroom.json]

--delivered: the events the receiver acknowledged in the run (the handshake
instructions per delivered event). --headroom: the figures of the headroom
probe (tests/firmware/headroom, ctest -R firmware.headroom): how much more
app JavaScript runs next to the sensor hub inside the board's RAM.

The limits are the board's: flash (the runtime partition) and RAM from the
MEMORY block of its linker script as the map's "Memory Configuration" lists
it, the bundle partition from ports/<board>/flash_layout.h; the board is the
one whose flash_layout.h puts the runtime image where the map's FLASH starts
(--board to name it). Only the goals are written here (BOARD_GOALS).

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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Goals (measured, not asserted), per board. mps2-an385: flash <= 768 KB
# (issue 4), RAM in use (static + heap peak + stack peak) <= 100 KB of the
# Photon's 128 KB and a full TLS 1.3 handshake <= 66 M instructions (issue
# 11). mps2-an505: the full API with a kept-alive connection inside its
# 256 KB (issue 12); no handshake goal (the Cortex-M33 class is not timed).
BOARD_GOALS = {
    'mps2-an385': {'flash': 768 * 1024, 'ram': 100 * 1024, 'full_handshake': 66 * 1000 * 1000},
    'mps2-an505': {'flash': 768 * 1024, 'ram': 256 * 1024, 'full_handshake': None},
}


def memory_regions(lines):
    """{name: (origin, length)} of the map's "Memory Configuration" (the
    linker script's MEMORY block)."""
    regions = {}
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith('Memory Configuration'))
    except StopIteration:
        return regions
    for line in lines[start + 1:]:
        if line.startswith('Linker script and memory map'):
            break
        m = re.match(r'^(\w+)\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)', line)
        if m:
            regions[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
    return regions


def flash_layout(board):
    """The k* constants of the board's flash_layout.h ("= 128u * 1024;"):
    ports/<board>/ or its board/ directory (ports/mps2-an385/board/)."""
    path = os.path.join(ROOT, 'ports', board, 'flash_layout.h')
    if not os.path.exists(path):
        path = os.path.join(ROOT, 'ports', board, 'board', 'flash_layout.h')
    consts = {}
    with open(path, encoding='utf-8') as f:
        for name, value, factor in re.findall(r'\b(k\w+) = (0x[0-9a-fA-F]+|\d+)u?(?:\s*\*\s*(\d+))?;', f.read()):
            consts[name] = int(value, 0) * (int(factor) if factor else 1)
    return consts


def board_of(flash_origin):
    """The board whose runtime partition starts at the map's FLASH origin."""
    for board in sorted(BOARD_GOALS):
        if flash_layout(board).get('kRuntimeBase') == flash_origin:
            return board
    sys.exit('fw_budget: no board in ports/*/flash_layout.h has its runtime image at 0x%08x (--board)'
             % flash_origin)


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
    regions = memory_regions(lines)
    if 'FLASH' not in regions or 'RAM' not in regions:
        sys.exit('fw_budget: %s: no FLASH and RAM in its Memory Configuration' % path)
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
    return flash, ram_data, ram_bss, regions


def parse_log(path, prefix='MEMORY '):
    """The key=value pairs of the firmware's first line starting with prefix."""
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            if line.startswith(prefix):
                return {k: int(v) for k, v in re.findall(r'(\w+)=(\d+)', line)}
    return None


def print_handshakes(hs, icount, report, goal, delivered=None):
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
    if icount and out['full']['count'] and goal:
        out['full_goal'] = goal
        if out['full']['each'] > goal:
            print('  full handshake OVER GOAL (%s)' % '{:,}'.format(goal))
    if delivered:
        total = out['full']['total'] + out['resumed']['total']
        out['delivered_events'] = delivered
        out['per_delivered_event'] = total // delivered
        print('  per delivered event  %8s  %12s  (%d handshake(s) for %d events)' % (
            '', '{:,}'.format(total // delivered), out['full']['count'] + out['resumed']['count'], delivered))
    report['tls_handshakes'] = out


def print_headroom(path, report, board):
    """The headroom probe's figures (tests/firmware/headroom/headroom_test.py)."""
    if not os.path.exists(path):
        print('Headroom: no %s (ctest --test-dir build/%s -R firmware.headroom writes it)' % (path, board))
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
    ap.add_argument('--board', choices=sorted(BOARD_GOALS),
                    help='the board (default: the one whose flash layout the map\'s FLASH matches)')
    ap.add_argument('--log', help='QEMU output holding the firmware\'s MEMORY line')
    ap.add_argument('--json', help='where to write the report as JSON')
    ap.add_argument('--icount', action='store_true', help='the run used -icount shift=0')
    ap.add_argument('--bundle', help='the app bundle the run used (its size is reported apart)')
    ap.add_argument('--delivered', type=int, help='events the receiver acknowledged in the run')
    ap.add_argument('--headroom', help='the headroom probe\'s JSON (tests/firmware/headroom)')
    a = ap.parse_args()

    flash, ram_data, ram_bss, regions = parse_map(a.map)
    board = a.board or board_of(regions['FLASH'][0])
    goals = BOARD_GOALS[board]
    flash_limit, ram_limit = regions['FLASH'][1], regions['RAM'][1]
    total = sum(flash.values())
    report = {
        'board': board,
        'flash': {'total': total, 'limit': flash_limit, 'goal': goals['flash'],
                  'components': {k: v for k, v in flash.items() if v}},
        'ram': {'limit': ram_limit, 'goal': goals['ram'], 'static': ram_data + ram_bss,
                'data': ram_data, 'bss': ram_bss},
    }
    print('Budget of %s (flash %s, RAM %s: its linker script)' % (board, kb(flash_limit), kb(ram_limit)))
    print('Flash by component')
    for k in COMPONENTS:
        if flash[k]:
            print('  %-14s %8d  %9s  %5.1f %%' % (k, flash[k], kb(flash[k]), 100.0 * flash[k] / total))
    print('  %-14s %8d  %9s  (goal %s, limit %s)%s' % ('total', total, kb(total), kb(goals['flash']),
                                                      kb(flash_limit),
                                                      '' if total <= goals['flash'] else '  OVER GOAL'))
    if a.bundle:
        size = os.path.getsize(a.bundle)
        bundle_limit = flash_layout(board)['kBundleSize']
        report['bundle'] = {'size': size, 'limit': bundle_limit}
        print('  %-14s %8d  %9s  (in the bundle partition, of %s)' % ('app bundle', size, kb(size),
                                                                     kb(bundle_limit)))
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
                'in use', in_use, kb(in_use), kb(goals['ram']), kb(ram_limit),
                '' if in_use <= goals['ram'] else '  OVER GOAL'))
            print('  %-20s %8d' % ('smallest free heap', mem['heap_free_min']))
        hs = parse_log(a.log, 'TLS handshakes ')
        if hs:
            print_handshakes(hs, a.icount, report, goals['full_handshake'], a.delivered)
    if a.headroom:
        print_headroom(a.headroom, report, board)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(report, f, indent=2, sort_keys=True)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
