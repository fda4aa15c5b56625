"""Backup and restore (pipelineos.db.backup): the whole database round-trips through a
backup file, every row of every table (posts, leads, alerts, a lead's history, job runs, the
job queue, and tables other components add), taken while the service writes; a restore goes
only into an empty database unless forced, never under running processes, and the password
never appears on a command line."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import conninfo

from pipelineos.bootstrap import Runtime
from pipelineos.db import backup
from pipelineos.db.backup import DatabaseInUse, DatabaseNotEmpty, ToolFailed
from tests.conftest import make_settings
from tests.database_rows import table_rows
from tests.integration.ops.conftest import client_at

HOT = "URGENT need a plumber in Dallas today, water heater burst and is flooding the garage"


async def fill(client: httpx.AsyncClient) -> None:
    """What users leave in a database: areas, posts (a hot lead with its alert, a repeat, a
    medium lead, a non-lead, a bulk batch with source ids), a lead moved along the pipeline."""
    (await client.post("/api/areas", json={"name": "Dallas", "aliases": ["DFW"]})
     ).raise_for_status()
    for text in (HOT, HOT, "Looking for a painter for our fence in Plano next month",
                 "Happy 4th of July everyone!"):
        (await client.post("/api/leads/analyze", json={"post_text": text, "group_name": "G"})
         ).raise_for_status()
    (await client.post("/api/posts", json=[
        {"text": "Need AC repair in Dallas ASAP, unit blowing hot air", "postId": "fb_1",
         "groupTitle": "Dallas", "user": {"name": "Lee"}},
        {"text": "Anyone know an electrician in Frisco? Outlets dead", "postId": "fb_2",
         "groupTitle": "Frisco"}])).raise_for_status()
    (await client.patch("/api/leads/1", json={"status": "contacted", "note": "Quoting Friday"})
     ).raise_for_status()


def add_component_table(url: str) -> None:
    """A table no migration of ours made (another component's: a source's stored cursor), to
    show the backup is of the whole database, not of a list of tables."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE source_cursors (source text PRIMARY KEY, cursor jsonb, "
                     "seq bigserial)")
        conn.execute("""INSERT INTO source_cursors (source, cursor) VALUES
                        ('rss:plano', '{"etag": "W/\\"42\\"", "last": "2025-05-01"}'),
                        ('imap:inbox', '{"uid": 1234}')""")


@pytest.fixture
async def filled(migrated_url: str, tmp_path: Path) -> str:
    """A database with the current schema, filled as users fill it."""
    runtime = await Runtime.start(make_settings(migrated_url, tmp_path, jobs_in_serve=False))
    try:
        async with client_at(runtime) as client:
            await fill(client)
        await runtime.jobs.execute("retention-cleanup", trigger="manual")
        await runtime.jobs.defer("daily-digest")
    finally:
        await runtime.stop()
    add_component_table(migrated_url)
    return migrated_url


async def test_a_backup_restores_every_row_of_every_table(
    filled: str, database_url: str, tmp_path: Path,
) -> None:
    """Backed up, then restored into an empty database, every table (ours, the job queue's,
    another component's) has exactly its rows; the file is private to its owner; and the
    service starts on the restored database and carries on numbering new posts and leads."""
    file = tmp_path / "pipelineos.dump"
    made = await backup.backup(filled, file)
    columns, before = table_rows(filled)
    assert made.tables == len(columns) and made.bytes == file.stat().st_size > 0
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert {"posts", "leads", "alert_outbox", "lead_events", "job_runs", "procrastinate_jobs",
            "source_cursors"} <= columns.keys()

    restored = await backup.restore(database_url, file)
    assert (restored.tables, restored.cleared) == (made.tables, False)
    assert table_rows(database_url) == (columns, before)

    runtime = await Runtime.start(make_settings(database_url, tmp_path, jobs_in_serve=False))
    try:
        async with client_at(runtime) as client:
            assert (await client.get("/api/leads/1")).json()["status"] == "contacted"
            fresh = (await client.post("/api/leads/analyze", json={
                "post_text": "Need a roofer in Dallas, shingles blown off", "group_name": "G"})
                     ).json()
    finally:
        await runtime.stop()
    assert fresh["post"]["id"] == max(row["id"] for row in before["posts"]) + 1
    assert fresh["lead"]["id"] == max(row["id"] for row in before["leads"]) + 1


async def test_a_backup_taken_while_the_service_writes_is_consistent(
    migrated_url: str, database_url: str, tmp_path: Path,
) -> None:
    """While posts keep arriving, a backup succeeds without stopping them, and restores to a
    state some moment had: every lead has its post and analysis, every alert its lead, and
    the posts counted are between those before and after the backup."""
    runtime = await Runtime.start(make_settings(migrated_url, tmp_path, jobs_in_serve=False))
    stop = asyncio.Event()
    written = 0

    async def keep_posting(client: httpx.AsyncClient) -> None:
        nonlocal written
        while not stop.is_set():
            response = await client.post("/api/leads/analyze", json={
                "post_text": f"URGENT plumber needed in Dallas, burst pipe #{written}",
                "group_name": "G"})
            assert response.status_code == 200
            written += 1

    file = tmp_path / "live.dump"
    try:
        async with client_at(runtime) as client:
            writer = asyncio.create_task(keep_posting(client))
            while written < 20:
                await asyncio.sleep(0.01)
            before = written
            await backup.backup(migrated_url, file)
            after = written
            stop.set()
            await writer
    finally:
        await runtime.stop()
    await backup.restore(database_url, file)
    with psycopg.connect(database_url) as conn:
        posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]  # type: ignore[index]
        orphans = conn.execute("""
            SELECT (SELECT count(*) FROM leads l WHERE NOT EXISTS
                        (SELECT FROM posts p WHERE p.id = l.post_id)
                    OR NOT EXISTS (SELECT FROM analyses a WHERE a.id = l.analysis_id))
                 + (SELECT count(*) FROM alert_outbox o WHERE o.lead_id IS NOT NULL
                    AND NOT EXISTS (SELECT FROM leads l WHERE l.id = o.lead_id))
                 + (SELECT count(*) FROM posts p WHERE p.status = 'analyzed'
                    AND NOT EXISTS (SELECT FROM analyses a WHERE a.post_id = p.id))
        """).fetchone()[0]  # type: ignore[index]
    assert before <= posts <= after + 1
    assert orphans == 0


async def test_restore_refuses_a_database_that_holds_tables_unless_forced(
    filled: str, migrated_url: str, tmp_path: Path,
) -> None:
    """A database with tables (here a freshly migrated one) is refused, saying how many and
    its schema version, and left as it was; with force it is emptied first, so afterwards it
    holds the backup's tables and rows only."""
    file = tmp_path / "pipelineos.dump"
    await backup.backup(filled, file)
    with psycopg.connect(migrated_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE only_in_target (id int)")
    columns_before, rows_before = table_rows(migrated_url)

    with pytest.raises(DatabaseNotEmpty) as refused:
        await backup.restore(migrated_url, file)
    assert "is not empty" in str(refused.value) and "--force" in str(refused.value)
    assert "PipelineOS schema version" in str(refused.value)
    assert table_rows(migrated_url) == (columns_before, rows_before)

    forced = await backup.restore(migrated_url, file, force=True)
    assert forced.cleared
    assert table_rows(migrated_url) == table_rows(filled)


async def test_restore_refuses_while_pipelineos_processes_use_the_database(
    filled: str, database_url: str, tmp_path: Path,
) -> None:
    """A restore under a running service would pull tables from under it: while a
    PipelineOS process is connected, even a forced restore is refused and nothing changes."""
    file = tmp_path / "pipelineos.dump"
    await backup.backup(filled, file)
    await backup.restore(database_url, file)
    runtime = await Runtime.start(make_settings(database_url, tmp_path, jobs_in_serve=False))
    try:
        before = table_rows(database_url)
        with pytest.raises(DatabaseInUse, match="stop `pipelineos serve` and the workers"):
            await backup.restore(database_url, file, force=True)
        assert table_rows(database_url) == before
    finally:
        await runtime.stop()


async def test_a_damaged_backup_is_refused_before_the_database_is_touched(
    filled: str, migrated_url: str, tmp_path: Path,
) -> None:
    """A truncated file fails when its table of contents is read, before anything is
    dropped, even with force; and a backup that fails leaves no file behind."""
    file = tmp_path / "pipelineos.dump"
    await backup.backup(filled, file)
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(file.read_bytes()[:200])
    before = table_rows(migrated_url)
    with pytest.raises(ToolFailed, match="pg_restore failed"):
        await backup.restore(migrated_url, damaged, force=True)
    assert table_rows(migrated_url) == before

    missing = conninfo.make_conninfo(filled, dbname="no_such_database")
    with pytest.raises(backup.BackupError, match="no_such_database"):
        await backup.backup(missing, tmp_path / "never.dump")
    assert sorted(p.name for p in tmp_path.iterdir() if "never" in p.name) == []


async def test_the_password_reaches_the_tools_only_through_their_environment(
    filled: str, database_url: str, tmp_path: Path,
) -> None:
    """With a password in the URL, pg_dump and pg_restore get the connection without it on
    their command lines and the password in PGPASSWORD; no message or log line shows it."""
    password = "s3cret-Pa55word-for-this-test"
    calls = tmp_path / "calls.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    with psycopg.connect(filled) as conn:
        major = conn.info.server_version // 10000
    for program in ("pg_dump", "pg_restore"):
        real = await backup.find_tool(program, major, backup.search_dirs(None))
        wrapper = bin_dir / program
        wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {calls}\n'
                           f'printf "PGPASSWORD=%s\\n" "$PGPASSWORD" >> {calls}\n'
                           f'exec {real.path} "$@"\n')
        wrapper.chmod(0o755)
    source = conninfo.make_conninfo(filled, password=password)
    target = conninfo.make_conninfo(database_url, password=password)

    made = await backup.backup(source, tmp_path / "b.dump", bin_dir=bin_dir)
    await backup.restore(target, made.path, bin_dir=bin_dir)

    lines = calls.read_text().splitlines()
    command_lines = [line for line in lines if not line.startswith("PGPASSWORD=")]
    assert any("--format=custom" in line for line in command_lines)
    assert any("--single-transaction" in line for line in command_lines)
    assert not any(password in line for line in command_lines)
    assert f"PGPASSWORD={password}" in lines
    assert made.tool.path == bin_dir / "pg_dump"
    assert os.environ.get("PGPASSWORD") != password
