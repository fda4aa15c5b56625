"""The LISTEN/NOTIFY helper follows its channel through a killed connection, and what was sent
while nobody listened is caught up, not lost."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

import psycopg
import pytest

from pipelineos.db.notify import Backoff, Listener
from pipelineos.db.pool import create_pool
from pipelineos.leads.areas import ProfileCache

TERMINATE_OURS = """
    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'pipelineos'
"""


async def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


def _notify(url: str, channel: str, payload: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:  # not one of the pool's connections
        conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))


def _kill_pool_connections(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(TERMINATE_OURS).fetchone()
    assert row is not None
    return int(row[0])


async def test_after_its_backend_is_killed_the_listener_catches_up_and_hears_again(
        database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Killed with pg_terminate_backend, the listener logs, backs off (the delay its Backoff
    gives), listens again, runs its catch-up, and then a notification sent after the
    reconnect arrives. One sent while it was away is not delivered as a notification: that
    is what the catch-up is for."""
    pool = create_pool(database_url, min_size=1, max_size=1)
    await pool.open(wait=True)
    heard: list[str] = []
    catch_ups = 0
    slept: list[float] = []
    resume = asyncio.Event()

    async def on_notify(notes: Sequence[psycopg.Notify]) -> None:
        heard.extend(note.payload for note in notes)

    async def catch_up() -> None:
        nonlocal catch_ups
        catch_ups += 1

    async def sleep(seconds: float) -> None:  # the test decides when the backoff is over
        slept.append(seconds)
        await resume.wait()

    listener = Listener(pool, ["pipelineos_test"], on_notify, catch_up=catch_up, name="test",
                        backoff=Backoff(first_seconds=3.0, cap_seconds=10.0), sleep=sleep)
    listener.start()
    try:
        await listener.started()
        assert listener.listening.is_set() and catch_ups == 1
        _notify(database_url, "pipelineos_test", "before")
        await _until(lambda: heard == ["before"])

        with caplog.at_level(logging.WARNING, logger="pipelineos.db.notify"):
            assert _kill_pool_connections(database_url) == 1
            await _until(lambda: slept == [3.0])
        assert not listener.listening.is_set()
        assert [(r.getMessage(), r.fields["listener"], r.fields["retryInSeconds"])  # type: ignore[attr-defined]
                for r in caplog.records] == [("Listener reconnecting", "test", 3.0)]
        _notify(database_url, "pipelineos_test", "while away")

        resume.set()
        await _until(lambda: listener.connects == 2 and catch_ups == 2)
        _notify(database_url, "pipelineos_test", "after")
        await _until(lambda: "after" in heard)
        assert heard == ["before", "after"]
    finally:
        await listener.stop()
        await pool.close(timeout=1)
    assert not listener.running


async def test_a_callback_asks_to_be_woken_without_a_notification(database_url: str) -> None:
    """A callback returning seconds is called again after them with no notifications (what the
    alert listener uses to send a deferred retry on time)."""
    pool = create_pool(database_url, min_size=1, max_size=1)
    await pool.open(wait=True)
    calls: list[int] = []

    async def on_notify(notes: Sequence[psycopg.Notify]) -> float | None:
        calls.append(len(notes))
        return 0.05 if len(calls) < 3 else None

    async def catch_up() -> float:
        return 0.05

    listener = Listener(pool, ["pipelineos_test"], on_notify, catch_up=catch_up)
    listener.start()
    try:
        await _until(lambda: len(calls) == 3)
        await asyncio.sleep(0.2)
        assert calls == [0, 0, 0]  # then only a notification wakes it
        _notify(database_url, "pipelineos_test", "x")
        await _until(lambda: calls == [0, 0, 0, 1])
    finally:
        await listener.stop()
        await pool.close(timeout=1)


async def test_the_profile_cache_reloads_after_its_listener_is_killed(migrated_url: str) -> None:
    """An area added while the cache's listening connection is gone is in the profile once it
    has reconnected."""
    pool = create_pool(migrated_url, min_size=1, max_size=2)
    await pool.open(wait=True)
    cache = ProfileCache(pool, "Test", retry_seconds=0.5)
    try:
        await cache.start()
        assert _kill_pool_connections(migrated_url) >= 1
        with psycopg.connect(migrated_url, autocommit=True) as conn:
            conn.execute("INSERT INTO service_areas (name) VALUES ('Garland')")
        await _until(lambda: "Garland" in cache.profile.areas)
        with psycopg.connect(migrated_url, autocommit=True) as conn:
            conn.execute("INSERT INTO service_areas (name) VALUES ('Mesquite')")
        await _until(lambda: "Mesquite" in cache.profile.areas)
    finally:
        await cache.stop()
        await pool.close(timeout=1)
