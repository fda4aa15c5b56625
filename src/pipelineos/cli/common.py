"""What every command shares: the consoles, settings (or exit 2), logging, finding the
existing database (or exit 1 saying where it looked), and naming a database in a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from pipelineos.config import ConfigurationError, Settings, load_settings
from pipelineos.db import locate
from pipelineos.logs import configure_logging as _configure

err = Console(stderr=True)
out = Console()


def say(console: Console, text: str) -> None:
    """``text`` as it is: no markup, no highlighting, long lines not wrapped."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def settings_or_exit(**overrides: Any) -> Settings:
    """Settings or a clean exit: one line per problem, exit status 2."""
    try:
        return load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except ConfigurationError as error:
        err.print("[bold red]Invalid configuration:[/]")
        for line in error.problems:
            err.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def configure_logging(settings: Settings, console: bool = True) -> None:
    _configure(settings.log_dir, settings.log_level, settings.secrets(), console=console,
               max_bytes=settings.log_max_bytes, backup_count=settings.log_backup_count,
               to=settings.log_to)


def existing_database(settings: Settings) -> Settings:
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


def locate_database(settings: Settings) -> Settings:
    """``settings`` with DATABASE_URL, or pointing at the embedded database that
    :func:`locate.find_existing` finds (raising :class:`locate.DatabaseNotFound`)."""
    return _locate(settings)[0]


def _locate(settings: Settings) -> tuple[Settings, locate.Location | None]:
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


def where(settings: Settings) -> str:
    """The database ``settings`` point at, for a message (no password)."""
    if settings.database_url is not None:
        return f"database {locate.describe(settings.database_url.get_secret_value())}"
    return f"embedded database in {settings.pipelineos_data_dir.resolve()}"
