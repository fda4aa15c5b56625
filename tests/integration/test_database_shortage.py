"""A request that cannot get a database connection is told why: the server is unreachable, or
every connection is busy. The body, the log line and /health say the same thing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from psycopg_pool import PoolTimeout

from pipelineos.bootstrap import Runtime
from pipelineos.db.pool import create_pool, shortage
from tests.conftest import make_settings
from tests.integration.ai.support import http_client


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_pool_pointed_at_a_closed_port_is_unreachable_not_busy() -> None:
    """The borrow times out like a busy pool would, but the shortage says unreachable, with
    libpq's reason."""
    pool = create_pool(f"postgresql://nobody@127.0.0.1:{closed_port()}/none", min_size=1,
                       max_size=2, timeout=0.5)
    await pool.open(wait=False)
    try:
        with pytest.raises(PoolTimeout):
            await pool.getconn()
        found = shortage(pool)
    finally:
        await pool.close()
    assert found.unreachable
    assert "refused" in found.reason.lower()


@pytest.fixture
async def small_runtime(migrated_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    """A runtime whose pool holds at most four connections and waits 0.3 s for one."""
    settings = make_settings(migrated_url, tmp_path, db_pool_max=4,
                             db_pool_timeout_seconds=0.3)
    runtime = await Runtime.start(settings)
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_every_connection_lent_out_is_busy(
    small_runtime: Runtime, caplog: pytest.LogCaptureFixture,
) -> None:
    """With every pooled connection held elsewhere, a request gets 503 `Database busy`, the log
    says the pool is exhausted (with how many are in use) and /health says busy."""
    caplog.set_level(logging.WARNING)
    held: list[Any] = []
    pool = small_runtime.pool

    async def hog() -> None:
        # First in the pool's queue: a connection the runtime's own loops hand back while the
        # requests run (an alert sweep that timed out gives back its listening connection)
        # comes here, not to the request under test.
        while True:
            held.append(await pool.getconn(timeout=60))

    hogging: asyncio.Task[None] | None = None
    try:
        while True:
            try:
                held.append(await pool.getconn(timeout=0.3))
            except PoolTimeout:
                break
        hogging = asyncio.create_task(hog())
        await asyncio.sleep(0)  # queued before the requests below
        async with http_client(small_runtime) as client:
            reply = await client.get("/api/leads")
            health = await client.get("/health")
    finally:
        if hogging is not None:
            hogging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await hogging
        for conn in held:
            await pool.putconn(conn)
    assert (reply.status_code, reply.json()) == (503, {"error": "Database busy; retry shortly"})
    [logged] = [r for r in caplog.records if r.getMessage() == "Database pool exhausted"]
    assert logged.fields["path"] == "/api/leads"  # type: ignore[attr-defined]
    assert logged.fields["reason"].startswith("all 4 connections in use")  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if r.getMessage() == "Database unreachable"]
    assert health.json()["database"]["status"] == "busy"
    assert health.json()["jobs"] == {"error": "database busy"}
