"""Duplicate detection at scale: ingest rate, duplicate-check latency, precision and recall.

    python bench/dedupe.py [--posts 1000000] [--probes 2000] [--database-url URL]

Generates synthetic posts (requests, ads, chatter) with planted repeats: exact cross-posts,
"bump"s, changed phone numbers, and edits (a word added, changed or dropped). Imports them
through the bulk intake (local analyzer, worker processes, batched statements) into an
empty database (embedded PostgreSQL in a temporary directory unless a URL is given), then
times the duplicate check alone (the candidate query ``ingest_post`` runs) and a whole
single-post ``ingest_post`` call for posts arriving at that size, and scores the planted pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from common import percentile

from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile
from pipelineos.bootstrap import Runtime
from pipelineos.config import Settings
from pipelineos.ingest import posts as post_store
from pipelineos.ingest.fingerprint import fingerprint
from pipelineos.ingest.posts import DuplicatePolicy, NewPost

TRADES = ["plumber", "electrician", "roofer", "painter", "handyman", "locksmith", "exterminator",
          "landscaper", "house cleaner", "pool guy", "garage door tech", "fence company",
          "tree service", "HVAC tech", "mover", "concrete guy", "flooring installer",
          "appliance repair tech", "pressure washing service", "remodeling contractor"]
PROBLEMS = ["the water heater is leaking", "our AC stopped cooling", "a tree limb fell on the fence",
            "the kitchen sink is clogged", "half the outlets stopped working", "shingles blew off",
            "we see roaches in the pantry", "the garage door spring snapped", "the yard is overgrown",
            "the pool turned green", "we need two bedrooms painted", "the dryer won't heat",
            "we want new floors downstairs", "the driveway is cracked", "we're moving next month",
            "we locked ourselves out", "the deck needs a wash", "the bathroom needs a redo",
            "the furnace makes a banging noise", "there's a wasp nest by the door"]
WHEN = ["today", "tomorrow", "this week", "this weekend", "before Friday", "next week",
        "sometime this month", "as soon as possible", "whenever someone is free", "by Monday"]
NAMES = ["Ana", "Ben", "Carla", "Dev", "Erin", "Frank", "Gia", "Hank", "Iris", "Jose", "Kim",
         "Luis", "Maya", "Nate", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vic",
         "Wes", "Xena", "Yara", "Zoe"]
STREETS = ["Elm", "Oak", "Maple", "Main", "Cedar", "Pine", "Lake", "Hill", "Park", "Ridge",
           "Mill", "Spring", "Forest", "Meadow", "River", "Sunset", "Valley", "Willow"]
PLACES = ["Dallas", "Plano", "Frisco", "Irving", "Garland", "Mesquite", "Richardson", "Allen",
          "McKinney", "Denton", "Arlington", "Fort Worth", "Lewisville", "Carrollton", "Rowlett",
          "Wylie", "Sachse", "Coppell", "Grapevine", "Keller", "Lakewood", "Oak Cliff", "Uptown"]
EXTRA = ["Two story house.", "We have a dog.", "Gate code is easy.", "Budget is flexible.",
         "Cash or Zelle.", "Photos in comments.", "Renting, landlord approved.", "Thanks in advance!",
         "Prefer licensed and insured.", "Please no upselling.", "Weekends work best.",
         "Been putting this off for months.", "Neighbors recommended asking here."]


LAST = ["Garcia", "Smith", "Nguyen", "Johnson", "Patel", "Brown", "Lopez", "Kim", "Davis",
        "Martinez", "Wilson", "Lee", "Anderson", "Thomas", "Moore", "Jackson", "White", "Harris",
        "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green"]


@dataclass
class Planted:
    index: int
    original: int
    kind: str


def make_post(rng: random.Random) -> str:
    kind = rng.random()
    place = rng.choice(PLACES)
    if kind < 0.55:
        return (f"Need a {rng.choice(TRADES)} in {place} {rng.choice(WHEN)}: "
                f"{rng.choice(PROBLEMS)}. {rng.choice(EXTRA)} {rng.choice(EXTRA)} "
                f"I'm on {rng.choice(STREETS)} {rng.choice(['St', 'Ave', 'Dr', 'Ln'])} near "
                f"{rng.choice(STREETS)}, call {rng.choice(NAMES)} at "
                f"214-555-{rng.randrange(10000):04d}. Ref {rng.randrange(10**6)}")
    if kind < 0.8:
        return (f"{rng.choice(NAMES)}'s {rng.choice(TRADES)} service now booking in {place}! "
                f"Licensed and insured, {rng.randrange(3, 30)} years experience, free estimates. "
                f"Call or text 972-555-{rng.randrange(10000):04d}. Code {rng.randrange(10**6)}")
    return (f"Has anyone else noticed {rng.choice(['the traffic', 'the noise', 'the new store'])} "
            f"on {rng.choice(STREETS)} in {place}? {rng.choice(EXTRA)} "
            f"{rng.choice(NAMES)} #{rng.randrange(10**6)}")


def repeat_of(text: str, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["cross-post", "bump", "new number", "word added", "word changed",
                       "case and punctuation"])
    if kind == "bump":
        return "BUMP " + text, kind
    if kind == "new number":
        return text.replace("555-", "555-9", 1), kind
    if kind == "word added":
        return text.replace(": ", ": honestly ", 1).replace("! ", "!! ", 1), kind
    if kind == "word changed":
        return text.replace("Need a", "Looking for a", 1).replace("now booking", "booking", 1), kind
    if kind == "case and punctuation":
        return text.lower().replace(".", "!!"), kind
    return text, kind


def generate(count: int, share: float, seed: int = 7
             ) -> tuple[list[str], list[str], list[Planted]]:
    """Posts, their authors, and which posts repeat which (by the same author, as people
    cross-post, bump and edit their own posts)."""
    rng = random.Random(seed)
    texts: list[str] = []
    authors: list[str] = []
    planted: list[Planted] = []
    originals: list[int] = []
    while len(texts) < count:
        if originals and rng.random() < share:
            original = rng.choice(originals[-5000:])  # repeats follow within days, not years
            text, kind = repeat_of(texts[original], rng)
            planted.append(Planted(len(texts), original, kind))
            texts.append(text)
            authors.append(authors[original])
        else:
            originals.append(len(texts))
            texts.append(make_post(rng))
            authors.append(f"{rng.choice(NAMES)} {rng.choice(LAST)} {rng.randrange(100)}")
    return texts, authors, planted


# The service's duplicate check (ingest_post runs the same function under its locks).
CANDIDATES = """
SELECT * FROM find_original(%(hash)s, %(signature)s::integer[], %(bands)s::bigint[],
                            %(author)s, %(topic)s, %(place)s, %(window)s::interval,
                            %(min)s::real)
"""


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--share", type=float, default=0.03, help="share of planted repeats")
    parser.add_argument("--probes", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--anonymous", action="store_true",
                        help="posts without authors (all in one namespace of bands)")
    args = parser.parse_args()

    warnings.simplefilter("ignore")
    work = Path(tempfile.mkdtemp(prefix="pipelineos-dedupe-"))
    work.chmod(0o755)
    settings = Settings(_env_file=None, database_url=args.database_url, log_dir=work / "logs",
                        pipelineos_data_dir=work / "data", jobs_in_serve=False,
                        log_level="WARNING")  # type: ignore[call-arg]
    started = time.perf_counter()
    texts, authors, planted = generate(args.posts, args.share)
    if args.anonymous:
        authors = [None] * len(authors)  # type: ignore[list-item]
    print(f"generated {len(texts):,} posts ({len(planted):,} planted repeats) in "
          f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} cores")

    runtime = await Runtime.start(settings)
    posted = datetime.now(UTC) - timedelta(days=2)
    try:
        cpu_before = cpu_seconds(work)
        started = time.perf_counter()
        done = 0
        for start in range(0, len(texts), args.batch):
            # Posted two days ago, like an import of scraped posts: stored, not texted.
            chunk = [NewPost(text, "Bench Group", "bench", str(start + i), posted_at=posted,
                             author=authors[start + i])
                     for i, text in enumerate(texts[start:start + args.batch])]
            await runtime.bulk.submit(chunk)
            done += len(chunk)
            if done % 100_000 < args.batch:
                rate = done / (time.perf_counter() - started)
                print(f"  {done:>9,} posts  {rate:,.0f} posts/s", flush=True)
        elapsed = time.perf_counter() - started
        cpu = {kind: (spent - cpu_before.get(kind, 0.0)) / len(texts) * 1e6
               for kind, spent in cpu_seconds(work).items()}
        print(f"ingest: {len(texts):,} posts in {elapsed:.0f} s = {len(texts) / elapsed:,.0f} "
              f"posts/s (bulk intake, local analyzer, {runtime.bulk.workers} worker processes)")
        if cpu:
            print("CPU per post: " + ", ".join(f"{kind} {us:.0f} µs" for kind, us in cpu.items())
                  + f"; all {sum(cpu.values()):.0f} µs (on {os.cpu_count()} cores: at most "
                  f"{os.cpu_count() * 1e6 / sum(cpu.values()):,.0f} posts/s)")
        async with runtime.pool.connection() as conn:
            await conn.execute("ANALYZE posts")
            detected = {int(source_id): (int(post_id), dup) for source_id, post_id, dup in
                        await (await conn.execute(
                            "SELECT source_id, id, duplicate_of FROM posts")).fetchall()}
        score(detected, planted, len(texts))
        await probe(runtime, texts, authors, args.probes)
    finally:
        await runtime.stop()
        shutil.rmtree(work, ignore_errors=True)  # the embedded database: gigabytes at 1M posts


def cpu_seconds(data_dir: Path) -> dict[str, float]:
    """CPU seconds spent so far by this process, its analysis workers and the PostgreSQL
    server whose data lives under ``data_dir`` (Linux /proc; empty elsewhere). On a machine
    shared with other work, these say what an import costs when its rate does not."""
    if not Path("/proc/self/stat").exists():
        return {}
    tick, me = os.sysconf("SC_CLK_TCK"), os.getpid()
    processes: dict[int, tuple[int, float, str]] = {}  # pid -> (parent, seconds, command)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        processes[int(entry.name)] = (int(fields[1]),
                                      (int(fields[11]) + int(fields[12])) / tick, command)
    servers = {pid for pid, (_, _, command) in processes.items()
               if "postgres" in command and str(data_dir) in command}
    spent = {"main process": 0.0, "analysis workers": 0.0, "PostgreSQL": 0.0}
    for pid, (parent, seconds, command) in processes.items():
        if pid == me:
            spent["main process"] += seconds
        elif parent == me and "multiprocessing" in command:
            spent["analysis workers"] += seconds
        elif pid in servers or parent in servers:
            spent["PostgreSQL"] += seconds
    return spent


def score(detected: dict[int, tuple[int, int | None]], planted: list[Planted], total: int) -> None:
    post_of = {index: post_id for index, (post_id, _) in detected.items()}
    root = {post_id: dup or post_id for post_id, dup in detected.values()}
    truth = {p.index: post_of[p.original] for p in planted}
    found = {index for index, (_, dup) in detected.items() if dup is not None}
    right = sum(1 for index in found if index in truth
                and detected[index][1] == root.get(truth[index], truth[index]))
    precision = right / len(found) if found else 1.0
    recall = right / len(truth) if truth else 1.0
    print(f"planted repeats: {len(truth):,}; flagged as repeats: {len(found):,}; "
          f"right: {right:,}")
    print(f"precision {precision:.4f}  recall {recall:.4f}")
    by_kind: dict[str, list[int]] = {}
    for p in planted:
        by_kind.setdefault(p.kind, []).append(int(p.index in found))
    print("recall by kind: " + ", ".join(f"{k} {sum(v) / len(v):.3f}"
                                         for k, v in sorted(by_kind.items())))


async def probe(runtime: Runtime, texts: list[str], authors: list[str], probes: int) -> None:
    rng = random.Random(11)
    policy = DuplicatePolicy()
    check_ms: list[float] = []
    ingest_ms: list[float] = []
    analyzer = LocalAnalyzer()
    async with runtime.pool.connection() as conn:
        for n in range(probes):
            index = rng.randrange(len(texts))
            text = repeat_of(texts[index], rng)[0] if n % 2 else make_post(rng)
            author = authors[index] if n % 2 or authors[index] is None else f"Probe {n}"
            fp = fingerprint(text, author)
            local = analyzer.analyze_sync(text, "Bench Group")
            params = {"window": policy.window, "hash": fp.content_hash, "author": author,
                      "bands": list(fp.bands), "signature": list(fp.signature),
                      "min": policy.min_similarity, "topic": local.category,
                      "place": local.location.strip().lower() if local.location else None}
            started = time.perf_counter()
            await (await conn.execute(CANDIDATES, params)).fetchall()
            check_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            await post_store.ingest(conn, NewPost(text, "Bench Group", "probe", str(n),
                                                  author=author,
                                                  posted_at=datetime.now(UTC) - timedelta(days=2)),
                                    fp, local, BusinessProfile(), policy)
            ingest_ms.append((time.perf_counter() - started) * 1000)
    for name, values in (("duplicate check", check_ms), ("whole ingest_post call", ingest_ms)):
        print(f"{name} at {len(texts):,} posts: p50 {statistics.median(values):.2f} ms  "
              f"p99 {percentile(values, 0.99):.2f} ms  max {max(values):.2f} ms  "
              f"({len(values)} probes, half of them repeats)")


if __name__ == "__main__":
    asyncio.run(main())
