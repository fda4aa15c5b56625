"""Where the toolkit reads time: a monotonic clock that tests replace with a manual one."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Protocol


class Clock(Protocol):
    """A source of monotonic seconds (the default is ``time.monotonic``)."""

    def monotonic(self) -> float: ...


class SystemClock:
    """The process's monotonic clock."""

    monotonic = staticmethod(time.monotonic)


SYSTEM_CLOCK: Clock = SystemClock()


class ManualClock:
    """A clock that moves only when told to, so tests never wait for real time.

    ``sleep`` and ``sleep_sync`` advance the clock instead of waiting; pass them wherever a
    policy takes a sleep function (``Retry``, ``TokenBucket``).
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go backwards")
        with self._lock:
            self._now += seconds

    def sleep_sync(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)  # still yield, as a real sleep would
