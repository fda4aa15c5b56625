"""``pipelineos backup FILE`` and ``pipelineos restore FILE``: the whole database to a file
and back (pipelineos.db.backup does the work; docs/operations.md says when and how).

They find and name a database with the helpers every other command uses (cli/common.py).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from pipelineos.bootstrap import SCHEMA, database_url
from pipelineos.cli.common import (
    configure_logging,
    err,
    existing_database,
    locate_database,
    out,
    say,
    settings_or_exit,
    where,
)
from pipelineos.db import backup, locate
from pipelineos.errors import PipelineError


def _size(count: int) -> str:
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}"
    return f"{count} bytes"


def register(app: typer.Typer) -> None:
    """Add ``backup`` and ``restore`` to ``app``."""

    @app.command("backup")
    def backup_command(
        file: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write the backup "
                                             "(replaced once the new one is complete).")],
    ) -> None:
        """Back up the whole database to FILE (pg_dump's custom format; safe while serving)."""
        settings = existing_database(settings_or_exit())
        configure_logging(settings, False)

        async def run() -> backup.Backup:
            async with database_url(settings) as url:
                return await backup.backup(url, file, bin_dir=settings.pg_bin_dir)

        try:
            made = asyncio.run(run())
        except PipelineError as error:
            say(err, f"Backup failed: {error}")
            raise typer.Exit(1) from None
        say(out, f"Backed up the {where(settings)} to {made.path}: {made.tables} "
                  f"tables, {_size(made.bytes)}, in {made.seconds:.1f} s (PostgreSQL "
                  f"{made.server_version}, pg_dump {made.tool.version}).")

    @app.command("restore")
    def restore_command(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                             help="A file made by `pipelineos backup`.")],
        force: Annotated[bool, typer.Option(
            "--force", help="Drop everything in a database that is not empty first.")] = False,
    ) -> None:
        """Restore a backup into an empty database; stop serve and the workers first.

        Without DATABASE_URL and with no embedded database found, one is created in
        PIPELINEOS_DATA_DIR (data/ here). A database that holds tables is refused unless
        --force, which drops everything in it first.
        """
        settings = settings_or_exit()
        try:
            settings = locate_database(settings)
        except locate.DatabaseNotFound:
            say(err, f"No database found: creating the embedded database in "
                      f"{settings.pipelineos_data_dir.resolve()} for the restore.")
        configure_logging(settings, False)

        async def run() -> backup.Restore:
            async with database_url(settings) as url:
                return await backup.restore(url, file, force=force, bin_dir=settings.pg_bin_dir)

        try:
            done = asyncio.run(run())
        except (backup.DatabaseNotEmpty, backup.DatabaseInUse) as error:
            say(err, f"Restore refused: {error}.")
            raise typer.Exit(1) from None
        except PipelineError as error:
            say(err, f"Restore failed: {error}")
            raise typer.Exit(1) from None
        say(out, f"Restored {file} into the {where(settings)}: {done.tables} tables "
                  f"in {done.seconds:.1f} s (pg_restore {done.tool.version})"
                  + (", after dropping what it held." if done.cleared else "."))
        say(out, _schema_note(done.schema_version))


def _schema_note(restored: int | None) -> str:
    """What the restored schema means for this release."""
    latest = max(m.version for m in SCHEMA.available())
    if restored is None:
        return "The backup holds no PipelineOS schema: `pipelineos migrate` would create one."
    if restored < latest:
        return (f"Schema version {restored}; this release's is {latest}: `pipelineos migrate` "
                "(or the next start) brings it up to date.")
    if restored > latest:
        return (f"Schema version {restored} is newer than this release's ({latest}): the "
                "backup was made by a later release; run that release on it.")
    return f"Schema version {restored}, this release's."
