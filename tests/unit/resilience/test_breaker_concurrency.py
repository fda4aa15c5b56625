"""Many threads and tasks on one breaker: exact counts, and half-open never over-admits."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipelineos.resilience import CircuitBreaker, CircuitOpenError, ManualClock, State


class VendorError(Exception):
    """What a failing vendor raises."""


class Invalid(Exception):
    """An ignored error."""


class Tally:
    """Thread-safe counts of what callers saw and what the service really ran."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ran = 0
        self.seen = {"ok": 0, "failed": 0, "ignored": 0, "rejected": 0}

    def run(self, outcome: str) -> str:
        with self.lock:
            self.ran += 1
        if outcome == "failed":
            raise VendorError()
        if outcome == "ignored":
            raise Invalid()
        return "ok"

    def saw(self, what: str) -> None:
        with self.lock:
            self.seen[what] += 1


def outcome_of(call: object) -> str:
    try:
        call()  # type: ignore[operator]
    except VendorError:
        return "failed"
    except Invalid:
        return "ignored"
    except CircuitOpenError:
        return "rejected"
    return "ok"


def assert_counts_add_up(breaker: CircuitBreaker, tally: Tally, calls: int) -> None:
    metrics = breaker.status()["metrics"]
    assert metrics["totalRequests"] == calls
    assert metrics["successfulRequests"] == tally.seen["ok"]
    assert metrics["failedRequests"] == tally.seen["failed"]
    assert metrics["ignoredRequests"] == tally.seen["ignored"]
    assert metrics["rejectedRequests"] == tally.seen["rejected"]
    assert tally.ran == calls - tally.seen["rejected"], "rejected calls never reached the service"


def test_threads_and_tasks_hammering_one_breaker_see_exact_counts(clock: ManualClock) -> None:
    """8 threads and 200 asyncio tasks at once: every call is counted once, in the right bucket."""
    breaker = CircuitBreaker(
        "twilio-api", failure_threshold=40, window=1e9, reset_timeout=5.0, ignore=Invalid, clock=clock
    )
    tally = Tally()
    rng = random.Random(7)
    plan = [rng.choice(["ok", "ok", "ok", "failed", "ignored"]) for _ in range(400)]

    def thread_worker(seed: int) -> None:
        for i, outcome in enumerate(plan):
            if seed == 0 and i % 100 == 99:
                clock.advance(5.0)  # lets an OPEN breaker go half-open now and then
            tally.saw(outcome_of(lambda: breaker.call(tally.run, outcome)))

    async def task_worker() -> None:
        async def run(outcome: str) -> str:
            await asyncio.sleep(0)
            return tally.run(outcome)

        async def one(outcome: str) -> None:
            try:
                await breaker.call_async(run, outcome)
                tally.saw("ok")
            except VendorError:
                tally.saw("failed")
            except Invalid:
                tally.saw("ignored")
            except CircuitOpenError:
                tally.saw("rejected")

        await asyncio.gather(*(one(plan[i % len(plan)]) for i in range(200) for _ in range(5)))

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(thread_worker, seed) for seed in range(8)]
        asyncio.run(task_worker())
        for future in futures:
            future.result()

    assert_counts_add_up(breaker, tally, calls=8 * len(plan) + 1000)
    assert tally.seen["rejected"] > 0 and tally.seen["failed"] >= 40, "the breaker did open"


@pytest.mark.parametrize("permits", [1, 3])
async def test_half_open_admits_at_most_its_permits_among_many_tasks(
    clock: ManualClock, permits: int
) -> None:
    """50 tasks arrive during a half-open trial: exactly `permits` run, the rest are rejected."""
    breaker = CircuitBreaker(
        "claude-api", failure_threshold=1, reset_timeout=60.0, success_threshold=100,
        half_open_max_calls=permits, clock=clock,
    )
    with pytest.raises(VendorError):
        breaker.call(_fail)
    clock.advance(60.0)
    release = asyncio.Event()
    running = peak = 0

    async def trial() -> str:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await release.wait()
        running -= 1
        return "ok"

    tasks = [asyncio.create_task(breaker.call_async(trial)) for _ in range(50)]
    await asyncio.sleep(0.01)
    assert breaker.status()["halfOpen"]["inFlight"] == permits
    release.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)

    assert peak == permits
    assert sum(1 for r in results if r == "ok") == permits
    assert sum(1 for r in results if isinstance(r, CircuitOpenError)) == 50 - permits
    status = breaker.status()
    assert status["state"] == "HALF_OPEN"
    assert status["halfOpen"] == {"inFlight": 0, "successes": permits}


def _fail() -> None:
    raise VendorError()


def test_half_open_admits_at_most_its_permits_among_many_threads(clock: ManualClock) -> None:
    """20 threads released together into a half-open breaker with 3 permits: 3 run at once, max."""
    breaker = CircuitBreaker(
        "twilio-api", failure_threshold=1, reset_timeout=60.0, success_threshold=100,
        half_open_max_calls=3, clock=clock,
    )
    with pytest.raises(VendorError):
        breaker.call(_fail)
    clock.advance(60.0)
    start = threading.Barrier(20)
    release = threading.Event()
    lock = threading.Lock()
    running = peak = 0

    def trial() -> str:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        release.wait(timeout=10)
        with lock:
            running -= 1
        return "ok"

    def caller() -> str:
        start.wait(timeout=10)
        try:
            return breaker.call(trial)
        except CircuitOpenError:
            return "rejected"

    with ThreadPoolExecutor(max_workers=20) as pool:
        futures = [pool.submit(caller) for _ in range(20)]
        deadline = time.monotonic() + 10
        while breaker.status()["metrics"]["rejectedRequests"] < 17 and time.monotonic() < deadline:
            time.sleep(0.001)
        release.set()
        results = [f.result(timeout=10) for f in futures]

    assert peak == 3
    assert results.count("ok") == 3 and results.count("rejected") == 17
    assert breaker.state is State.HALF_OPEN
