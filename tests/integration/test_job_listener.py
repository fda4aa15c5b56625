"""The worker's listener for new jobs survives a killed connection: it listens again, and a job
deferred while it was away runs at once (the catch-up), not at the next poll."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from tests.integration.test_jobs import job_settings, runs

LISTENER = """
    SELECT pid FROM pg_stat_activity
    WHERE datname = current_database() AND query LIKE 'LISTEN "procrastinate%%'
"""


def _listeners(url: str) -> list[int]:
    with psycopg.connect(url, autocommit=True) as conn:
        return [pid for (pid,) in conn.execute(LISTENER).fetchall()]


async def _until_runs(url: str, count: int, seconds: float) -> float:
    started = time.monotonic()
    while len([r for r in runs(url, "test-tick") if r[0] == "succeeded"]) < count:
        assert time.monotonic() - started < seconds, runs(url, "test-tick")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def test_a_job_deferred_around_a_killed_listener_runs_without_waiting_for_a_poll(
        migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TICK_SECONDS", "0.01")
    # Polling once a minute: only a notification (or the catch-up) can start a job sooner.
    settings = job_settings(migrated_url, tmp_path, "test-slow=off").model_copy(
        update={"job_polling_seconds": 60.0})
    runtime = await Runtime.start(settings, worker=True)
    try:
        for _ in range(200):
            if _listeners(migrated_url):
                break
            await asyncio.sleep(0.05)
        (first,) = _listeners(migrated_url)
        await runtime.jobs.defer("test-tick")
        await _until_runs(migrated_url, 1, 20)

        with psycopg.connect(migrated_url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (first,))
        await runtime.jobs.defer("test-tick")  # very likely sent while nobody listens
        await _until_runs(migrated_url, 2, 20)  # the catch-up, not the 60-second poll

        for _ in range(200):
            if _listeners(migrated_url):
                break
            await asyncio.sleep(0.05)
        (second,) = _listeners(migrated_url)
        assert second != first
        await runtime.jobs.defer("test-tick")  # heard on the new connection
        await _until_runs(migrated_url, 3, 20)
    finally:
        await runtime.stop()
