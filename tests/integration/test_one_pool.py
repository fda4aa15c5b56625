"""One pool: the service's PostgreSQL connections stay within the pool's maximum under load."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.conftest import make_settings

POOL_MAX = 20
COUNT_OURS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'pipelineos'
"""


async def _sample_connections(url: str, peak: list[int], stop: asyncio.Event) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True,
                                                     application_name="observer") as conn:
        while not stop.is_set():
            (count,) = await (await conn.execute(COUNT_OURS)).fetchone()  # type: ignore[misc]
            peak.append(count)
            await asyncio.sleep(0.002)


@pytest.mark.slow
async def test_200_concurrent_requests_never_exceed_the_pool_and_do_not_grow(
    migrated_url: str, tmp_path: Path
) -> None:
    """Three rounds of 200 concurrent analyses, job worker running: connections peak at or
    under the pool max, the pool is actually used, and the count after each round is the
    same."""
    # A generous borrow timeout: this test is about connection counts, and a busy CI machine
    # must not turn slow borrows into 503s.
    settings = make_settings(migrated_url, tmp_path, db_pool_max=POOL_MAX,
                             db_pool_timeout_seconds=30)
    # With the job worker and scheduler running too: they borrow from the same pool.
    runtime = await Runtime.start(settings, worker=True)
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    after_rounds: list[int] = []
    samples: list[int] = []
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for round_no in range(3):
                stop = asyncio.Event()
                sampler = asyncio.create_task(_sample_connections(migrated_url, samples, stop))
                responses = await asyncio.gather(*(
                    client.post("/api/leads/analyze", json={
                        "post_text": f"Need a plumber in Dallas, leaking water heater #{round_no}-{i}",
                        "group_name": "Dallas Home Services"})
                    for i in range(200)
                ))
                stop.set()
                await sampler
                assert [r.status_code for r in responses] == [200] * 200
                async with await psycopg.AsyncConnection.connect(migrated_url) as conn:
                    (count,) = await (await conn.execute(COUNT_OURS)).fetchone()  # type: ignore[misc]
                after_rounds.append(count)
    finally:
        await runtime.stop()

    assert max(samples) <= POOL_MAX
    assert max(samples) > settings.db_pool_min, "the load should have grown the pool"
    assert after_rounds[0] == after_rounds[1] == after_rounds[2] <= POOL_MAX
    with psycopg.connect(migrated_url, autocommit=True) as conn:
        (posts,) = conn.execute("SELECT count(*) FROM posts").fetchone()  # type: ignore[misc]
        # A server process leaves pg_stat_activity a moment after its client hangs up.
        for _ in range(100):
            (leftover,) = conn.execute(COUNT_OURS).fetchone()  # type: ignore[misc]
            if leftover == 0:
                break
            time.sleep(0.02)
    assert posts == 600
    assert leftover == 0, "closing the runtime closes every connection"
