"""Circuit state shared by several processes: what a breaker asks of the store that holds it.

A breaker given a ``SharedCircuits`` store (``CircuitBreaker.share``) keeps its fast path: a
success in CLOSED touches nothing but a counter. What is shared goes through the store:

- a failure in CLOSED is recorded cluster-wide (``failed``); the store moves the shared state to
  OPEN once the failures of every process within the window reach the threshold, and the one
  statement that makes that move is the one transition (``Snapshot.won``);
- a half-open trial needs a lease from the store (``trial``), so at most ``half_open_max_calls``
  run at once across the cluster; a lease expires, so a process that dies holds none for long;
- the trial's outcome goes back to the store (``trial_done``), which closes or re-opens;
- an operator's reset, force-open or disable is a shared move too (``move``).

Every answer is a ``Snapshot`` the breaker applies (``CircuitBreaker.apply``); the store tells
the other processes (PostgreSQL: LISTEN/NOTIFY) and they apply what they read. A store that
fails (database unreachable) makes the breaker fall back to its own, local, counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ._breaker import CircuitBreaker, State


@dataclass(frozen=True)
class Snapshot:
    """The shared state of one breaker as a store answered it.

    ``generation`` grows by one with every shared move, so a process applies only what is newer
    than what it has. ``open_for`` is the seconds left before an OPEN circuit may be tried.
    ``before`` is the state the statement found; ``won`` is true only in the process whose
    statement made the move. ``granted`` and ``lease`` answer ``trial``. ``failures`` counts the
    failures within the window, cluster-wide, as the statement saw them.
    """

    name: str
    state: State
    generation: int
    open_for: float = 0.0
    before: State | None = None
    won: bool = False
    granted: bool = False
    lease: str | None = None
    failures: int = 0


class SharedCircuits(Protocol):
    """Where a breaker's shared state lives (``pipelineos.resilience.postgres`` has one)."""

    @property
    def backend(self) -> str:
        """A short name for status pages (``postgres``)."""

    def attach(self, breaker: CircuitBreaker) -> None:
        """Hold ``breaker``'s state from now on (calls ``breaker.share(self)``)."""

    async def failed(self, breaker: CircuitBreaker, count: int) -> Snapshot:
        """Record ``count`` failures seen in CLOSED; open when the window holds enough."""

    async def trial(self, breaker: CircuitBreaker) -> Snapshot:
        """Ask for a half-open trial (OPEN past its timeout becomes HALF_OPEN); ``granted``."""

    async def trial_done(
        self, breaker: CircuitBreaker, lease: str, success: bool | None
    ) -> Snapshot:
        """Return a trial's lease with its outcome: enough successes close, a failure re-opens,
        None (the call did not count) only gives the lease back."""

    async def move(self, breaker: CircuitBreaker, state: State) -> Snapshot:
        """An operator's move (CLOSED, FORCED_OPEN or DISABLED), for every process."""

    async def read(self, breaker: CircuitBreaker) -> Snapshot:
        """The shared state as it is now (after a notification, or to catch up)."""
