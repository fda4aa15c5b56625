"""Token-bucket rate limiting: one interface, an in-process bucket, and the waiting loop.

A bucket holds up to ``capacity`` tokens and refills continuously at ``refill_per_second``; a
call takes ``n`` tokens or is refused with ``RateLimitExceeded`` (which says when enough tokens
will be back). The PostgreSQL-shared bucket lives in ``postgres.py`` and reuses ``wait_for``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from ._clock import SYSTEM_CLOCK, Clock
from .exceptions import RateLimitExceeded

Sleep = Callable[[float], Awaitable[None]]

# Refill arithmetic in floats can leave a bucket a hair short of a whole token after waiting
# exactly the advertised time; treat "within EPSILON" as enough so a waiter never spins.
EPSILON = 1e-9


@runtime_checkable
class RateLimiter(Protocol):
    """What callers, the registry and health code use, whichever backend holds the tokens."""

    @property
    def name(self) -> str: ...

    @property
    def capacity(self) -> float: ...

    @property
    def refill_per_second(self) -> float: ...

    async def try_acquire(self, n: float = 1) -> None:
        """Take ``n`` tokens now or raise ``RateLimitExceeded``."""

    async def acquire(self, n: float = 1, *, timeout: float | None = None) -> None:
        """Take ``n`` tokens, waiting up to ``timeout`` seconds (``None``: as long as needed)."""

    async def tokens_remaining(self) -> float:
        """Tokens available right now."""

    async def status(self) -> dict[str, Any]:
        """``{"name", "tokensRemaining", "capacity", "refillPerSecond"}``."""


def check_rate(capacity: float, refill_per_second: float) -> None:
    if capacity <= 0 or refill_per_second <= 0:
        raise ValueError("capacity and refill_per_second must be positive")


def check_request(limiter: RateLimiter, n: float) -> None:
    if not 0 < n <= limiter.capacity:
        raise ValueError(
            f"cannot take {n:g} tokens from {limiter.name!r} (capacity {limiter.capacity:g})"
        )


async def wait_for(
    limiter: RateLimiter, n: float, timeout: float | None, clock: Clock, sleep: Sleep
) -> None:
    """Retry ``try_acquire`` after each advertised wait until it succeeds or the deadline.

    Refuses at once, without sleeping, when the advertised wait already passes the deadline.
    Waiters are not queued: after a wait, whoever asks first gets the tokens.
    """
    deadline = None if timeout is None else clock.monotonic() + timeout
    while True:
        try:
            await limiter.try_acquire(n)
            return
        except RateLimitExceeded as refused:
            if deadline is not None and refused.retry_after > deadline - clock.monotonic():
                raise
            await sleep(refused.retry_after)


class TokenBucket:
    """An in-process token bucket; thread- and task-safe, never blocks the event loop.

    ``try_acquire_sync`` is the same check for synchronous code.
    """

    def __init__(
        self,
        name: str,
        *,
        capacity: float,
        refill_per_second: float,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        check_rate(capacity, refill_per_second)
        self._name = name
        self._capacity = float(capacity)
        self._rate = float(refill_per_second)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self._capacity
        self._stamp = clock.monotonic()

    @classmethod
    def per_minute(
        cls, name: str, per_minute: float, *, clock: Clock = SYSTEM_CLOCK, sleep: Sleep = asyncio.sleep
    ) -> TokenBucket:
        """The seed's "N per minute": a burst of N, refilled at N/60 tokens a second."""
        return cls(name, capacity=per_minute, refill_per_second=per_minute / 60, clock=clock, sleep=sleep)

    @property
    def name(self) -> str:
        return self._name

    @property
    def capacity(self) -> float:
        return self._capacity

    @property
    def refill_per_second(self) -> float:
        return self._rate

    def _refill(self) -> float:
        """Bring the bucket up to now (caller holds the lock); return the token count."""
        now = self._clock.monotonic()
        elapsed = now - self._stamp
        if elapsed > 0:
            self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
            self._stamp = now
        return self._tokens

    def try_acquire_sync(self, n: float = 1) -> None:
        """Take ``n`` tokens now or raise ``RateLimitExceeded``."""
        check_request(self, n)
        with self._lock:
            tokens = self._refill()
            if tokens >= n - EPSILON:
                self._tokens = max(0.0, tokens - n)
                return
            retry_after = (n - tokens) / self._rate
        raise RateLimitExceeded(self._name, retry_after, n)

    async def try_acquire(self, n: float = 1) -> None:
        self.try_acquire_sync(n)

    async def acquire(self, n: float = 1, *, timeout: float | None = None) -> None:
        check_request(self, n)
        await wait_for(self, n, timeout, self._clock, self._sleep)

    async def tokens_remaining(self) -> float:
        with self._lock:
            return self._refill()

    async def status(self) -> dict[str, Any]:
        return {
            "name": self._name,
            "backend": "memory",
            "tokensRemaining": await self.tokens_remaining(),
            "capacity": self._capacity,
            "refillPerSecond": self._rate,
        }

    def __repr__(self) -> str:
        return f"<TokenBucket {self._name!r} {self._capacity:g} per {self._capacity / self._rate:g} s>"
