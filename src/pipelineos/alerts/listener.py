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
import random
from collections.abc import Callable
from typing import Protocol

from psycopg_pool import AsyncConnectionPool, PoolTimeout

from pipelineos.alerts.delivery import SweepResult
from pipelineos.db.pool import shortage

log = logging.getLogger(__name__)

CHANNEL = "alert_outbox"


class Sweeper(Protocol):
    """What the listener drives: ``Delivery`` (SMS) and ``ChannelDelivery`` (issue 16)."""

    async def sweep(self, limit: int = 100, stop: Callable[[], bool] = ..., *,
                    report_next: bool = True) -> SweepResult: ...

    async def recover_stuck(self) -> int: ...


class DeliveryListener:
    def __init__(self, pool: AsyncConnectionPool, delivery: Sweeper, *,
                 idle_seconds: float = 60.0, concurrency: int = 1,
                 channel: str = CHANNEL, name: str = "alert-delivery") -> None:
        self.pool = pool
        self.channel = channel
        self.name = name
        self.concurrency = concurrency
        self.delivery = delivery
        self.idle_seconds = idle_seconds
        self._task: asyncio.Task[None] | None = None
        self._sweeping = False
        self._stopping = False
        self.listening = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self, grace: float = 10.0) -> None:
        """Finish the alert in hand (up to ``grace`` seconds), then stop."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        if self._sweeping:
            done, _ = await asyncio.wait({task}, timeout=grace)
            if done:
                return
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        finally:
            self.listening.clear()

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                async with self.pool.connection() as conn:
                    try:
                        await conn.execute(f"LISTEN {self.channel}")
                        self.listening.set()
                        failures = 0
                        await self.delivery.recover_stuck()
                        await self._serve(conn)
                        await conn.execute(f"UNLISTEN {self.channel}")
                    except asyncio.CancelledError:
                        if not conn.closed:
                            await asyncio.shield(conn.execute(f"UNLISTEN {self.channel}"))
                        raise
                    except Exception as error:
                        failures += 1
                        # Keep the broken connection while waiting: handing it back now would
                        # have the pool dial a database that is restarting, and its reconnect
                        # backoff would then delay the requests that follow the restart.
                        await self._pause(error, failures)
                    finally:
                        self.listening.clear()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # no connection to be had (pool timeout, closing)
                failures += 1
                await self._pause(error, failures)

    async def _pause(self, error: Exception, failures: int) -> None:
        # Seconds, not milliseconds: a borrow while the server is still down would start the
        # pool's own reconnect backoff, which then stalls requests once it is back. Alerts
        # queued meanwhile go out on the sweep that follows the reconnect.
        delay = min(30.0, 5.0 * 2 ** (failures - 1)) * random.uniform(0.5, 1.0)
        fields: dict[str, object] = {"error": type(error).__name__,
                                     "retryInSeconds": round(delay, 2)}
        if isinstance(error, PoolTimeout):  # say which: the server is gone, or the pool is full
            found = shortage(self.pool)
            fields.update(database="unreachable" if found.unreachable else "busy",
                          reason=found.reason)
        log.warning("Alert delivery interrupted; reconnecting", extra={"fields": fields})
        await asyncio.sleep(delay)

    async def _serve(self, conn: object) -> None:
        wait: float | None = 0.0  # sweep first: alerts may have arrived while we were away
        while not self._stopping:
            if wait is None or wait > 0:
                timeout = self.idle_seconds if wait is None else min(wait, self.idle_seconds)
                notified = False
                async for _ in conn.notifies(timeout=timeout, stop_after=1):  # type: ignore[attr-defined]
                    notified = True
                if not notified and wait is None:
                    # Quiet for a while: the moment to recover claims of a worker that died.
                    await self.delivery.recover_stuck()
            self._sweeping = True
            try:
                # Sweeps side by side (each claims its own row), so one slow request to
                # Twilio does not hold up the alerts behind it.
                outcomes = await asyncio.gather(*(
                    self.delivery.sweep(stop=lambda: self._stopping, report_next=n == 0)
                    for n in range(self.concurrency)), return_exceptions=True)
            finally:
                self._sweeping = False
            # Every sweep has ended before an error is raised: none is left borrowing
            # connections from a database that just went away.
            for outcome in outcomes:
                if isinstance(outcome, BaseException):
                    raise outcome
            results = [o for o in outcomes if not isinstance(o, BaseException)]
            waits = [r.wait for r in results if r.wait is not None]
            wait = min(waits) if waits else None
