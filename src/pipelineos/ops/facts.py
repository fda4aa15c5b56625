"""Facts only the database knows, for health and metrics: they cover every process.

The job queue, posts, leads and the alert outbox are shared by all API and worker processes,
so they are counted in PostgreSQL rather than in any one process. :class:`CachedFacts` keeps
one reading for a few seconds so that several scrapers (or a tight scrape interval) cost one
set of queries, not one each.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelineos.db import sql

if TYPE_CHECKING:
    from pipelineos.bootstrap import Runtime

log = logging.getLogger(__name__)
QUERIES = sql.load(__package__)


@dataclass(frozen=True)
class JobCounts:
    """The job queue as an operator reads it."""

    waiting: int  # queued, not started (includes retries scheduled for later)
    running: int
    failed: int  # gave up after the last attempt
    stalled: int  # taken by a worker that stopped sending heartbeats
    by_status: dict[str, int] = field(default_factory=dict)  # procrastinate's own statuses

    def as_dict(self) -> dict[str, object]:
        return {"waiting": self.waiting, "running": self.running, "failed": self.failed,
                "stalled": self.stalled, "byStatus": self.by_status}


@dataclass(frozen=True)
class DatabaseFacts:
    jobs: JobCounts
    posts: dict[str, int]  # by status: received, analyzed, failed
    leads: dict[str, int]  # by priority: high, medium, low
    alerts: dict[str, int]  # alert outbox by status


async def job_counts(runtime: Runtime) -> JobCounts:
    by_status = await runtime.jobs.queue_counts()
    return JobCounts(waiting=by_status.get("todo", 0), running=by_status.get("doing", 0),
                     failed=by_status.get("failed", 0), stalled=await runtime.jobs.stalled_count(),
                     by_status=by_status)


async def gather(runtime: Runtime) -> DatabaseFacts:
    """One reading of every database-wide fact (raises if the database cannot be reached)."""
    jobs = await job_counts(runtime)
    async with runtime.pool.connection() as conn:
        counts = {}
        for name in ("posts_by_status", "leads_by_priority", "alerts_by_status"):
            rows = await (await conn.execute(QUERIES[name])).fetchall()
            counts[name] = {str(key): int(n) for key, n in rows}
    return DatabaseFacts(jobs=jobs, posts=counts["posts_by_status"],
                         leads=counts["leads_by_priority"], alerts=counts["alerts_by_status"])


class CachedFacts:
    """The latest :class:`DatabaseFacts`, re-read when older than ``max_age`` seconds.

    Concurrent readers share one refresh. A failed refresh returns None (and is retried on the
    next read): metrics then say the database is unreachable instead of showing stale counts.
    """

    def __init__(self, max_age: float = 5.0) -> None:
        self.max_age = max_age
        self._facts: DatabaseFacts | None = None
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, runtime: Runtime) -> DatabaseFacts | None:
        if time.monotonic() - self._read_at < self.max_age:
            return self._facts
        async with self._lock:
            if time.monotonic() - self._read_at < self.max_age:
                return self._facts
            try:
                self._facts = await gather(runtime)
            except Exception as error:
                log.warning("Metrics could not read the database",
                            extra={"fields": {"error": type(error).__name__}})
                self._facts = None
                return None
            self._read_at = time.monotonic()
            return self._facts
