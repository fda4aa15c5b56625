"""Migrations: versioned, recorded, idempotent, and safe when two processes start together."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg

from pipelineos.bootstrap import SCHEMA


def test_every_shipped_migration_has_a_unique_version() -> None:
    """The package ships migrations in order with no duplicate version numbers."""
    found = SCHEMA.available()
    assert found, "at least the core schema"
    versions = [m.version for m in found]
    assert versions == sorted(set(versions))


def test_two_processes_migrating_together_apply_each_migration_once(
    database_url: str, tmp_path: object
) -> None:
    """`pipelineos migrate` run twice at the same moment: both succeed, each version once."""
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "pipelineos.cli", "migrate"]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert [code for code, _, _ in results] == [0, 0], results
    outputs = "".join(out for _, out, _ in results)
    latest = SCHEMA.available()[-1].version
    assert outputs.count("applied 0001_") == 1, "exactly one process applied the schema"
    assert "(up to date)" in outputs
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [v for (v,) in rows] == [m.version for m in SCHEMA.available()]
    assert rows[-1][0] == latest


def test_migrate_again_is_a_no_op(migrated_url: str, tmp_path: object) -> None:
    """Re-running migrations on an up-to-date database changes nothing and says so."""
    env = {**os.environ, "DATABASE_URL": migrated_url, "LOG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "pipelineos.cli", "migrate"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


async def test_shared_rate_limit_table_comes_with_the_schema(migrated_url: str) -> None:
    """The PostgreSQL-shared token bucket works on a migrated database with no extra setup."""
    from pipelineos.db.pool import create_pool
    from pipelineos.resilience import PostgresTokenBucket
    from pipelineos.resilience.exceptions import RateLimitExceeded

    pool = create_pool(migrated_url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        bucket = PostgresTokenBucket.per_minute(pool, "twilio-sms", 2)
        await bucket.try_acquire()
        await bucket.try_acquire()
        try:
            await bucket.try_acquire()
            raise AssertionError("a third SMS in the same instant must be refused")
        except RateLimitExceeded as refused:
            assert "Rate limit exceeded" in str(refused)
    finally:
        await pool.close()
