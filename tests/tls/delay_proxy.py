#!/usr/bin/env python3
"""A TCP proxy on loopback that delays what the server sends by at least
DELAY_MS (each chunk is read, held DELAY_MS, then sent, in order); the client's bytes
pass at once. It stands for a network where the server's TLS 1.3 session
tickets are still in flight when a client that does not read closes (the
article's TLSTCPClient: connect, write, stop). Serves connections one after
the other, each bounded in time; exits after LIFETIME_S. DELAY_MS may be a
list, one delay per connection in order, the last one for the rest
("300,1500": the second connection's tickets come much later).

  delay_proxy.py TARGET_PORT DELAY_MS[,DELAY_MS...] PORT_FILE LIFETIME_S
"""
import os
import socket
import sys
import threading
import time


def pump(src, dst, delay_s, deadline):
    """Copies src to dst, each chunk delay_s after it was read; closes dst's
    write side at src's end of stream."""
    try:
        while time.monotonic() < deadline:
            src.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = src.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            if delay_s:
                time.sleep(delay_s)
            dst.sendall(data)
    except OSError:
        pass  # a reset on either side ends the pair
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def main():
    target, port_file, lifetime = int(sys.argv[1]), sys.argv[3], float(sys.argv[4])
    delays = [int(d) for d in sys.argv[2].split(',')]
    served = 0
    end = time.monotonic() + lifetime
    lsock = socket.socket()
    lsock.bind(('127.0.0.1', 0))
    lsock.listen(8)
    with open(port_file + '.tmp', 'w') as f:
        f.write(str(lsock.getsockname()[1]))
    os.rename(port_file + '.tmp', port_file)
    while time.monotonic() < end:
        lsock.settimeout(max(0.05, end - time.monotonic()))
        try:
            client, _ = lsock.accept()
        except socket.timeout:
            break
        server = socket.create_connection(('127.0.0.1', target), timeout=5)
        deadline = min(end, time.monotonic() + 30)  # one connection: 30 s at most
        up = threading.Thread(target=pump, args=(client, server, 0, deadline), daemon=True)
        up.start()
        delay_ms = delays[min(served, len(delays) - 1)]
        served += 1
        pump(server, client, delay_ms / 1000.0, deadline)
        up.join(max(0.0, deadline - time.monotonic()))
        client.close()
        server.close()


if __name__ == '__main__':
    main()
