#!/usr/bin/env python3
"""Opens N TLS connections to 127.0.0.1:PORT (handshake done, then silent),
spread over source addresses 127.0.0.10.., writes how many are open to
READY_FILE and holds them for HOLD_S seconds (bench/receiver_load.sh).

  idle_tls.py N PORT CAFILE READY_FILE HOLD_S"""
import asyncio
import ssl
import sys

N, PORT, CAFILE, READY, HOLD = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])


async def main():
    ctx = ssl.create_default_context(cafile=CAFILE)
    sem = asyncio.Semaphore(100)  # handshakes in flight
    conns, failed = [], 0

    async def one(i):
        nonlocal failed
        async with sem:
            try:
                r, w = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", PORT, ssl=ctx, server_hostname="localhost",
                                            local_addr=(f"127.0.0.{10 + i % 200}", 0)), 20)
                conns.append(w)
            except (OSError, asyncio.TimeoutError):
                failed += 1

    await asyncio.gather(*(one(i) for i in range(N)))
    with open(READY + ".tmp", "w") as f:
        f.write(f"{len(conns)} {failed}\n")
    import os
    os.rename(READY + ".tmp", READY)
    await asyncio.sleep(HOLD)
    alive = sum(1 for w in conns if not w.is_closing())
    print(f"idle connections: {len(conns)} opened, {failed} failed, {alive} still open after {HOLD:.0f} s")
    for w in conns:
        w.transport.abort()


asyncio.run(main())
