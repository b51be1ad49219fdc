#!/usr/bin/env python3
"""The loopback peer of the port conformance suite (conformance.h).

On ECHO_PORT (127.0.0.1): a connection starting with 'E' gets back every
byte it sends after that; one starting with 'C' gets b"bye\\n" and then an
orderly close. CLOSED_PORT is a port nothing listens on. Used by
port_test.py; each connection is served in a thread, bounded in time.
"""
import socket
import threading

TIMEOUT_S = 30


def closed_port():
    """A loopback port with no listener (bound and released)."""
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _serve(conn):
    conn.settimeout(TIMEOUT_S)
    try:
        mode = conn.recv(1)
        if mode == b'C':
            conn.sendall(b'bye\n')
            conn.shutdown(socket.SHUT_WR)
            conn.recv(64)  # until the client closes (or the timeout)
        elif mode == b'E':
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                conn.sendall(data)
    except OSError:
        pass
    finally:
        conn.close()


class Peer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.sock.settimeout(1.0)
        self.echo_port = self.sock.getsockname()[1]
        self.closed_port = closed_port()
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=_serve, args=(conn,), daemon=True).start()

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.sock.close()
