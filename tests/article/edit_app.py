#!/usr/bin/env python3
"""The edits the origin article asks its readers to make, applied to a copy of
apps/article-style: the CA certificate (PEM), the URL and port of the
receiver, the device's core id and secret (the places marked EDIT). Used by
tests/article/article.sh (Linux) and tests/firmware/article_app.py (QEMU).

  edit_app.py OUT_DIR --ca ca.pem --url https://HOST/events --port PORT --coreid ID --secret S
"""
import argparse
import glob
import json
import os
import shutil
import sys

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'apps',
                   'article-style')


def replace(text, old, new, path):
    if old not in text:
        sys.exit('edit_app: %s: no %r to edit' % (path, old))
    return text.replace(old, new)


def edit(out_dir, ca_pem, url, port, coreid, secret):
    """Copies the app's .js files to out_dir with the edits; returns the path of main.js."""
    os.makedirs(out_dir, exist_ok=True)
    for f in glob.glob(os.path.join(APP, '*.js')):
        shutil.copy(f, out_dir)
    main_js, sensors_js = os.path.join(out_dir, 'main.js'), os.path.join(out_dir, 'sensors.js')
    with open(main_js) as f:
        main = f.read()
    main = replace(main, "'PUT THE CA CERTIFICATE HERE'", json.dumps(ca_pem), main_js)
    main = replace(main, "startReports('https://localhost/events', 443)",
                   'startReports(%s, %d)' % (json.dumps(url), port), main_js)
    with open(main_js, 'w') as f:
        f.write(main)
    with open(sensors_js) as f:
        s = f.read()
    s = replace(s, "'PUT THE CORE ID HERE'", json.dumps(coreid), sensors_js)
    s = replace(s, "'PUT THE SECRET HERE'", json.dumps(secret), sensors_js)
    with open(sensors_js, 'w') as f:
        f.write(s)
    return main_js


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out_dir')
    ap.add_argument('--ca', required=True)
    ap.add_argument('--url', required=True)
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--coreid', required=True)
    ap.add_argument('--secret', required=True)
    a = ap.parse_args()
    with open(a.ca) as f:
        edit(a.out_dir, f.read(), a.url, a.port, a.coreid, a.secret)


if __name__ == '__main__':
    main()
