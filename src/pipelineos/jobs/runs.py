"""Reading the record of job runs (for `GET /api/jobs` and `pipelineos jobs`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from pipelineos.jobs.engine import QUERIES


@dataclass(frozen=True)
class Run:
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


async def list_runs(
    conn: psycopg.AsyncConnection[Any], *, job: str | None = None, outcome: str | None = None,
    before_id: int | None = None, limit: int = 50,
) -> list[Run]:
    """Runs newest first, optionally of one job and/or one outcome, paged by id."""
    conditions: list[sql.Composable] = []
    params: dict[str, Any] = {"limit": limit}
    if job is not None:
        conditions.append(sql.SQL("job_name = %(job)s"))
        params["job"] = job
    if outcome is not None:
        conditions.append(sql.SQL("outcome = %(outcome)s"))
        params["outcome"] = outcome
    if before_id is not None:
        conditions.append(sql.SQL("id < %(before_id)s"))
        params["before_id"] = before_id
    where = sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
    query = sql.SQL(
        "SELECT id, job_name, trigger, queue_job_id, scheduled_for, started_at, finished_at,"
        " outcome, error, details, worker FROM job_runs {} ORDER BY id DESC LIMIT %(limit)s"
    ).format(where)
    async with conn.cursor(row_factory=class_row(Run)) as cur:
        await cur.execute(query, params)
        return await cur.fetchall()


async def last_runs(conn: psycopg.AsyncConnection[Any]) -> dict[str, dict[str, Any]]:
    """The latest run of each job, by job name."""
    cur = await conn.execute(QUERIES["last_runs"])
    return {row[0]: {"id": row[1], "outcome": row[2], "started_at": row[3],
                     "finished_at": row[4], "error": row[5]} for row in await cur.fetchall()}
