"""Trial calls for vendor circuits that no traffic comes to test.

A breaker leaves OPEN only when something looks at it after the reset timeout, and closes only
after its trial successes (Claude 3, Twilio 2). Trials used to be posts and alerts: with none
arriving, a circuit whose vendor had long recovered stayed HALF_OPEN and ``/health`` said 503.
:class:`CircuitProbe` makes the trials itself, with each vendor's cheapest real request (Claude:
the model's entry in the Models API, no tokens; Twilio: our account, nothing sent), through the
breaker like any call, so the breaker's own rules decide::

    every ``interval`` s, for each vendor circuit (times on the injected clock):
      CLOSED, FORCED_OPEN, DISABLED                nothing
      OPEN, or due (reset timeout over) for less   nothing
        than ``interval`` s
      due for ``interval`` s, no trial running      trial calls, one after another, until the
                                                   circuit closes or re-opens

Traffic gets the first ``interval`` seconds: a post, the pending-analysis sweep or an alert
that arrives then is the trial, as before. A breaker belongs to its process, so each process
(API or worker) runs a probe for its own breakers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from pipelineos.resilience import BreakerListener, CallRejected, CircuitBreaker, Clock, State

log = logging.getLogger(__name__)

# Shortest pause between two looks, whatever the clock says is due.
MIN_PAUSE_SECONDS = 0.05


@dataclass(frozen=True)
class ProbeTarget:
    """A vendor circuit and its trial: one cheap vendor request made through ``breaker``."""

    breaker: CircuitBreaker
    trial: Callable[[], Awaitable[None]]


class CircuitProbe:
    """Makes the trial calls of vendor circuits that traffic leaves alone; see the module doc.

    ``interval`` is in seconds, both how often the circuits are looked at (real time) and how
    long a circuit must have been due before the probe tries it (on ``clock``, so a test that
    moves its clock decides exactly when a probe may fire). The probe learns when a circuit
    opens from the breaker itself (a listener), so when it looks does not matter.
    """

    def __init__(self, targets: Sequence[ProbeTarget], *, clock: Clock, interval: float,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.targets = tuple(targets)
        self.clock = clock
        self.interval = interval
        self._sleep = sleep
        self._due: dict[str, float] = {}  # breaker name -> when its reset timeout ends (clock)
        self._task: asyncio.Task[None] | None = None
        for target in self.targets:
            target.breaker.add_listener(_DueTimes(self._due, clock))

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Look at the circuits every ``interval`` seconds until :meth:`stop`."""
        if self.targets and not self.running:
            self._task = asyncio.create_task(self._run(), name="circuit-probe")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            try:
                pause = await self.run_once()
            except Exception as error:  # a probe must never die of one bad look
                log.exception("Circuit probe failed", extra={"fields": {
                    "component": "circuit probe", "error": type(error).__name__}})
                pause = self.interval
            await self._sleep(pause)

    async def run_once(self) -> float:
        """Try every circuit that is due; the seconds until another look is worth making."""
        pause = self.interval
        for target in self.targets:
            wait = await self._look(target)
            if wait is not None:
                pause = min(pause, max(MIN_PAUSE_SECONDS, wait))
        return pause

    async def _look(self, target: ProbeTarget) -> float | None:
        """Try ``target`` if it is due; seconds until it will be, or None."""
        breaker = target.breaker
        status = breaker.status()  # an expired OPEN becomes HALF_OPEN here, as on any read
        state, now = status["state"], self.clock.monotonic()
        if state == State.OPEN:
            due = self._due.setdefault(breaker.name,
                                       now + float(status["retryAfterSeconds"] or 0.0))
            return due + self.interval - now
        if state != State.HALF_OPEN:
            return None
        # A circuit that opened before the probe watched it counts as due from now.
        waited = now - self._due.setdefault(breaker.name, now)
        if waited < self.interval:
            return self.interval - waited
        if not status["halfOpen"]["inFlight"]:
            await self._trials(target, int(status["config"]["successThreshold"]))
        return None

    async def _trials(self, target: ProbeTarget, needed: int) -> None:
        """Trial calls one after another until the circuit leaves HALF_OPEN (or ``needed``)."""
        breaker = target.breaker
        calls, error = 0, None
        for _ in range(needed):
            status = breaker.status()
            if status["state"] != State.HALF_OPEN or status["halfOpen"]["inFlight"]:
                break  # closed, re-opened, or traffic holds the trial permit
            calls += 1
            # No await between the look above and the breaker admitting the call: in this event
            # loop nothing can take the permit in between.
            try:
                await target.trial()
            except CallRejected:
                calls -= 1
                break
            except Exception as failure:  # the breaker has counted it (or ignored it)
                error = failure
                break
        state = breaker.state
        if calls:
            log.log(logging.INFO if state == State.CLOSED else logging.WARNING,
                    "Circuit probe finished", extra={"fields": {
                        "component": "circuit probe", "name": breaker.name, "calls": calls,
                        "state": str(state),
                        "error": type(error).__name__ if error is not None else None}})


class _DueTimes(BreakerListener):
    """Keeps, per breaker, when its reset timeout ends: set on opening, dropped on closing or
    on an operator's move (FORCED_OPEN and DISABLED are not the probe's to test)."""

    def __init__(self, due: dict[str, float], clock: Clock) -> None:
        self._due = due
        self._clock = clock

    def state_changed(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        if new is State.OPEN:
            reset = float(breaker.config()["resetTimeoutSeconds"])
            self._due[breaker.name] = self._clock.monotonic() + reset
        elif new is not State.HALF_OPEN:
            self._due.pop(breaker.name, None)
