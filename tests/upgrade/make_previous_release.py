"""Make ``previous_release.sql``: a database built and filled by the previous release.

Not a test: run it once per release, with the *previous* release's source on the path, and
commit the dump it writes. The one committed was made from main's commit ce1b2b4 (schema
0001-0008, procrastinate's schema as installed then):

    mkdir /tmp/prev && git archive ce1b2b4 src | tar -x -C /tmp/prev
    PYTHONPATH=/tmp/prev/src .venv/bin/python tests/upgrade/make_previous_release.py \\
        tests/upgrade/previous_release.sql

It starts a throw-away embedded PostgreSQL, lets that release migrate it, and fills it the way
users do, through the HTTP API and the job engine: service areas and services, posts (a hot
lead with its SMS alert, a repeat of it, a medium lead, a non-lead, a bulk batch with source
ids, authors and links), a lead moved along the pipeline with a note, a job run and a queued
job. Then it writes a plain SQL dump (INSERT statements, no owners or grants), which
tests/integration/test_upgrade.py loads and upgrades.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pgserver
from psycopg import conninfo

from pipelineos import bootstrap
from pipelineos.config import Settings
from pipelineos.web.app import create_app

POSTS = [
    ("URGENT need a plumber in Dallas today, water heater burst and is flooding the garage",
     "Dallas Home Services"),
    ("URGENT need a plumber in Dallas today, water heater burst and is flooding the garage",
     "DFW Neighbors"),
    ("Looking for someone to repaint our fence in Plano next month, any recommendations?",
     "Plano Moms"),
    ("Happy 4th of July everyone, stay safe with the fireworks!", "Dallas Home Services"),
]
BULK = [
    {"text": "Anyone know a good electrician in Frisco? Outlets in the kitchen stopped working",
     "groupTitle": "Frisco Community", "postId": "fb_1001", "user": {"name": "Dana"},
     "url": "https://www.facebook.com/groups/frisco/posts/1001", "time": "2025-05-01T14:00:00Z"},
    {"text": "Need AC repair in Dallas ASAP, it's 100 degrees and the unit is blowing hot air",
     "groupTitle": "Dallas Home Services", "postId": "fb_1002", "user": {"name": "Lee"},
     "url": "https://www.facebook.com/groups/dallas/posts/1002", "time": "2025-05-01T15:00:00Z"},
    {"text": "Selling a couch, barely used, pick up in Irving", "groupTitle": "Irving Swap",
     "postId": "fb_1003", "user": {"name": "Kim"}},
]


async def fill(url: str, workdir: Path) -> None:
    settings = Settings(_env_file=None, database_url=url, log_dir=workdir / "logs",  # type: ignore[call-arg]
                        jobs_in_serve=False, circuit_probe_seconds=0)
    runtime = await bootstrap.Runtime.start(settings)
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://prev") as client:
            for name, aliases in (("Dallas", ["DFW", "Big D"]), ("Plano", []), ("Frisco", [])):
                response = await client.post("/api/areas", json={"name": name, "aliases": aliases})
                response.raise_for_status()
            (await client.put("/api/services", json={
                "services": ["plumbing", "hvac", "electrical", "painting"]})).raise_for_status()
            leads = []
            for text, group in POSTS:
                response = await client.post("/api/leads/analyze",
                                             json={"post_text": text, "group_name": group})
                response.raise_for_status()
                leads.append(response.json())
            (await client.post("/api/posts", json=BULK)).raise_for_status()
            hot = leads[0]["lead"]["id"]
            (await client.patch(f"/api/leads/{hot}", json={
                "status": "contacted", "note": "Called, quoting Friday", "actor": "owner"})
             ).raise_for_status()
        await runtime.jobs.execute("retention-cleanup", trigger="manual")
        await runtime.jobs.defer("daily-digest")
        await runtime.jobs.execute("deliver-pending-alerts", trigger="manual")
    finally:
        await runtime.stop()


def main(target: Path) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="pipelineos-prev-"))
    server = pgserver.get_server(workdir / "pgdata", cleanup_mode="delete")
    try:
        admin = server.get_uri()
        server.psql("CREATE DATABASE previous_release;")
        params = conninfo.conninfo_to_dict(admin)
        params["dbname"] = "previous_release"
        url = conninfo.make_conninfo("", **params)
        asyncio.run(fill(url, workdir))
        pg_dump = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
        dump = subprocess.run(
            [str(pg_dump), "--inserts", "--no-owner", "--no-privileges", "--dbname", url],
            check=True, capture_output=True, text=True).stdout
        target.write_text(dump, encoding="utf-8")
    finally:
        server.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
