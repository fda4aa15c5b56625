"""Export of many leads: `pipelineos leads export` (CSV, the same stream as GET /api/leads.csv)
over N leads, its wall time and the exporting process's peak memory (max RSS).

    python bench/export.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/export.py --database-url ... --leads 100000

Makes a scratch database on that server, migrates it with `pipelineos migrate`, writes N posts,
analyses and leads set-wise (SQL, not the intake: this measures the export), then runs the
export in a subprocess to a file and reads its max RSS from the kernel (resource.getrusage of
children). Prints the figures; docs/performance.md records them.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import conninfo

SEED = """
INSERT INTO posts (group_name, body, status, analyzed_at)
SELECT 'Group ' || (g %% 40), '=cmd|'' /C calc''!A0 Need a plumber in Dallas, unit ' || g,
       'analyzed', now()
FROM generate_series(1, %(n)s) AS g
---
INSERT INTO analyses (post_id, analyzer, is_lead, category, location, urgency, priority,
                      summary, confidence)
SELECT id, 'local', true, 'plumbing', 'Dallas', 'soon', 'high', 'Plumbing in Dallas', 0.9
FROM posts
---
INSERT INTO leads (post_id, analysis_id, category, location, urgency, priority, summary)
SELECT post_id, id, category, location, urgency, priority, summary FROM analyses
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="a superuser URL of a server")
    parser.add_argument("--leads", type=int, default=100_000)
    args = parser.parse_args()
    name = f"bench_export_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.database_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    params = conninfo.conninfo_to_dict(args.database_url)
    params["dbname"] = name
    url = conninfo.make_conninfo(**params)
    env = {**os.environ, "DATABASE_URL": url}
    try:
        with tempfile.TemporaryDirectory() as work:
            cli = [sys.executable, "-m", "pipelineos.cli"]
            subprocess.run([*cli, "migrate"], env=env, cwd=work, check=True,
                           capture_output=True)
            started = time.perf_counter()
            with psycopg.connect(url) as conn:
                for statement in SEED.split("---"):
                    conn.execute(statement,  # type: ignore[call-overload]
                                 {"n": args.leads} if "%(n)s" in statement else None)
            seeded = time.perf_counter() - started
            out = Path(work) / "leads.csv"
            started = time.perf_counter()
            subprocess.run([*cli, "leads", "export", "--output", str(out)], env=env, cwd=work,
                           check=True, capture_output=True)
            took = time.perf_counter() - started
            rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
            size_mb = out.stat().st_size / 1e6
    finally:
        with psycopg.connect(args.database_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"leads: {args.leads} (seeded in {seeded:.1f} s)")
    print(f"exported rows: {rows}, {size_mb:.1f} MB of CSV")
    print(f"export wall time: {took:.1f} s ({rows / took:,.0f} leads/s, process start included)")
    print(f"peak RSS of the exporting process: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
