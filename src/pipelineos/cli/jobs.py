"""``pipelineos jobs``: list the scheduled jobs, their runs; run or queue one now."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.table import Table

from pipelineos.cli.common import err, out
from pipelineos.cli.runtime import open_runtime
from pipelineos.jobs import runs

jobs_app = typer.Typer(help="Scheduled jobs: list them, see their runs, run one now.",
                       invoke_without_command=True, no_args_is_help=False)


@jobs_app.callback()
def jobs_list(ctx: typer.Context) -> None:
    """List the jobs, their schedules (UTC) and their latest run."""
    if ctx.invoked_subcommand is not None:
        return

    async def fetch() -> None:
        async with open_runtime() as runtime:
            async with runtime.pool.connection() as conn:
                latest = await runs.last_runs(conn)
            jobs = list(runtime.jobs.jobs.values())
        table = Table("job", "schedule (UTC)", "last run", "outcome", "description")
        for job in jobs:
            last = latest.get(job.name) or {}
            started = last.get("started_at")
            table.add_row(job.name, job.cron or "on demand",
                          started.isoformat(timespec="seconds") if started else "never",
                          last.get("outcome", "—"), job.description)
        out.print(table)

    asyncio.run(fetch())


@jobs_app.command("runs")
def jobs_runs(
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    outcome: Annotated[str | None, typer.Option(help="running, succeeded, failed, skipped")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Recent runs, newest first."""
    async def fetch() -> None:
        async with open_runtime() as runtime, runtime.pool.connection() as conn:
            rows = await runs.list_runs(conn, job=job, outcome=outcome, limit=limit)
        table = Table("id", "job", "trigger", "started", "took", "outcome", "error")
        for run in rows:
            took = (f"{(run.finished_at - run.started_at).total_seconds():.1f}s"
                    if run.finished_at else "…")
            table.add_row(str(run.id), run.job_name, run.trigger,
                          run.started_at.isoformat(timespec="seconds"), took, run.outcome,
                          run.error or "")
        out.print(table)

    asyncio.run(fetch())


@jobs_app.command("run")
def jobs_run(name: Annotated[str, typer.Argument(help="The job to run now.")]) -> None:
    """Run a job now, in this process (recorded, and skipped if it is already running)."""
    async def execute() -> int:
        async with open_runtime() as runtime:
            if name not in runtime.jobs.jobs:
                err.print(f"No job {name!r}. Jobs: {', '.join(runtime.jobs.jobs)}")
                return 2
            result = await runtime.jobs.execute(name, trigger="manual")
        out.print(f"{name}: {result.outcome}"
                  + (f" ({result.error})" if result.error else "")
                  + (f" {json.dumps(dict(result.details), default=str)}" if result.details
                     else ""))
        return 0 if result.outcome == "succeeded" else 1

    raise typer.Exit(asyncio.run(execute()))


@jobs_app.command("defer")
def jobs_defer(name: Annotated[str, typer.Argument(help="The job to queue.")]) -> None:
    """Queue a job for any running worker to pick up now."""
    async def queue() -> int:
        async with open_runtime() as runtime:
            if name not in runtime.jobs.jobs:
                err.print(f"No job {name!r}. Jobs: {', '.join(runtime.jobs.jobs)}")
                return 2
            out.print(f"{name}: queued as job {await runtime.jobs.defer(name)}")
        return 0

    raise typer.Exit(asyncio.run(queue()))


def register(app: typer.Typer) -> None:
    app.add_typer(jobs_app, name="jobs")
