"""Jobs: the schedules, their latest runs, and the record of every run."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel

from pipelineos.inputs import TextRule
from pipelineos.jobs import runs
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

router = routing.router(prefix="/api/jobs", tags=["jobs"])


class ScheduleOut(BaseModel):
    name: str
    cron: str | None
    description: str
    last_run: dict[str, Any] | None


class RunOut(BaseModel):
    id: int
    job_name: str
    trigger: str
    queue_job_id: int | None
    scheduled_for: datetime | None
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error: str | None
    details: dict[str, Any]
    worker: str


class JobsOut(BaseModel):
    schedules: list[ScheduleOut]
    queue: dict[str, int]
    runs: list[RunOut]
    next_cursor: int | None


@router.get("", response_model=JobsOut, responses={422: {"model": ErrorBody}})
async def list_jobs(
    runtime: RuntimeDep,
    job: Annotated[Annotated[str, TextRule(100)] | None, Query()] = None,
    outcome: Literal["running", "succeeded", "failed", "skipped"] | None = None,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> JobsOut:
    """Every scheduled job with its latest run, queue counts, and runs newest first."""
    async with runtime.pool.connection() as conn:
        rows = await runs.list_runs(conn, job=job, outcome=outcome, before_id=cursor,
                                    limit=limit + 1)
        latest = await runs.last_runs(conn)
    schedules = [ScheduleOut(name=j.name, cron=j.cron, description=j.description,
                             last_run=latest.get(j.name))
                 for j in runtime.jobs.jobs.values()]
    page = rows[:limit]
    return JobsOut(
        schedules=schedules,
        queue=await runtime.jobs.queue_counts(),
        runs=[RunOut(**run.__dict__) for run in page],
        next_cursor=page[-1].id if len(rows) > limit else None,
    )
