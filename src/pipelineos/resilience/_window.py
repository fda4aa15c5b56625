"""Rolling time windows that decide when a breaker trips.

Two shapes, each sized to what it answers:

- ``FailureTimes`` keeps the timestamps of the last ``threshold`` failures: "``threshold``
  failures within ``window`` seconds" holds exactly when the oldest of them is younger than the
  window. Memory is bounded by the threshold and successes never touch it.
- ``OutcomeBuckets`` counts calls and failures per time slice (``window / buckets`` seconds
  wide) for a failure *rate*; a slice expires as a whole, so the window is accurate to one slice,
  as in Resilience4j's time-based sliding window.

Neither is thread-safe: the breaker calls them under its lock.
"""

from __future__ import annotations

from collections import deque


class FailureTimes:
    """Timestamps of the most recent failures, at most ``threshold`` of them."""

    __slots__ = ("_times", "_threshold", "_window")

    def __init__(self, threshold: int, window: float) -> None:
        self._threshold = threshold
        self._window = window
        self._times: deque[float] = deque(maxlen=threshold)

    def add(self, now: float) -> bool:
        """Record a failure at ``now``; return whether the threshold is reached within the window."""
        times = self._times
        times.append(now)
        return len(times) == self._threshold and now - times[0] < self._window

    def recent(self, now: float) -> int:
        """How many of the remembered failures are younger than the window."""
        window = self._window
        return sum(1 for t in self._times if now - t < window)

    def clear(self) -> None:
        self._times.clear()


class OutcomeBuckets:
    """Calls and failures over the last ``window`` seconds, in ``buckets`` slices."""

    __slots__ = ("_width", "_size", "_calls", "_failures", "_head", "calls", "failures")

    def __init__(self, window: float, buckets: int = 60) -> None:
        self._width = window / buckets
        self._size = buckets
        self._calls = [0] * buckets
        self._failures = [0] * buckets
        self._head: int | None = None  # absolute index of the newest slice
        self.calls = 0
        self.failures = 0

    def _advance(self, now: float) -> int:
        index = int(now // self._width)
        head = self._head
        if head is None:
            self._head = index
            return index
        if index <= head:
            return head
        size = self._size
        for absolute in range(head + 1, head + 1 + min(index - head, size)):
            slot = absolute % size
            self.calls -= self._calls[slot]
            self.failures -= self._failures[slot]
            self._calls[slot] = 0
            self._failures[slot] = 0
        self._head = index
        return index

    def add(self, now: float, failed: bool) -> None:
        slot = self._advance(now) % self._size
        self._calls[slot] += 1
        self.calls += 1
        if failed:
            self._failures[slot] += 1
            self.failures += 1

    def totals(self, now: float) -> tuple[int, int]:
        """``(calls, failures)`` inside the window ending at ``now``."""
        self._advance(now)
        return self.calls, self.failures

    def clear(self) -> None:
        self._calls = [0] * self._size
        self._failures = [0] * self._size
        self._head = None
        self.calls = 0
        self.failures = 0
