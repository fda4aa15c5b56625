"""The dashboard's server time at size: how long the inbox and a lead page take to render with
100,000 leads, and how many bytes the first page costs a phone.

    python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
        [--leads 100000] [--rounds 200]

Creates a database ``bench_dashboard`` on that server, fills it by SQL with --leads posts, each
a lead (statuses, priorities, services, areas and groups mixed), then serves the app in-process
on a started Runtime and times each page through the ASGI interface (server time: routing,
queries, templates; no network). Prints p50/p95/max per page and the first page's bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path

import httpx
import psycopg
from psycopg import conninfo

from pipelineos.bootstrap import SCHEMA, Runtime
from pipelineos.config import Settings
from pipelineos.db.pool import create_pool
from pipelineos.web.app import create_app

FILL = """
INSERT INTO posts (group_name, body, source, status, analyzed_at, attempts, content_hash,
                   author, posted_at)
SELECT 'Group ' || (i % 40),
       (ARRAY['Need a plumber for a leaking water heater', 'AC stopped cooling, any HVAC tech?',
              'Looking for an electrician, outlet sparking', 'Roof leak after the storm'])[i % 4 + 1]
           || ' in ' || (ARRAY['Dallas', 'Plano', 'Frisco', 'Denver'])[i % 4 + 1]
           || ', post ' || i || ', please call or text',
       'import', 'analyzed', now(), 1, i, 'author ' || (i % 5000), now()
FROM generate_series(1, :leads) AS i;
INSERT INTO analyses (post_id, analyzer, is_lead, category, location, urgency, priority,
                      summary, confidence, reasons)
SELECT id, 'local', true, (ARRAY['plumbing', 'hvac', 'electrical', 'roofing'])[id % 4 + 1],
       (ARRAY['Dallas', 'Plano', 'Frisco', 'Denver'])[id % 4 + 1], 'soon',
       (ARRAY['high', 'medium', 'low'])[id % 3 + 1], left(body, 80), 0.8, '["bench"]'
FROM posts;
INSERT INTO leads (post_id, analysis_id, category, location, area, fit, urgency, priority,
                   summary, status)
SELECT post_id, id, category, location, location, 'in_area', urgency, priority, summary,
       (ARRAY['new', 'new', 'contacted', 'quoted', 'won', 'lost', 'spam'])[id % 7 + 1]
FROM analyses;
"""

PAGES = {
    "inbox /": "/",
    "inbox ?status=contacted": "/?status=contacted",
    "inbox ?category=hvac&priority=high": "/?category=hvac&priority=high",
    "inbox ?area=Dallas": "/?area=Dallas",
    "inbox ?q=water heater (search)": "/?q=water+heater",
    "inbox ?q=no such words (search, no match)": "/?q=zzyzx+nothing",
    "inbox ?q=post 4242 (search, a few matches)": "/?q=post+4242",
    "inbox ?q=zzyz (under 5 characters: no index)": "/?q=zzyz",
    "next page, deep (cursor)": "/inbox/rows?cursor={deep}",
    "new rows since (live update)": "/inbox/rows?after={recent}",
    "lead page": "/leads/{lead}",
}


def database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return conninfo.make_conninfo(admin_url, dbname=name)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(admin_url: str, leads: int, rounds: int) -> None:
    url = database(admin_url, "bench_dashboard")
    pool = create_pool(url, min_size=1, max_size=2)
    await pool.open(wait=True)
    await SCHEMA.migrate(pool)
    await pool.close()
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FILL.replace(":leads", str(int(leads))).encode())
        conn.execute("VACUUM ANALYZE")
    print(f"filled {leads:,} leads in {time.perf_counter() - started:.1f} s")
    workdir = Path(tempfile.mkdtemp(prefix="pipelineos-bench-dashboard-"))
    settings = Settings(_env_file=None, database_url=url,  # type: ignore[call-arg]
                        log_dir=workdir / "logs", pipelineos_data_dir=workdir / "data",
                        job_schedules=["daily-digest=off"])
    runtime = await Runtime.start(settings, worker=False)
    try:
        app = create_app(settings, runtime=runtime)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            values = {"deep": leads // 2, "recent": leads - 3, "lead": leads // 3}
            first = await client.get("/")
            assets = [await client.get(path) for path in
                      ("/assets/dashboard.css", "/assets/htmx-2.0.11.min.js",
                       "/assets/dashboard.js")]
            total = len(first.content) + sum(len(a.content) for a in assets)
            print(f"first page: HTML {len(first.content) / 1024:.1f} KiB + assets "
                  f"{sum(len(a.content) for a in assets) / 1024:.1f} KiB = "
                  f"{total / 1024:.1f} KiB uncompressed")
            print(f"{'page':45} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for name, template in PAGES.items():
                path = template.format(**values)
                times = []
                for _ in range(rounds):
                    begun = time.perf_counter()
                    reply = await client.get(path)
                    times.append((time.perf_counter() - begun) * 1000)
                    assert reply.status_code == 200, (path, reply.status_code)
                print(f"{name:45} {percentile(times, 0.5):8.1f} {percentile(times, 0.95):8.1f}"
                      f" {max(times):8.1f}")
    finally:
        await runtime.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--database-url", required=True, help="a superuser URL")
    args = parser.parse_args()
    logging.getLogger("pipelineos").setLevel(logging.ERROR)
    asyncio.run(run(args.database_url, args.leads, args.rounds))


if __name__ == "__main__":
    main()
