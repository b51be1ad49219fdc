#!/usr/bin/env python3
"""`mcujs bundle` on the host (no QEMU): what it packs and what it refuses.

  cli_test.py MCUJS

- a multi-module app: every imported module once (dependencies first, the
  entry last), the data files named config.json / ca.pem / NAME, the header's
  board, QuickJS version and SHA-256 right, the manifest from the source or
  from --features;
- the config's "device" section compiled into boot.cfg, and each bad
  device setting refused (status 2, the key named, nothing written);
- refusals, each with exit status 1 or 2 and a message naming the problem:
  a bare import, an import outside the entry's directory, a missing module,
  a syntax error (file:line), an unknown board, an unknown feature, a bundle
  larger than the board's partition.
"""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(os.path.dirname(HERE), 'firmware', 'js', 'bundle_app')


def fail(msg):
    sys.stderr.write('FAIL: %s\n' % msg)
    sys.exit(1)


def bundle(cli, args, expect_rc=0, expect_msg=None):
    p = subprocess.run([cli, 'bundle', '--board', 'mps2-an385'] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    err = p.stderr.decode()
    if p.returncode != expect_rc:
        fail('%r: status %d, expected %d; stderr: %s' % (args, p.returncode, expect_rc, err))
    if expect_msg and expect_msg not in err:
        fail('%r: stderr lacks %r: %s' % (args, expect_msg, err))
    return p.stdout.decode()


def entries(data):
    count = struct.unpack_from('<I', data, 64)[0]
    out = []
    for i in range(count):
        kind, off, size = struct.unpack_from('<III', data, 128 + 64 * i)
        name = data[128 + 64 * i + 12:128 + 64 * i + 64].split(b'\0')[0].decode()
        out.append((kind, name, data[off:off + size]))
    return out


def main():
    cli = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix='mcujs-bundle-cli-') as d:
        out = os.path.join(d, 'app.bundle')
        cfg = os.path.join(HERE, '..', 'firmware', 'js', 'bundle_app.json')
        ca = os.path.join(d, 'ca.pem')
        with open(ca, 'w') as f:
            f.write('-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n')
        said = bundle(cli, ['-o', out, '--config', cfg, '--ca', ca, '--file', 'notes.txt=' + cfg,
                            os.path.join(APP, 'main.js')])
        if 'features: date,regexp,mapset' not in said:
            fail('manifest from the source: %s' % said)
        data = open(out, 'rb').read()
        if data[:8] != b'mcujsBDL' or struct.unpack_from('<I', data, 12)[0] != len(data):
            fail('header: magic or length')
        if data[16:26] != b'mps2-an385' or data[40:50] != b'2025-04-26':
            fail('header: board or QuickJS version')
        if hashlib.sha256(data[:96] + data[128:]).digest() != data[96:128]:
            fail('header: SHA-256')
        got = [(k, n) for k, n, _ in entries(data)]
        want = [(1, 'lib/shapes.js'), (1, 'lib/text.js'), (2, 'main.js'), (3, 'config.json'), (3, 'ca.pem'),
                (3, 'notes.txt')]
        if got != want:
            fail('entries %r, expected %r' % (got, want))
        if entries(data)[3][2] != open(cfg, 'rb').read():
            fail('config.json is not the file given')
        # The config's device section: checked, compiled into boot.cfg (the
        # device's boot settings), the config itself packed as given.
        dev = os.path.join(d, 'device.json')
        with open(dev, 'w') as f:
            f.write('{"name": "d1", "device": {"ntp": "10.0.2.2:12300", "log": "trace"}}\n')
        bundle(cli, ['-o', out, '--config', dev, os.path.join(APP, 'main.js')])
        files = {n: b for k, n, b in entries(open(out, 'rb').read()) if k == 3}
        if files.get('boot.cfg') != b'ntp=10.0.2.2:12300 log=trace\n' or files.get('config.json') != open(dev, 'rb').read():
            fail('device section: data files %r' % files)
        refused = os.path.join(d, 'refused.bundle')
        for device, msg in (('{"ntp": "10.0.2.2:99999"}', "device.ntp: '10.0.2.2:99999' is not an IPv4 address"),
                            ('{"ntp": "time.example"}', "device.ntp: 'time.example' is not an IPv4 address"),
                            ('{"log": "loud"}', "device.log: unknown level 'loud' (trace, info, warn, error, none)"),
                            ('{"hold": true}', 'device.hold: unknown setting (known: ntp, log)'),
                            ('{"ntp": 123}', 'device.ntp: expected a string'),
                            ('"ntp=1.2.3.4"', 'device: expected an object'),
                            ('{"ntp": ', 'not JSON: SyntaxError')):
            with open(dev, 'w') as f:
                f.write('{"device": %s}' % device)
            bundle(cli, ['-o', refused, '--config', dev, os.path.join(APP, 'main.js')], 2,
                   'mcujs bundle: --config %s: %s' % (dev, msg))
            if os.path.exists(refused):
                fail('a refused device section still wrote %s' % refused)
        bundle(cli, ['-o', refused, '--file', 'boot.cfg=' + cfg, os.path.join(APP, 'main.js')], 2,
               '--file boot.cfg: that name is the device\'s boot settings')
        said = bundle(cli, ['-o', out, '--features', 'tls,fetch', os.path.join(APP, 'main.js')])
        if 'features: tls,fetch' not in said:
            fail('--features: %s' % said)

        def js(name, text):
            path = os.path.join(d, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(text)
            return path

        bare = js('bare.js', 'import x from "lodash";\n')
        bundle(cli, ['-o', out, bare], 1, "import 'lodash' from bare.js: only relative module paths")
        outside = js('sub/out.js', 'import x from "../bare.js";\n')
        bundle(cli, ['-o', out, outside], 1, "import '../bare.js' from out.js: outside the entry module's directory")
        missing = js('missing.js', 'import "./nope.js";\n')
        bundle(cli, ['-o', out, missing], 1, 'cannot open')
        syntax = js('lib/syn.js', 'export const = 1;\n')
        imp = js('imp.js', 'import "./lib/syn.js";\n')
        bundle(cli, ['-o', out, imp], 1, 'lib/syn.js:1')
        bundle(cli, ['-o', out, '--board', 'mps3-an547', imp], 2, "unknown board 'mps3-an547'")
        bundle(cli, ['-o', out, '--features', 'date,proxy', imp], 2, "unknown feature 'proxy'")
        # The Web globals written in JavaScript: compiled (QuickJS bytecode,
        # its version first) into the bundle of an app that names them, with
        # those they use (URL's searchParams) and the built-ins their code
        # needs (RegExp); an app naming none gets none.
        said = bundle(cli, ['-o', out, js('url.js', 'console.log(new URL("http://a/").host);\n')])
        texts = {n: b for k, n, b in entries(open(out, 'rb').read()) if k == 4}
        if sorted(texts) != ['URL', 'URLSearchParams'] or any(b[0] != texts['URL'][0] for b in texts.values()):
            fail('compiled texts of url.js: %r' % sorted(texts))
        if 'features: regexp' not in said:
            fail('url.js: the texts\' built-ins are not in the manifest: %s' % said)
        # structuredClone names Date, RegExp and the typed arrays but needs
        # them only for values that cannot exist without them: Map/Set only.
        said = bundle(cli, ['-o', out, js('clone.js', 'console.log(structuredClone({ a: [1] }));\n')])
        if 'features: mapset\n' not in said:
            fail('clone.js: %s' % said)
        bundle(cli, ['-o', out, js('plain.js', 'fetch("http://a/", { body: "URL" });\n')])
        if any(k == 4 for k, _, _ in entries(open(out, 'rb').read())):
            fail('plain.js names no Web global written in JavaScript, yet got some')
        big = js('big.js', 'export const s = "%s";\n' % ('x' * 140000))
        bundle(cli, ['-o', out, big], 1, "do not fit the mps2-an385's 131072-byte bundle partition")
    print('PASS mcujs bundle: packs the module graph and data files, refuses bad apps')
    return 0


if __name__ == '__main__':
    sys.exit(main())
