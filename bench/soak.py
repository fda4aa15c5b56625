"""Soak: two API processes under steady load while the worker is killed and restarted.

    python bench/soak.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/soak.py --database-url ... --minutes 2 --rate 100 --kill-every 60

Not run in CI. A fresh database is made on the given server (and dropped after). Two
`pipelineos serve` processes (JOBS_IN_SERVE=false) and one `pipelineos worker` run on it; posts
go to the two APIs in turn at ``--rate`` requests a second (a fifth of them hot leads); every
``--kill-every`` seconds the worker is SIGKILLed and a new one started. Every ``--sample``
seconds the script prints the interval's requests, errors, p50/p99 latency, each API process's
resident memory and the database's connections. At the end: memory growth from the first
sample to the last, the connections' range, and what was lost (an accepted post missing from
the database, a hot lead without its alert row).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import free_port, percentile, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def with_dbname(url: str, name: str) -> str:
    return psycopg.conninfo.make_conninfo(url, dbname=name)


def process_env(url: str, workdir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE", "JOB_"))}
    env.update({"DATABASE_URL": url, "PORT": str(port), "LOG_DIR": str(workdir / "logs"),
                "PIPELINEOS_DATA_DIR": str(workdir / "data"), "JOBS_IN_SERVE": "false",
                "PYTHONPATH": str(ROOT / "src"), "JOB_SCHEDULES": "daily-digest=off",
                "NEAR_DUPLICATES": "false"})
    return env


def start(kind: str, url: str, workdir: Path, port: int) -> subprocess.Popen[bytes]:
    workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, "-m", "pipelineos.cli", kind], cwd=workdir,
                            env=process_env(url, workdir, port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


@dataclass
class Interval:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


@dataclass
class Load:
    accepted: list[tuple[str, bool]] = field(default_factory=list)  # (text, hot)
    current: Interval = field(default_factory=Interval)
    sent: int = 0


# Each post has its own author, as posts from a group do: near-duplicate detection treats
# posts without an author as one poster's, and would (rightly) fold these formulaic texts into
# a few leads, measuring the duplicate check instead of the service (docs/leads.md).
HOT = ("Need a plumber in {place} for a leaking water heater asap",
       "Water pouring from the ceiling in {place}, need someone right now",
       "No AC and it's 104 in {place}, need AC repair today please")
COLD = ("Selling a used couch in good shape in {place}, pick up only",
        "Lost cat near {place}, grey tabby, answers to Milo",
        "Anyone going to the {place} farmers market this weekend?")
PLACES = ("Dallas", "Plano", "Garland", "Irving", "Frisco", "Mesquite", "Richardson")


def post_text(n: int, run: str) -> tuple[str, bool]:
    hot = n % 5 == 0
    templates = HOT if hot else COLD
    text = templates[n % len(templates)].format(place=PLACES[n % len(PLACES)])
    return f"{text} (ref {run}-{n})", hot


async def drive(session: aiohttp.ClientSession, bases: list[str], rate: float, until: float,
                load: Load, run: str) -> None:
    """Open-loop load: a request every 1/rate seconds whatever the answers take."""
    pending: set[asyncio.Task[None]] = set()
    started = time.monotonic()

    async def one(n: int) -> None:
        text, hot = post_text(n, run)
        began = time.perf_counter()
        try:
            async with session.post(f"{bases[n % len(bases)]}/api/leads/analyze",
                                    json={"post_text": text, "group_name": "Soak",
                                          "author": f"Neighbour {run}-{n}"}) as reply:
                await reply.read()
                ok = reply.status == 200
        except (aiohttp.ClientError, TimeoutError):  # no answer within 30 s is an error too
            ok = False
        interval = load.current
        interval.latencies.append(time.perf_counter() - began)
        if ok:
            load.accepted.append((text, hot))
        else:
            interval.errors += 1

    n = 0
    while time.monotonic() < until:
        due = started + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(n))
        pending.add(task)
        task.add_done_callback(pending.discard)
        n += 1
        load.sent = n
    if pending:
        await asyncio.wait(pending, timeout=30)


def rss_mb(proc: subprocess.Popen[bytes]) -> float:
    try:
        return psutil.Process(proc.pid).memory_info().rss / 2**20
    except psutil.Error:
        return float("nan")


def connections(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND application_name = 'pipelineos'").fetchone()
    return int(row[0]) if row else 0


async def soak(args: argparse.Namespace) -> int:
    name = f"soak_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_dbname(args.database_url, name)
    work = Path(tempfile.mkdtemp(prefix="pipelineos-soak-"))
    ports = [free_port(), free_port()]
    apis = [start("serve", url, work / f"api{i}", port) for i, port in enumerate(ports)]
    worker = start("worker", url, work / "worker0", free_port())
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    kills = 0
    run = uuid.uuid4().hex[:6]
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            for base, proc in zip(bases, apis, strict=True):
                await wait_ready(session, base, proc)
            load = Load()
            began = time.monotonic()
            until = began + args.minutes * 60
            driver = asyncio.create_task(drive(session, bases, args.rate, until, load, run))
            samples: list[tuple[float, int, int, float, float, list[float], int]] = []
            next_kill = began + args.kill_every
            print(f"{'t (s)':>6}{'requests':>10}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}"
                  f"{'api0 MB':>9}{'api1 MB':>9}{'db conns':>10}{'kills':>7}")
            while not driver.done():
                await asyncio.sleep(min(args.sample, max(0.0, until - time.monotonic()) + 0.01))
                now = time.monotonic()
                if now >= next_kill and now < until:
                    worker.send_signal(signal.SIGKILL)
                    worker.wait()
                    worker = start("worker", url, work / f"worker{kills + 1}", free_port())
                    kills += 1
                    next_kill += args.kill_every
                interval, load.current = load.current, Interval()
                lat = interval.latencies or [float("nan")]
                memory = [rss_mb(p) for p in apis]
                conns = await asyncio.to_thread(connections, url)
                row = (now - began, len(interval.latencies), interval.errors,
                       percentile(lat, 0.5) * 1000, percentile(lat, 0.99) * 1000, memory, conns)
                samples.append(row)
                print(f"{row[0]:>6.0f}{row[1]:>10}{row[2]:>8}{row[3]:>9.1f}{row[4]:>9.1f}"
                      f"{memory[0]:>9.1f}{memory[1]:>9.1f}{conns:>10}{kills:>7}", flush=True)
            await driver
        await asyncio.sleep(3)  # the last alerts' rows commit
        with psycopg.connect(url) as conn:
            stored = {t for (t,) in conn.execute("SELECT body FROM posts")}
            alerted = {t for (t,) in conn.execute(
                "SELECT p.body FROM alert_outbox a JOIN leads l ON l.id = a.lead_id "
                "JOIN posts p ON p.id = l.post_id")}
        lost = [t for t, _ in load.accepted if t not in stored]
        unalerted = [t for t, hot in load.accepted if hot and t not in alerted]
        first, last = samples[0], samples[-1]
        growth = [(b - a) / a * 100 for a, b in zip(first[5], last[5], strict=True)]
        p99s = [s[4] for s in samples if s[1]]
        conns = [s[6] for s in samples]
        print(f"\n{args.minutes:g} min at {args.rate:g} requests/s: {load.sent} sent, "
              f"{len(load.accepted)} accepted, {sum(s[2] for s in samples)} errors, "
              f"worker killed {kills} times")
        print(f"memory growth first->last sample: api0 {growth[0]:+.1f}%, api1 {growth[1]:+.1f}%")
        print(f"database connections: {min(conns)}-{max(conns)}")
        print(f"p99 per sample: {min(p99s):.1f}-{max(p99s):.1f} ms")
        print(f"lost: {len(lost)} accepted posts missing, {len(unalerted)} hot leads without "
              "an alert row")
        return 0 if not lost and not unalerted else 1
    finally:
        for proc in [*apis, worker]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [*apis, worker]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a server to make a database on")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--kill-every", type=float, default=60.0, help="seconds")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    return asyncio.run(soak(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
