"""The PostgreSQL-shared token bucket on a real database, from one and from several processes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from pipelineos.resilience import ManualClock, PostgresTokenBucket, RateLimitExceeded
from pipelineos.resilience.postgres import SCHEMA_SQL

WORKER = Path(__file__).with_name("bucket_worker.py")
SRC = Path(__file__).parents[3] / "src"


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[AsyncConnectionPool]:
    """A pool on a fresh database that has the bucket table."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(SCHEMA_SQL)
    async with AsyncConnectionPool(database_url, min_size=1, max_size=10, open=False) as pool:
        await pool.wait()
        yield pool


def test_schema_sql_is_idempotent(database_url: str) -> None:
    """Migrations can run SCHEMA_SQL on every start: the second run changes nothing."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(SCHEMA_SQL)
        conn.execute(SCHEMA_SQL)
        (count,) = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'rate_limit_buckets'"
        ).fetchone()  # type: ignore[misc]
    assert count == 6


async def test_shared_bucket_refuses_the_eleventh_sms_and_refills_on_its_clock(
    pool: AsyncConnectionPool,
) -> None:
    """10 per minute: ten grants, an eleventh refusal with a 6 s hint, a token after 6 s."""
    clock = ManualClock(start=5000.0)
    bucket = PostgresTokenBucket.per_minute(pool, "twilio-sms", 10, clock=clock, sleep=clock.sleep)
    assert await bucket.tokens_remaining() == 10.0
    for _ in range(10):
        await bucket.try_acquire()
    with pytest.raises(RateLimitExceeded, match="Rate limit exceeded") as refused:
        await bucket.try_acquire()
    assert refused.value.retry_after == pytest.approx(6.0)
    clock.advance(3.0)
    assert await bucket.tokens_remaining() == pytest.approx(0.5)
    started = clock.monotonic()
    await bucket.acquire(timeout=10.0)
    assert clock.monotonic() - started == pytest.approx(3.0)
    with pytest.raises(RateLimitExceeded):
        await bucket.acquire(timeout=1.0)
    clock.advance(3600.0)
    assert await bucket.tokens_remaining() == pytest.approx(10.0), "never above capacity"


async def test_database_clock_drives_the_bucket_by_default(pool: AsyncConnectionPool) -> None:
    """Without a clock the database's time refills the bucket: a 20/s bucket refills in 50 ms."""
    bucket = PostgresTokenBucket(pool, "fast", capacity=2, refill_per_second=20)
    await bucket.try_acquire(2)
    with pytest.raises(RateLimitExceeded) as refused:
        await bucket.try_acquire()
    assert 0 < refused.value.retry_after <= 0.05
    await bucket.acquire(timeout=2.0)
    status = await bucket.status()
    assert status["backend"] == "postgres" and status["capacity"] == 2.0
    assert 0 <= status["tokensRemaining"] < 1


async def test_concurrent_tasks_on_ten_connections_get_exactly_the_capacity(
    pool: AsyncConnectionPool,
) -> None:
    """200 simultaneous try_acquires through 10 connections: exactly 25 tokens are granted."""
    bucket = PostgresTokenBucket(pool, "claude", capacity=25, refill_per_second=0.0001)

    async def one() -> bool:
        try:
            await bucket.try_acquire()
            return True
        except RateLimitExceeded:
            return False

    results = await asyncio.gather(*(one() for _ in range(200)))
    assert sum(results) == 25


def run_workers(
    url: str, name: str, capacity: float, rate: float, attempts: int, mode: str, processes: int
) -> list[dict[str, Any]]:
    start_at = time.time() + 1.5  # let every interpreter start before the race begins
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, name, str(capacity), str(rate), str(attempts), mode, str(start_at)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for _ in range(processes)
    ]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_several_processes_never_get_more_than_the_shared_capacity(database_url: str) -> None:
    """Four processes racing 30 times each for a 25-token bucket get exactly 25 between them."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(SCHEMA_SQL)
    results = run_workers(database_url, "twilio-sms", 25, 0.0001, 30, "try", processes=4)
    granted = sum(len(r["granted"]) for r in results)
    refused = sum(r["refused"] for r in results)
    assert granted == 25
    assert refused == 4 * 30 - 25
    assert sum(1 for r in results if r["granted"]) >= 2, "the processes really competed"


def test_waiting_processes_share_one_rate_over_time(database_url: str) -> None:
    """Four processes each waiting for 15 tokens from a 5-burst, 40/s bucket: no interval ever
    sees more grants than burst + rate x its length."""
    capacity, rate = 5.0, 40.0
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(SCHEMA_SQL)
    results = run_workers(database_url, "claude", capacity, rate, 15, "acquire", processes=4)
    times = sorted(t for r in results for t in r["granted"])
    assert len(times) == 60
    assert times[-1] - times[0] >= (60 - capacity) / rate * 0.95
    # A grant is timed when its statement returns to the worker, not when the database decided;
    # on a busy machine a worker can be descheduled for a while and its grants then look bunched.
    # Allow that much observation lag (a shared limit that failed would grant 4x the burst at
    # once and still be caught).
    lag = 0.25
    for i, first in enumerate(times):
        for j in range(i, len(times)):
            assert j - i + 1 <= capacity + rate * (times[j] - first + lag) + 1


async def test_after_a_refusal_the_shared_bucket_refuses_locally_until_a_token_can_be_back(
    pool: AsyncConnectionPool,
) -> None:
    """Two processes share 10 a minute: together they get ten. After its refusal a process
    refuses on its own, without a round trip, until the refill could cover a token; then it
    asks again and gets it."""
    clock = ManualClock(start=100.0)
    a = PostgresTokenBucket.per_minute(pool, "twilio-sms", 10, clock=clock, sleep=clock.sleep)
    b = PostgresTokenBucket.per_minute(pool, "twilio-sms", 10, clock=clock, sleep=clock.sleep)
    for _ in range(6):
        await a.try_acquire()
    for _ in range(4):
        await b.try_acquire()
    with pytest.raises(RateLimitExceeded):
        await b.try_acquire()
    asked = b.round_trips
    for _ in range(50):
        with pytest.raises(RateLimitExceeded) as refused:
            await b.try_acquire()
    assert b.round_trips == asked, "refused locally"
    assert refused.value.retry_after == pytest.approx(6.0)
    clock.advance(6.0)
    await b.try_acquire()
    assert b.round_trips == asked + 1
    with pytest.raises(RateLimitExceeded):
        await a.try_acquire()  # the token the refill brought went to b
