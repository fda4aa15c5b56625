"""Speed to lead: from a hot post arriving over HTTP to its text arriving at Twilio.

    python bench/speed_to_lead.py [--leads 200] [--rate 20] [--database-url URL]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="hot posts per second")
    parser.add_argument("--rate-limit", type=int, default=100_000,
                        help="TWILIO_RATE_LIMIT for the service (texts per minute)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="pipelineos-bench-") as workdir, \
            serve_twilio() as fake:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE"))}
        env.update(twilio_env(fake, twilio_rate_limit=str(args.rate_limit)))
        env.update({"PORT": str(port), "LOG_DIR": f"{workdir}/logs", "LOG_LEVEL": "WARNING",
                    "PIPELINEOS_DATA_DIR": f"{workdir}/data",
                    "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])})
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        proc = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "serve"], cwd=workdir,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            sent_at, replies = asyncio.run(run(base, proc, args.leads, args.rate, fake))
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
          f"{args.leads} hot leads at {args.rate:g}/s; TWILIO_RATE_LIMIT={args.rate_limit}")
    print("texts: one per lead, none twice")
    for name, values in (("post -> text at Twilio", latencies),
                         ("post -> HTTP reply", [r * 1000 for r in replies])):
        print(f"{name:24} p50 {percentile(values, 0.50):7.1f} ms   "
              f"p95 {percentile(values, 0.95):7.1f} ms   p99 {percentile(values, 0.99):7.1f} ms"
              f"   max {max(values):7.1f} ms")
    p95 = percentile(latencies, 0.95)
    print(f"target p95 < 250 ms: {'met' if p95 < 250 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
