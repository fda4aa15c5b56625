"""New leads as they commit: one LISTEN per process, shared by every open dashboard.

Inserting into ``leads`` fires ``NOTIFY pipelineos_leads`` (migration 0012, once per
statement). :class:`LeadFeed` holds one pool connection listening while at least one watcher
is subscribed and lets it go when the last one leaves; each watcher is woken (not told what
arrived: it asks for the leads newer than the last one it showed, so a missed or merged
notification loses nothing). After a lost connection it listens again and wakes everyone once,
for the leads that came in while it was away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping, Sequence

import psycopg
from psycopg_pool import AsyncConnectionPool

from pipelineos.db.notify import Backoff, Listener

log = logging.getLogger(__name__)

CHANNEL = "pipelineos_leads"


class LeadFeed:
    def __init__(self, pool: AsyncConnectionPool, *, retry_seconds: float = 1.0,
                 idle_check_seconds: float = 5.0) -> None:
        self.pool = pool
        self.retry_seconds = retry_seconds
        self.idle_check_seconds = idle_check_seconds
        self._watchers: set[asyncio.Event] = set()
        self._task: asyncio.Task[None] | None = None
        self._listener = self._new_listener()

    def _new_listener(self) -> Listener:
        # The catch-up wakes everyone: leads that came in before (or while reconnecting).
        return Listener(self.pool, [CHANNEL], self._notified, catch_up=self._caught_up,
                        name="lead-feed", on_lost=_log_lost,
                        backoff=Backoff(self.retry_seconds, self.retry_seconds),
                        check_seconds=self.idle_check_seconds)

    @property
    def listening(self) -> asyncio.Event:
        return self._listener.listening

    @property
    def watchers(self) -> int:
        return len(self._watchers)

    @contextlib.asynccontextmanager
    async def watch(self) -> AsyncIterator[asyncio.Event]:
        """An event set whenever leads may have been added; the watcher clears it."""
        woken = asyncio.Event()
        self._watchers.add(woken)
        if self._task is None or self._task.done() or self._listener.stopping:
            # (A listener told to stop when the last watcher left ends by itself.)
            self._listener = self._new_listener()
            self._task = asyncio.create_task(self._listener.run(), name="lead-feed")
        try:
            yield woken
        finally:
            self._watchers.discard(woken)
            if not self._watchers:
                # The connection goes back to the pool within idle_check_seconds.
                self._listener.stop_soon()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _wake(self) -> None:
        for woken in self._watchers:
            woken.set()

    async def _notified(self, notes: Sequence[psycopg.Notify]) -> None:
        if notes:
            self._wake()

    async def _caught_up(self) -> None:
        self._wake()


def _log_lost(fields: Mapping[str, object]) -> None:
    log.warning("Lead feed lost its database connection", extra={"fields": fields})
