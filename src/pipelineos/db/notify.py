"""LISTEN/NOTIFY through disconnects: the one way a process follows a PostgreSQL channel.

A :class:`Listener` holds one connection borrowed from the pool, ``LISTEN``\\s on its channels
and calls ``on_notify`` with what arrives. When the connection is lost (a server restart,
``pg_terminate_backend``, a network drop found by the periodic check) it logs, waits a backoff
(still holding the broken connection, see :meth:`Listener.run`), borrows a new connection and
``LISTEN``\\s again. A notification sent while nobody listened is gone for good, so after every
(re)connect, once ``LISTEN`` is in place, ``catch_up`` runs: it reads whatever the
notifications stand for (reload a cache, sweep an outbox), and nothing sent meanwhile is lost::

    async def reload(notes: Sequence[psycopg.Notify]) -> None: ...

    listener = Listener(pool, ["pipelineos_profile"], reload, catch_up=lambda: reload(()),
                        name="profile")
    listener.start()            # a task; or `await listener.run()` in a task you own
    ...
    await listener.stop()

Callbacks run with no notification generator open, so they may await anything (borrow other
connections, be cancelled) without leaving the listening connection's lock held. Either
callback may return seconds after which it wants to be called again even if nothing arrives
(``on_notify`` is then called with no notifications); ``None`` means "only on a notification".
An exception from a callback is treated like a lost connection: logged, backed off, reconnected
(and ``catch_up`` runs again). The warning logged is ``Listener reconnecting``, or the caller's
own event: ``on_lost(fields)`` is called instead. The fields are ``listener`` (its name),
``error``, ``retryInSeconds``, plus ``database`` (``unreachable`` or ``busy``) and ``reason``
when no connection could be borrowed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from pipelineos.clock import Clock, SystemClock
from pipelineos.db.pool import shortage
from pipelineos.lifetime import stop_task

log = logging.getLogger(__name__)

OnNotify = Callable[[Sequence[psycopg.Notify]], Awaitable[float | None]]
CatchUp = Callable[[], Awaitable[float | None]]
Sleep = Callable[[float], Awaitable[None]]
OnLost = Callable[[Mapping[str, object]], None]


_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")


def _no_jitter() -> float:
    return 1.0


@dataclass(frozen=True)
class Backoff:
    """Seconds to wait after the n-th failure in a row: ``first_seconds`` doubling up to
    ``cap_seconds``, times ``jitter()`` (a factor; :func:`full_jitter` spreads processes that
    lost the server together)."""

    first_seconds: float = 1.0
    cap_seconds: float = 30.0
    jitter: Callable[[], float] = field(default=_no_jitter)

    def delay(self, failures: int) -> float:
        return min(self.cap_seconds, self.first_seconds * 2.0 ** max(0, failures - 1)) * self.jitter()


def half_jitter() -> float:
    """A factor between 0.5 and 1."""
    return random.uniform(0.5, 1.0)


class Listener:
    """Follow ``channels`` on a pooled connection, through disconnects (see the module doc).

    ``check_seconds``: how long the connection may stay silent before a ``SELECT 1`` checks it
    is still there (a dropped network sends nothing). ``sleep`` and ``clock`` are injectable for
    tests. ``connects`` counts the times ``LISTEN`` succeeded (``catch_up`` can tell the first
    from a reconnect); ``listening`` is set while the channels are listened to.
    """

    def __init__(self, pool: AsyncConnectionPool, channels: Iterable[str], on_notify: OnNotify,
                 *, catch_up: CatchUp | None = None, name: str = "listener",
                 on_lost: OnLost | None = None, backoff: Backoff | None = None,
                 check_seconds: float = 30.0, sleep: Sleep = asyncio.sleep,
                 clock: Clock | None = None) -> None:
        self.pool = pool
        self.channels = tuple(channels)
        if not self.channels:
            raise ValueError("a listener needs at least one channel")
        self.on_notify = on_notify
        self.catch_up = catch_up
        self.name = name
        self.on_lost = on_lost
        self.backoff = backoff or Backoff()
        self.check_seconds = check_seconds
        self.sleep = sleep
        self.clock = clock or SystemClock()
        self.connects = 0
        self.listening = asyncio.Event()
        self._attempted = asyncio.Event()  # the first connection attempt ended, either way
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._handling = False

    @property
    def running(self) -> bool:
        """True while the task started by :meth:`start` is alive."""
        return self._task is not None and not self._task.done()

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was called: long callbacks may check it to end early."""
        return self._stopping

    def start(self) -> None:
        """Run :meth:`run` in a task (nothing when already running)."""
        if not self.running:
            self._stopping = False
            self._attempted.clear()
            self._task = asyncio.create_task(self.run(), name=self.name)

    async def started(self, timeout: float = 10.0) -> None:
        """Wait until the first attempt to listen has ended (listening, or failed and backing
        off); TimeoutError after ``timeout`` seconds."""
        await asyncio.wait_for(self._attempted.wait(), timeout=timeout)

    async def stop(self, grace: float = 0.0, timeout: float = 5.0) -> None:
        """Stop within ``grace`` + ``timeout`` seconds: a callback in progress may finish for
        ``grace`` seconds, then the task is cancelled (again, until it is done)."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        if self._handling and grace > 0:
            await asyncio.wait({task}, timeout=grace)
        await stop_task(task, timeout=timeout)
        self.listening.clear()

    def stop_soon(self) -> None:
        """Ask :meth:`run` to end by itself after its current wait (at most ``check_seconds``),
        without cancelling it: for a ``run()`` in a task the caller owns."""
        self._stopping = True

    async def run(self) -> None:
        """Listen until stopped or cancelled; reconnect after every failure."""
        failures = 0
        while not self._stopping:
            try:
                async with self.pool.connection() as conn:
                    try:
                        await self._listen(conn)
                        failures = 0
                        await self._serve(conn)
                    except Exception as error:
                        failures += 1
                        # Keep the broken connection while waiting: handing it back now would
                        # have the pool dial a server that may be restarting, and the pool's
                        # own reconnect backoff would then delay the requests that follow.
                        await self._pause(error, failures)
                    finally:
                        self.listening.clear()
                        if not conn.closed:
                            with contextlib.suppress(psycopg.Error):
                                await conn.execute("UNLISTEN *")
            except Exception as error:  # no connection to be had (pool timeout, closing)
                failures += 1
                await self._pause(error, failures)

    async def _listen(self, conn: psycopg.AsyncConnection[Any]) -> None:
        for channel in self.channels:
            await conn.execute(self._listen_statement(channel))
        self.connects += 1
        self.listening.set()
        self._attempted.set()

    @staticmethod
    def _listen_statement(channel: str) -> sql.Composed:
        # A plain lower-case name is written as is (the same channel), others quoted.
        name = sql.SQL(channel) if _PLAIN.fullmatch(channel) else sql.Identifier(channel)
        return sql.SQL("LISTEN {}").format(name)

    async def _serve(self, conn: psycopg.AsyncConnection[Any]) -> None:
        wake_after = await self._call(self.catch_up) if self.catch_up is not None else None
        while not self._stopping:
            notes: Sequence[psycopg.Notify] = ()
            if wake_after is None or wake_after > 0:
                notes = await self._wait(conn, wake_after)
                if self._stopping:
                    return
            wake_after = await self._call(functools.partial(self.on_notify, notes))

    async def _call(self, callback: Callable[[], Awaitable[float | None]]) -> float | None:
        self._handling = True
        try:
            return await callback()
        finally:
            self._handling = False

    async def _wait(self, conn: psycopg.AsyncConnection[Any],
                    seconds: float | None) -> list[psycopg.Notify]:
        """Notifications (the first and any that came with it), or none after ``seconds``."""
        deadline = None if seconds is None else self.clock.monotonic() + seconds
        while not self._stopping:
            timeout = self.check_seconds
            if deadline is not None:
                timeout = max(0.0, min(timeout, deadline - self.clock.monotonic()))
            # No await in the loop body: psycopg holds the connection's lock while the
            # generator is suspended, so nothing may interrupt it there; it ends by itself.
            notes = [note async for note in conn.notifies(timeout=timeout, stop_after=1)]
            if notes:
                return notes
            if deadline is not None and self.clock.monotonic() >= deadline:
                break
            # Silence: is the connection still there? LISTEN again is the round trip (harmless,
            # and the session still shows LISTEN in pg_stat_activity).
            await conn.execute(self._listen_statement(self.channels[-1]))
        return []

    async def _pause(self, error: Exception, failures: int) -> None:
        self.listening.clear()
        self._attempted.set()
        delay = self.backoff.delay(failures)
        fields: dict[str, object] = {"listener": self.name, "error": type(error).__name__,
                                     "retryInSeconds": round(delay, 2)}
        if isinstance(error, PoolTimeout):  # say which: the server is gone, or the pool is full
            found = shortage(self.pool)
            fields.update(database="unreachable" if found.unreachable else "busy",
                          reason=found.reason)
        if self.on_lost is not None:
            self.on_lost(fields)
        else:
            log.warning("Listener reconnecting", extra={"fields": fields})
        await self.sleep(delay)
