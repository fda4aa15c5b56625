"""Errors raised by the resilience toolkit.

    ResilienceError
    ├── CallRejected              refused before the protected service was reached
    │   ├── CircuitOpenError      the breaker is OPEN, FORCED_OPEN or has no half-open permit left
    │   └── RateLimitExceeded     the token bucket has too few tokens
    ├── CallTimeoutError          the breaker's per-call timeout expired (also a TimeoutError)
    └── SlowCallError             a call outlived the slow-call threshold (recorded, never raised)

Rejections are the hot path of an outage, so ``CircuitOpenError`` and ``RateLimitExceeded`` keep
their fields in ``args`` (read back through properties) instead of a Python ``__init__``, and
build their message when rendered. Construction stays in C; pickling works as for any exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING


class ResilienceError(Exception):
    """A resilience policy stopped or judged a call."""


class CallRejected(ResilienceError):
    """The call was refused before it reached the protected service.

    Breakers never count these as failures: a local refusal says nothing about the vendor.
    """


class CircuitOpenError(CallRejected):
    """Circuit breaker is OPEN, request rejected.

    ``retry_after`` is the number of seconds until the breaker lets a trial call through:
    0.0 while half-open trial calls are in flight, ``None`` when an operator forced it open.
    """

    if TYPE_CHECKING:

        def __init__(
            self, breaker_name: str, retry_after: float | None, state: str = "OPEN"
        ) -> None: ...

    @property
    def breaker_name(self) -> str:
        return self.args[0]  # type: ignore[no-any-return]

    @property
    def retry_after(self) -> float | None:
        return self.args[1]  # type: ignore[no-any-return]

    @property
    def state(self) -> str:
        return self.args[2] if len(self.args) > 2 else "OPEN"

    def __str__(self) -> str:
        name, state = self.breaker_name, self.state
        if self.retry_after is None:
            return f"Circuit breaker is OPEN for {name!r} ({state}); will not try again until it is reset"
        if state == "HALF_OPEN":
            return (
                f"Circuit breaker is OPEN for {name!r} (HALF_OPEN, testing recovery); "
                f"will try again in 0.0 s, when a trial call finishes"
            )
        return f"Circuit breaker is OPEN for {name!r}; will try again in {self.retry_after:.1f} s"


class RateLimitExceeded(CallRejected):
    """Rate limit exceeded: the bucket holds fewer tokens than the call needs.

    ``retry_after`` is the number of seconds until enough tokens will have been refilled
    (assuming nobody else takes them first).
    """

    if TYPE_CHECKING:

        def __init__(self, limiter_name: str, retry_after: float, requested: float = 1.0) -> None: ...

    @property
    def limiter_name(self) -> str:
        return self.args[0]  # type: ignore[no-any-return]

    @property
    def retry_after(self) -> float:
        return self.args[1]  # type: ignore[no-any-return]

    @property
    def requested(self) -> float:
        return self.args[2] if len(self.args) > 2 else 1.0

    def __str__(self) -> str:
        return (
            f"Rate limit exceeded for {self.limiter_name!r}: {self.requested:g} token(s) "
            f"available in {self.retry_after:.1f} s"
        )


class CallTimeoutError(ResilienceError, TimeoutError):
    """The call through the circuit breaker did not finish within its timeout and was cancelled."""

    breaker_name: str
    timeout: float

    def __init__(self, breaker_name: str, timeout: float) -> None:
        self.breaker_name = breaker_name
        self.timeout = timeout

    def __str__(self) -> str:
        return f"Call through circuit breaker {self.breaker_name!r} timed out after {self.timeout:g} s"


class SlowCallError(ResilienceError):
    """A call succeeded but took longer than the slow-call threshold; recorded as a failure.

    The caller still gets the call's result; listeners receive this error in ``failed``.
    """

    breaker_name: str
    duration: float
    threshold: float

    def __init__(self, breaker_name: str, duration: float, threshold: float) -> None:
        self.breaker_name = breaker_name
        self.duration = duration
        self.threshold = threshold

    def __str__(self) -> str:
        return (
            f"Call through circuit breaker {self.breaker_name!r} took {self.duration:.3f} s "
            f"(slow-call threshold {self.threshold:g} s)"
        )
