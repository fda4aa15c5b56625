"""Resilience toolkit: circuit breaker, rate limiter and retry for calls to flaky vendors.

This package imports nothing from the rest of PipelineOS. Public names live here; the
errors are in ``pipelineos.resilience.exceptions``. See docs/resilience.md.
"""

from . import exceptions
from ._breaker import CircuitBreaker, State
from ._clock import Clock, ManualClock, SystemClock
from ._listeners import BreakerListener, LoggingListener
from .exceptions import (
    CallRejected,
    CallTimeoutError,
    CircuitOpenError,
    RateLimitExceeded,
    ResilienceError,
    SlowCallError,
)

__all__ = [
    "BreakerListener",
    "CallRejected",
    "CallTimeoutError",
    "CircuitBreaker",
    "CircuitOpenError",
    "Clock",
    "LoggingListener",
    "ManualClock",
    "RateLimitExceeded",
    "ResilienceError",
    "SlowCallError",
    "State",
    "SystemClock",
    "exceptions",
]
