"""The job engine: named jobs on cron schedules, run by procrastinate workers on the one pool.

``schedule(name, cron, function, description)`` registers a job. procrastinate defers one queue
job per cron tick across every process (the database refuses a second deferral for the same
tick), and any worker on any machine may run it. Each run:

1. takes a session advisory lock for the job's name on a connection borrowed from the pool;
   if another run of the same job still holds it, the run is **skipped** and logged as
   "already running" (the lock dies with its session, so a crashed run never blocks the next);
2. is recorded in ``job_runs`` (started, finished, outcome, error with context);
3. calls the function with a :class:`JobContext`; a failure is recorded, then retried by the
   queue with exponential backoff, full jitter and a cap (:class:`BackoffRetry`).

A worker stopping on SIGTERM takes no new jobs, lets running ones finish for the grace period,
then cancels them; a cancelled job is put back in the queue and runs again. A worker that dies
outright leaves its job "doing" with a stale heartbeat: the built-in ``recover-stalled-work``
job puts such jobs back (procrastinate does not do it on its own).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import croniter
import procrastinate
import psycopg
from procrastinate import exceptions as queue_errors
from procrastinate import job_context as queue_context
from procrastinate.connector import Notify
from procrastinate.jobs import JobInserted
from procrastinate.psycopg_connector import PsycopgConnector
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from pipelineos.db import sql
from pipelineos.db.notify import Backoff, Listener, half_jitter
from pipelineos.jobs.services import JobServices
from pipelineos.lifetime import stop_task

log = logging.getLogger(__name__)
QUERIES = sql.load(__package__)

QUEUE = "pipelineos"
# Namespace for advisory locks taken for job names (the second key is hashtext(name)).
LOCK_NAMESPACE = 7310


@dataclass(frozen=True)
class JobContext:
    """What a job function receives."""

    name: str
    trigger: str  # 'schedule', 'manual' or 'retry'
    scheduled_for: datetime | None
    services: JobServices  # the running application (pipelineos.bootstrap.Runtime)
    attempt: int = 0


JobFunction = Callable[[JobContext], Awaitable[Mapping[str, Any] | None]]


@dataclass(frozen=True)
class Job:
    name: str
    cron: str | None  # None: runs only when asked (CLI, API, another job)
    function: JobFunction
    description: str


@dataclass(frozen=True)
class RunResult:
    run_id: int
    outcome: str  # 'succeeded', 'failed' or 'skipped'
    details: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None


class BackoffRetry(procrastinate.BaseRetryStrategy):
    """Exponential backoff with full jitter and a cap; a job cut off by a shutdown is retried
    at once and does not use up an attempt's worth of waiting."""

    def __init__(self, *, max_attempts: int = 5, base_seconds: float = 5.0,
                 cap_seconds: float = 600.0, rng: Callable[[], float] = random.random) -> None:
        self.max_attempts = max_attempts
        self.base_seconds = base_seconds
        self.cap_seconds = cap_seconds
        self.rng = rng

    def delay(self, attempts: int) -> float:
        """Seconds to wait before the retry after ``attempts`` failed attempts."""
        ceiling = min(self.cap_seconds, self.base_seconds * 2.0 ** attempts)
        return max(1.0, ceiling * self.rng())

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        if isinstance(exception, (queue_errors.JobAborted, asyncio.CancelledError)):
            return procrastinate.RetryDecision(retry_in={"seconds": 0})
        if job.attempts + 1 >= self.max_attempts:
            return None
        # procrastinate's retry_in takes whole units; milliseconds keep the jittered delay.
        return procrastinate.RetryDecision(
            retry_in={"milliseconds": round(self.delay(job.attempts) * 1000)})


class _PooledConnector(PsycopgConnector):
    """procrastinate's connector, listening for new jobs through :class:`Listener`.

    procrastinate's own ``listen_notify`` opens a standalone connection (outside any pool) and
    reconnects without a pause. This override of the connector's public ``listen_notify`` keeps
    the connection inside the one pool, backs off while the server is away, and after every
    reconnect tells the worker to look for jobs deferred meanwhile.
    """

    async def listen_notify(self, on_notification: Notify, channels: Iterable[str]) -> None:
        async def deliver(notes: Sequence[psycopg.Notify]) -> None:
            for note in notes:
                await on_notification(channel=note.channel, payload=note.payload)

        channels = list(channels)

        async def catch_up() -> None:
            # A job deferred while nobody listened sent its notification to no one; the worker
            # fetches every waiting job when told one was inserted (job_id is not read).
            inserted: JobInserted = {"type": "job_inserted", "job_id": 0}
            await on_notification(channel=channels[0], payload=json.dumps(inserted))

        await Listener(self.pool, channels, deliver, catch_up=catch_up, name="job listener",
                       backoff=Backoff(first_seconds=1.0, cap_seconds=30.0,
                                       jitter=half_jitter)).run()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def validate_cron(expression: str) -> str:
    """Raise ValueError for an expression croniter cannot read (5 fields, or 6 with seconds)."""
    if not croniter.croniter.is_valid(expression):
        raise ValueError(f"not a valid cron expression: {expression!r}")
    return expression


class JobEngine:
    """Registered jobs, the queue, and (when started) a worker that runs them."""

    def __init__(
        self,
        pool: AsyncConnectionPool,
        *,
        concurrency: int = 4,
        shutdown_grace_seconds: float = 10.0,
        heartbeat_seconds: float = 10.0,
        stalled_after_seconds: float = 30.0,
        polling_seconds: float = 5.0,
        retry: BackoffRetry | None = None,
    ) -> None:
        self.pool = pool
        self.concurrency = concurrency
        self.shutdown_grace_seconds = shutdown_grace_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.stalled_after_seconds = stalled_after_seconds
        self.polling_seconds = polling_seconds
        self.retry = retry or BackoffRetry()
        self.services: JobServices | None = None  # attached by the composition root
        self.worker_name = worker_name()
        self.app = procrastinate.App(connector=_PooledConnector())
        self.jobs: dict[str, Job] = {}
        self._worker_task: asyncio.Task[None] | None = None
        self._opened = False

    # --- registering ----------------------------------------------------------------------
    def schedule(self, name: str, cron: str | None, function: JobFunction,
                 description: str) -> Job:
        """Register ``function`` as job ``name``, run on ``cron`` (or only on demand if None)."""
        if name in self.jobs:
            raise ValueError(f"job {name!r} is already registered")
        if cron is not None:
            validate_cron(cron)
        job = Job(name, cron, function, description)
        self.jobs[name] = job

        async def queue_task(context: queue_context.JobContext,
                             timestamp: int | None = None) -> None:
            attempt = context.job.attempts
            trigger = "retry" if attempt else ("schedule" if timestamp is not None else "manual")
            scheduled = datetime.fromtimestamp(timestamp, UTC) if timestamp is not None else None
            result = await self.execute(name, trigger=trigger, scheduled_for=scheduled,
                                        queue_job_id=context.job.id, attempt=attempt)
            if result.outcome == "failed":
                raise JobFailed(f"{name}: {result.error}")

        task = self.app.task(name=f"pipelineos.{name}", pass_context=True, retry=self.retry,
                             queue=QUEUE)(queue_task)
        if cron is not None:
            self.app.periodic(cron=cron, periodic_id=name)(task)
        return job

    # --- running --------------------------------------------------------------------------
    async def execute(
        self, name: str, *, trigger: str = "manual", scheduled_for: datetime | None = None,
        queue_job_id: int | None = None, attempt: int = 0,
    ) -> RunResult:
        """Run job ``name`` now in this process: locked, recorded, never overlapping itself."""
        job = self.jobs[name]
        params = {"job_name": name, "trigger": trigger, "queue_job_id": queue_job_id,
                  "scheduled_for": scheduled_for, "worker": self.worker_name}
        async with self.pool.connection() as lock_conn:
            got = await (await lock_conn.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (LOCK_NAMESPACE, name)
            )).fetchone()
            if not got or not got[0]:
                row = await (await lock_conn.execute(QUERIES["record_skip"], params)).fetchone()
                log.info("Job skipped - already running",
                         extra={"fields": {"job": name, "trigger": trigger,
                                           "scheduled_for": scheduled_for}})
                return RunResult(int(row[0]) if row else 0, "skipped")
            try:
                return await self._run_locked(job, lock_conn, params, attempt)
            finally:
                with contextlib.suppress(psycopg.Error):
                    await lock_conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                                            (LOCK_NAMESPACE, name))

    async def _run_locked(self, job: Job, conn: psycopg.AsyncConnection[Any],
                          params: dict[str, Any], attempt: int) -> RunResult:
        row = await (await conn.execute(QUERIES["start_run"], params)).fetchone()
        run_id = int(row[0]) if row else 0
        log.info("Job started", extra={"fields": {"job": job.name, "run_id": run_id,
                                                  "trigger": params["trigger"]}})
        try:
            if self.services is None:
                raise RuntimeError("no services attached to the job engine")
            context = JobContext(job.name, params["trigger"], params["scheduled_for"],
                                 self.services, attempt)
            details = dict(await job.function(context) or {})
        except asyncio.CancelledError:
            await self._finish(run_id, "failed", "interrupted: the worker was shutting down", {})
            raise
        except Exception as error:
            message = f"{type(error).__name__}: {error}"[:1000]
            await self._finish(run_id, "failed", message, {})
            log.error("Job failed", exc_info=error,
                      extra={"fields": {"job": job.name, "run_id": run_id, "attempt": attempt,
                                        "error": message}})
            return RunResult(run_id, "failed", error=message)
        await self._finish(run_id, "succeeded", None, details)
        log.info("Job succeeded", extra={"fields": {"job": job.name, "run_id": run_id,
                                                    **_loggable(details)}})
        return RunResult(run_id, "succeeded", details)

    async def _finish(self, run_id: int, outcome: str, error: str | None,
                      details: Mapping[str, Any]) -> None:
        # Its own connection: the run's outcome must be written even if the job broke the
        # lock connection's session.
        async with self.pool.connection() as conn:
            await conn.execute(QUERIES["finish_run"],
                               {"run_id": run_id, "outcome": outcome, "error": error,
                                "details": Jsonb(json.loads(json.dumps(details, default=str)))})

    async def defer(self, name: str) -> int:
        """Queue job ``name`` for any worker to run as soon as possible; return the queue id."""
        if name not in self.jobs:
            raise KeyError(name)
        task = self.app.tasks[f"pipelineos.{name}"]
        return await task.defer_async()

    # --- the worker -----------------------------------------------------------------------
    async def open(self) -> None:
        if not self._opened:
            await self.app.open_async(pool=self.pool)
            self._opened = True

    async def close(self) -> None:
        await self.stop_worker()
        if self._opened:
            await self.app.close_async()
            self._opened = False

    def start_worker(self) -> None:
        """Run a worker (and the cron deferrer) in this process until ``stop_worker``."""
        if self._worker_task is not None:
            return
        self._worker_task = asyncio.create_task(self.app.run_worker_async(
            name=self.worker_name,
            queues=[QUEUE],
            concurrency=self.concurrency,
            shutdown_graceful_timeout=self.shutdown_grace_seconds,
            update_heartbeat_interval=self.heartbeat_seconds,
            stalled_worker_timeout=self.stalled_after_seconds,
            fetch_job_polling_interval=self.polling_seconds,
            install_signal_handlers=False,
            additional_context={},
        ), name="pipelineos worker")
        log.info("Worker started", extra={"fields": {
            "worker": self.worker_name, "concurrency": self.concurrency,
            "schedules": {j.name: j.cron for j in self.jobs.values() if j.cron}}})

    async def stop_worker(self) -> None:
        """Stop taking jobs; let running ones finish for the grace period, then cancel them
        (a cancelled job goes back to the queue)."""
        task, self._worker_task = self._worker_task, None
        if task is None:
            return
        # The first cancel asks procrastinate for a graceful stop (running jobs get the grace
        # period); a cancel lost to a pool hand-off is repeated after it.
        await stop_task(task, grace=self.shutdown_grace_seconds + 1.0, timeout=5.0)
        log.info("Worker stopped", extra={"fields": {"worker": self.worker_name}})

    @property
    def worker_running(self) -> bool:
        return self._worker_task is not None and not self._worker_task.done()

    # --- upkeep and reading -----------------------------------------------------------------
    async def recover_stalled(self) -> list[int]:
        """Put back in the queue the jobs of workers whose heartbeat stopped; return their ids."""
        stalled = list(await self.app.job_manager.get_stalled_jobs(
            seconds_since_heartbeat=self.stalled_after_seconds))
        for job in stalled:
            await self.app.job_manager.retry_job(job)
        ids = [job.id for job in stalled if job.id is not None]
        if ids:
            async with self.pool.connection() as conn:
                await conn.execute(QUERIES["interrupt_runs"], {"queue_job_ids": ids})
            await self.app.job_manager.prune_stalled_workers(self.stalled_after_seconds)
            log.warning("Stalled jobs put back in the queue",
                        extra={"fields": {"queue_job_ids": ids}})
        return ids

    async def stalled_count(self) -> int:
        """Jobs a worker took and stopped reporting on (``recover-stalled-work`` requeues them)."""
        stalled = await self.app.job_manager.get_stalled_jobs(
            seconds_since_heartbeat=self.stalled_after_seconds)
        return sum(1 for _ in stalled)

    async def queue_counts(self) -> dict[str, int]:
        """Queue jobs by status (todo, doing, succeeded, failed, cancelled, aborted...)."""
        async with self.pool.connection() as conn:
            rows = await (await conn.execute(QUERIES["queue_counts"])).fetchall()
        return {status: int(count) for status, count in rows}


class JobFailed(Exception):
    """A job's function raised; the run is recorded and the queue will retry it."""


def _loggable(details: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in details.items()
            if isinstance(value, (int, float, str, bool)) or value is None}


def parse_schedules(pairs: Iterable[str]) -> dict[str, str | None]:
    """``name=cron`` items (cron ``off`` disables a job) into a mapping; invalid cron raises."""
    schedules: dict[str, str | None] = {}
    for pair in pairs:
        name, _, cron = pair.partition("=")
        if not name.strip() or not cron.strip():
            raise ValueError(f"expected name=cron, got {pair!r}")
        cron = cron.strip()
        schedules[name.strip()] = None if cron.lower() == "off" else validate_cron(cron)
    return schedules
