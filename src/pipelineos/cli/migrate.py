"""``pipelineos migrate``: apply pending migrations and exit."""

from __future__ import annotations

import asyncio

import typer

from pipelineos.bootstrap import SCHEMA, Database
from pipelineos.cli.common import configure_logging, err, out, settings_or_exit, where
from pipelineos.db import migrations
from pipelineos.errors import PipelineError


def migrate() -> None:
    """Apply pending database migrations (start-up does this too) and exit."""
    settings = settings_or_exit()
    configure_logging(settings, console=False)

    async def run() -> int:
        try:
            database = await Database.open(settings)
        except PipelineError as error:
            err.print(f"Cannot open the database: {error}", markup=False, highlight=False,
                      soft_wrap=True)
            return 1
        try:
            applied = await SCHEMA.migrate(database.pool)
            version = await migrations.current_version(database.pool)
        finally:
            await database.close(settings.shutdown_grace_seconds)
        for name in applied:
            out.print(f"applied {name}")
        out.print(f"schema at version {version}" + ("" if applied else " (up to date)")
                  + f": {where(settings)}", markup=False, highlight=False, soft_wrap=True)
        return 0

    raise typer.Exit(asyncio.run(run()))


def register(app: typer.Typer) -> None:
    app.command()(migrate)
