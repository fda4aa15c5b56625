"""The ``pipelineos`` command: serve, worker, migrate, analyze, jobs, areas, leads, breaker;
backup and restore (cli_ops.py); sources (cli_sources.py)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from pipelineos import cli_ops, cli_sources
from pipelineos.analysis.model import BusinessProfile
from pipelineos.config import ConfigurationError, Settings, load_settings
from pipelineos.db import locate
from pipelineos.errors import InvalidInput, NotFound, PipelineError
from pipelineos.leads import areas, pipeline, store
from pipelineos.leads.pipeline import Status

app = typer.Typer(
    help="PipelineOS: posts in, leads out, hot leads texted within seconds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()

Priority = Literal["high", "medium", "low"]


def _settings(**overrides: Any) -> Settings:
    """Settings or a clean exit: one line per problem, exit status 2."""
    try:
        return load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except ConfigurationError as error:
        err.print("[bold red]Invalid configuration:[/]")
        for line in error.problems:
            err.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def _configure_logging(settings: Settings, console: bool = True) -> None:
    from pipelineos.logs import configure_logging

    configure_logging(settings.log_dir, settings.log_level, settings.secrets(), console=console,
                      max_bytes=settings.log_max_bytes, backup_count=settings.log_backup_count,
                      to=settings.log_to)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (PORT).")] = None,
) -> None:
    """Run the service: HTTP API on HOST:PORT, with the embedded database unless DATABASE_URL."""
    import uvicorn

    from pipelineos.web.app import create_app
    from pipelineos.web.server import uvicorn_config

    settings = _settings(host=host, port=port)
    _configure_logging(settings)
    config = uvicorn_config(settings, create_app(settings))
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


def _with_runtime(action: Any, settings: Settings | None = None, *,
                  unavailable: Callable[[], Any] | None = None) -> Any:
    """Run ``action(runtime)`` against a started runtime (no worker, no HTTP) on an existing
    database. When there is none, or it cannot be opened, say so and exit 1 (or return what
    ``unavailable()`` returns)."""
    from pipelineos.bootstrap import Runtime

    settings = settings or _existing_database(_settings())
    _configure_logging(settings, console=False)

    async def run() -> Any:
        try:
            runtime = await Runtime.start(settings)
        except PipelineError as error:
            err.print(f"Cannot open the database: {error}", markup=False, highlight=False,
                      soft_wrap=True)
            if unavailable is None:
                raise typer.Exit(1) from None
            return unavailable()
        try:
            return await action(runtime)
        finally:
            await runtime.stop()

    return asyncio.run(run())


def _existing_database(settings: Settings) -> Settings:
    """``settings`` pointing at the existing database this command uses; exit 1 naming every
    place looked in when there is none: only serve, worker and migrate create a database."""
    try:
        located, found = _locate(settings)
    except locate.DatabaseNotFound as error:
        _explain_not_found(error)
        raise typer.Exit(1) from None
    if found is not None and found.by in ("parent directory", "running process"):
        err.print(f"Using the embedded database in {found.data_dir} ({found.found_by}).",
                  markup=False, highlight=False, soft_wrap=True)
    return located


def _locate(settings: Settings) -> tuple[Settings, locate.Location | None]:
    """``settings`` with DATABASE_URL, or pointing at the embedded database that
    :func:`locate.find_existing` finds (raising :class:`locate.DatabaseNotFound`)."""
    if settings.database_url is not None:
        return settings, None
    found = locate.find_existing(settings, Path.cwd())
    update: dict[str, Any] = {"pipelineos_data_dir": found.data_dir}
    if found.by in ("parent directory", "running process") and not settings.explicitly_set(
            "log_dir"):
        # Log where the server using that database logs, not into a new logs/ here.
        update["log_dir"] = found.log_dir or found.data_dir.parent / settings.log_dir
    return settings.model_copy(update=update), found


def _explain_not_found(error: locate.DatabaseNotFound) -> None:
    message = str(error)
    err.print(f"[bold red]{message[0].upper()}{message[1:]}.[/] Looked in:")
    for place in error.looked:
        err.print(f"  {place}", markup=False, highlight=False, soft_wrap=True)
    for line in (
        "Run the command in the directory where `pipelineos serve` runs, or point at a "
        "database:",
        "  PIPELINEOS_DATA_DIR=/path/to/data   a directory holding an embedded database",
        "  DATABASE_URL=postgresql://user:password@host/dbname",
        "(`pipelineos serve` and `pipelineos migrate` create a new embedded database.)",
    ):
        err.print(line, markup=False, highlight=False, soft_wrap=True)


areas_app = typer.Typer(help="Service areas and services: where the business works, what it does.",
                        no_args_is_help=True)
app.add_typer(areas_app, name="areas")


@areas_app.command("list")
def areas_list() -> None:
    """List service areas (with aliases) and services."""
    async def fetch(runtime: Any) -> None:
        async with runtime.pool.connection() as conn:
            found = await areas.list_areas(conn)
            services = await areas.list_services(conn)
        table = Table("area", "kind", "aliases")
        for area in found:
            table.add_row(area.name, area.kind, ", ".join(area.aliases))
        out.print(table if found else "No service areas: leads anywhere are in area.")
        out.print(f"Services: {', '.join(services) if services else 'every category'}")

    _with_runtime(fetch)


@areas_app.command("add")
def areas_add(
    name: Annotated[str, typer.Argument(help="City, neighbourhood, ZIP...")],
    kind: Annotated[str, typer.Option(help="city, neighbourhood, zip, county, region")] = "city",
    alias: Annotated[list[str] | None, typer.Option(help="Another name; repeat for more.")] = None,
) -> None:
    """Add a service area (or update the kind and aliases of an existing one)."""
    async def add(runtime: Any) -> int:
        try:
            async with runtime.pool.connection() as conn:
                area = await areas.add_area(conn, name, kind, alias or [])
        except InvalidInput as error:
            err.print(str(error))
            return 2
        out.print(f"{area.name} ({area.kind})" + (f": {', '.join(area.aliases)}"
                                                 if area.aliases else ""))
        return 0

    raise typer.Exit(_with_runtime(add))


@areas_app.command("remove")
def areas_remove(name: Annotated[str, typer.Argument()]) -> None:
    """Remove a service area."""
    async def remove(runtime: Any) -> int:
        async with runtime.pool.connection() as conn:
            removed = await areas.remove_area(conn, name)
        out.print(f"removed {name}" if removed else f"no service area {name!r}")
        return 0 if removed else 1

    raise typer.Exit(_with_runtime(remove))


@areas_app.command("import")
def areas_import(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Make each listed area exactly as the file says (kind city unless "
                          "given, only the file's aliases) instead of merging.")] = False,
) -> None:
    """Add areas from a YAML or CSV file (name, kind, aliases separated by '|').

    An area that exists already keeps its aliases and gains the file's; its kind changes only
    if the file gives one. Areas not in the file are left alone. Prints what changed per area.
    """
    try:
        entries = areas.parse_area_file(path.read_text(encoding="utf-8"), path.name)
    except (InvalidInput, UnicodeDecodeError) as error:
        err.print(f"{path}: {error}", markup=False, highlight=False)
        raise typer.Exit(2) from None

    async def load(runtime: Any) -> int:
        try:
            async with runtime.pool.connection() as conn:
                changes = await areas.import_areas(conn, entries, replace=replace)
        except InvalidInput as error:
            err.print(f"{path}: {error} (nothing imported)", markup=False, highlight=False)
            return 2
        for change in changes:
            out.print(_describe_change(change), markup=False, highlight=False)
        counts = {outcome: sum(c.outcome == outcome for c in changes)
                  for outcome in ("added", "updated", "unchanged")}
        out.print(f"{len(changes)} areas from {path}: {counts['added']} added, "
                  f"{counts['updated']} updated, {counts['unchanged']} unchanged",
                  markup=False, highlight=False)
        return 0

    raise typer.Exit(_with_runtime(load))


def _describe_change(change: areas.AreaChange) -> str:
    """One line per imported area: ``added Dallas (city): DFW``, ``Plano: aliases added X``."""
    if change.outcome == "added":
        return f"added {change.name} ({change.kind})" + (
            f": {', '.join(change.aliases)}" if change.aliases else "")
    if change.outcome == "unchanged":
        return f"{change.name}: unchanged"
    parts = []
    if change.previous_kind:
        parts.append(f"kind {change.previous_kind} → {change.kind}")
    if change.aliases_added:
        parts.append(f"aliases added {', '.join(change.aliases_added)}")
    if change.aliases_removed:
        parts.append(f"aliases removed {', '.join(change.aliases_removed)}")
    return f"{change.name}: {'; '.join(parts) or 'aliases reordered'}"


@areas_app.command("services")
def areas_services(
    categories: Annotated[list[str] | None, typer.Argument(help="Categories; none = all.")] = None,
) -> None:
    """Set the services offered (e.g. `pipelineos areas services plumbing hvac`)."""
    async def put(runtime: Any) -> int:
        try:
            async with runtime.pool.connection() as conn:
                services = await areas.set_services(conn, categories or [])
        except InvalidInput as error:
            err.print(str(error))
            return 2
        out.print(f"Services: {', '.join(services) if services else 'every category'}")
        return 0

    raise typer.Exit(_with_runtime(put))


leads_app = typer.Typer(help="Leads: list, show, move along the pipeline.", no_args_is_help=True)
app.add_typer(leads_app, name="leads")


Fit = Literal["in_area", "outside_area", "outside_services", "unknown"]


@leads_app.command("list")
def leads_list(
    status: Annotated[Status | None, typer.Option()] = None,
    priority: Annotated[Priority | None, typer.Option()] = None,
    category: Annotated[str | None, typer.Option()] = None,
    area: Annotated[str | None, typer.Option(
        help="A place: leads in that service area (name or alias) and any lead whose "
             "location it is.")] = None,
    fit: Annotated[Fit | None, typer.Option(help="in_area, outside_area, outside_services, "
                                                 "unknown")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
) -> None:
    """Leads, newest first."""
    async def fetch(runtime: Any) -> None:
        filters = store.LeadFilter(priority=priority, category=category, status=status,
                                   area=area, fit=fit)
        async with runtime.pool.connection() as conn:
            rows = await store.list_leads(conn, filters, before_id=None, limit=limit)
        table = Table("id", "created", "priority", "status", "category", "area/location",
                      "fit", "summary")
        for lead in rows:
            table.add_row(str(lead.id), lead.created_at.strftime("%m-%d %H:%M"), lead.priority,
                          lead.status, lead.category or "", lead.area or lead.location or "",
                          lead.fit, lead.summary[:60])
        out.print(table if rows else "No leads match.")

    _with_runtime(fetch)


@leads_app.command("show")
def leads_show(lead_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1)]) -> None:
    """One lead in full: its post, analysis, every sighting and its status history."""
    async def show(runtime: Any) -> int:
        async with runtime.pool.connection() as conn:
            detail = await store.lead_detail(conn, lead_id)
        if detail is None:
            err.print(f"No lead {lead_id}")
            return 1
        _print_lead(detail)
        return 0

    raise typer.Exit(_with_runtime(show))


def _print_lead(detail: store.LeadDetail) -> None:
    lead, origin, analysis = detail.lead, detail.origin, detail.analysis
    stamp = "%Y-%m-%d %H:%M:%S %Z"
    table = Table(show_header=False, box=None)
    rows = [
        ("lead", f"{lead.id}: {lead.priority} priority, {lead.status} "
                 f"(since {lead.status_changed_at.strftime(stamp)})"),
        ("need", f"{lead.category or 'unknown service'}, {lead.urgency} urgency"),
        ("place", f"{lead.location or 'not named'}"
                  + (f" (service area {lead.area})" if lead.area else "") + f", {lead.fit}"),
        ("summary", lead.summary),
        ("post", f"{lead.post_id} in {lead.group_name!r}, received "
                 f"{origin.received_at.strftime(stamp)}"),
        ("source", ", ".join(part for part in (
            origin.source, origin.source_id and f"id {origin.source_id}", origin.url,
            origin.author and f"by {origin.author}",
            origin.posted_at and f"posted {origin.posted_at.strftime(stamp)}") if part)),
        ("text", lead.post_text),
        ("analysis", f"{analysis.analyzer}" + (f" ({analysis.model})" if analysis.model else "")
                     + f", confidence {analysis.confidence:.2f}, "
                       f"{analysis.created_at.strftime(stamp)}"),
        ("reasons", "\n".join(analysis.reasons) or "—"),
        ("seen", "\n".join(
            f"{s.received_at.strftime(stamp)}  post {s.post_id} in {s.group_name!r}"
            + (f" (similarity {s.similarity:.2f})" if s.similarity is not None else "")
            for s in detail.seen)),
        ("history", "\n".join(
            f"{e.at.strftime(stamp)}  {e.actor}: "
            + (f"{e.from_status} → {e.to_status}" if e.to_status else "note")
            + (f"  {e.note!r}" if e.note else "") for e in detail.events) or "—"),
    ]
    for key, value in rows:
        table.add_row(f"[bold]{key}[/]", value)
    out.print(table)


@leads_app.command("set-status")
def leads_set_status(
    lead_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1)],
    status: Annotated[Status, typer.Argument(help="new, contacted, quoted, won, lost, spam")],
    note: Annotated[str | None, typer.Option(help="A note kept with the change.")] = None,
    by: Annotated[str, typer.Option(help="Who made the change.")] = "cli",
) -> None:
    """Move a lead along the pipeline."""
    async def update(runtime: Any) -> int:
        try:
            async with runtime.pool.connection() as conn:
                event = await pipeline.update(conn, lead_id, actor=by, status=status, note=note)
        except NotFound as error:
            err.print(str(error))
            return 1
        except InvalidInput as error:
            err.print(str(error))
            return 2
        out.print(f"lead {lead_id}: " + (f"{event.from_status} → {event.to_status}"
                                         if event and event.to_status else "unchanged"))
        return 0

    raise typer.Exit(_with_runtime(update))


@app.command("import")
def import_posts(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                         help="A JSON array or NDJSON of posts.")],
    group: Annotated[str | None, typer.Option(help="Group for items that name none.")] = None,
    source: Annotated[str, typer.Option(help="Source for items that name none.")] = "import",
    report: Annotated[Path | None, typer.Option(help="Write each item's result (NDJSON).")]
    = None,
    chunk: Annotated[int, typer.Option(min=1, max=50_000, help="Posts per batch.")] = 5000,
) -> None:
    """Import posts from a file (ours, or a Facebook-group scraper's items), with progress."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from pipelineos.ingest import items as reader

    def batches() -> Any:
        with path.open("rb") as handle:
            first = handle.read(1)
            while first and first.isspace():
                first = handle.read(1)
            handle.seek(0)
            if first == b"[":
                yield from _chunks(reader.split_items(handle.read(), ndjson=False), chunk)
                return
            lines: list[bytes] = []
            for line in handle:
                lines.append(line)
                if len(lines) >= chunk:
                    yield _lines(lines)
                    lines = []
            if lines:
                yield _lines(lines)

    def _lines(lines: list[bytes]) -> list[Any]:
        try:
            return reader.split_items(b"".join(lines), ndjson=True)
        except reader.UnreadableBody:
            return []

    async def run(runtime: Any) -> int:
        counts = {"accepted": 0, "duplicate": 0, "invalid": 0}
        offset = 0
        out = report.open("w", encoding="utf-8") if report else None
        columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn())
        try:
            with Progress(*columns, console=err) as progress:
                task = progress.add_task(f"importing {path.name}", total=_count(path))
                for raw in batches():
                    posts = [reader.read_item(item, default_group=group, default_source=source)
                             for item in raw]
                    for result in await runtime.bulk.submit(posts):
                        counts[result.status] += 1
                        if out:
                            out.write(json.dumps({**result.__dict__,
                                                  "index": offset + result.index}) + "\n")
                    offset += len(raw)
                    progress.update(task, advance=len(raw))
        except reader.UnreadableBody as error:
            err.print(f"{path}: {error}", markup=False, highlight=False, soft_wrap=True)
            return 2
        finally:
            if out:
                out.close()
        out_line = (f"{offset} posts: {counts['accepted']} accepted, {counts['duplicate']} "
                    f"duplicates, {counts['invalid']} invalid")
        console_out = Console()
        console_out.print(out_line)
        return 0 if offset else 2

    raise typer.Exit(_with_runtime(run))


def _chunks(items: list[Any], size: int) -> Any:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _count(path: Path) -> int | None:
    """Items in an NDJSON file (its non-empty lines); None (unknown) for a JSON array."""
    with path.open("rb") as handle:
        head = handle.read(64).lstrip()
        if head.startswith(b"["):
            return None
        handle.seek(0)
        return sum(1 for line in handle if line.strip())


breaker_app = typer.Typer(
    help="Circuit breakers of a running server: list, reset, force-open, disable. Breakers live "
         "in the server's memory, so these call its admin API over HTTP (--url, default "
         "http://HOST:PORT) with PIPELINEOS_API_KEY when set. Repeat --url for several servers.",
    invoke_without_command=True, no_args_is_help=False)
app.add_typer(breaker_app, name="breaker")

UrlOption = Annotated[list[str] | None, typer.Option(
    "--url", envvar="PIPELINEOS_URL",
    help="Base URL of a server (repeatable); default http://HOST:PORT from the settings.")]


def _server_urls(settings: Settings, urls: list[str] | None) -> list[str]:
    if urls:
        return [url.rstrip("/") for url in urls]
    # A server bound to every interface is reached on loopback from the same machine.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(settings.host,
                                                                      settings.host)
    return [f"http://{f'[{host}]' if ':' in host else host}:{settings.port}"]


def _admin_call(settings: Settings, method: str, url: str) -> tuple[int, Any]:
    """(status, JSON body) of one admin request; status 0 when the server cannot be reached."""
    import getpass
    import socket

    import httpx

    headers = {"X-Actor": f"cli:{getpass.getuser()}@{socket.gethostname()}"}
    key = next(iter(settings.api_keys.values()), None)  # PIPELINEOS_API_KEY, else the first
    if key is not None:
        headers["Authorization"] = f"Bearer {key.get_secret_value()}"
    try:
        response = httpx.request(method, url, headers=headers, timeout=10)
    except httpx.HTTPError as error:
        return 0, {"error": f"cannot reach the server ({type(error).__name__})"}
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, {"error": response.text[:200]}


@breaker_app.callback()
def breaker_list(ctx: typer.Context, url: UrlOption = None) -> None:
    """List the server's circuit breakers and rate limiters."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings()
    failed = False
    for base in _server_urls(settings, url):
        status, body = _admin_call(settings, "GET", f"{base}/api/admin/circuits")
        if status != 200:
            typer.echo(f"{base}: {body.get('error', status)}", err=True)
            failed = True
            continue
        # One line per breaker (no table): readable in a narrow terminal, easy to grep.
        typer.echo(base)
        for item in body["circuitBreakers"]:
            counts = item["metrics"]
            retry = item.get("retryAfterSeconds")
            typer.echo(f"circuit breaker {item['name']}: {item['state']}, recent failures "
                       f"{item['recentFailures']}, calls {counts['totalRequests']} "
                       f"({counts['failedRequests']} failed, {counts['rejectedRequests']} "
                       f"rejected)" + (f", retry after {retry:.1f} s" if retry else ""))
        for limiter in body["rateLimiters"]:
            tokens = limiter.get("tokensRemaining")
            typer.echo(f"rate limiter {limiter['name']}: "
                       + (f"{tokens:.1f} of {limiter['capacity']:g} tokens"
                          if tokens is not None else "unavailable"))
    raise typer.Exit(1 if failed else 0)


def _breaker_action(action: str, name: str, urls: list[str] | None) -> None:
    from urllib.parse import quote

    settings = _settings()
    code = 0
    for base in _server_urls(settings, urls):
        status, body = _admin_call(
            settings, "POST", f"{base}/api/admin/circuits/{quote(name, safe='')}/{action}")
        if status == 200:
            typer.echo(f"{base}: {name} {body['from']} → {body['to']}")
            continue
        typer.echo(f"{base}: {body.get('error', status)}", err=True)
        code = max(code, 2 if status == 404 else 1)
    raise typer.Exit(code)


NameArgument = Annotated[str, typer.Argument(help="Breaker name: twilio-api, claude-api...")]


@breaker_app.command("reset")
def breaker_reset(name: NameArgument, url: UrlOption = None) -> None:
    """Close a breaker and forget its failures (the vendor is back)."""
    _breaker_action("reset", name, url)


@breaker_app.command("force-open")
def breaker_force_open(name: NameArgument, url: UrlOption = None) -> None:
    """Reject every call through a breaker until it is reset."""
    _breaker_action("force-open", name, url)


@breaker_app.command("disable")
def breaker_disable(name: NameArgument, url: UrlOption = None) -> None:
    """Let every call through a breaker, never opening, until it is reset."""
    _breaker_action("disable", name, url)


@app.command()
def migrate() -> None:
    """Apply pending database migrations (start-up does this too) and exit."""
    from pipelineos.bootstrap import Database
    from pipelineos.db import migrations

    settings = _settings()
    _configure_logging(settings, console=False)

    async def run() -> int:
        try:
            database = await Database.open(settings)
        except PipelineError as error:
            err.print(f"Cannot open the database: {error}", markup=False, highlight=False,
                      soft_wrap=True)
            return 1
        try:
            applied = await migrations.migrate(database.pool)
            version = await migrations.current_version(database.pool)
        finally:
            await database.close(settings.shutdown_grace_seconds)
        for name in applied:
            out.print(f"applied {name}")
        out.print(f"schema at version {version}" + ("" if applied else " (up to date)")
                  + f": {_where(settings)}", markup=False, highlight=False, soft_wrap=True)
        return 0

    raise typer.Exit(asyncio.run(run()))


@app.command()
def analyze(
    text: Annotated[str | None, typer.Argument(help="The post; '-' or nothing reads stdin.")] = None,
    group: Annotated[str, typer.Option("--group", "-g", help="Group it was posted in.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Analyze one post with the local analyzer and print the result (nothing is stored).

    It judges fit and priority with the business profile the server uses: the service areas
    and services in the database, when one is found (as for every other command); otherwise
    with BUSINESS_AREAS / BUSINESS_SERVICES from the settings, and says so.
    """
    from pipelineos.analysis.local import LocalAnalyzer

    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        err.print("Nothing to analyze: give the post as an argument or on stdin.")
        raise typer.Exit(2)
    settings = _settings()
    try:
        located: Settings | None = _locate(settings)[0]
    except locate.DatabaseNotFound:
        located = None

    async def judge(runtime: Any) -> Any:
        # The runtime's own analyzer follows the runtime's profile cache, as the server's does.
        return runtime.local_analyzer.analyze_sync(text, group)

    result = (_with_runtime(judge, located, unavailable=lambda: None)
              if located is not None else None)
    if result is None:
        profile = BusinessProfile.build(settings.business_name, settings.business_services,
                                        settings.business_areas)
        result = LocalAnalyzer(profile).analyze_sync(text, group)
        err.print("No database found (or reachable): judged with BUSINESS_AREAS and "
                  "BUSINESS_SERVICES from the settings. Set PIPELINEOS_DATA_DIR or "
                  "DATABASE_URL to use a database's service areas and services.",
                  markup=False, highlight=False)
    else:
        assert located is not None
        err.print(f"Judged with the service areas and services in the {_where(located)}.",
                  markup=False, highlight=False, soft_wrap=True)
    if as_json:
        out.print_json(json.dumps(result.model_dump(mode="json")))
        return
    table = Table(show_header=False, box=None)
    for key, value in result.model_dump(mode="json").items():
        if key == "reasons":
            value = "\n".join(value)
        table.add_row(f"[bold]{key}[/]", "—" if value is None else str(value))
    out.print(table)


def _where(settings: Settings) -> str:
    """The database ``settings`` point at, for a message (no password)."""
    if settings.database_url is not None:
        return f"database {locate.describe(settings.database_url.get_secret_value())}"
    return f"embedded database in {settings.pipelineos_data_dir.resolve()}"


cli_ops.register(app, cli_ops.Helpers(
    settings=_settings, existing=_existing_database, locate=lambda s: _locate(s)[0],
    configure_logging=_configure_logging, where=_where))
cli_sources.register(app, _with_runtime)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
