"""Retries with capped exponential backoff and jitter, built on tenacity.

Only errors the ``retry_on`` filter calls transient are retried; the last error is re-raised
unchanged once attempts or the total-delay budget run out. When an error carries a hint (by
default a numeric ``retry_after`` attribute, as ``RateLimitExceeded`` and ``CircuitOpenError``
do), the wait is at least that long. Sleep is injectable, so tests never wait.

Composition with a breaker: the breaker goes OUTSIDE (``breaker.call(retry.call, fn)``, or
``@breaker`` above ``@retry``), so one logical call, retries included, is one breaker outcome.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import random
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Literal, ParamSpec, TypeVar, overload

import tenacity

from ._clock import SYSTEM_CLOCK, Clock
from ._predicates import ErrorFilter, as_predicate

P = ParamSpec("P")
T = TypeVar("T")

Jitter = Literal["full", "decorrelated", "none"]


class _StopBeforeDeadline(tenacity.stop.stop_base):
    """Stop when the next wait would end past the deadline (on our clock, not tenacity's)."""

    def __init__(self, clock: Clock, deadline: float) -> None:
        self._now = clock.monotonic
        self._deadline = deadline

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        return self._now() + retry_state.upcoming_sleep > self._deadline


def retry_after_attribute(error: BaseException) -> float | None:
    """The error's ``retry_after`` attribute when it is a non-negative number of seconds."""
    hint = getattr(error, "retry_after", None)
    if isinstance(hint, (int, float)) and not isinstance(hint, bool) and hint >= 0:
        return float(hint)
    return None


class Retry:
    """A retry policy; call ``call``/``call_async`` or use it as a decorator.

    Attempt ``k`` (1-based) that fails with a transient error waits, before attempt ``k + 1``:

    - ``jitter="full"``: uniform(0, min(max_backoff, initial_delay * multiplier ** (k - 1)))
    - ``jitter="decorrelated"``: min(max_backoff, uniform(initial_delay, 3 * previous wait))
    - ``jitter="none"``: min(max_backoff, initial_delay * multiplier ** (k - 1))

    raised to the error's retry-after hint if it has one. It stops after ``attempts`` attempts,
    or before a wait that would end more than ``max_delay`` seconds after the first attempt
    began (measured on ``clock``), whichever comes first.
    """

    def __init__(
        self,
        *,
        attempts: int | None = 3,
        max_delay: float | None = None,
        initial_delay: float = 0.5,
        max_backoff: float = 30.0,
        multiplier: float = 2.0,
        jitter: Jitter = "full",
        retry_on: ErrorFilter = (ConnectionError, TimeoutError),
        retry_after: Callable[[BaseException], float | None] = retry_after_attribute,
        on_retry: Callable[[BaseException, int, float], None] | None = None,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if attempts is None and max_delay is None:
            raise ValueError("give attempts, max_delay or both, or it would retry forever")
        if attempts is not None and attempts < 1:
            raise ValueError("attempts must be at least 1")
        if jitter not in ("full", "decorrelated", "none"):
            raise ValueError(f"unknown jitter {jitter!r}")
        if initial_delay < 0 or max_backoff < 0 or multiplier < 1:
            raise ValueError("delays must be >= 0 and multiplier >= 1")
        self.attempts = attempts
        self.max_delay = max_delay
        self.initial_delay = initial_delay
        self.max_backoff = max_backoff
        self.multiplier = multiplier
        self.jitter = jitter
        self._is_transient = as_predicate(retry_on)
        self._retry_after = retry_after
        self._on_retry = on_retry
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._uniform = (rng or random.Random()).uniform

    def backoff(self, attempt: int, previous: float) -> float:
        """The wait after failed attempt ``attempt`` (1-based), before any retry-after hint."""
        if self.jitter == "decorrelated":
            base = self.initial_delay
            return min(self.max_backoff, self._uniform(base, max(base, 3 * (previous or base))))
        ceiling = min(self.max_backoff, self.initial_delay * self.multiplier ** min(attempt - 1, 64))
        return self._uniform(0, ceiling) if self.jitter == "full" else ceiling

    def _wait(self, state: tenacity.RetryCallState) -> float:
        # tenacity keeps the previous wait in upcoming_sleep until it computes the next one.
        delay = self.backoff(state.attempt_number, state.upcoming_sleep)
        error = state.outcome.exception() if state.outcome is not None else None
        if error is not None:
            hint = self._retry_after(error)
            if hint is not None and hint > delay:
                delay = hint
        return delay

    def _should_retry(self, error: BaseException) -> bool:
        return isinstance(error, Exception) and self._is_transient(error)

    def _before_sleep(self, state: tenacity.RetryCallState) -> None:
        if self._on_retry is not None and state.outcome is not None:
            error = state.outcome.exception()
            if error is not None:
                self._on_retry(error, state.attempt_number, state.upcoming_sleep)

    def _policy(self) -> dict[str, Any]:
        """tenacity settings for one logical call (the deadline starts now)."""
        stops: list[tenacity.stop.stop_base] = []
        if self.attempts is not None:
            stops.append(tenacity.stop_after_attempt(self.attempts))
        if self.max_delay is not None:
            stops.append(_StopBeforeDeadline(self._clock, self._clock.monotonic() + self.max_delay))
        return {
            "stop": tenacity.stop_any(*stops),
            "wait": self._wait,
            "retry": tenacity.retry_if_exception(self._should_retry),
            "before_sleep": self._before_sleep,
            "reraise": True,
        }

    def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Call ``fn`` until it succeeds, fails for good, or the budget is spent."""
        retrying = tenacity.Retrying(sleep=self._sleep, **self._policy())
        return retrying(fn, *args, **kwargs)

    async def call_async(
        self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Await ``fn`` until it succeeds, fails for good, or the budget is spent."""
        retrying = tenacity.AsyncRetrying(sleep=self._async_sleep, **self._policy())
        return await retrying(fn, *args, **kwargs)

    @overload
    def __call__(
        self, fn: Callable[P, Coroutine[Any, Any, T]]
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...

    @overload
    def __call__(self, fn: Callable[P, T]) -> Callable[P, T]: ...

    def __call__(self, fn: Callable[P, Any]) -> Callable[P, Any]:
        """Decorate a function (sync or ``async def``) so every call is retried by this policy."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
                return await self.call_async(fn, *args, **kwargs)

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            return self.call(fn, *args, **kwargs)

        return wrapper
