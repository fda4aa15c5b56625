"""The pool survives lost connections and never lends a connection holding someone's lock."""

from __future__ import annotations

import time

import httpx
import psycopg
from psycopg_pool import AsyncConnectionPool

from pipelineos.db.pool import create_pool

COUNT_OURS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'pipelineos'
"""
TERMINATE_OURS = """
    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'pipelineos'
"""


async def test_requests_succeed_after_every_connection_is_killed(
    client: httpx.AsyncClient, migrated_url: str
) -> None:
    """Killing the pool's server connections (as a PostgreSQL restart does) costs no request."""
    post = {"post_text": "Need a plumber in Dallas for a leaking water heater",
            "group_name": "Dallas Home Services"}
    assert (await client.post("/api/leads/analyze", json=post)).status_code == 200
    with psycopg.connect(migrated_url, autocommit=True) as conn:
        (killed,) = conn.execute(TERMINATE_OURS).fetchone()  # type: ignore[misc]
        # As after a restart: the old sessions are gone before the next request arrives.
        for _ in range(200):
            (left,) = conn.execute(COUNT_OURS).fetchone()  # type: ignore[misc]
            if left == 0:
                break
            time.sleep(0.01)
    assert killed >= 1
    for _ in range(5):
        response = await client.post("/api/leads/analyze", json=post)
        assert response.status_code == 200


async def test_a_returned_connection_has_released_its_advisory_locks(migrated_url: str) -> None:
    """A session advisory lock forgotten by one borrower is released before the connection is
    lent again (a one-connection pool, so the second borrower gets the same session)."""
    pool = create_pool(migrated_url, min_size=1, max_size=1)
    await pool.open(wait=True)
    try:
        await _lock_then_check(pool)
    finally:
        await pool.close()


async def _lock_then_check(pool: AsyncConnectionPool) -> None:
    async with pool.connection() as conn:
        await conn.execute("SELECT pg_advisory_lock(4242)")
        backend = (await (await conn.execute("SELECT pg_backend_pid()")).fetchone())[0]  # type: ignore[index]
    async with pool.connection() as conn:
        rows = await (await conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242"
        )).fetchone()
        assert rows == (0,), f"lock from backend {backend} leaked"
        got = await (await conn.execute("SELECT pg_try_advisory_lock(4242)")).fetchone()
        assert got == (True,)
        await conn.execute("SELECT pg_advisory_unlock(4242)")
        assert (await (await conn.execute("SELECT pg_backend_pid()")).fetchone()) == (backend,)
