"""A token bucket shared through PostgreSQL, so many processes share one vendor limit.

Contract:

- ``SCHEMA_SQL`` creates the table (idempotent); the application's migrations run it.
- Each ``try_acquire`` is ONE statement, an ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``:
  the row lock taken by the upsert serialises concurrent callers, the refill and the deduction
  are computed in SQL from the locked row, and the statement's own transaction commits on
  leaving ``pool.connection()``. A bucket row is created full on first use.
- Time: by default the database clock (``clock_timestamp()``, epoch seconds), the one clock all
  processes share. Refill never runs backwards: the row's ``refilled_at`` only moves forward, so
  a server clock stepped back grants nothing extra. Pass ``clock=`` to drive the bucket from a
  ``Clock`` instead (tests); then every user of that bucket row must use the same clock.
- The caller's ``capacity`` and ``refill_per_second`` are written on every acquire: all
  processes should configure a bucket alike; if they differ, the latest caller's settings win.
- ``pool`` is anything with psycopg_pool ``AsyncConnectionPool``'s ``connection()``; this module
  imports no driver and never creates a pool.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from ._clock import SYSTEM_CLOCK, Clock
from ._limiter import EPSILON, Sleep, check_rate, check_request, wait_for
from .exceptions import RateLimitExceeded

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS rate_limit_buckets (
    name              text PRIMARY KEY,
    capacity          double precision NOT NULL CHECK (capacity > 0),
    refill_per_second double precision NOT NULL CHECK (refill_per_second > 0),
    tokens            double precision NOT NULL,
    refilled_at       double precision NOT NULL,  -- seconds (epoch on the database clock)
    last_granted      double precision NOT NULL   -- tokens the latest acquire took; 0 = refused
)
"""

# %(now)s is NULL unless a Clock drives the bucket. A new row starts full and grants n at once
# (n <= capacity is checked before the query). In DO UPDATE, EXCLUDED carries this call's
# settings, time and request; b is the locked current row.
ACQUIRE_SQL = """
INSERT INTO rate_limit_buckets AS b
    (name, capacity, refill_per_second, tokens, refilled_at, last_granted)
SELECT %(name)s, %(capacity)s, %(rate)s, %(capacity)s - %(n)s, clock.t, %(n)s
FROM (SELECT coalesce(%(now)s::float8, extract(epoch FROM clock_timestamp())::float8) AS t) AS clock
ON CONFLICT (name) DO UPDATE SET
    (capacity, refill_per_second, tokens, refilled_at, last_granted) = (
        SELECT EXCLUDED.capacity, EXCLUDED.refill_per_second,
               greatest(0, level.available - decision.n), greatest(b.refilled_at, EXCLUDED.refilled_at),
               decision.n
        FROM (SELECT least(EXCLUDED.capacity,
                           b.tokens + greatest(0, EXCLUDED.refilled_at - b.refilled_at)
                                      * EXCLUDED.refill_per_second) AS available) AS level,
             LATERAL (SELECT CASE WHEN level.available >= EXCLUDED.last_granted - %(epsilon)s
                                  THEN EXCLUDED.last_granted ELSE 0 END AS n) AS decision
    )
RETURNING b.last_granted > 0 AS granted, b.tokens
"""

TOKENS_SQL = """
SELECT least(%(capacity)s, b.tokens + greatest(0, clock.t - b.refilled_at) * %(rate)s)
FROM rate_limit_buckets AS b,
     (SELECT coalesce(%(now)s::float8, extract(epoch FROM clock_timestamp())::float8) AS t) AS clock
WHERE b.name = %(name)s
"""


class ConnectionSource(Protocol):
    """The part of ``psycopg_pool.AsyncConnectionPool`` this bucket uses."""

    def connection(self) -> AbstractAsyncContextManager[Any]: ...


class PostgresTokenBucket:
    """A token bucket whose state is a row of ``rate_limit_buckets``, shared by every process."""

    def __init__(
        self,
        pool: ConnectionSource,
        name: str,
        *,
        capacity: float,
        refill_per_second: float,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        check_rate(capacity, refill_per_second)
        self._pool = pool
        self._name = name
        self._capacity = float(capacity)
        self._rate = float(refill_per_second)
        self._clock = clock
        self._sleep = sleep

    @classmethod
    def per_minute(
        cls,
        pool: ConnectionSource,
        name: str,
        per_minute: float,
        *,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> PostgresTokenBucket:
        """The seed's "N per minute": a burst of N, refilled at N/60 tokens a second."""
        return cls(
            pool, name, capacity=per_minute, refill_per_second=per_minute / 60, clock=clock, sleep=sleep
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def capacity(self) -> float:
        return self._capacity

    @property
    def refill_per_second(self) -> float:
        return self._rate

    def _params(self, n: float = 0) -> dict[str, Any]:
        return {
            "name": self._name,
            "capacity": self._capacity,
            "rate": self._rate,
            "n": float(n),
            "now": None if self._clock is None else self._clock.monotonic(),
            "epsilon": EPSILON,
        }

    async def try_acquire(self, n: float = 1) -> None:
        check_request(self, n)
        async with self._pool.connection() as conn:
            cursor = await conn.execute(ACQUIRE_SQL, self._params(n))
            granted, tokens = await cursor.fetchone()
        if not granted:
            raise RateLimitExceeded(self._name, (n - tokens) / self._rate, n)

    async def acquire(self, n: float = 1, *, timeout: float | None = None) -> None:
        check_request(self, n)
        await wait_for(self, n, timeout, self._clock or SYSTEM_CLOCK, self._sleep)

    async def tokens_remaining(self) -> float:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(TOKENS_SQL, self._params())
            row = await cursor.fetchone()
        return self._capacity if row is None else float(row[0])

    async def status(self) -> dict[str, Any]:
        return {
            "name": self._name,
            "backend": "postgres",
            "tokensRemaining": await self.tokens_remaining(),
            "capacity": self._capacity,
            "refillPerSecond": self._rate,
        }

    def __repr__(self) -> str:
        return f"<PostgresTokenBucket {self._name!r} {self._capacity:g} per {self._capacity / self._rate:g} s>"
