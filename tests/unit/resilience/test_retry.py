"""Retry: capped, jittered backoff on tenacity; only transient errors; hints; with a breaker."""

from __future__ import annotations

import random
from typing import Any

import pytest

from pipelineos.resilience import (
    CircuitBreaker,
    CircuitOpenError,
    ManualClock,
    RateLimitExceeded,
    Retry,
    State,
    TokenBucket,
)


class Unavailable(ConnectionError):
    """A 503 from the vendor: worth another try."""


class AuthError(Exception):
    """A 401: retrying cannot help."""


class Flaky:
    """Fails with the given errors in turn, then answers."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.attempts = 0

    def __call__(self) -> str:
        self.attempts += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"

    async def async_call(self) -> str:
        return self()


def policy(sleeps: list[float], **options: Any) -> Retry:
    settings: dict[str, Any] = dict(sleep=sleeps.append, rng=random.Random(1))
    settings.update(options)
    return Retry(**settings)


def test_transient_errors_are_retried_until_success() -> None:
    """Two 503s then success: three attempts, two waits, the caller just gets the answer."""
    sleeps: list[float] = []
    flaky = Flaky(Unavailable(), Unavailable())
    assert policy(sleeps, attempts=3).call(flaky) == "sent"
    assert flaky.attempts == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0, "full jitter below the doubling ceiling"


def test_permanent_errors_are_not_retried() -> None:
    """An auth error fails on the first attempt, with the original exception."""
    sleeps: list[float] = []
    flaky = Flaky(AuthError("401"))
    with pytest.raises(AuthError, match="401"):
        policy(sleeps).call(flaky)
    assert flaky.attempts == 1 and sleeps == []


def test_gives_up_after_max_attempts_with_the_last_real_error() -> None:
    """Out of attempts, the caller sees the vendor's last error, not a wrapper."""
    sleeps: list[float] = []
    last = Unavailable("third")
    flaky = Flaky(Unavailable("first"), Unavailable("second"), last)
    with pytest.raises(Unavailable) as raised:
        policy(sleeps, attempts=3).call(flaky)
    assert raised.value is last
    assert flaky.attempts == 3


def test_unjittered_backoff_doubles_up_to_the_cap() -> None:
    """Without jitter the waits are 0.5, 1, 2, 4, then capped at 5."""
    sleeps: list[float] = []
    flaky = Flaky(*[Unavailable() for _ in range(5)])
    policy(sleeps, attempts=6, jitter="none", max_backoff=5.0).call(flaky)
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 5.0]


def test_decorrelated_jitter_stays_between_base_and_three_times_the_last_wait() -> None:
    """Each decorrelated wait is in [base, 3 x previous], and never above the cap."""
    sleeps: list[float] = []
    flaky = Flaky(*[Unavailable() for _ in range(30)])
    policy(sleeps, attempts=31, jitter="decorrelated", initial_delay=0.1, max_backoff=2.0).call(flaky)
    previous = 0.1
    for wait in sleeps:
        assert 0.1 <= wait <= min(2.0, 3 * previous) + 1e-12
        previous = wait
    assert max(sleeps) > 1.0, "it does grow"


def test_a_retry_after_hint_on_the_error_is_honoured() -> None:
    """A 429 that says 'retry after 7 s' waits 7 s, more than the backoff would."""
    sleeps: list[float] = []
    flaky = Flaky(RateLimitExceeded("claude", 7.0))
    retry = policy(sleeps, retry_on=(RateLimitExceeded, ConnectionError))
    assert retry.call(flaky) == "sent"
    assert sleeps == [7.0]


def test_a_custom_hint_extractor_reads_vendor_headers() -> None:
    """retry_after= can read a hint from wherever a vendor SDK puts it."""

    class VendorRateLimited(Exception):
        headers = {"retry-after": "12"}

    sleeps: list[float] = []
    flaky = Flaky(VendorRateLimited())
    retry = policy(
        sleeps,
        retry_on=VendorRateLimited,
        retry_after=lambda error: float(getattr(error, "headers", {}).get("retry-after", 0)) or None,
    )
    retry.call(flaky)
    assert sleeps == [12.0]


def test_total_delay_budget_stops_before_a_wait_that_would_pass_it() -> None:
    """With max_delay=3 s, no wait starts that would end after the budget."""
    clock = ManualClock()
    flaky = Flaky(*[Unavailable() for _ in range(20)])
    retry = Retry(
        attempts=None, max_delay=3.0, jitter="none", clock=clock, sleep=clock.sleep_sync,
    )
    with pytest.raises(Unavailable):
        retry.call(flaky)
    assert clock.monotonic() == pytest.approx(1.5), "waits 0.5 + 1.0; the next 2.0 would pass 3.0"
    assert flaky.attempts == 3


def test_on_retry_hook_reports_each_scheduled_retry() -> None:
    """on_retry(error, attempt, wait) fires before every wait, for logging or metrics."""
    sleeps: list[float] = []
    seen: list[tuple[str, int, float]] = []
    flaky = Flaky(Unavailable("a"), Unavailable("b"))
    policy(sleeps, jitter="none", on_retry=lambda e, n, w: seen.append((str(e), n, w))).call(flaky)
    assert seen == [("a", 1, 0.5), ("b", 2, 1.0)]


async def test_async_calls_retry_with_the_async_sleep() -> None:
    """call_async and @retry on an async def await the injected sleep, never a real one."""
    waited: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waited.append(seconds)

    retry = Retry(jitter="none", async_sleep=fake_sleep)
    flaky = Flaky(Unavailable())
    assert await retry.call_async(flaky.async_call) == "sent"

    other = Flaky(Unavailable(), Unavailable())

    @retry
    async def send() -> str:
        return other()

    assert await send() == "sent"
    assert waited == [0.5, 0.5, 1.0]


def test_policy_refuses_to_retry_forever() -> None:
    """A policy with neither an attempt limit nor a time budget is rejected."""
    with pytest.raises(ValueError):
        Retry(attempts=None, max_delay=None)


def test_breaker_outside_retry_counts_one_outcome_per_logical_call(clock: ManualClock) -> None:
    """Three attempts that all fail with 503 are ONE breaker failure, not three."""
    breaker = CircuitBreaker("twilio-api", clock=clock)
    retry = Retry(attempts=3, sleep=lambda _: None)
    flaky = Flaky(*[Unavailable() for _ in range(3)])
    with pytest.raises(Unavailable):
        breaker.call(retry.call, flaky)
    assert flaky.attempts == 3
    assert breaker.status()["metrics"]["failedRequests"] == 1


def test_seed_curl_test_through_the_recommended_stack(clock: ManualClock) -> None:
    """Bad credentials: five sends fail once each (no retry), the sixth is rejected untouched."""
    breaker = CircuitBreaker("twilio-api", clock=clock)
    retry = Retry(attempts=3, sleep=lambda _: None)
    reached = 0

    @breaker
    @retry
    def send_sms(body: str) -> str:
        nonlocal reached
        reached += 1
        raise AuthError("20003 Authenticate")

    for i in range(5):
        with pytest.raises(AuthError):
            send_sms(f"Test {i + 1}")
    with pytest.raises(CircuitOpenError, match="Circuit breaker is OPEN"):
        send_sms("Test 6")
    assert reached == 5
    assert breaker.state is State.OPEN


async def test_rate_limited_attempts_wait_inside_the_breaker_without_failing_it(
    clock: ManualClock,
) -> None:
    """The limiter's refusals are retried after their hint and never count against the vendor."""
    bucket = TokenBucket("claude", capacity=1, refill_per_second=0.5, clock=clock)
    breaker = CircuitBreaker("claude-api", failure_threshold=1, clock=clock)
    retry = Retry(attempts=3, retry_on=(RateLimitExceeded, ConnectionError), async_sleep=clock.sleep)

    async def analyze() -> str:
        await bucket.try_acquire()
        return "lead"

    assert await breaker.call_async(retry.call_async, analyze) == "lead"
    assert await breaker.call_async(retry.call_async, analyze) == "lead"
    assert clock.monotonic() == pytest.approx(1002.0), "waited the 2 s the bucket asked for"
    metrics = breaker.status()["metrics"]
    assert (metrics["successfulRequests"], metrics["failedRequests"]) == (2, 0)
