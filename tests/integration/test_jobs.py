"""The job engine in one process: no overlapping runs, every run recorded, retries, shutdown."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.conftest import make_settings

QUIET_BUILTINS = ("retry-pending-analyses=off;deliver-pending-alerts=off;daily-digest=off;"
                  "retention-cleanup=off;recover-stalled-work=off")


def job_settings(url: str, tmp_path: Path, schedules: str = "", **extra: Any) -> Any:
    return make_settings(
        url, tmp_path, extra_jobs=["tests.jobs_fixture:register"],
        job_schedules=QUIET_BUILTINS + (";" + schedules if schedules else ""),
        job_polling_seconds=0.2, job_heartbeat_seconds=0.5, **extra)


@pytest.fixture
async def worker_runtime(migrated_url: str, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Runtime]:
    monkeypatch.setenv("TEST_SLOW_SECONDS", "2.2")
    runtime = await Runtime.start(job_settings(migrated_url, tmp_path), worker=True)
    try:
        yield runtime
    finally:
        await runtime.stop()


def runs(url: str, job: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT outcome, started_at, finished_at, error, trigger, scheduled_for"
            " FROM job_runs WHERE job_name = %s ORDER BY started_at", (job,)).fetchall()


@pytest.mark.slow
async def test_a_run_that_finds_the_previous_one_going_is_skipped(
    worker_runtime: Runtime, migrated_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The seed's overlap test, scaled: a 2.2-second job on a one-second cron runs, the ticks
    during it are skipped with "already running", and no two runs overlap."""
    caplog.set_level("INFO", logger="pipelineos.jobs.engine")
    await asyncio.sleep(5.0)
    await worker_runtime.jobs.stop_worker()
    recorded = runs(migrated_url, "test-slow")
    done = [r for r in recorded if r[0] == "succeeded"]
    skipped = [r for r in recorded if r[0] == "skipped"]
    assert done, recorded
    assert skipped and all(r[3] == "already running" for r in skipped)
    assert all(r[4] == "schedule" and r[5] is not None for r in recorded)
    for earlier, later in zip(done, done[1:], strict=False):
        assert earlier[2] <= later[1], "runs of one job never overlap"
    assert any("already running" in r.getMessage() and r.fields["job"] == "test-slow"  # type: ignore[attr-defined]
               for r in caplog.records)


async def test_failed_job_is_recorded_with_context_then_retried_until_it_succeeds(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A queued job that raises twice is recorded failed (with the error) twice, retried by the
    queue, and succeeds on the third attempt."""
    monkeypatch.setenv("TEST_FLAKY_FAILURES", "2")
    runtime = await Runtime.start(job_settings(migrated_url, tmp_path), worker=True)
    # Retry almost at once: the backoff curve itself is tested in the unit tests.
    runtime.jobs.retry.base_seconds = 0.01
    runtime.jobs.retry.delay = lambda attempts: 0.05  # type: ignore[method-assign]
    try:
        await runtime.jobs.defer("test-flaky")
        for _ in range(100):
            outcomes = [r[0] for r in runs(migrated_url, "test-flaky")]
            if "succeeded" in outcomes:
                break
            await asyncio.sleep(0.1)
    finally:
        await runtime.stop()
    recorded = runs(migrated_url, "test-flaky")
    assert [r[0] for r in recorded] == ["failed", "failed", "succeeded"]
    assert "RuntimeError: vendor hiccup on attempt 0" in recorded[0][3]
    assert [r[4] for r in recorded] == ["manual", "retry", "retry"]


async def test_shutdown_puts_an_interrupted_job_back_and_it_runs_again(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker stopping with a job still running after the grace period cancels it, records
    the run as interrupted and puts the job back; the next worker finishes it."""
    monkeypatch.setenv("TEST_LONG_SECONDS", "2.0")
    settings = job_settings(migrated_url, tmp_path, shutdown_grace_seconds=0.3)
    first = await Runtime.start(settings, worker=True)
    try:
        await first.jobs.defer("test-long")
        for _ in range(50):
            if runs(migrated_url, "test-long"):
                break
            await asyncio.sleep(0.1)
    finally:
        await first.stop()
    assert [r[0] for r in runs(migrated_url, "test-long")] == ["failed"]
    assert "interrupted" in runs(migrated_url, "test-long")[0][3]

    second = await Runtime.start(settings, worker=True)
    try:
        for _ in range(60):
            if "succeeded" in [r[0] for r in runs(migrated_url, "test-long")]:
                break
            await asyncio.sleep(0.1)
    finally:
        await second.stop()
    assert [r[0] for r in runs(migrated_url, "test-long")] == ["failed", "succeeded"]


async def test_manual_run_is_recorded_and_listed_by_the_api(
    migrated_url: str, tmp_path: Path
) -> None:
    """`run now` records a run; GET /api/jobs lists schedules with their last run and runs."""
    settings = job_settings(migrated_url, tmp_path, schedules="test-tick=*/5 * * * *")
    runtime = await Runtime.start(settings)
    try:
        result = await runtime.jobs.execute("test-tick")
        assert result.outcome == "succeeded"
        app = create_app(settings, runtime=runtime)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            body = (await client.get("/api/jobs")).json()
            filtered = (await client.get("/api/jobs", params={"outcome": "failed"})).json()
            bad = await client.get("/api/jobs", params={"outcome": "exploded"})
    finally:
        await runtime.stop()
    schedules = {s["name"]: s for s in body["schedules"]}
    assert schedules["test-tick"]["cron"] == "*/5 * * * *"
    assert schedules["test-tick"]["last_run"]["outcome"] == "succeeded"
    assert schedules["daily-digest"]["cron"] is None  # switched off by JOB_SCHEDULES
    assert body["runs"][0]["job_name"] == "test-tick"
    assert body["runs"][0]["trigger"] == "manual"
    assert filtered["runs"] == []
    assert bad.status_code == 422
    assert json.dumps(body)  # serialisable end to end


async def test_migrations_install_the_queue_schema_once(migrated_url: str) -> None:
    """The queue's tables come with our migrations, at the version the package ships."""
    from pipelineos.jobs import schema

    with psycopg.connect(migrated_url) as conn:
        version = conn.execute("SELECT version FROM component_versions"
                               " WHERE component = 'procrastinate'").fetchone()
        tables = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    assert version == (schema.shipped_version(),)
    assert tables == (True,)
