"""Building the job engine from settings: built-in jobs, schedule overrides, extra jobs."""

from __future__ import annotations

import importlib

from psycopg_pool import AsyncConnectionPool

from pipelineos.config import Settings
from pipelineos.jobs import builtin
from pipelineos.jobs.engine import BackoffRetry, JobEngine, parse_schedules


def build(settings: Settings, pool: AsyncConnectionPool) -> JobEngine:
    engine = JobEngine(
        pool,
        concurrency=settings.worker_concurrency,
        shutdown_grace_seconds=settings.shutdown_grace_seconds,
        heartbeat_seconds=settings.job_heartbeat_seconds,
        stalled_after_seconds=settings.job_stalled_after_seconds,
        polling_seconds=settings.job_polling_seconds,
        retry=BackoffRetry(max_attempts=settings.job_max_attempts),
    )
    overrides = parse_schedules(settings.job_schedules)
    builtin.register(engine, overrides)
    for target in settings.extra_jobs:
        module, _, function = target.partition(":")
        getattr(importlib.import_module(module), function)(engine, overrides)
    unknown = sorted(set(overrides) - set(engine.jobs))
    if unknown:
        raise ValueError(f"JOB_SCHEDULES names jobs that do not exist: {', '.join(unknown)}")
    return engine
