"""Which database a command uses, wherever it is run from.

``serve``, ``worker`` and ``migrate`` use ``DATABASE_URL``, or the embedded database under
``PIPELINEOS_DATA_DIR`` (``data`` in the working directory by default), creating it on first
use. Every other command never creates a database: without ``DATABASE_URL`` it looks for an
existing embedded one (:func:`find_existing`), in this order:

1. ``PIPELINEOS_DATA_DIR``, when set (then nowhere else: it was asked for);
2. ``data/`` in the working directory, then in each parent directory;
3. the data directory of a running PipelineOS process, which each records under the runtime
   directory (``PIPELINEOS_RUNTIME_DIR``) while it uses it;

and when none is found it raises :class:`DatabaseNotFound` listing every place it looked, so
a command run in the wrong directory says so instead of showing an empty, new database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from psycopg import conninfo

from pipelineos.config import Settings
from pipelineos.db.embedded import has_database, running_uses
from pipelineos.errors import PipelineError


@dataclass(frozen=True)
class Location:
    """An existing embedded database; how it was found (``by``: the setting, the working
    directory, a parent directory or a running process, described in ``found_by``); and where
    the process that recorded it writes its log (None when not found through a record)."""

    data_dir: Path
    by: Literal["setting", "working directory", "parent directory", "running process"]
    found_by: str
    log_dir: Path | None = None


class DatabaseNotFound(PipelineError):
    """No existing database was found."""

    def __init__(self, message: str, looked: list[str]) -> None:
        super().__init__(message)
        self.looked = looked


def records(settings: Settings) -> Path:
    """Where processes record the embedded database they use."""
    return settings.runtime_dir / "running"


def find_existing(settings: Settings, cwd: Path) -> Location:
    """The embedded database a command that must not create one uses (see the module)."""
    if settings.explicitly_set("pipelineos_data_dir"):
        path = (cwd / settings.pipelineos_data_dir).resolve()
        if has_database(path):
            return Location(path, "setting", "PIPELINEOS_DATA_DIR")
        raise DatabaseNotFound("PIPELINEOS_DATA_DIR names a directory without a database",
                               [f"PIPELINEOS_DATA_DIR: {path} (no {path / 'postgres'})"])
    looked = ["PIPELINEOS_DATA_DIR: not set"]
    cwd = cwd.resolve()
    for directory in (cwd, *cwd.parents):
        path = directory / settings.pipelineos_data_dir
        if has_database(path):
            if directory == cwd:
                return Location(path, "working directory", "the working directory")
            return Location(path, "parent directory", "found in a parent directory")
        looked.append(str(path))
    where = records(settings)
    uses = [use for use in running_uses(where) if has_database(use.data_dir)]
    found = {use.data_dir: use for use in uses}
    if len(found) == 1:
        use = uses[0]
        return Location(use.data_dir, "running process",
                        f"the database running process {use.pid} uses", use.log_dir)
    if found:
        raise DatabaseNotFound(
            "running PipelineOS processes use different databases; choose one",
            [f"{use.data_dir} (used by process {use.pid})" for use in found.values()])
    looked.append(f"databases of running PipelineOS processes (recorded in {where}): none")
    raise DatabaseNotFound("no PipelineOS database found", looked)


def describe(url: str) -> str:
    """A database URL for a message: host, port and name, never the password."""
    try:
        params = conninfo.conninfo_to_dict(url)
    except Exception:
        return "(unparsable URL)"
    host = params.get("host") or "localhost"
    return f"{params.get('dbname') or '?'} on {host}:{params.get('port') or 5432}"
