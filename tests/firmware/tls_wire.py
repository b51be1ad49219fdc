#!/usr/bin/env python3
"""What the TLS handshakes on the wire say, from a pcap of the emulated
board's network (QEMU's filter-dump on its user-mode netdev): for each TCP
connection to the server's port, whether the ClientHello offered a session
(TLS 1.3 pre_shared_key) and whether the ServerHello accepted it (a resumed
handshake: the server put pre_shared_key in its ServerHello). Both hellos
are sent in clear, so this is the server's own answer, observed outside
both programs.

  tls_wire.py CAPTURE.pcap SERVER_PORT     (prints one line per connection)
"""
import struct
import sys

PSK_EXTENSION = 41  # pre_shared_key (RFC 8446 4.2.11)
# A HelloRetryRequest is a ServerHello with this random (RFC 8446 4.1.3).
HRR_RANDOM = bytes.fromhex('CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C')


def packets(path):
    """(Ethernet frame bytes) for each record of a pcap file."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    endian = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    if struct.unpack(endian + 'I', data[20:24])[0] != 1:
        raise ValueError('%s: not an Ethernet capture' % path)
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + 'I', data[off + 8:off + 12])[0]
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def segments(path):
    """(src port, dst port, seq, flags, payload) of every IPv4 TCP segment."""
    for frame in packets(path):
        if len(frame) < 14 + 20 or frame[12:14] != b'\x08\x00':
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack('>H', ip[2:4])[0]
        if ip[9] != 6 or len(ip) < ihl + 20:
            continue
        tcp = ip[ihl:total]
        sport, dport, seq = struct.unpack('>HHI', tcp[:8])
        doff = (tcp[12] >> 4) * 4
        yield sport, dport, seq, tcp[13], tcp[doff:]


def streams(path, server_port):
    """{client port: (client->server bytes, server->client bytes)}, each
    direction rebuilt from its segments in sequence order from the SYN."""
    dirs = {}  # (client port, to_server) -> [isn, {seq: payload}]
    for sport, dport, seq, flags, payload in segments(path):
        if server_port not in (sport, dport):
            continue
        key = (dport, False) if sport == server_port else (sport, True)
        d = dirs.setdefault(key, [None, {}])
        if flags & 0x02:  # SYN (or SYN-ACK): the initial sequence number
            d[0] = seq
        elif payload:
            d[1].setdefault(seq, payload)
    out = {}
    for (port, to_server), (isn, segs) in dirs.items():
        if isn is None:
            continue
        buf, nxt = bytearray(), (isn + 1) & 0xFFFFFFFF
        for seq in sorted(segs, key=lambda s: (s - nxt) & 0xFFFFFFFF):
            p = segs[seq]
            skip = (nxt - seq) & 0xFFFFFFFF
            if skip >= 0x80000000:  # a gap: stop at what is contiguous
                break
            if skip < len(p):
                buf += p[skip:]
                nxt = (nxt + len(p) - skip) & 0xFFFFFFFF
        pair = out.setdefault(port, [b'', b''])
        pair[0 if to_server else 1] = bytes(buf)
    return {k: tuple(v) for k, v in out.items()}


def first_handshake(stream):
    """The first handshake message (type, body) of a TLS byte stream, or None."""
    hs, off = bytearray(), 0
    while off + 5 <= len(stream):
        ctype, length = stream[off], struct.unpack('>H', stream[off + 3:off + 5])[0]
        if ctype == 22:
            hs += stream[off + 5:off + 5 + length]
            if len(hs) >= 4:
                n = int.from_bytes(hs[1:4], 'big')
                if len(hs) >= 4 + n:
                    return hs[0], bytes(hs[4:4 + n])
        off += 5 + length
    return None


def extensions(body, after):
    """Extension types of a hello whose extensions start at offset after."""
    types, off = [], after + 2
    end = min(len(body), off + struct.unpack('>H', body[after:after + 2])[0])
    while off + 4 <= end:
        t, n = struct.unpack('>HH', body[off:off + 4])
        types.append(t)
        off += 4 + n
    return types


def hello_extensions(msg):
    """Extension types of a ClientHello (type 1) or ServerHello (type 2)."""
    kind, b = msg
    off = 2 + 32
    off += 1 + b[off]  # legacy_session_id
    if kind == 1:
        off += 2 + struct.unpack('>H', b[off:off + 2])[0]  # cipher_suites
        off += 1 + b[off]  # compression methods
    else:
        off += 2 + 1  # cipher_suite, compression method
    return extensions(b, off)


def handshakes(path, server_port):
    """[(client port, offered, resumed)] per connection with a ServerHello,
    in the order the connections were opened."""
    out = []
    for port, (up, down) in streams(path, server_port).items():
        ch, sh = first_handshake(up), first_handshake(down)
        if not ch or not sh or ch[0] != 1 or sh[0] != 2 or sh[1][2:34] == HRR_RANDOM:
            continue
        out.append((port, PSK_EXTENSION in hello_extensions(ch), PSK_EXTENSION in hello_extensions(sh)))
    return out


if __name__ == '__main__':
    for port, offered, resumed in handshakes(sys.argv[1], int(sys.argv[2])):
        print('client port %d: %s, %s' % (port, 'session offered' if offered else 'no session offered',
                                           'resumed' if resumed else 'full handshake'))
