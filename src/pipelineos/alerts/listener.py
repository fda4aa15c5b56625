"""The fast path: deliver an alert the moment its row commits.

Inserting into ``alert_outbox`` fires ``NOTIFY alert_outbox`` (a trigger, so it does not matter
which statement or process wrote the row). One task holds one connection from the pool,
``LISTEN``\\s, and sweeps on every notification; between notifications it sleeps until the
sweep says something becomes possible (a retry falls due, the circuit half-opens, a rate-limit
token returns), or for ``idle_seconds`` when nothing is waiting. Scheduled sweeps from the job
engine are the safety net; this task is what makes a hot lead's text leave within milliseconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import psycopg
from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts.delivery import SweepResult
from pipelineos.db.notify import Backoff, Listener, half_jitter

log = logging.getLogger(__name__)

CHANNEL = "alert_outbox"


class Sweeper(Protocol):
    """What the listener drives: ``Delivery`` (SMS), ``ChannelDelivery`` and
    ``WebhookDelivery`` (issue 16)."""

    async def sweep(self, limit: int = 100, stop: Callable[[], bool] = ..., *,
                    report_next: bool = True) -> SweepResult: ...

    async def recover_stuck(self) -> int: ...


class DeliveryListener:
    def __init__(self, pool: AsyncConnectionPool, delivery: Sweeper, *,
                 idle_seconds: float = 60.0, concurrency: int = 1,
                 channel: str = CHANNEL, name: str = "alert-delivery") -> None:
        self.pool = pool
        self.concurrency = concurrency
        self.delivery = delivery
        self.idle_seconds = idle_seconds
        self._idle = False  # the last sweep found nothing waiting
        # Seconds, not milliseconds: a borrow while the server is still down would start the
        # pool's own reconnect backoff, which then stalls requests once it is back. Alerts
        # queued meanwhile go out on the sweep that follows the reconnect (the catch-up).
        self._listener = Listener(
            pool, [channel], self._woken, catch_up=self._caught_up, name=name,
            on_lost=_log_lost,
            backoff=Backoff(first_seconds=5.0, cap_seconds=30.0, jitter=half_jitter))

    @property
    def running(self) -> bool:
        return self._listener.running

    @property
    def listening(self) -> asyncio.Event:
        return self._listener.listening

    def start(self) -> None:
        self._listener.start()

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the alert in hand (up to ``grace`` seconds), then stop."""
        await self._listener.stop(grace=grace)

    async def _caught_up(self) -> float:
        await self.delivery.recover_stuck()
        return await self._sweep()  # alerts may have arrived while we were away

    async def _woken(self, notes: Sequence[psycopg.Notify]) -> float:
        if not notes and self._idle:
            # Quiet for a while: the moment to recover claims of a worker that died.
            await self.delivery.recover_stuck()
        return await self._sweep()

    async def _sweep(self) -> float:
        """Sweep; the seconds until the next sweep is due even without a notification."""
        # Sweeps side by side (each claims its own row), so one slow request to Twilio does
        # not hold up the alerts behind it.
        outcomes = await asyncio.gather(*(
            self.delivery.sweep(stop=lambda: self._listener.stopping, report_next=n == 0)
            for n in range(self.concurrency)), return_exceptions=True)
        # Every sweep has ended before an error is raised: none is left borrowing connections
        # from a database that just went away.
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        results = [o for o in outcomes if not isinstance(o, BaseException)]
        waits = [r.wait for r in results if r.wait is not None]
        self._idle = not waits
        return min(min(waits), self.idle_seconds) if waits else self.idle_seconds


def _log_lost(fields: Mapping[str, object]) -> None:
    log.warning("Alert delivery interrupted; reconnecting", extra={"fields": fields})
