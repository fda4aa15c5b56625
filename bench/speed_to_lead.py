"""Speed to lead: from a hot post arriving over HTTP to its text arriving at Twilio.

    python bench/speed_to_lead.py [--leads 200] [--rate 20] [--database-url URL]
    python bench/speed_to_lead.py --kind webhook|rss|imap [--leads 30] [--rate 1] [--interval 10]

``--kind`` (default ``api``) says how the posts arrive: ``api`` posts to
``/api/leads/analyze``; ``webhook`` posts each to a webhook source's secret URL; ``rss``
publishes each as a new item of a feed on a loopback feed server that an ``rss`` source polls
every ``--interval`` seconds; ``imap`` delivers each as an e-mail (IMAP APPEND) to a Debian
dovecot-imapd on loopback that an ``imap`` source polls every ``--interval`` seconds. The
latency is from just before the post is sent (or published, or delivered) to the text's
arrival at the fake Twilio.

Starts the loopback Twilio (tests/fakes/twilio_server.py) in this process and
``pipelineos serve`` as a subprocess with TWILIO_* pointing at it (the official SDK over real
HTTP; embedded PostgreSQL in a temporary directory unless a database URL is given). Posts
``--leads`` hot leads to ``POST /api/leads/analyze`` at ``--rate`` per second (open loop: a
slow reply does not slow the sender down) and measures, per lead, the time from just before
the post is sent to the moment the fake Twilio has read the create-message request. Both
timestamps are taken with ``time.perf_counter()`` in this process.

The service's ``TWILIO_RATE_LIMIT`` is raised (``--rate-limit``, default 100000 per minute) so
the figure is the pipeline's latency, not the owner's 10-texts-a-minute budget.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from common import free_port, percentile, wait_ready

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.fakes import dovecot  # noqa: E402
from tests.fakes.feed_server import FeedItem, FeedServer  # noqa: E402
from tests.fakes.twilio_server import serve_twilio, twilio_env  # noqa: E402

HOT = "Need a plumber in Dallas for leaking water heater, unit {i}"
GROUP = "Dallas Home Services"
MARK = re.compile(r"unit (\d+)\"")


async def post_lead(session: aiohttp.ClientSession, base: str, i: int,
                    sent_at: dict[int, float], replies: list[float]) -> None:
    started = time.perf_counter()
    sent_at[i] = started
    async with session.post(f"{base}/api/leads/analyze",
                            json={"post_text": HOT.format(i=i), "group_name": GROUP,
                                  # each from its own poster: separate needs, not repeats
                                  "author": f"Neighbour {i}"}) as response:
        body = await response.json()
        if response.status != 200 or body["lead"]["priority"] != "high":
            raise SystemExit(f"post {i}: {response.status} {body}")
    replies.append(time.perf_counter() - started)


async def run(base: str, proc: subprocess.Popen[bytes], leads: int, rate: float,
              fake: object) -> tuple[dict[int, float], list[float]]:
    sent_at: dict[int, float] = {}
    replies: list[float] = []
    async with aiohttp.ClientSession() as session:
        await wait_ready(session, base, proc)
        # Warm-up: the first request pays for imports and the first connections.
        await post_lead(session, base, -1, {}, [])
        await asyncio.to_thread(fake.wait_for_messages, 1, 10)  # type: ignore[attr-defined]
        tasks = []
        start = time.perf_counter()
        for i in range(leads):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post_lead(session, base, i, sent_at, replies)))
        await asyncio.gather(*tasks)
        await asyncio.to_thread(fake.wait_for_messages, leads + 1, 30)  # type: ignore[attr-defined]
    return sent_at, replies


async def run_source(base: str, proc: subprocess.Popen[bytes], kind: str, leads: int,
                     rate: float, interval: int, fake: object) -> tuple[dict[int, float],
                                                                       list[float]]:
    """Posts arriving through a source of ``kind``: each published, then waited for."""
    sent_at: dict[int, float] = {}
    async with aiohttp.ClientSession() as session:
        await wait_ready(session, base, proc)
        feeds = mailbox = None
        if kind == "webhook":
            body = {"kind": "webhook", "name": "bench"}
        elif kind == "rss":
            feeds = FeedServer().start()
            feeds.items["bench"] = []
            body = {"kind": "rss", "name": "bench", "url": feeds.url("bench"),
                    "interval_seconds": interval}
        else:
            mailbox = dovecot.Dovecot({"leads": "bench-pw"}).start()
            body = {"kind": "imap", "name": "bench", "host": "127.0.0.1", "port": mailbox.port,
                    "username": "leads", "password": "bench-pw", "tls": False,
                    "interval_seconds": interval}
        try:
            async with session.post(f"{base}/api/sources", json=body) as response:
                created = await response.json()
                if response.status != 201:
                    raise SystemExit(f"source not added: {created}")
            start = time.perf_counter()
            for i in range(-1, leads):  # -1: warm-up
                delay = start + (i + 1) / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                text = HOT.format(i=i)
                sent_at[i] = time.perf_counter()
                if kind == "webhook":
                    async with session.post(created["webhook_url"], json={
                            "text": text, "groupTitle": GROUP, "author": f"Neighbour {i}",
                            "postId": str(i)}) as response:
                        if response.status != 200:
                            raise SystemExit(f"webhook: {response.status}")
                elif feeds is not None:
                    feeds.items["bench"].insert(0, FeedItem(f"item-{i}", text, "",
                                                              author=f"Neighbour {i}"))
                elif mailbox is not None:
                    raw = (f"From: Neighbour {i} <n{i}@example.test>\r\n"
                           f"Subject: Neighbour {i} posted in {GROUP}\r\n"
                           f"Message-ID: <bench-{i}@example.test>\r\n\r\n{text}\r\n")
                    await asyncio.to_thread(mailbox.append, "leads", raw.encode())
                if i == -1:
                    await asyncio.to_thread(fake.wait_for_messages, 1,  # type: ignore[attr-defined]
                                            interval + 30)
                    start = time.perf_counter() - 1 / rate
            await asyncio.to_thread(fake.wait_for_messages, leads + 1,  # type: ignore[attr-defined]
                                    interval + 60)
        finally:
            if feeds is not None:
                feeds.stop()
            if mailbox is not None:
                mailbox.stop()
    return sent_at, []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="hot posts per second")
    parser.add_argument("--rate-limit", type=int, default=100_000,
                        help="TWILIO_RATE_LIMIT for the service (texts per minute)")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--kind", choices=("api", "webhook", "rss", "imap"), default="api",
                        help="how the posts arrive (see above)")
    parser.add_argument("--interval", type=int, default=10,
                        help="rss, imap: the source's poll interval in seconds")
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="pipelineos-bench-") as workdir, \
            serve_twilio() as fake:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE"))}
        env.update(twilio_env(fake, twilio_rate_limit=str(args.rate_limit)))
        env.update({"PORT": str(port), "LOG_DIR": f"{workdir}/logs", "LOG_LEVEL": "WARNING",
                    "SOURCE_MIN_INTERVAL_SECONDS": "1",
                    "PIPELINEOS_DATA_DIR": f"{workdir}/data",
                    "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])})
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        proc = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "serve"], cwd=workdir,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if args.kind == "api":
                sent_at, replies = asyncio.run(run(base, proc, args.leads, args.rate, fake))
            else:
                sent_at, replies = asyncio.run(run_source(base, proc, args.kind, args.leads,
                                                          args.rate, args.interval, fake))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

        arrived: dict[int, float] = {}
        for message in fake.messages:
            match = MARK.search(message.body)
            if match:
                index = int(match[1])
                if index in arrived:
                    raise SystemExit(f"lead {index} was texted twice")
                arrived[index] = message.received_at
    latencies = [(arrived[i] - sent_at[i]) * 1000 for i in range(args.leads)]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()}")
    print(f"database: {'external' if args.database_url else 'embedded'}; analyzer: local; "
          f"{args.leads} hot leads at {args.rate:g}/s; TWILIO_RATE_LIMIT={args.rate_limit}; "
          f"arriving by: {args.kind}"
          + (f" (polled every {args.interval} s)" if args.kind in ("rss", "imap") else ""))
    print("texts: one per lead, none twice")
    measured = [("post -> text at Twilio", latencies)]
    if replies:
        measured.append(("post -> HTTP reply", [r * 1000 for r in replies]))
    for name, values in measured:
        print(f"{name:24} p50 {percentile(values, 0.50):7.1f} ms   "
              f"p95 {percentile(values, 0.95):7.1f} ms   p99 {percentile(values, 0.99):7.1f} ms"
              f"   max {max(values):7.1f} ms")
    p95 = percentile(latencies, 0.95)
    target = {"api": 250.0, "webhook": 1000.0, "rss": (args.interval + 5) * 1000.0,
              "imap": 10_000.0}[args.kind]
    print(f"target p95 < {target:g} ms: {'met' if p95 < target else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
