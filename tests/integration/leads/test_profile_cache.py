"""The profile cache's listener stops in bounded time, whatever it is doing when asked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from psycopg_pool import AsyncConnectionPool

from pipelineos.db.pool import create_pool
from pipelineos.leads.areas import ProfileCache


async def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition never became true")


def _waiting(pool: AsyncConnectionPool) -> int:
    return int(pool.get_stats().get("requests_waiting", 0))


async def test_stop_ends_the_listener_however_it_races_a_reload(migrated_url: str) -> None:
    """A change notified just before stop makes the listener reload on a second pooled
    connection; stops issued 0 to 19 loop turns after that connection is handed over (where
    Python 3.11 loses a cancel) all end the listener within a few seconds."""
    pool = create_pool(migrated_url, min_size=2, max_size=2)
    await pool.open(wait=True)
    try:
        for turns in range(40):
            cache = ProfileCache(pool, "Test")
            await cache.start()  # its listener holds one of the two connections
            async with pool.connection() as conn:
                await conn.execute("INSERT INTO service_areas (name) VALUES (%s)",
                                   (f"Area {turns}",))
                # The reload this change triggers waits for the connection held here.
                await _until(lambda: _waiting(pool) > 0)
            while _waiting(pool):  # until the pool hands the connection to the reload
                await asyncio.sleep(0)
            for _ in range(turns % 20):
                await asyncio.sleep(0)
            stopping = asyncio.ensure_future(cache.stop())
            done, _ = await asyncio.wait({stopping}, timeout=10)
            assert done and not cache.running, f"stop hung {turns % 20} turns after hand-off"
    finally:
        await pool.close(timeout=1)


async def test_a_stopped_cache_no_longer_follows_changes(migrated_url: str) -> None:
    """After stop, the listener's connection is back in the pool and changes are not loaded."""
    pool = create_pool(migrated_url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        cache = ProfileCache(pool, "Test")
        await cache.start()
        async with pool.connection() as conn:
            await conn.execute("INSERT INTO service_areas (name) VALUES ('Dallas')")
        await _until(lambda: "Dallas" in cache.profile.areas)
        await cache.stop()
        async with pool.connection() as one, pool.connection() as two:  # both are free
            await one.execute("INSERT INTO service_areas (name) VALUES ('Plano')")
            await two.execute("SELECT 1")
        await asyncio.sleep(0.2)
        assert cache.profile.areas == ("Dallas",)
    finally:
        await pool.close(timeout=1)
