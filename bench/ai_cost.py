"""What Claude costs per 100 posts, with the pre-filter and batching on versus off.

    python bench/ai_cost.py [--latency 0.2] [--lead-share 0.39] [--concurrency 8]
                            [--database-url URL]

A mixed stream of posts (the four labeled sets under tests/, shuffled with a fixed seed; by
default all 1,081 posts, 39% of them leads; ``--lead-share`` drops leads to make them rarer)
goes through the real pipeline: a :class:`Runtime` on PostgreSQL (an embedded server in a
temporary directory unless ``--database-url``), the official SDK, and the loopback fake Claude
(tests/fakes/claude_server.py) answering after a fixed ``--latency``. Four runs, each on a fresh
database:

  per-post     every post through POST /api/leads/analyze, pre-filter off: one request per post
  prefilter    the same requests with the pre-filter on
  batch        posts stored as a backlog and analyzed by the sweep, 10 posts per request
  both         the backlog with the pre-filter on and batching

It prints Claude requests, input characters and tokens per 100 posts, and posts analyzed per
second. The rate limit is raised out of the way: this measures cost, not the 50/minute budget.

The pre-filter check: the fake answers each labeled post with its label, so in the per-post run
Claude's verdict on every post is the ground truth. Every post the pre-filter settled in the
other runs is looked up there; a settled post that Claude called a lead is a lead lost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import conninfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from pipelineos.bootstrap import Runtime  # noqa: E402
from pipelineos.config import Settings  # noqa: E402
from pipelineos.ingest import posts as post_store  # noqa: E402
from pipelineos.ingest.service import PREFILTERED  # noqa: E402
from pipelineos.web.app import create_app  # noqa: E402
from tests.fakes.claude_server import LABELED_SETS, FakeClaude  # noqa: E402


@dataclass
class Run:
    name: str
    posts: int
    requests: int
    prompt_chars: int
    posts_chars: int
    tokens: dict[str, int]
    seconds: float
    prefiltered: set[str]
    claude_says_lead: dict[str, bool]
    analyzers: dict[str, int]

    def per100(self, value: float) -> float:
        return value * 100 / self.posts


def stream(lead_share: float | None, seed: int = 7) -> list[dict[str, Any]]:
    rows = [json.loads(line) for path in LABELED_SETS
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    if lead_share is not None:
        leads = [r for r in rows if r["is_lead"]]
        others = [r for r in rows if not r["is_lead"]]
        keep = min(len(leads), round(lead_share * len(others) / (1 - lead_share)))
        rows = rng.sample(leads, keep) + others
    rng.shuffle(rows)
    return rows


def fresh_database(admin_url: str) -> str:
    name = f"bench_ai_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = conninfo.conninfo_to_dict(admin_url)
    params["dbname"] = name
    return conninfo.make_conninfo(**params)


async def run(name: str, rows: list[dict[str, Any]], admin_url: str, fake: FakeClaude,
              workdir: Path, *, prefilter: bool, backlog: bool, concurrency: int) -> Run:
    url = fresh_database(admin_url)
    settings = Settings(
        _env_file=None, database_url=url, log_dir=workdir / "logs", log_level="WARNING",
        pipelineos_data_dir=workdir / "data", anthropic_api_key="sk-bench",
        anthropic_base_url=fake.url, claude_prefilter=prefilter, claude_rate_limit=1_000_000,
        db_pool_max=max(10, concurrency + 2),
    )
    runtime = await Runtime.start(settings)
    fake.clear()
    started = time.perf_counter()
    try:
        if backlog:
            async with runtime.pool.connection() as conn:
                # Each labeled post is someone's own (none repeats another's need).
                for n, row in enumerate(rows):
                    await post_store.insert_received(conn, body=row["text"],
                                                     group_name=row.get("group_name") or "group",
                                                     source="import", author=f"poster {n}")
            started = time.perf_counter()  # storing the backlog is intake, not analysis
            while await runtime.intake.analyze_pending(older_than=timedelta(0), limit=500):
                pass
        else:
            app = create_app(settings, runtime=runtime)
            transport = httpx.ASGITransport(app=app)
            queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
            for n, row in enumerate(rows):
                queue.put_nowait({**row, "author": f"poster {n}"})
            async with httpx.AsyncClient(transport=transport, base_url="http://bench",
                                         timeout=120) as client:
                async def sender() -> None:
                    while not queue.empty():
                        row = queue.get_nowait()
                        reply = await client.post("/api/leads/analyze", json={
                            "post_text": row["text"], "author": row["author"],
                            "group_name": row.get("group_name") or "group"})
                        if reply.status_code != 200:
                            raise SystemExit(f"{name}: {reply.status_code} {reply.text}")
                await asyncio.gather(*(sender() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    finally:
        await runtime.stop()
    requests = fake.requests
    with psycopg.connect(url) as conn:
        found = conn.execute("""SELECT p.body, a.analyzer, a.is_lead, a.reasons
                                FROM analyses a JOIN posts p ON p.id = a.post_id""").fetchall()
        totals = conn.execute("""SELECT coalesce(sum(input_tokens), 0),
                                        coalesce(sum(output_tokens), 0),
                                        coalesce(sum(cache_read_tokens), 0),
                                        coalesce(sum(cache_write_tokens), 0)
                                 FROM ai_requests""").fetchone()
    assert totals is not None
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{conninfo.conninfo_to_dict(url)["dbname"]}"')
    if len(found) != len(rows):
        raise SystemExit(f"{name}: {len(found)} analyses for {len(rows)} posts")
    analyzers: dict[str, int] = {}
    for _, analyzer, _, _ in found:
        analyzers[analyzer] = analyzers.get(analyzer, 0) + 1
    return Run(
        name=name, posts=len(rows), requests=len(requests),
        prompt_chars=sum(r.prompt_chars for r in requests),
        posts_chars=sum(r.posts_chars for r in requests),
        tokens=dict(zip(("input", "output", "cacheRead", "cacheWrite"), map(int, totals))),
        seconds=seconds,
        prefiltered={body for body, _, _, reasons in found if PREFILTERED in reasons},
        claude_says_lead={body: lead for body, analyzer, lead, _ in found if analyzer == "claude"},
        analyzers=analyzers,
    )


async def main(args: argparse.Namespace) -> None:
    rows = stream(args.lead_share)
    leads = sum(r["is_lead"] for r in rows)
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{platform.processor() or platform.platform()}")
    print(f"stream: {len(rows)} labeled posts, {leads} leads ({leads / len(rows):.0%}); "
          f"fake Claude latency {args.latency * 1000:.0f} ms; request path with "
          f"{args.concurrency} concurrent clients\n")
    server = None
    admin_url = args.database_url
    workdir = Path(tempfile.mkdtemp(prefix="pipelineos-bench-ai-"))
    if admin_url is None:
        import pgserver

        server = pgserver.get_server(workdir / "pgdata", cleanup_mode="delete")
        admin_url = server.get_uri()
    try:
        with FakeClaude(latency=args.latency) as fake:
            runs = [
                await run("per-post", rows, admin_url, fake, workdir, prefilter=False,
                          backlog=False, concurrency=args.concurrency),
                await run("prefilter", rows, admin_url, fake, workdir, prefilter=True,
                          backlog=False, concurrency=args.concurrency),
                await run("batch", rows, admin_url, fake, workdir, prefilter=False,
                          backlog=True, concurrency=args.concurrency),
                await run("both", rows, admin_url, fake, workdir, prefilter=True,
                          backlog=True, concurrency=args.concurrency),
            ]
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)

    base = runs[0]
    print(f"{'run':<10} {'pre-filter':>10} {'batching':>8} {'requests':>9} {'vs per-post':>11} "
          f"{'input chars':>12} {'posts chars':>12} {'input tok':>10} {'cached tok':>10} "
          f"{'posts/s':>8}")
    print(f"{'':<10} {'':>10} {'':>8} {'/100':>9} {'':>11} {'/100':>12} {'/100':>12} "
          f"{'/100':>10} {'/100':>10}")
    for r, pre, batch in zip(runs, ("off", "on", "off", "on"), ("off", "off", "on", "on"),
                             strict=True):
        change = "baseline" if r is base else f"{r.requests / base.requests - 1:+.0%}"
        print(f"{r.name:<10} {pre:>10} {batch:>8} {r.per100(r.requests):>9.1f} "
              f"{change:>11} {r.per100(r.prompt_chars):>12,.0f} "
              f"{r.per100(r.posts_chars):>12,.0f} "
              f"{r.per100(r.tokens['input'] + r.tokens['cacheWrite']):>10,.0f} "
              f"{r.per100(r.tokens['cacheRead']):>10,.0f} {r.posts / r.seconds:>8.1f}")

    truth = base.claude_says_lead
    print("\npre-filter check (Claude's verdicts from the per-post run as ground truth):")
    for r in runs[1::2]:
        lost = sorted(text for text in r.prefiltered if truth.get(text))
        agreed = sum(1 for t in r.prefiltered if t in truth and not truth[t])
        print(f"  {r.name}: {len(r.prefiltered)} posts settled locally "
              f"({len(r.prefiltered) / r.posts:.0%} of the stream); Claude called {agreed} of "
              f"them non-leads; leads lost: {len(lost)}")
        for text in lost:
            print(f"    LOST: {text[:100]}")
    print("\nanalyses by analyzer: " + "; ".join(f"{r.name} {r.analyzers}" for r in runs))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=0.2, help="fake reply latency, s")
    parser.add_argument("--lead-share", type=float, default=None,
                        help="drop leads until they are this share of the stream")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
