"""Resilience toolkit: circuit breaker, rate limiter and retry for calls to flaky vendors.

This package imports nothing from the rest of PipelineOS. Public names live here; the
PostgreSQL-shared bucket and circuits and their DDL are in ``pipelineos.resilience.postgres``, the errors in
``pipelineos.resilience.exceptions``. See docs/resilience.md.
"""

from . import exceptions
from ._breaker import CircuitBreaker, State
from ._clock import Clock, ManualClock, SystemClock
from ._limiter import RateLimiter, TokenBucket
from ._listeners import BreakerListener, LoggingListener
from ._registry import Registry
from ._retry import Retry, retry_after_attribute
from .exceptions import (
    CallRejected,
    CallTimeoutError,
    CircuitOpenError,
    RateLimitExceeded,
    ResilienceError,
    SlowCallError,
)
from ._shared import SharedCircuits, Snapshot
from .postgres import PostgresCircuits, PostgresTokenBucket

__all__ = [
    "BreakerListener",
    "CallRejected",
    "CallTimeoutError",
    "CircuitBreaker",
    "CircuitOpenError",
    "Clock",
    "LoggingListener",
    "ManualClock",
    "PostgresCircuits",
    "PostgresTokenBucket",
    "RateLimitExceeded",
    "RateLimiter",
    "Registry",
    "ResilienceError",
    "Retry",
    "SharedCircuits",
    "SlowCallError",
    "Snapshot",
    "State",
    "SystemClock",
    "TokenBucket",
    "exceptions",
    "retry_after_attribute",
]
