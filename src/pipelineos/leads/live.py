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
from collections.abc import AsyncIterator

from psycopg_pool import AsyncConnectionPool

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
        self.listening = asyncio.Event()

    @property
    def watchers(self) -> int:
        return len(self._watchers)

    @contextlib.asynccontextmanager
    async def watch(self) -> AsyncIterator[asyncio.Event]:
        """An event set whenever leads may have been added; the watcher clears it."""
        woken = asyncio.Event()
        self._watchers.add(woken)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="lead-feed")
        try:
            yield woken
        finally:
            self._watchers.discard(woken)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _wake(self) -> None:
        for woken in self._watchers:
            woken.set()

    async def _run(self) -> None:
        while self._watchers:
            try:
                async with self.pool.connection() as conn:
                    await conn.set_autocommit(True)
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    self._wake()  # anything that arrived before (or while reconnecting)
                    while self._watchers:
                        async for _ in conn.notifies(timeout=self.idle_check_seconds):
                            self._wake()
                    await conn.execute(f"UNLISTEN {CHANNEL}")
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("Lead feed lost its database connection", extra={"fields": {
                    "error": type(error).__name__, "retryInSeconds": self.retry_seconds}})
                await asyncio.sleep(self.retry_seconds)
            finally:
                self.listening.clear()
