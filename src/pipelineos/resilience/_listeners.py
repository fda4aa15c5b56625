"""Breaker listeners: hooks for state changes and call outcomes, and the seed's log events.

Subclass ``BreakerListener`` and override only the hooks you need: the breaker calls a hook only
if a listener overrides it, so a listener without ``succeeded`` costs the success path nothing.
Hooks run in the caller's thread after the breaker's lock is released; an exception raised by a
hook is logged and swallowed, never passed to the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._breaker import CircuitBreaker, State
    from .exceptions import CircuitOpenError

LOGGER_NAME = "pipelineos.resilience"

HOOKS = (
    "initialized", "state_changed", "transitioned", "succeeded", "failed", "ignored", "rejected",
)


class BreakerListener:
    """Hooks a circuit breaker calls; every one is a no-op until overridden."""

    def initialized(self, breaker: CircuitBreaker) -> None:
        """The breaker was created with this listener attached."""

    def state_changed(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        """The breaker moved from ``old`` to ``new`` (in this process's view)."""

    def transitioned(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        """The circuit itself moved from ``old`` to ``new``: called once per move, in the one
        process that made it when the state is shared (``CircuitBreaker.share``), where every
        process's ``state_changed`` follows. Alarms belong here: one per outage."""

    def succeeded(self, breaker: CircuitBreaker, elapsed: float) -> None:
        """A call returned within ``elapsed`` seconds and was recorded as a success."""

    def failed(self, breaker: CircuitBreaker, error: BaseException, recent_failures: int) -> None:
        """A call was recorded as a failure; ``recent_failures`` counts those in the window."""

    def ignored(self, breaker: CircuitBreaker, error: BaseException) -> None:
        """A call raised an error that counts as neither success nor failure."""

    def rejected(self, breaker: CircuitBreaker, error: CircuitOpenError) -> None:
        """A call was refused without reaching the protected function."""


def overridden_hooks(listener: object) -> dict[str, Callable[..., None]]:
    """The bound hooks of ``listener`` that do something (all of them for a duck-typed one)."""
    hooks: dict[str, Callable[..., None]] = {}
    for hook in HOOKS:
        bound = getattr(listener, hook, None)
        if bound is None:
            continue
        if getattr(type(listener), hook, None) is getattr(BreakerListener, hook):
            continue
        hooks[hook] = bound
    return hooks


class LoggingListener(BreakerListener):
    """Emits the seed's circuit-breaker log events through stdlib ``logging``.

    Messages are fixed strings (``Circuit breaker state changed`` ...); the context is passed as
    ``extra={"fields": {...}}`` for the application's JSON formatter, always with
    ``"component": "circuit breaker"`` and ``"name"``. Errors are logged by class name only, so a
    vendor message that echoes a credential cannot reach a log line.
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._logger = logger or logging.getLogger(LOGGER_NAME)

    def _log(self, level: int, message: str, breaker: CircuitBreaker, **fields: Any) -> None:
        if self._logger.isEnabledFor(level):
            fields = {"component": "circuit breaker", "name": breaker.name, **fields}
            self._logger.log(level, message, extra={"fields": fields})

    def initialized(self, breaker: CircuitBreaker) -> None:
        self._log(
            logging.INFO, "Circuit breaker initialized", breaker,
            state=str(breaker.state), config=breaker.config(),
        )

    def state_changed(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        level = logging.WARNING if new in ("OPEN", "FORCED_OPEN") else logging.INFO
        self._log(level, "Circuit breaker state changed", breaker, **{"from": str(old), "to": str(new)})

    def failed(self, breaker: CircuitBreaker, error: BaseException, recent_failures: int) -> None:
        self._log(
            logging.WARNING, "Circuit breaker recorded failure", breaker,
            recentFailures=recent_failures, error=type(error).__name__,
        )

    def ignored(self, breaker: CircuitBreaker, error: BaseException) -> None:
        self._log(logging.DEBUG, "Circuit breaker ignored error", breaker, error=type(error).__name__)

    def rejected(self, breaker: CircuitBreaker, error: CircuitOpenError) -> None:
        self._log(
            logging.WARNING, "Circuit breaker is OPEN, request rejected", breaker,
            state=error.state, retryAfter=error.retry_after,
        )
