"""Every process hears of every shared circuit move: LISTEN on ``circuit_breakers``.

A move in one process (the circuit opens, a trial closes it, an operator resets it) updates the
breaker's row; a trigger then NOTIFYs ``circuit_breakers`` with the name and generation, and
this task, holding one pooled connection, has the store read and apply the row. On every
(re)connect it first catches up with every row, so a notification missed while disconnected
costs nothing. Kept to this one module so it can move onto a shared LISTEN helper.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import Any

from psycopg_pool import AsyncConnectionPool

from pipelineos.resilience.postgres import CIRCUIT_CHANNEL, PostgresCircuits

log = logging.getLogger(__name__)

# The longest a notifies() wait lasts before the task looks at its stop flag again (a local
# wait on the socket: no round trip to the database).
WAIT_SECONDS = 0.25


class CircuitNotifications:
    def __init__(self, pool: AsyncConnectionPool, store: PostgresCircuits) -> None:
        self.pool = pool
        self.store = store
        self.listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="circuit-notifications")

    async def stop(self) -> None:
        """Stop listening: the task sees the flag within WAIT_SECONDS (a notifies() wait that
        is cancelled can hold the connection); cancelled only if it does not."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        done, _ = await asyncio.wait({task}, timeout=WAIT_SECONDS * 3)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.listening.clear()

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            try:
                async with self.pool.connection() as conn:
                    try:
                        await conn.execute(f"LISTEN {CIRCUIT_CHANNEL}")
                        await self.store.catch_up()
                        self.listening.set()
                        failures = 0
                        await self._serve(conn)
                    finally:
                        self.listening.clear()
                        if not conn.closed:
                            with contextlib.suppress(Exception):
                                await asyncio.shield(conn.execute(f"UNLISTEN {CIRCUIT_CHANNEL}"))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures += 1
                delay = min(30.0, 1.0 * 2 ** (failures - 1)) * random.uniform(0.5, 1.0)
                log.warning("Circuit notifications interrupted; reconnecting", extra={"fields": {
                    "error": type(error).__name__, "retryInSeconds": round(delay, 2)}})
                until = asyncio.get_running_loop().time() + delay
                while not self._stopping and asyncio.get_running_loop().time() < until:
                    await asyncio.sleep(WAIT_SECONDS)

    async def _serve(self, conn: Any) -> None:
        # Closed on the way out, cancelled or not: the generator holds the connection's lock
        # until it is closed, and UNLISTEN after it would wait for that lock for ever.
        while not self._stopping:
            async with contextlib.aclosing(conn.notifies(timeout=WAIT_SECONDS)) as notifications:
                async for notification in notifications:
                    try:
                        await self.store.notified(notification.payload)
                    except asyncio.CancelledError:
                        raise
                    except Exception as error:  # the row could not be read: catch up again
                        log.warning("Circuit notifications interrupted; reconnecting", extra={
                            "fields": {"error": type(error).__name__, "retryInSeconds": 0}})
                        return
