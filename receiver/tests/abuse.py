#!/usr/bin/env python3
"""Abuse while an ordinary device is served: 300 silent TCP connections,
64 clients trickling a request head (one byte every 0.5 s) and one client
flooding 30 MB of header, all at once, from other loopback addresses
(127.0.0.2-6, so the per-client cap applies to them and not to the device).
Meanwhile the device (127.0.0.1) posts events one by one over fresh TLS
connections and over one kept-alive connection: every one must get 201
within 2 s. Bounded: the abuse lasts ABUSE_S seconds, every socket wait 5 s.

  abuse.py PORT CAFILE SECRET RECEIVER_PID

Prints a JSON summary (latencies, RSS before/peak/after) on the last line;
exit status 1 on a failure."""
import json
import socket
import ssl
import sys
import threading
import time

PORT, CAFILE, SECRET, PID = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ABUSE_S = 6.0
CTX = ssl.create_default_context(cafile=CAFILE)
stop = threading.Event()
errors = []
stats = {"silent_open": 0, "trickle_started": 0, "trickle_closed_by_server": 0, "flood_sent_mb": 0.0,
         "flood_status": None}


def rss_kb():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def connect(src, timeout=5.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", PORT))
    return s


def silent(holder, src, n):
    for _ in range(n):
        try:
            holder.append(connect(src))
            stats["silent_open"] += 1
        except OSError:
            pass


def trickle(src):
    try:
        tls = CTX.wrap_socket(connect(src), server_hostname="localhost")
    except OSError:
        return
    stats["trickle_started"] += 1
    head = b"POST /events HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 1000
    try:
        for byte in head:
            if stop.is_set():
                break
            tls.sendall(bytes([byte]))
            time.sleep(0.5)
    except OSError:
        stats["trickle_closed_by_server"] += 1
    tls.close()


def flood(src):
    try:
        tls = CTX.wrap_socket(connect(src), server_hostname="localhost")
        tls.sendall(b"POST /events HTTP/1.1\r\nHost: localhost\r\nX-Flood: ")
        chunk = b"a" * 65536
        sent = 0
        while sent < 30 * 1024 * 1024 and not stop.is_set():
            tls.sendall(chunk)
            sent += len(chunk)
            stats["flood_sent_mb"] = round(sent / 1048576, 2)
    except OSError:
        pass
    try:
        tls.settimeout(2)
        stats["flood_status"] = tls.recv(64).decode("latin-1").split("\r\n")[0]
    except (OSError, UnboundLocalError):
        pass


def request(i):
    body = f"event=sensor-report&data=%7B%22t%22%3A{i}%7D&coreid=hub-1&id={i}"
    return (f"POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Secret: {SECRET}\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode()


def read_status(tls):
    got = b""
    while b"\r\n\r\n" not in got:
        chunk = tls.recv(4096)
        if not chunk:
            break
        got += chunk
    return got.split(b"\r\n")[0].decode("latin-1")


def device(latencies):
    i = 1000
    keep = None
    while not stop.is_set():
        for fresh in (True, False):
            i += 1
            t0 = time.monotonic()
            try:
                if fresh or keep is None:
                    tls = CTX.wrap_socket(connect("127.0.0.1"), server_hostname="localhost")
                    if not fresh:
                        keep = tls
                else:
                    tls = keep
                tls.sendall(request(i))
                status = read_status(tls)
                if fresh:
                    tls.close()
            except OSError as e:
                status = f"error {e}"
            dt = time.monotonic() - t0
            latencies.append(dt)
            if not status.startswith("HTTP/1.1 201") or dt > 2.0:
                errors.append(f"device request {i} ({'new' if fresh else 'kept'} connection): {status!r} in {dt:.2f} s")
        time.sleep(0.1)


def main():
    rss0 = rss_kb()
    holder, threads, latencies = [], [], []
    peak = [rss0]

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kb())
            time.sleep(0.05)

    threads.append(threading.Thread(target=sample))
    for k in range(2):
        threads.append(threading.Thread(target=silent, args=(holder, f"127.0.0.{2 + k}", 150)))
    for k in range(64):
        threads.append(threading.Thread(target=trickle, args=("127.0.0.5",)))
    threads.append(threading.Thread(target=flood, args=("127.0.0.6",)))
    dev = threading.Thread(target=device, args=(latencies,))
    for t in threads:
        t.start()
    time.sleep(0.5)  # the abuse is in place before the device starts
    dev.start()
    time.sleep(ABUSE_S)
    stop.set()
    for t in threads + [dev]:
        t.join(timeout=10)
    for s in holder:
        s.close()
    time.sleep(0.5)
    lat = sorted(latencies)
    summary = dict(stats, device_requests=len(lat), device_max_ms=round(lat[-1] * 1000, 1) if lat else None,
                   device_p50_ms=round(lat[len(lat) // 2] * 1000, 1) if lat else None,
                   rss_before_kb=rss0, rss_peak_kb=peak[0], rss_after_kb=rss_kb())
    for e in errors[:10]:
        print("FAIL:", e)
    if len(lat) < 10:
        errors.append("the device made fewer than 10 requests")
    print(json.dumps(summary))
    sys.exit(1 if errors else 0)


main()
