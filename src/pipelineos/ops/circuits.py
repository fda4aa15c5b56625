"""Every process hears of every shared circuit move: LISTEN on ``circuit_breakers``.

A move in one process (the circuit opens, a trial closes it, an operator resets it) updates the
breaker's row; a trigger then NOTIFYs ``circuit_breakers`` with the name and generation, and the
store reads and applies the row in this process. The listening itself is the one helper,
:class:`pipelineos.db.notify.Listener`: after every (re)connect it catches up with every row, so
a notification missed while disconnected costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence

import psycopg
from psycopg_pool import AsyncConnectionPool

from pipelineos.db.notify import Listener
from pipelineos.resilience.postgres import CIRCUIT_CHANNEL, PostgresCircuits

log = logging.getLogger(__name__)


def _log_lost(fields: Mapping[str, object]) -> None:
    log.warning("Circuit notifications interrupted; reconnecting", extra={"fields": dict(fields)})


class CircuitNotifications:
    def __init__(self, pool: AsyncConnectionPool, store: PostgresCircuits) -> None:
        self.store = store
        self.caught_up = asyncio.Event()  # the first catch-up is done
        self._listener = Listener(pool, [CIRCUIT_CHANNEL], self._notified,
                                  catch_up=self._catch_up, name="circuit notifications",
                                  on_lost=_log_lost)

    @property
    def listening(self) -> asyncio.Event:
        """Set while the channel is listened to."""
        return self._listener.listening

    def start(self) -> None:
        self._listener.start()

    async def ready(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds) for the first catch-up after LISTEN: from then
        on this process holds the shared state. Without the database it goes on listening
        and counting locally."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.caught_up.wait(), timeout)

    async def stop(self) -> None:
        await self._listener.stop()

    async def _notified(self, notes: Sequence[psycopg.Notify]) -> float | None:
        for note in notes:
            await self.store.notified(note.payload)
        return None

    async def _catch_up(self) -> float | None:
        await self.store.catch_up()
        self.caught_up.set()
        return None
