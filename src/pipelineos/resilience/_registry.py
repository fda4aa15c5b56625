"""Named breakers and limiters, so health, metrics and admin code can find them by name."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from ._breaker import CircuitBreaker
from ._clock import SYSTEM_CLOCK, Clock
from ._limiter import RateLimiter, TokenBucket
from ._shared import SharedCircuits

# Makes the limiter called ``name`` allowing ``per_minute`` (a shared bucket, say).
LimiterFactory = Callable[[str, float], RateLimiter]


class Registry:
    """Breakers and limiters by name; make one per application (or per test).

    Breakers created here get the registry's ``clock`` and ``listeners`` (such as a
    ``LoggingListener``) unless the call passes its own. With ``circuits``, each breaker with a
    failure threshold keeps its state there, shared with other processes; with ``limiters``,
    ``limiter()`` makes its limiters with that factory instead of an in-process bucket.
    """

    def __init__(self, *, clock: Clock = SYSTEM_CLOCK, listeners: Iterable[object] = (),
                 circuits: SharedCircuits | None = None,
                 limiters: LimiterFactory | None = None) -> None:
        self._clock = clock
        self._listeners = tuple(listeners)
        self._circuits = circuits
        self._limiter_factory = limiters
        self._lock = threading.Lock()
        self._breakers: dict[str, CircuitBreaker] = {}
        self._breaker_options: dict[str, dict[str, Any]] = {}
        self._limiters: dict[str, RateLimiter] = {}
        self._limiter_rates: dict[str, float] = {}

    def breaker(self, name: str, **options: Any) -> CircuitBreaker:
        """The breaker called ``name``, created with ``options`` (``CircuitBreaker``'s keywords)
        if it does not exist yet. Asking again with different options is an error."""
        with self._lock:
            existing = self._breakers.get(name)
            if existing is not None:
                known = self._breaker_options.get(name)
                if options and options != known:
                    raise ValueError(f"breaker {name!r} already exists with other options")
                return existing
            settings = {"clock": self._clock, "listeners": self._listeners, **options}
            breaker = CircuitBreaker(name, **settings)
            if self._circuits is not None and breaker.config()["failureThreshold"] is not None:
                self._circuits.attach(breaker)
            self._breakers[name] = breaker
            self._breaker_options[name] = options
            return breaker

    def limiter(self, name: str, *, per_minute: float) -> RateLimiter:
        """The limiter called ``name``, an in-process ``TokenBucket.per_minute`` (or what the
        registry's ``limiters`` factory makes) if new."""
        with self._lock:
            existing = self._limiters.get(name)
            if existing is not None:
                if self._limiter_rates.get(name) != per_minute:
                    raise ValueError(f"limiter {name!r} already exists with another rate")
                return existing
            bucket: RateLimiter = (
                TokenBucket.per_minute(name, per_minute, clock=self._clock)
                if self._limiter_factory is None else self._limiter_factory(name, per_minute))
            self._limiters[name] = bucket
            self._limiter_rates[name] = per_minute
            return bucket

    def add(self, item: CircuitBreaker | RateLimiter) -> None:
        """Register a breaker or limiter built elsewhere (a ``PostgresTokenBucket``, say)."""
        table: dict[str, Any] = self._breakers if isinstance(item, CircuitBreaker) else self._limiters
        with self._lock:
            if table.get(item.name, item) is not item:
                raise ValueError(f"another object is already registered as {item.name!r}")
            table[item.name] = item

    def get_breaker(self, name: str) -> CircuitBreaker:
        """The breaker called ``name``; ``KeyError`` if there is none."""
        with self._lock:
            return self._breakers[name]

    def get_limiter(self, name: str) -> RateLimiter:
        """The limiter called ``name``; ``KeyError`` if there is none."""
        with self._lock:
            return self._limiters[name]

    def breakers(self) -> list[CircuitBreaker]:
        """Every breaker, in the order they were registered."""
        with self._lock:
            return list(self._breakers.values())

    def limiters(self) -> list[RateLimiter]:
        """Every limiter, in the order they were registered."""
        with self._lock:
            return list(self._limiters.values())
