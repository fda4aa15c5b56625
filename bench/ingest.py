"""Load on POST /api/leads/analyze over loopback: throughput, latency and database connections.

    python bench/ingest.py [--duration 10] [--concurrency 32] [--rate 200] [--database-url URL]

Starts ``pipelineos serve`` (embedded PostgreSQL in a temporary directory unless a database URL
is given), then runs two phases with an aiohttp client in this process:

1. closed loop: ``--concurrency`` clients send posts back to back for ``--duration`` seconds
   (the most analyzed posts per second the service sustains);
2. open loop: posts sent at a fixed ``--rate`` per second regardless of replies (latency as a
   user sees it at that load; a slow reply does not slow the sender down).

While both run, a separate connection samples pg_stat_activity for the service's connections.
The load generator shares the machine's cores with the service, as on a 2-core box it would.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psycopg
from common import free_port, percentile, wait_ready

from pipelineos.analysis import corpus

POSTS = [json.loads(line) for line in corpus.SETS["dev"].open()]


async def sample_connections(url: str, peak: list[int], stop: asyncio.Event) -> None:
    query = ("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pipelineos'")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True,
                                                     application_name="bench") as conn:
        while not stop.is_set():
            row = await (await conn.execute(query)).fetchone()
            peak.append(int(row[0]) if row else 0)
            await asyncio.sleep(0.05)


async def post_once(session: aiohttp.ClientSession, base: str, i: int) -> tuple[float, int]:
    item = POSTS[i % len(POSTS)]
    # Each request from its own author: the same labeled texts again are other people's
    # needs, not repeats, so every request takes the full path (analysis, lead, alert).
    body = {"post_text": f"{item['text']} #{i}", "group_name": item["group_name"],
            "author": f"bench author {i}"}
    started = time.perf_counter()
    async with session.post(f"{base}/api/leads/analyze", json=body) as response:
        await response.read()
        return time.perf_counter() - started, response.status


async def closed_loop(session: aiohttp.ClientSession, base: str, clients: int,
                      duration: float) -> tuple[int, float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(10**9))
    deadline = time.perf_counter() + duration

    async def client() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            latency, status = await post_once(session, base, next(counter))
            latencies.append(latency)
            errors += status != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return len(latencies), time.perf_counter() - started, latencies, errors


async def open_loop(session: aiohttp.ClientSession, base: str, rate: float,
                    duration: float) -> tuple[int, float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    tasks: list[asyncio.Task[None]] = []

    async def one(i: int) -> None:
        nonlocal errors
        latency, status = await post_once(session, base, 10**6 + i)
        latencies.append(latency)
        errors += status != 200

    started = time.perf_counter()
    total = int(rate * duration)
    for i in range(total):
        # Send on schedule; lateness of the sender is counted by measuring from the schedule.
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    return len(latencies), time.perf_counter() - started, latencies, errors


def report(name: str, count: int, elapsed: float, latencies: list[float], errors: int) -> None:
    ms = [x * 1000 for x in latencies]
    print(f"{name:<28} {count:>7} req  {count / elapsed:>8.0f} req/s  "
          f"p50 {statistics.median(ms):6.1f} ms  p99 {percentile(ms, 0.99):6.1f} ms  "
          f"max {max(ms):6.1f} ms  errors {errors}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="pipelineos-bench-"))
    env = {**os.environ, "PORT": str(port), "LOG_DIR": str(work / "logs"),
           "PIPELINEOS_DATA_DIR": str(work / "data"), "LOG_LEVEL": "WARNING"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    proc = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "serve"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    connector = aiohttp.TCPConnector(limit=0)
    try:
        async with aiohttp.ClientSession(connector=connector) as session:
            await wait_ready(session, base, proc)
            async with session.get(f"{base}/health") as response:
                health = await response.json()
            db_url = args.database_url or _embedded_url(work)
            print(f"machine: {platform.processor() or platform.machine()}, "
                  f"{os.cpu_count()} cores, Python {platform.python_version()}; "
                  f"database: {'embedded' if health['database']['embedded'] else 'external'}; "
                  f"pool max {health['database']['pool']['max']}")
            await closed_loop(session, base, 8, 1.0)  # warm up
            peak: list[int] = []
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample_connections(db_url, peak, stop))
            report(f"closed loop, {args.concurrency} clients",
                   *await closed_loop(session, base, args.concurrency, args.duration))
            report(f"open loop, {args.rate:.0f} req/s",
                   *await open_loop(session, base, args.rate, args.duration))
            stop.set()
            await sampler
            print(f"peak service connections: {max(peak)} (pool max "
                  f"{health['database']['pool']['max']})")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _embedded_url(work: Path) -> str:
    return f"host={work / 'data' / 'postgres'} dbname=pipelineos user=postgres"


if __name__ == "__main__":
    asyncio.run(main())
