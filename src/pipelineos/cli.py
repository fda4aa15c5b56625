"""The ``pipelineos`` command: serve, migrate, analyze."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipelineos.config import ConfigurationError, Settings, load_settings

app = typer.Typer(
    help="PipelineOS: posts in, leads out, hot leads texted within seconds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


def _settings(**overrides: Any) -> Settings:
    """Settings or a clean exit: one line per problem, exit status 2."""
    try:
        return load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except ConfigurationError as error:
        err.print("[bold red]Invalid configuration:[/]")
        for line in error.problems:
            err.print(f"  {line}", markup=False, highlight=False)
        raise typer.Exit(2) from None


def _configure_logging(settings: Settings, console: bool = True) -> None:
    from pipelineos.logs import configure_logging

    configure_logging(settings.log_dir, settings.log_level, settings.secrets(), console=console)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (PORT).")] = None,
) -> None:
    """Run the service: HTTP API on HOST:PORT, with the embedded database unless DATABASE_URL."""
    import uvicorn

    from pipelineos.web.app import create_app

    settings = _settings(host=host, port=port)
    _configure_logging(settings)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
        server_header=False,
    )
    server = uvicorn.Server(config)
    # uvicorn re-raises the signal that stopped it once shutdown is done; with these no-op
    # handlers in place that re-raise is absorbed, so a graceful stop exits with status 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    server.run()
    if not server.started:
        raise typer.Exit(1)


@app.command()
def worker() -> None:
    """Run only a job worker and the scheduler (scale-out: any number, on any machine)."""
    from pipelineos.bootstrap import Runtime

    settings = _settings()
    _configure_logging(settings)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        runtime = await Runtime.start(settings, worker=True)
        try:
            await stop.wait()
        finally:
            await runtime.stop()

    asyncio.run(run())


jobs_app = typer.Typer(help="Scheduled jobs: list them, see their runs, run one now.",
                       invoke_without_command=True, no_args_is_help=False)
app.add_typer(jobs_app, name="jobs")


@jobs_app.callback()
def jobs_list(ctx: typer.Context) -> None:
    """List the jobs, their schedules (UTC) and their latest run."""
    if ctx.invoked_subcommand is not None:
        return
    from pipelineos.jobs import runs

    async def fetch(runtime: Any) -> None:
        async with runtime.pool.connection() as conn:
            latest = await runs.last_runs(conn)
        table = Table("job", "schedule (UTC)", "last run", "outcome", "description")
        for job in runtime.jobs.jobs.values():
            last = latest.get(job.name) or {}
            started = last.get("started_at")
            table.add_row(job.name, job.cron or "on demand",
                          started.isoformat(timespec="seconds") if started else "never",
                          last.get("outcome", "—"), job.description)
        out.print(table)

    _with_runtime(fetch)


@jobs_app.command("runs")
def jobs_runs(
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    outcome: Annotated[str | None, typer.Option(help="running, succeeded, failed, skipped")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Recent runs, newest first."""
    from pipelineos.jobs import runs

    async def fetch(runtime: Any) -> None:
        async with runtime.pool.connection() as conn:
            rows = await runs.list_runs(conn, job=job, outcome=outcome, limit=limit)
        table = Table("id", "job", "trigger", "started", "took", "outcome", "error")
        for run in rows:
            took = (f"{(run.finished_at - run.started_at).total_seconds():.1f}s"
                    if run.finished_at else "…")
            table.add_row(str(run.id), run.job_name, run.trigger,
                          run.started_at.isoformat(timespec="seconds"), took, run.outcome,
                          run.error or "")
        out.print(table)

    _with_runtime(fetch)


@jobs_app.command("run")
def jobs_run(name: Annotated[str, typer.Argument(help="The job to run now.")]) -> None:
    """Run a job now, in this process (recorded, and skipped if it is already running)."""

    async def execute(runtime: Any) -> int:
        if name not in runtime.jobs.jobs:
            err.print(f"No job {name!r}. Jobs: {', '.join(runtime.jobs.jobs)}")
            return 2
        result = await runtime.jobs.execute(name, trigger="manual")
        out.print(f"{name}: {result.outcome}"
                  + (f" ({result.error})" if result.error else "")
                  + (f" {json.dumps(dict(result.details), default=str)}" if result.details
                     else ""))
        return 0 if result.outcome == "succeeded" else 1

    raise typer.Exit(_with_runtime(execute))


@jobs_app.command("defer")
def jobs_defer(name: Annotated[str, typer.Argument(help="The job to queue.")]) -> None:
    """Queue a job for any running worker to pick up now."""

    async def queue(runtime: Any) -> int:
        if name not in runtime.jobs.jobs:
            err.print(f"No job {name!r}. Jobs: {', '.join(runtime.jobs.jobs)}")
            return 2
        out.print(f"{name}: queued as job {await runtime.jobs.defer(name)}")
        return 0

    raise typer.Exit(_with_runtime(queue))


def _with_runtime(action: Any) -> Any:
    """Run ``action(runtime)`` against a started runtime (no worker, no HTTP)."""
    from pipelineos.bootstrap import Runtime

    settings = _settings()
    _configure_logging(settings, console=False)

    async def run() -> Any:
        runtime = await Runtime.start(settings)
        try:
            return await action(runtime)
        finally:
            await runtime.stop()

    return asyncio.run(run())


@app.command()
def migrate() -> None:
    """Apply pending database migrations (start-up does this too) and exit."""
    from pipelineos.bootstrap import Runtime

    settings = _settings()
    _configure_logging(settings, console=False)

    async def run() -> int:
        runtime = await Runtime.start(settings, migrate=False)
        try:
            from pipelineos.db import migrations

            applied = await migrations.migrate(runtime.pool)
            version = await migrations.current_version(runtime.pool)
        finally:
            await runtime.stop()
        for name in applied:
            out.print(f"applied {name}")
        out.print(f"schema at version {version}" + ("" if applied else " (up to date)"))
        return 0

    raise typer.Exit(asyncio.run(run()))


@app.command()
def analyze(
    text: Annotated[str | None, typer.Argument(help="The post; '-' or nothing reads stdin.")] = None,
    group: Annotated[str, typer.Option("--group", "-g", help="Group it was posted in.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Analyze one post with the local analyzer and print the result (nothing is stored)."""
    from pipelineos.analysis.local import LocalAnalyzer
    from pipelineos.analysis.model import BusinessProfile

    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        err.print("Nothing to analyze: give the post as an argument or on stdin.")
        raise typer.Exit(2)
    settings = _settings()
    profile = BusinessProfile.build(
        settings.business_name, settings.business_services, settings.business_areas
    )
    result = LocalAnalyzer(profile).analyze_sync(text, group)
    if as_json:
        out.print_json(json.dumps(result.model_dump(mode="json")))
        return
    table = Table(show_header=False, box=None)
    for key, value in result.model_dump(mode="json").items():
        if key == "reasons":
            value = "\n".join(value)
        table.add_row(f"[bold]{key}[/]", "—" if value is None else str(value))
    out.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
