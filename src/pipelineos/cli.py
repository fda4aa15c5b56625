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
