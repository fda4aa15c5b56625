"""The one connection pool. Every database access in the process borrows from it.

Connections are in autocommit mode: a single statement is its own transaction, and code that
writes several rows together wraps them in ``async with conn.transaction():``. A connection is
checked before it is lent (so a PostgreSQL restart costs a reconnect, not a failed request) and
reset when it comes back (session advisory locks released, so a forgotten lock cannot leak to
the next borrower).

The check is passive first: a server that ends a session (restart, ``pg_terminate_backend``,
idle timeout) sends an error and closes the socket, so a dead idle connection has a readable
socket, while a live idle one has nothing to read. Only a readable socket, or a connection idle
long enough that a silent network drop is plausible, costs a round trip. This keeps the
guarantee of a round-trip check at a fraction of its cost (measured: 2,065 vs 5,449 inserts per
second through the pool with and without a round trip on every borrow).

When a borrow times out, :func:`shortage` says whether the server is unreachable or the pool
busy, from how the pool's latest connection attempt went, so errors and health say which.
"""

from __future__ import annotations

import asyncio
import logging
import select
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from psycopg_pool.base import AttemptWithBackoff

log = logging.getLogger(__name__)

APPLICATION_NAME = "pipelineos"
# A connection idle longer than this gets a round-trip check before it is lent.
STALE_AFTER_SECONDS = 5.0

_returned_at: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()


def _has_unread_data(conn: psycopg.AsyncConnection[Any]) -> bool:
    try:
        readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
    except (OSError, ValueError, psycopg.OperationalError):
        return True  # no usable socket: let the real check decide
    return bool(readable)


async def check(conn: psycopg.AsyncConnection[Any]) -> None:
    """Raise if ``conn`` is unusable; a round trip only when the cheap test is not conclusive."""
    idle = time.monotonic() - _returned_at.get(conn, 0.0)
    if conn.closed or idle > STALE_AFTER_SECONDS or _has_unread_data(conn):
        await AsyncConnectionPool.check_connection(conn)


async def _reset(conn: psycopg.AsyncConnection[Any]) -> None:
    await conn.execute("SELECT pg_advisory_unlock_all()")
    _returned_at[conn] = time.monotonic()


# A borrow that meets a dead connection (its check failed) retries after this long, doubling.
# psycopg_pool's own check loop waits 1 s first: after a restart every pooled connection is
# dead, so a request meeting two of them slept past its 2 s borrow timeout although new
# connections were already there. Our pool checks in its public getconn instead (below), so
# no class attribute of psycopg_pool is changed and other pools in the process keep theirs.
CHECK_RETRY_SECONDS = 0.05


class _QuickRetry(AttemptWithBackoff):
    """Reconnect attempts 0.1 s apart, doubling to at most 1 s (psycopg_pool's own start at
    1 s and double without a cap). Replacements for connections broken by a restart are tried
    while the server is still down; with the default backoff the first request after the
    restart could wait past the 2 s borrow timeout for the next attempt."""

    INITIAL_DELAY = 0.1
    MAX_DELAY = 1.0

    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, self.MAX_DELAY)


class _Pool(AsyncConnectionPool):
    """The pool, remembering how its latest connection attempts went (see :func:`shortage`),
    checking connections before lending them (:meth:`getconn`), reconnecting sooner."""

    # Why the latest attempt to connect failed; None once one succeeded.
    last_connect_error: str | None = None

    def __init__(self, *args: Any, check: Callable[[Any], Awaitable[None]] | None = None,
                 **kwargs: Any) -> None:
        self.connecting_since: list[float] = []  # start times of attempts still waiting
        self.lend_check = check  # run by getconn, not by psycopg_pool's check loop
        super().__init__(*args, **kwargs)

    async def getconn(self, timeout: float | None = None) -> Any:
        """A connection that passed the check; a dead one is closed (the pool replaces it)
        and the next tried after ``CHECK_RETRY_SECONDS``, doubling, until ``timeout``."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        delay = CHECK_RETRY_SECONDS
        while True:
            conn = await super().getconn(timeout=max(0.0, deadline - time.monotonic()))
            if self.lend_check is None:
                return conn
            try:
                await self.lend_check(conn)
            except Exception:
                await conn.close()  # closed: the pool discards it and makes a new one
                await self.putconn(conn)
            except BaseException:  # cancelled: give the connection back, do not try again
                await self.putconn(conn)
                raise
            else:
                return conn
            left = deadline - time.monotonic()
            if left <= 0:
                raise PoolTimeout(f"couldn't get a connection after "
                                  f"{self.timeout if timeout is None else timeout:.2f} sec")
            await asyncio.sleep(min(delay, left))
            delay *= 2

    # Private hooks of psycopg_pool (pinned below its next major version): reconnect sooner,
    # and remember how connecting went. tests/unit/test_private_apis.py fails when their names
    # or signatures change; the PostgreSQL restart and database-down tests fail if they stop
    # taking effect.
    async def _add_connection(self, attempt: AttemptWithBackoff | None,
                              growing: bool = False) -> None:
        await super()._add_connection(attempt or _QuickRetry(timeout=self.reconnect_timeout),
                                      growing)

    async def _connect(self, timeout: float | None = None) -> Any:
        started = time.monotonic()
        self.connecting_since.append(started)
        try:
            conn = await super()._connect(timeout)
        except Exception as error:
            self.last_connect_error = error_line(error)
            raise
        finally:
            self.connecting_since.remove(started)
        self.last_connect_error = None
        return conn


def error_line(error: BaseException) -> str:
    """A database error's first line: libpq's message without its hints ("Is the server
    running...?"). libpq never puts a password in it."""
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:300]


# A healthy server accepts a connection in milliseconds; one not answering for this long is
# treated as unreachable rather than slow.
NO_ANSWER_SECONDS = 1.0


@dataclass(frozen=True)
class Shortage:
    """Why no connection could be had. ``unreachable``: the server refuses or does not answer
    connections (``reason`` says how, from libpq); ``busy``: every connection is lent out."""

    unreachable: bool
    reason: str


def shortage(pool: AsyncConnectionPool) -> Shortage:
    """Tell an unreachable server from a busy pool, after a borrow timed out.

    A PoolTimeout means both "every connection is in use" and "no new connection could be
    made": the pool's latest connection attempt (failed, or unanswered for a second) tells
    them apart without another round trip.
    """
    error = getattr(pool, "last_connect_error", None)
    if error is not None:
        return Shortage(True, error)
    waiting = getattr(pool, "connecting_since", [])
    if waiting and time.monotonic() - min(waiting) >= NO_ANSWER_SECONDS:
        return Shortage(True, f"no answer to a connection attempt for {NO_ANSWER_SECONDS:g} s")
    stats = pool_stats(pool)
    return Shortage(False, f"all {stats['size']} connections in use, {stats['waiting']} "
                           f"requests waiting")


def create_pool(
    url: str,
    *,
    min_size: int = 2,
    max_size: int = 20,
    max_idle: float = 30.0,
    timeout: float = 2.0,
    application_name: str = APPLICATION_NAME,
) -> AsyncConnectionPool:
    """Build (not open) the pool; open it with ``await pool.open(wait=True)``."""
    return _Pool(
        url,
        min_size=min(min_size, max_size),
        max_size=max_size,
        max_idle=max_idle,
        timeout=timeout,
        kwargs={
            "autocommit": True,
            "application_name": application_name,
            # libpq rounds this to whole seconds and treats values under 2 as 2.
            "connect_timeout": max(2, round(timeout)),
        },
        check=check,
        reset=_reset,
        open=False,
        name="pipelineos",
    )


def pool_stats(pool: AsyncConnectionPool) -> dict[str, int]:
    """Size, availability and error counters for health and metrics (cumulative counters)."""
    stats = pool.get_stats()
    return {
        "max": pool.max_size,
        "min": pool.min_size,
        "size": stats.get("pool_size", 0),
        "available": stats.get("pool_available", 0),
        "waiting": stats.get("requests_waiting", 0),
        "requests": stats.get("requests_num", 0),
        "requestsQueued": stats.get("requests_queued", 0),
        "requestErrors": stats.get("requests_errors", 0),
        "connectionErrors": stats.get("connections_errors", 0),
        "connectionsLost": stats.get("connections_lost", 0),
        "returnsBad": stats.get("returns_bad", 0),
    }
