"""Circuit breakers shared through PostgreSQL: several "processes" (each its own pool, store,
notification listener and breaker, as a serve or worker process has) on one database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from psycopg_pool import AsyncConnectionPool

from pipelineos.ops.circuits import CircuitNotifications
from pipelineos.resilience import (
    BreakerListener,
    CircuitBreaker,
    CircuitOpenError,
    ManualClock,
    PostgresCircuits,
    State,
)


class VendorDown(Exception):
    pass


class Alarm(BreakerListener):
    """Counts what an alert listener would send: one per circuit move this process made."""

    def __init__(self) -> None:
        self.moves: list[tuple[str, str]] = []

    def transitioned(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        self.moves.append((str(old), str(new)))


@dataclass
class Process:
    pool: AsyncConnectionPool
    store: PostgresCircuits
    breaker: CircuitBreaker
    notifications: CircuitNotifications
    alarm: Alarm = field(default_factory=Alarm)

    async def fail(self) -> None:
        async def down() -> None:
            raise VendorDown
        with pytest.raises((VendorDown, CircuitOpenError)):
            await self.breaker.call_async(down)

    async def succeed(self) -> str:
        async def up() -> str:
            return "ok"
        return await self.breaker.call_async(up)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=10_000.0)


@pytest.fixture
async def cluster(migrated_url: str, clock: ManualClock) -> AsyncIterator[list[Process]]:
    async with AsyncExitStack() as stack:
        processes = []
        for _ in range(3):
            pool = AsyncConnectionPool(migrated_url, min_size=1, max_size=4, open=False,
                                       kwargs={"autocommit": True})
            await pool.open(wait=True)
            stack.push_async_callback(pool.close)
            store = PostgresCircuits(pool, lease_seconds=30.0, clock=clock)
            alarm = Alarm()
            breaker = CircuitBreaker("twilio-api", failure_threshold=5, window=120.0,
                                     reset_timeout=60.0, success_threshold=2,
                                     listeners=[alarm], clock=clock)
            store.attach(breaker)
            await store.catch_up()
            notifications = CircuitNotifications(pool, store)
            notifications.start()
            stack.push_async_callback(notifications.stop)
            await asyncio.wait_for(notifications.listening.wait(), 10)
            processes.append(Process(pool, store, breaker, notifications, alarm))
        yield processes


async def seconds_until(processes: list[Process], state: State) -> float:
    """How long until every process's breaker reads ``state`` (fails after 5 s)."""
    started = time.monotonic()
    while any(p.breaker.state is not state for p in processes):
        assert time.monotonic() - started < 5.0, [p.breaker.state for p in processes]
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def test_failures_count_across_processes_and_one_of_them_opens_the_circuit(
    cluster: list[Process],
) -> None:
    a, b, c = cluster
    for process in (a, b, a, b):
        await process.fail()
    assert all(p.breaker.state is State.CLOSED for p in cluster), "4 of 5: still closed"
    assert b.breaker.status()["shared"]["clusterFailures"] == 4
    await c.fail()  # the fifth failure in the cluster's window
    assert c.breaker.state is State.OPEN
    assert await seconds_until(cluster, State.OPEN) < 1.0
    assert [p.alarm.moves for p in cluster] == [[], [], [("CLOSED", "OPEN")]], "one alarm"
    with pytest.raises(CircuitOpenError) as rejected:
        await a.succeed()
    assert 0 < rejected.value.retry_after <= 60.0


async def test_concurrent_failures_make_exactly_one_transition(cluster: list[Process]) -> None:
    """Many failures at once from every process: one statement wins the move to OPEN."""
    await asyncio.gather(*(p.fail() for p in cluster for _ in range(6)))
    await seconds_until(cluster, State.OPEN)
    assert sum(len(p.alarm.moves) for p in cluster) == 1


async def test_half_open_trials_are_limited_cluster_wide_and_a_dead_trial_expires(
    cluster: list[Process], clock: ManualClock,
) -> None:
    a, b, c = cluster
    for _ in range(5):
        await a.fail()
    await seconds_until(cluster, State.OPEN)
    clock.advance(60.0)
    # Process A takes the one trial and dies with it (its statement ran, its call never ends).
    trial = await a.store.trial(a.breaker)
    assert trial.granted and trial.state is State.HALF_OPEN
    await seconds_until([b, c], State.HALF_OPEN)
    with pytest.raises(CircuitOpenError):
        await b.succeed()  # the cluster's one trial is taken
    clock.advance(31.0)  # the dead process's lease ends
    assert await b.succeed() == "ok"
    assert await c.succeed() == "ok"  # the second success closes it
    assert await seconds_until(cluster, State.CLOSED) < 1.0
    assert [p.alarm.moves for p in cluster] == [[("CLOSED", "OPEN")], [], [("HALF_OPEN", "CLOSED")]]


async def test_a_failed_trial_reopens_without_a_second_alarm(
    cluster: list[Process], clock: ManualClock,
) -> None:
    a, b, _ = cluster
    for _ in range(5):
        await a.fail()
    await seconds_until(cluster, State.OPEN)
    clock.advance(60.0)
    await b.fail()  # the trial fails: OPEN again, for another 60 s
    await seconds_until(cluster, State.OPEN)
    opened = [m for p in cluster for m in p.alarm.moves if m == ("CLOSED", "OPEN")]
    assert len(opened) == 1


async def test_an_operator_move_reaches_every_process_within_a_second(
    cluster: list[Process],
) -> None:
    a, b, c = cluster
    await b.breaker.move_to(State.FORCED_OPEN)
    assert await seconds_until(cluster, State.FORCED_OPEN) < 1.0
    with pytest.raises(CircuitOpenError):
        await c.succeed()
    await c.breaker.move_to(State.DISABLED)
    assert await seconds_until(cluster, State.DISABLED) < 1.0
    for _ in range(10):
        await a.fail()
    assert a.breaker.state is State.DISABLED
    await a.breaker.move_to(State.CLOSED)
    assert await seconds_until(cluster, State.CLOSED) < 1.0
    assert b.breaker.status()["shared"]["clusterFailures"] == 0


async def test_a_process_that_starts_late_catches_up(cluster: list[Process], migrated_url: str,
                                                     clock: ManualClock) -> None:
    for _ in range(5):
        await cluster[0].fail()
    async with AsyncConnectionPool(migrated_url, min_size=1, max_size=2,
                                   kwargs={"autocommit": True}) as pool:
        store = PostgresCircuits(pool, clock=clock)
        late = CircuitBreaker("twilio-api", failure_threshold=5, reset_timeout=60.0, clock=clock)
        store.attach(late)
        await store.catch_up()
        assert late.state is State.OPEN


class Counting:
    """A connection source that counts borrows (the pool it wraps does the work)."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self.pool = pool
        self.borrowed = 0

    def connection(self) -> AbstractAsyncContextManager[Any]:
        self.borrowed += 1
        return self.pool.connection()


async def test_calls_while_closed_never_touch_the_database(cluster: list[Process],
                                                           clock: ManualClock) -> None:
    counting = Counting(cluster[0].pool)
    store = PostgresCircuits(counting, clock=clock)  # type: ignore[arg-type]
    breaker = CircuitBreaker("claude-api", failure_threshold=5, timeout=30.0, clock=clock)
    store.attach(breaker)

    async def up() -> int:
        return 1

    for _ in range(1000):
        await breaker.call_async(up)
    assert counting.borrowed == 0
