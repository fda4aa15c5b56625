"""What a job sees of the running application: :class:`JobServices`.

A job function receives it as ``ctx.services``. The application's runtime
(:class:`pipelineos.bootstrap.Runtime`) is one; a test may hand the engine another object
with these attributes. Jobs read and change leads through ``leads``, the leads service.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from psycopg_pool import AsyncConnectionPool

from pipelineos.clock import Clock
from pipelineos.config import Settings
from pipelineos.leads.service import LeadService

if TYPE_CHECKING:  # the engine holds the services: a cycle for the type only
    from pipelineos.jobs.engine import JobEngine


class PendingAnalyses(Protocol):
    """Intake's sweep of posts stored without an analysis."""

    async def analyze_pending(self, *, limit: int = ...) -> int:
        """Analyze up to ``limit`` waiting posts; how many were recorded."""
        ...


class AlertWork(Protocol):
    """The alert outbox's background work."""

    async def deliver_pending(self, limit: int = ...) -> int:
        """Send due alerts; how many reached a final state."""
        ...

    async def recover_stuck(self) -> int:
        """Return alerts whose sender died mid-send to the queue; how many."""
        ...

    async def send_daily_digest(self, day: date) -> int | None:
        """Queue the summary of ``day``; the alert's id, None when already queued."""
        ...


class PollOutcome(Protocol):
    """One source's poll, as the poll-sources job reports it."""

    @property
    def outcome(self) -> str: ...

    @property
    def accepted(self) -> int: ...


class SourcePolls(Protocol):
    """The sources' polling (pipelineos.sources)."""

    async def poll_due(self) -> Sequence[PollOutcome]:
        """Poll every source whose interval has passed; each poll's outcome."""
        ...


class JobServices(Protocol):
    """The running application as jobs use it."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def pool(self) -> AsyncConnectionPool: ...

    @property
    def intake(self) -> PendingAnalyses: ...

    @property
    def notifications(self) -> AlertWork: ...

    @property
    def leads(self) -> LeadService: ...

    @property
    def jobs(self) -> JobEngine: ...

    @property
    def sources(self) -> SourcePolls: ...
