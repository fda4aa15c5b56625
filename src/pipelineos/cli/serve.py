"""``pipelineos serve`` and ``pipelineos worker``: the long-running processes."""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer
import uvicorn

from pipelineos.bootstrap import Runtime
from pipelineos.cli.common import configure_logging, settings_or_exit
from pipelineos.web.app import create_app
from pipelineos.web.server import uvicorn_config


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (PORT).")] = None,
) -> None:
    """Run the service: HTTP API on HOST:PORT, with the embedded database unless DATABASE_URL."""
    settings = settings_or_exit(host=host, port=port)
    configure_logging(settings)
    config = uvicorn_config(settings, create_app(settings))
    server = uvicorn.Server(config)
    # uvicorn re-raises the signal that stopped it once shutdown is done; with these no-op
    # handlers in place that re-raise is absorbed, so a graceful stop exits with status 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    server.run()
    if not server.started:
        raise typer.Exit(1)


def worker() -> None:
    """Run only a job worker and the scheduler (scale-out: any number, on any machine)."""
    settings = settings_or_exit()
    configure_logging(settings)

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


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
