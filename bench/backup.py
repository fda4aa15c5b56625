"""Backup and restore at size: how long `pipelineos backup` and `restore` take and how big
the file is.

    python bench/backup.py [--posts 200000] [--database-url URL]

Fills an empty, migrated database (an embedded PostgreSQL in a temporary directory unless a
URL is given) with --posts posts, each analyzed, one in ten a lead, one in a hundred with an
SMS alert, written by SQL (the backup reads rows; how they were made does not matter), then
times pipelineos.db.backup.backup and restore into a second, empty database and prints the
figures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import psycopg
from psycopg import conninfo

from pipelineos.bootstrap import SCHEMA
from pipelineos.db import backup
from pipelineos.db.pool import create_pool

FILL = """
INSERT INTO posts (group_name, body, source, status, analyzed_at, attempts, content_hash,
                   author, posted_at)
SELECT 'Group ' || (i % 50),
       'Need a plumber in Dallas for a leaking water heater, post number ' || i
           || ', please call or text, thanks in advance, neighbours!',
       'import', 'analyzed', now(), 1, i, 'author ' || (i % 5000), now()
FROM generate_series(1, :posts) AS i;
INSERT INTO analyses (post_id, analyzer, is_lead, category, location, urgency, priority,
                      summary, confidence, reasons)
SELECT id, 'local', id % 10 = 0, 'plumbing', 'Dallas', 'soon', 'medium',
       'Plumbing request in Dallas', 0.8, '["plumber", "Dallas"]'
FROM posts;
INSERT INTO leads (post_id, analysis_id, category, location, area, fit, urgency, priority,
                   summary)
SELECT post_id, id, 'plumbing', 'Dallas', 'Dallas', 'in_area', 'soon', 'medium',
       'Plumbing request in Dallas'
FROM analyses WHERE is_lead;
INSERT INTO alert_outbox (kind, lead_id, rank, status)
SELECT 'lead', id, 1, 'sent' FROM leads WHERE id % 10 = 0;
"""


async def migrate(url: str) -> None:
    pool = create_pool(url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        await SCHEMA.migrate(pool)
    finally:
        await pool.close()


def database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return conninfo.make_conninfo(admin_url, dbname=name)


async def run(admin_url: str, posts: int, workdir: Path) -> None:
    source, target = database(admin_url, "bench_backup"), database(admin_url, "bench_restore")
    await migrate(source)
    started = time.perf_counter()
    with psycopg.connect(source, autocommit=True) as conn:
        conn.execute(FILL.replace(":posts", str(int(posts))).encode())
        conn.execute("VACUUM ANALYZE")
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    print(f"filled {posts:,} posts in {time.perf_counter() - started:.1f} s; database "
          f"{size[0] / 1e6:.0f} MB" if size else "")
    made = await backup.backup(source, workdir / "bench.dump")
    print(f"backup: {made.seconds:.1f} s, {made.bytes / 1e6:.1f} MB, {made.tables} tables "
          f"(pg_dump {made.tool.version})")
    done = await backup.restore(target, made.path)
    print(f"restore into an empty database: {done.seconds:.1f} s")
    forced = await backup.restore(source, made.path, force=True)
    print(f"restore --force over the filled database: {forced.seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--database-url", help="a superuser URL (default: embedded server)")
    args = parser.parse_args()
    logging.getLogger("pipelineos").setLevel(logging.ERROR)  # the figures, not the audit log
    workdir = Path(tempfile.mkdtemp(prefix="pipelineos-bench-backup-"))
    try:
        if args.database_url:
            asyncio.run(run(args.database_url, args.posts, workdir))
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver  # only when no URL is given; slow to import

        server = pgserver.get_server(workdir / "pgdata", cleanup_mode="delete")
        try:
            asyncio.run(run(server.get_uri(), args.posts, workdir))
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
