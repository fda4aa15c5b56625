"""A token bucket and circuit breakers shared through PostgreSQL, so many processes share one
vendor limit and one circuit (``PostgresCircuits``, at the end of this file).

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
import json
import uuid
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from ._breaker import CircuitBreaker, State
from ._clock import SYSTEM_CLOCK, Clock
from ._limiter import EPSILON, Sleep, check_rate, check_request, wait_for
from ._shared import Snapshot
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
        # The local fast path: after a refusal, the tokens the row had then and when (on this
        # process's clock). Other processes only take tokens, so until the refill since then
        # could cover a request, the row cannot: refuse here without asking the database.
        self._local = clock or SYSTEM_CLOCK
        self._refused: tuple[float, float] | None = None
        self.round_trips = 0

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
        refused = self._refused
        if refused is not None:
            tokens_then, at = refused
            at_most = min(self._capacity, tokens_then + (self._local.monotonic() - at) * self._rate)
            if at_most < n - EPSILON:
                raise RateLimitExceeded(self._name, (n - at_most) / self._rate, n)
        self.round_trips += 1
        asked = self._local.monotonic()  # no later than the row's time: never refuses early
        async with self._pool.connection() as conn:
            cursor = await conn.execute(ACQUIRE_SQL, self._params(n))
            granted, tokens = await cursor.fetchone()
        if not granted:
            self._refused = (float(tokens), asked)
            raise RateLimitExceeded(self._name, (n - tokens) / self._rate, n)
        self._refused = None

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


# -- circuit breakers shared by every process --------------------------------------------------

CIRCUIT_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS circuit_breakers (
    name            text PRIMARY KEY,
    state           text NOT NULL DEFAULT 'CLOSED',
    generation      bigint NOT NULL DEFAULT 0,  -- one more with every shared move
    failures        double precision[] NOT NULL DEFAULT '{}',  -- CLOSED failures, seconds
    open_until      double precision NOT NULL DEFAULT 0,  -- seconds: OPEN may be tried then
    trials          jsonb NOT NULL DEFAULT '{}',  -- half-open trials: lease -> expiry (seconds)
    trial_successes integer NOT NULL DEFAULT 0,
    changed_at      timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION circuit_breakers_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.generation <> OLD.generation THEN
        PERFORM pg_notify('circuit_breakers', json_build_object(
            'name', NEW.name, 'state', NEW.state, 'generation', NEW.generation)::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER circuit_breakers_notify
    AFTER INSERT OR UPDATE ON circuit_breakers
    FOR EACH ROW EXECUTE FUNCTION circuit_breakers_notify();
"""

# The channel the trigger above notifies: {"name", "state", "generation"} as JSON.
CIRCUIT_CHANNEL = "circuit_breakers"

# Every statement below locks the breaker's row (old), decides in SQL, updates it and returns
# (before, state, generation, open_for, failures, granted, lease). The row lock serialises the
# processes, so exactly one statement sees CLOSED and writes OPEN: that one ``won``.
_NOW = "coalesce(%(now)s::float8, extract(epoch FROM clock_timestamp())::float8)"

_ENSURE_SQL = "INSERT INTO circuit_breakers (name) VALUES (%(name)s) ON CONFLICT (name) DO NOTHING"

_FAILED_SQL = f"""
WITH clock AS (SELECT {_NOW} AS t),
old AS (SELECT * FROM circuit_breakers WHERE name = %(name)s FOR UPDATE),
seen AS (
    SELECT clock.t,
           CASE WHEN old.state = 'CLOSED'
                THEN ARRAY(SELECT f FROM unnest(old.failures) AS f WHERE f > clock.t - %(window)s)
                     || array_fill(clock.t, ARRAY[%(count)s::int])
                ELSE old.failures END AS failures
    FROM old, clock),
d AS (SELECT seen.*, old.state = 'CLOSED' AND cardinality(seen.failures) >= %(threshold)s AS trip
      FROM seen, old)
UPDATE circuit_breakers AS b SET
    state = CASE WHEN d.trip THEN 'OPEN' ELSE b.state END,
    generation = b.generation + d.trip::int,
    failures = CASE WHEN d.trip THEN '{{}}'::float8[]
                    ELSE d.failures[greatest(1, cardinality(d.failures) - %(threshold)s + 1):] END,
    open_until = CASE WHEN d.trip THEN d.t + %(reset)s ELSE b.open_until END,
    trials = CASE WHEN d.trip THEN '{{}}'::jsonb ELSE b.trials END,
    changed_at = CASE WHEN d.trip THEN now() ELSE b.changed_at END
FROM old, d
WHERE b.name = old.name
RETURNING old.state, b.state, b.generation, greatest(0, b.open_until - d.t),
          cardinality(d.failures), false, NULL::text
"""

_TRIAL_SQL = f"""
WITH clock AS (SELECT {_NOW} AS t),
old AS (SELECT * FROM circuit_breakers WHERE name = %(name)s FOR UPDATE),
d AS (
    SELECT clock.t,
           old.state = 'OPEN' AND clock.t >= old.open_until AS opening,
           old.state = 'HALF_OPEN' OR (old.state = 'OPEN' AND clock.t >= old.open_until) AS half,
           CASE WHEN old.state = 'HALF_OPEN'
                THEN (SELECT coalesce(jsonb_object_agg(l.key, l.value), '{{}}'::jsonb)
                      FROM jsonb_each(old.trials) AS l
                      WHERE (l.value #>> '{{}}')::float8 > clock.t)
                ELSE '{{}}'::jsonb END AS live
    FROM old, clock),
g AS (SELECT d.*, d.half AND (SELECT count(*) FROM jsonb_object_keys(d.live)) < %(max_calls)s
                  AS granted
      FROM d)
UPDATE circuit_breakers AS b SET
    state = CASE WHEN g.half THEN 'HALF_OPEN' ELSE b.state END,
    generation = b.generation + g.opening::int,
    trial_successes = CASE WHEN g.opening THEN 0 ELSE b.trial_successes END,
    trials = CASE WHEN g.granted
                  THEN g.live || jsonb_build_object(%(lease)s::text, g.t + %(lease_seconds)s)
                  WHEN g.half THEN g.live ELSE b.trials END,
    changed_at = CASE WHEN g.opening THEN now() ELSE b.changed_at END
FROM old, g
WHERE b.name = old.name
RETURNING old.state, b.state, b.generation, greatest(0, b.open_until - g.t), 0,
          g.granted OR b.state IN ('CLOSED', 'DISABLED'),
          CASE WHEN g.granted THEN %(lease)s::text END
"""

_TRIAL_DONE_SQL = f"""
WITH clock AS (SELECT {_NOW} AS t),
old AS (SELECT * FROM circuit_breakers WHERE name = %(name)s FOR UPDATE),
d AS (
    SELECT clock.t,
           old.state = 'HALF_OPEN' AND old.trials ? %(lease)s AND %(success)s::boolean IS TRUE
               AND old.trial_successes + 1 >= %(needed)s AS closing,
           old.state = 'HALF_OPEN' AND %(success)s::boolean IS FALSE AS reopening,
           old.state = 'HALF_OPEN' AND old.trials ? %(lease)s AND %(success)s::boolean IS TRUE
               AS counted
    FROM old, clock)
UPDATE circuit_breakers AS b SET
    state = CASE WHEN d.closing THEN 'CLOSED' WHEN d.reopening THEN 'OPEN' ELSE b.state END,
    generation = b.generation + (d.closing OR d.reopening)::int,
    trial_successes = CASE WHEN d.closing OR d.reopening THEN 0
                           WHEN d.counted THEN b.trial_successes + 1 ELSE b.trial_successes END,
    trials = CASE WHEN d.closing OR d.reopening THEN '{{}}'::jsonb ELSE b.trials - %(lease)s END,
    failures = CASE WHEN d.closing THEN '{{}}'::float8[] ELSE b.failures END,
    open_until = CASE WHEN d.reopening THEN d.t + %(reset)s ELSE b.open_until END,
    changed_at = CASE WHEN d.closing OR d.reopening THEN now() ELSE b.changed_at END
FROM old, d
WHERE b.name = old.name
RETURNING old.state, b.state, b.generation, greatest(0, b.open_until - d.t), 0, false,
          NULL::text
"""

_MOVE_SQL = f"""
WITH clock AS (SELECT {_NOW} AS t),
old AS (SELECT * FROM circuit_breakers WHERE name = %(name)s FOR UPDATE)
UPDATE circuit_breakers AS b SET
    state = %(state)s, generation = b.generation + 1, failures = '{{}}', trials = '{{}}',
    trial_successes = 0, open_until = 0, changed_at = now()
FROM old, clock
WHERE b.name = old.name
RETURNING old.state, b.state, b.generation, 0::float8, 0, false, NULL::text
"""

_READ_SQL = f"""
SELECT NULL::text, b.state, b.generation, greatest(0, b.open_until - clock.t),
       (SELECT count(*) FROM unnest(b.failures) AS f WHERE f > clock.t - %(window)s), false,
       NULL::text
FROM circuit_breakers AS b, (SELECT {_NOW} AS t) AS clock
WHERE b.name = %(name)s
"""


class PostgresCircuits:
    """Circuit breakers' shared state in ``circuit_breakers``, one row per breaker name.

    Give it to each breaker (``attach``); call ``catch_up`` once the process can reach the
    database and again after every reconnect of the notification listener, and ``notified``
    with each notification on ``CIRCUIT_CHANNEL`` (``pipelineos.ops.circuits`` does both).
    A half-open trial holds a lease for ``lease_seconds`` (at least the breaker's timeout plus
    five seconds): a process killed mid-trial holds it no longer. Time is the database clock,
    or ``clock`` in tests (then every process must share that clock).
    """

    backend = "postgres"

    def __init__(self, pool: ConnectionSource, *, lease_seconds: float = 75.0,
                 clock: Clock | None = None) -> None:
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be positive")
        self._pool = pool
        self._lease_seconds = lease_seconds
        self._clock = clock
        self._breakers: dict[str, CircuitBreaker] = {}

    def attach(self, breaker: CircuitBreaker) -> None:
        """Share ``breaker``'s state from now on (its row is made by ``catch_up``)."""
        breaker.share(self)
        self._breakers[breaker.name] = breaker

    @property
    def breakers(self) -> list[CircuitBreaker]:
        return list(self._breakers.values())

    async def catch_up(self) -> None:
        """Make missing rows and apply every shared state (at start, after a reconnect)."""
        for breaker in list(self._breakers.values()):
            async with self._pool.connection() as conn:
                await conn.execute(_ENSURE_SQL, {"name": breaker.name})
            breaker.apply(await self.read(breaker))

    async def notified(self, payload: str) -> None:
        """A notification's payload: read and apply the breaker's state if it is news."""
        try:
            message = json.loads(payload)
            breaker = self._breakers.get(str(message["name"]))
            generation = int(message["generation"])
        except (ValueError, KeyError, TypeError):
            return
        if breaker is not None and generation > breaker.generation:
            breaker.apply(await self.read(breaker))

    def _params(self, breaker: CircuitBreaker, **extra: Any) -> dict[str, Any]:
        config = breaker.config()
        return {
            "name": breaker.name,
            "now": None if self._clock is None else self._clock.monotonic(),
            "window": config["windowSeconds"],
            "threshold": config["failureThreshold"],
            "reset": config["resetTimeoutSeconds"],
            "needed": config["successThreshold"],
            "max_calls": config["halfOpenMaxCalls"],
            **extra,
        }

    async def _run(self, breaker: CircuitBreaker, sql: str, params: dict[str, Any]) -> Snapshot:
        async with self._pool.connection() as conn:
            cursor = await conn.execute(sql, params)
            row = await cursor.fetchone()
            if row is None:  # no row yet (catch_up has not run): make it, then once more
                await conn.execute(_ENSURE_SQL, {"name": breaker.name})
                cursor = await conn.execute(sql, params)
                row = await cursor.fetchone()
        before, state, generation, open_for, failures, granted, lease = row
        before_state = None if before is None else State(before)
        return Snapshot(
            name=breaker.name, state=State(state), generation=int(generation),
            open_for=float(open_for), before=before_state,
            won=before_state is not None and before_state != state,
            granted=bool(granted), lease=lease, failures=int(failures))

    async def failed(self, breaker: CircuitBreaker, count: int) -> Snapshot:
        return await self._run(breaker, _FAILED_SQL, self._params(breaker, count=count))

    async def trial(self, breaker: CircuitBreaker) -> Snapshot:
        timeout = breaker.config()["timeoutSeconds"]
        lease_seconds = max(self._lease_seconds, (timeout or 0) + 5.0)
        return await self._run(breaker, _TRIAL_SQL, self._params(
            breaker, lease=uuid.uuid4().hex, lease_seconds=lease_seconds))

    async def trial_done(
        self, breaker: CircuitBreaker, lease: str, success: bool | None
    ) -> Snapshot:
        return await self._run(breaker, _TRIAL_DONE_SQL, self._params(
            breaker, lease=lease, success=success))

    async def move(self, breaker: CircuitBreaker, state: State) -> Snapshot:
        return await self._run(breaker, _MOVE_SQL, self._params(breaker, state=str(state)))

    async def read(self, breaker: CircuitBreaker) -> Snapshot:
        return await self._run(breaker, _READ_SQL, self._params(breaker))

    def __repr__(self) -> str:
        return f"<PostgresCircuits {sorted(self._breakers)}>"
