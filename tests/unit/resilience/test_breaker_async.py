"""The breaker from asyncio: the same states, a timeout that really cancels, async fallbacks."""

from __future__ import annotations

import asyncio
import time

import pytest

from pipelineos.resilience import CallTimeoutError, CircuitBreaker, CircuitOpenError, ManualClock, State


class VendorError(Exception):
    """What a failing vendor raises."""


async def test_async_calls_follow_the_seed_scenario(clock: ManualClock) -> None:
    """Five failed awaits open the circuit; the sixth is rejected without being awaited."""
    breaker = CircuitBreaker("claude-api", reset_timeout=120.0, success_threshold=3, clock=clock)
    started = 0

    async def analyze(fail: bool) -> str:
        nonlocal started
        started += 1
        await asyncio.sleep(0)
        if fail:
            raise VendorError("invalid x-api-key")
        return "lead"

    for _ in range(5):
        with pytest.raises(VendorError):
            await breaker.call_async(analyze, True)
    with pytest.raises(CircuitOpenError, match="Circuit breaker is OPEN"):
        await breaker.call_async(analyze, False)
    assert started == 5

    clock.advance(120.0)
    for _ in range(3):
        assert await breaker.call_async(analyze, False) == "lead"
    assert breaker.state is State.CLOSED


async def test_timeout_cancels_the_awaited_work_and_counts_as_failure() -> None:
    """A call over the timeout is cancelled (its code sees CancelledError) and recorded."""
    breaker = CircuitBreaker("claude-api", timeout=0.05, failure_threshold=1)
    events: list[str] = []

    async def hangs() -> str:
        try:
            await asyncio.sleep(30)
            events.append("finished")
        except asyncio.CancelledError:
            events.append("cancelled")
            raise
        return "never"

    began = time.monotonic()
    with pytest.raises(CallTimeoutError) as timed_out:
        await breaker.call_async(hangs)
    assert time.monotonic() - began < 5.0
    assert events == ["cancelled"]
    assert isinstance(timed_out.value, TimeoutError)
    assert "timed out after 0.05 s" in str(timed_out.value)
    assert breaker.state is State.OPEN
    assert breaker.status()["metrics"]["failedRequests"] == 1


async def test_a_timeout_raised_by_the_work_itself_is_an_ordinary_error() -> None:
    """Only the breaker's own deadline becomes CallTimeoutError; the vendor's passes through."""
    breaker = CircuitBreaker("claude-api", timeout=10.0)

    async def vendor_timeout() -> None:
        raise TimeoutError("read timeout")

    with pytest.raises(TimeoutError) as raised:
        await breaker.call_async(vendor_timeout)
    assert not isinstance(raised.value, CallTimeoutError)
    assert breaker.status()["metrics"]["failedRequests"] == 1


async def test_cancelling_the_caller_is_not_a_vendor_failure_and_frees_the_trial_permit(
    clock: ManualClock,
) -> None:
    """A request cancelled by its client neither fails the trial nor keeps its permit."""
    breaker = CircuitBreaker("twilio-api", failure_threshold=1, reset_timeout=60.0, clock=clock)
    with pytest.raises(VendorError):
        await breaker.call_async(_raise_vendor_error)
    clock.advance(60.0)
    entered = asyncio.Event()

    async def slow_send() -> str:
        entered.set()
        await asyncio.sleep(30)
        return "sent"

    task = asyncio.create_task(breaker.call_async(slow_send))
    await entered.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    status = breaker.status()
    assert status["state"] == "HALF_OPEN"
    assert status["halfOpen"]["inFlight"] == 0
    assert status["metrics"]["ignoredRequests"] == 1
    assert status["metrics"]["failedRequests"] == 1


async def _raise_vendor_error() -> None:
    raise VendorError("down")


async def test_async_fallback_may_be_a_coroutine(clock: ManualClock) -> None:
    """An async fallback is awaited for failures and rejections alike."""

    async def from_cache(error: BaseException) -> str:
        await asyncio.sleep(0)
        return f"cached after {type(error).__name__}"

    async def analyze() -> str:
        raise VendorError("down")

    breaker = CircuitBreaker("claude-api", failure_threshold=1, fallback=from_cache, clock=clock)
    assert await breaker.call_async(analyze) == "cached after VendorError"
    assert await breaker.call_async(analyze) == "cached after CircuitOpenError"


async def test_timeout_with_fallback_answers_from_the_fallback() -> None:
    """When the deadline passes, the fallback gets the CallTimeoutError and answers."""
    breaker = CircuitBreaker("claude-api", timeout=0.01, fallback=lambda error: type(error).__name__)

    async def hangs() -> str:
        await asyncio.sleep(30)
        return "never"

    assert await breaker.call_async(hangs) == "CallTimeoutError"


async def test_decorated_coroutine_function_goes_through_the_breaker(clock: ManualClock) -> None:
    """@breaker on an async def gives an async def that the breaker protects."""
    breaker = CircuitBreaker("claude-api", clock=clock)

    @breaker
    async def analyze(text: str) -> str:
        return text.upper()

    assert asyncio.iscoroutinefunction(analyze)
    assert await analyze("leak") == "LEAK"
    breaker.force_open()
    with pytest.raises(CircuitOpenError):
        await analyze("leak")
