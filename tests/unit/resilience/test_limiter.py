"""The in-process token bucket: the seed's 10 SMS a minute, continuous refill, waiting acquires."""

from __future__ import annotations

import asyncio
import threading

import pytest

from pipelineos.resilience import (
    ManualClock,
    PostgresTokenBucket,
    RateLimiter,
    RateLimitExceeded,
    TokenBucket,
)


def sms_bucket(clock: ManualClock) -> TokenBucket:
    return TokenBucket.per_minute("twilio-sms", 10, clock=clock, sleep=clock.sleep)


async def test_eleventh_message_in_a_minute_is_refused(clock: ManualClock) -> None:
    """Seed test 4: ten messages go out at once, the eleventh gets 'Rate limit exceeded'."""
    bucket = sms_bucket(clock)
    for _ in range(10):
        await bucket.try_acquire()
    with pytest.raises(RateLimitExceeded) as refused:
        await bucket.try_acquire()
    assert "Rate limit exceeded" in str(refused.value)
    assert refused.value.retry_after == pytest.approx(6.0)
    assert refused.value.limiter_name == "twilio-sms"
    assert await bucket.tokens_remaining() == pytest.approx(0.0)


async def test_tokens_come_back_continuously_and_never_above_capacity(clock: ManualClock) -> None:
    """Three seconds give half a token back; an idle hour fills the bucket only to capacity."""
    bucket = sms_bucket(clock)
    for _ in range(10):
        bucket.try_acquire_sync()
    clock.advance(3.0)
    assert await bucket.tokens_remaining() == pytest.approx(0.5)
    with pytest.raises(RateLimitExceeded) as refused:
        bucket.try_acquire_sync()
    assert refused.value.retry_after == pytest.approx(3.0)
    clock.advance(3.0)
    bucket.try_acquire_sync()
    clock.advance(3600.0)
    assert await bucket.tokens_remaining() == pytest.approx(10.0)
    assert bucket.capacity == 10 and bucket.refill_per_second == pytest.approx(10 / 60)


async def test_acquire_waits_for_a_token_on_the_injected_clock(clock: ManualClock) -> None:
    """acquire() sleeps just long enough for the next token, then takes it."""
    bucket = sms_bucket(clock)
    for _ in range(10):
        await bucket.acquire()
    started = clock.monotonic()
    await bucket.acquire(timeout=10.0)
    assert clock.monotonic() - started == pytest.approx(6.0)
    await bucket.acquire(2)
    assert clock.monotonic() - started == pytest.approx(18.0)


async def test_acquire_refuses_at_once_when_the_wait_would_pass_its_deadline(clock: ManualClock) -> None:
    """With a 5 s deadline and 6 s to the next token, acquire fails fast without sleeping."""
    bucket = sms_bucket(clock)
    for _ in range(10):
        await bucket.acquire()
    with pytest.raises(RateLimitExceeded, match="Rate limit exceeded"):
        await bucket.acquire(timeout=5.0)
    assert clock.monotonic() == 1000.0


async def test_acquire_with_real_time_takes_the_token_when_it_arrives() -> None:
    """On the real clock a waiter gets its token after the refill time, not before."""
    bucket = TokenBucket("fast", capacity=1, refill_per_second=20)
    await bucket.try_acquire()
    loop = asyncio.get_running_loop()
    began = loop.time()
    await bucket.acquire(timeout=1.0)
    assert 0.04 <= loop.time() - began < 0.5


async def test_impossible_requests_are_errors_not_waits(clock: ManualClock) -> None:
    """Asking for more tokens than the bucket holds, or none, is a programming error."""
    bucket = sms_bucket(clock)
    for n in (11, 0, -1):
        with pytest.raises(ValueError):
            await bucket.acquire(n)
    with pytest.raises(ValueError):
        TokenBucket("x", capacity=0, refill_per_second=1)


def test_threads_never_get_more_tokens_than_the_bucket_holds(clock: ManualClock) -> None:
    """Eight threads trying 100 times each on a 50-token bucket get exactly 50."""
    bucket = TokenBucket("shared", capacity=50, refill_per_second=0.001, clock=clock)
    granted = []
    lock = threading.Lock()

    def worker() -> None:
        mine = 0
        for _ in range(100):
            try:
                bucket.try_acquire_sync()
                mine += 1
            except RateLimitExceeded:
                pass
        with lock:
            granted.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 50


async def test_both_backends_satisfy_the_limiter_interface(clock: ManualClock) -> None:
    """Callers can type against RateLimiter and get either backend; status has one shape."""
    memory = sms_bucket(clock)
    shared = PostgresTokenBucket.per_minute(pool=object(), name="twilio-sms", per_minute=10)  # type: ignore[arg-type]
    assert isinstance(memory, RateLimiter) and isinstance(shared, RateLimiter)
    assert await memory.status() == {
        "name": "twilio-sms", "backend": "memory", "tokensRemaining": 10.0,
        "capacity": 10.0, "refillPerSecond": pytest.approx(10 / 60),
    }
