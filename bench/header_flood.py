"""Memory of a server under unfinished request headers: N sockets that never end their headers.

    python bench/header_flood.py [--connections 40] [--megabytes 10] [--database-url URL]

Starts ``pipelineos serve`` (embedded PostgreSQL in a temporary directory unless a database URL
is given), reads its resident memory, then opens ``--connections`` sockets that each send a
request line and one header whose value grows by 64 KiB chunks up to ``--megabytes`` without
ever ending the header block, with a slow-loris socket and an idle one beside them. It prints
the server's memory before and after, how many bytes the server took before it closed each
flooding socket, and whether the slow and idle sockets were closed. A server that does not
bound headers holds every byte sent (40 x 10 MB: hundreds of MB); a bounded one closes each
socket after its header limit and its memory stays flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from common import free_port, wait_ready

CHUNK = b"a" * 65536


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS: this benchmark reads /proc (Linux)")


async def flood(port: int, megabytes: int) -> int:
    """Send one never-ending header; return the bytes the server took before closing."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    sent = 0
    writer.write(b"GET /health/live HTTP/1.1\r\nHost: bench\r\nX-Flood: ")
    try:
        while sent < megabytes * 1024 * 1024:
            writer.write(CHUNK)
            await writer.drain()
            sent += len(CHUNK)
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()
    return sent


async def trickle(port: int, seconds: float) -> bool:
    """A slow loris: one header byte a second. True when the server closed the socket."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /health/live HTTP/1.1\r\nHost: bench\r\n")
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            writer.write(b"X")
            await writer.drain()
            try:
                if await asyncio.wait_for(reader.read(1024), 1.0) == b"":
                    return True
            except TimeoutError:
                continue
    except (ConnectionError, OSError):
        return True
    finally:
        writer.close()
    return False


async def idle(port: int, seconds: float) -> bool:
    """A socket that connects and says nothing. True when the server closed it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await asyncio.wait_for(reader.read(1024), seconds) == b""
    except TimeoutError:
        return False
    except (ConnectionError, OSError):
        return True
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--megabytes", type=int, default=10)
    parser.add_argument("--slow-seconds", type=float, default=20.0,
                        help="how long the slow and idle sockets are watched")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="pipelineos-bench-"))
    env = {**os.environ, "PORT": str(port), "LOG_DIR": str(work / "logs"),
           "PIPELINEOS_DATA_DIR": str(work / "data"), "LOG_LEVEL": "WARNING",
           "JOBS_IN_SERVE": "false"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    proc = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await wait_ready(session, base, proc)
        await asyncio.sleep(1)
        before = rss_mb(proc.pid)
        slow = asyncio.create_task(trickle(port, args.slow_seconds))
        silent = asyncio.create_task(idle(port, args.slow_seconds))
        floods = [asyncio.create_task(flood(port, args.megabytes))
                  for _ in range(args.connections)]
        peak = before
        while not all(task.done() for task in floods):
            peak = max(peak, rss_mb(proc.pid))
            await asyncio.sleep(0.1)
        taken = [task.result() for task in floods]
        peak = max(peak, rss_mb(proc.pid))
        after = rss_mb(proc.pid)
        slow_closed, idle_closed = await slow, await silent
        print(f"{args.connections} sockets x {args.megabytes} MB of unfinished headers")
        print(f"server memory: {before:.0f} MB before, peak {peak:.0f} MB, {after:.0f} MB "
              f"after (+{peak - before:.0f} MB at peak)")
        print(f"a flooding socket sent at most {max(taken) / 1024:.0f} KiB before the server's "
              f"close reached it (kernel buffers included; {args.megabytes * 1024} KiB: never "
              "closed)")
        print(f"slow loris closed within {args.slow_seconds:.0f} s: {slow_closed}; "
              f"idle socket closed: {idle_closed}")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
