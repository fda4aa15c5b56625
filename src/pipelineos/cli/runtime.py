"""The one way a command gets a runtime: ``async with open_runtime() as runtime:``.

The runtime is the application's own (:class:`pipelineos.bootstrap.Runtime`, no job worker,
no HTTP) on the existing database, stopped when the block ends::

    async def show() -> int:
        async with open_runtime() as runtime:
            detail = await runtime.leads.detail(lead_id)
        ...

    raise typer.Exit(asyncio.run(show()))
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import typer

from pipelineos.bootstrap import Runtime
from pipelineos.cli.common import configure_logging, err, existing_database, settings_or_exit
from pipelineos.config import Settings
from pipelineos.errors import PipelineError


class CannotOpen(typer.Exit):
    """The database was found but could not be opened (said on stderr); exit status 1."""

    def __init__(self) -> None:
        super().__init__(1)


@asynccontextmanager
async def open_runtime(settings: Settings | None = None) -> AsyncIterator[Runtime]:
    """A started runtime on ``settings``' database, or on the existing database the settings
    lead to (exit 1 naming the places looked in when there is none). Raises
    :class:`CannotOpen` when it cannot be opened, after saying why."""
    settings = settings or existing_database(settings_or_exit())
    configure_logging(settings, console=False)
    try:
        runtime = await Runtime.start(settings)
    except PipelineError as error:
        err.print(f"Cannot open the database: {error}", markup=False, highlight=False,
                  soft_wrap=True)
        raise CannotOpen() from None
    try:
        yield runtime
    finally:
        await runtime.stop()
