"""Backups of the whole database with PostgreSQL's own tools, and restoring one.

A backup is ``pg_dump --format=custom`` of the database: every table that exists, whichever
release or component made it (posts, leads, alerts, sources and their cursors, the job
queue...), with the schema and sequences. pg_dump reads one snapshot, so a backup taken while
the service writes is consistent and does not stop it. It is written next to its target and
renamed into place only once complete and readable (``pg_restore --list``), with mode 0600: it
holds everything the database holds.

Restoring replays it with ``pg_restore --single-transaction`` into an empty database (all or
nothing), without the dump's owners and grants, so a backup of the embedded database restores
into a server's database owned by another role and back. A database that holds tables is
refused unless ``force``, which first drops every schema in it; a database PipelineOS
processes are connected to is always refused (stop them first).

The tools must fit the server: pg_dump refuses a server newer than itself, and pg_restore
emits commands of its own version. :func:`find_tool` takes the same major version as the
server, else the nearest newer one, from ``PG_BIN_DIR`` when set, else from the embedded
PostgreSQL's binaries (pgserver's ``pginstall/bin``), ``PATH`` and the usual install
directories; when none fits it says which versions it found where.

The password never appears on a command line (other users' ``ps`` shows those) nor in a
message: the tools get the connection without it, and the password in ``PGPASSWORD`` in their
own environment.
"""

from __future__ import annotations

import asyncio
import glob
import logging
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import conninfo, sql

from pipelineos.db import embedded, locate
from pipelineos.db.pool import APPLICATION_NAME
from pipelineos.errors import PipelineError

log = logging.getLogger(__name__)

# Where PostgreSQL client tools are installed besides PATH: Debian/Ubuntu, the PGDG RPMs,
# Homebrew on both architectures.
INSTALL_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin",
                 "/opt/homebrew/opt/postgresql@*/bin", "/usr/local/opt/postgresql@*/bin")
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
_SYSTEM_SCHEMAS = """
    n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"""
_TABLES = f"""
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND {_SYSTEM_SCHEMAS}"""
_SCHEMAS = f"SELECT n.nspname FROM pg_namespace n WHERE {_SYSTEM_SCHEMAS} ORDER BY 1"
_OUR_SESSIONS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = %s"""
_SCHEMA_VERSION = """
    SELECT CASE WHEN to_regclass('public.schema_migrations') IS NULL THEN NULL
           ELSE (SELECT max(version) FROM public.schema_migrations) END"""


class BackupError(PipelineError):
    """A backup or restore could not be done."""


class ToolNotFound(BackupError):
    """No pg_dump or pg_restore fits the server's PostgreSQL version."""


class DatabaseNotEmpty(BackupError):
    """The database to restore into holds tables."""


class DatabaseInUse(BackupError):
    """PipelineOS processes are connected to the database to restore into."""


class ToolFailed(BackupError):
    """pg_dump or pg_restore failed."""


@dataclass(frozen=True)
class Tool:
    """A PostgreSQL client program and its version."""

    path: Path
    major: int
    version: str


@dataclass(frozen=True)
class Backup:
    path: Path
    bytes: int
    tables: int
    seconds: float
    server_version: str
    tool: Tool


@dataclass(frozen=True)
class Restore:
    tables: int
    seconds: float
    schema_version: int | None
    cleared: bool
    tool: Tool


def search_dirs(bin_dir: Path | None) -> list[Path]:
    """Where to look for the tools, in order: ``bin_dir`` alone when given; else the embedded
    PostgreSQL's binaries, the directories of PATH, then the usual install directories."""
    if bin_dir is not None:
        return [bin_dir]
    found: list[Path] = []
    bundled = embedded.install_dir()
    if bundled is not None:
        found.append(bundled / "bin")
    found += [Path(entry) for entry in os.environ.get("PATH", "").split(os.pathsep) if entry]
    for pattern in INSTALL_GLOBS:
        found += sorted((Path(p) for p in glob.glob(pattern)), reverse=True)
    unique: list[Path] = []
    for directory in found:
        if directory not in unique:
            unique.append(directory)
    return unique


async def tool_version(path: Path) -> tuple[int, str] | None:
    """(major, full version) that ``path --version`` reports, or None if it does not run."""
    try:
        process = await asyncio.create_subprocess_exec(
            str(path), "--version", stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, stdin=asyncio.subprocess.DEVNULL)
        output, _ = await asyncio.wait_for(process.communicate(), 10)
    except (OSError, TimeoutError):
        return None
    match = _VERSION.search(output.decode(errors="replace"))
    if process.returncode != 0 or match is None:
        return None
    return int(match[1]), match[0].split()[-1]


async def find_tool(program: str, server_major: int, dirs: Sequence[Path]) -> Tool:
    """``program`` of the server's major version, else the nearest newer one, from ``dirs``;
    :class:`ToolNotFound` listing what was found when none fits."""
    return (await find_tools(program, server_major, dirs))[0]


async def find_tools(program: str, server_major: int, dirs: Sequence[Path]) -> list[Tool]:
    """Every ``program`` in ``dirs`` that fits the server (its major version or newer), the
    nearest first; :class:`ToolNotFound` listing what was found when none fits."""
    found: list[Tool] = []
    for directory in dirs:
        path = directory / program
        if not (path.is_file() and os.access(path, os.X_OK)):
            continue
        version = await tool_version(path)
        if version is not None:
            found.append(Tool(path, *version))
    fitting = sorted((t for t in found if t.major >= server_major), key=lambda t: t.major)
    if fitting:
        return fitting
    seen = "; ".join(f"{t.version} at {t.path}" for t in found) or "none"
    raise ToolNotFound(
        f"no {program} for PostgreSQL {server_major} (or newer) was found. Found: {seen}. "
        f"Install the PostgreSQL {server_major} client tools (Debian: apt-get install "
        f"postgresql-client-{server_major}) and set PG_BIN_DIR to their directory if it is "
        f"not on PATH")


def _connection(url: str) -> tuple[str, dict[str, str]]:
    """A connection string without the password, and the environment for a child process
    that carries it (PGPASSWORD), so neither a command line nor a message shows it."""
    params = conninfo.conninfo_to_dict(url)
    password = params.pop("password", None)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return conninfo.make_conninfo("", **{k: str(v) for k, v in params.items()}), env


def _scrub(text: str, url: str) -> str:
    password = conninfo.conninfo_to_dict(url).get("password")
    return text.replace(str(password), "[redacted]") if password else text


async def _run(tool: Tool, args: list[str], url: str, *, stdout: Any = None) -> str:
    """Run ``tool`` with ``args``; its output (unless sent to ``stdout``); :class:`ToolFailed`
    with its last error lines when it fails."""
    _, env = _connection(url)
    process = await asyncio.create_subprocess_exec(
        str(tool.path), *args, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=stdout if stdout is not None else asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    output, errors = await process.communicate()
    if process.returncode != 0:
        lines = _scrub(errors.decode(errors="replace"), url).strip().splitlines()
        raise ToolFailed(f"{tool.path.name} failed (exit status {process.returncode}): "
                         + (" / ".join(lines[-5:]) or "no message"))
    return (output or b"").decode(errors="replace")


async def _connect(url: str, application_name: str) -> psycopg.AsyncConnection[Any]:
    try:
        return await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=10,
                                                     application_name=application_name)
    except psycopg.OperationalError as error:
        reason = _scrub(str(error).strip().splitlines()[0] if str(error).strip() else "", url)
        raise BackupError(f"cannot connect to the database {locate.describe(url)}"
                          + (f": {reason}" if reason else "")) from None


async def _server(url: str) -> tuple[int, str]:
    async with await _connect(url, "pipelineos-backup") as conn:
        row = await (await conn.execute(
            "SELECT current_setting('server_version_num')::int, "
            "current_setting('server_version')")).fetchone()
    assert row is not None
    return row[0] // 10000, str(row[1]).split()[0]


async def _archived_tables(tool: Tool, path: Path, url: str) -> int:
    """Tables whose data the archive holds (its table of contents, read by pg_restore): reading
    it proves the file is a complete archive."""
    listing = await _run(tool, ["--list", str(path)], url)
    return sum(1 for line in listing.splitlines() if " TABLE DATA " in line)


async def backup(url: str, target: Path, *, bin_dir: Path | None = None) -> Backup:
    """Write a backup of the database at ``url`` to ``target`` (replacing it only once the new
    one is complete)."""
    started = time.monotonic()
    major, server_version = await _server(url)
    dirs = search_dirs(bin_dir)
    pg_dump = await find_tool("pg_dump", major, dirs)
    pg_restore = await find_tool("pg_restore", major, dirs)
    target = target.resolve()
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    dsn, _ = _connection(url)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            # One snapshot for the whole dump; wait at most a minute for a lock (a migration
            # holding one) rather than hang.
            await _run(pg_dump, ["--format=custom", "--lock-wait-timeout=60000",
                                 f"--dbname={dsn}"], url, stdout=out)
        tables = await _archived_tables(pg_restore, partial, url)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result = Backup(target, target.stat().st_size, tables, time.monotonic() - started,
                    server_version, pg_dump)
    log.info("Backup written", extra={"fields": {
        "file": str(target), "bytes": result.bytes, "tables": tables,
        "seconds": round(result.seconds, 2), "database": locate.describe(url),
        "pg_dump": pg_dump.version}})
    return result


async def restore(url: str, source: Path, *, force: bool = False,
                  bin_dir: Path | None = None) -> Restore:
    """Restore the backup ``source`` into the database at ``url``: empty, or (``force``)
    emptied first; never while PipelineOS processes use it."""
    started = time.monotonic()
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    major, _ = await _server(url)
    pg_restore, tables = await _reader(source, major, url, bin_dir)
    cleared = await _prepare(url, force=force)
    dsn, _ = _connection(url)
    try:
        await _run(pg_restore, ["--single-transaction", "--exit-on-error", "--no-owner",
                                "--no-privileges", f"--dbname={dsn}", str(source)], url)
    except ToolFailed as error:
        if cleared:
            raise ToolFailed(f"{error}. The database was emptied for the restore (--force) and "
                             "is empty now; run the restore again once the problem is "
                             "fixed") from None
        raise
    async with await _connect(url, "pipelineos-restore") as conn:
        row = await (await conn.execute(_SCHEMA_VERSION)).fetchone()
    version = int(row[0]) if row and row[0] is not None else None
    result = Restore(tables, time.monotonic() - started, version, cleared, pg_restore)
    log.warning("Database restored", extra={"fields": {
        "file": str(source.resolve()), "tables": tables, "schemaVersion": version,
        "cleared": cleared, "database": locate.describe(url),
        "seconds": round(result.seconds, 2)}})
    return result


async def _reader(source: Path, server_major: int, url: str,
                  bin_dir: Path | None) -> tuple[Tool, int]:
    """The nearest fitting pg_restore that can read ``source``, and the tables it holds: a
    backup made by a newer pg_dump (the embedded server's, say) needs a pg_restore as new."""
    tools = await find_tools("pg_restore", server_major, search_dirs(bin_dir))
    first_error: ToolFailed | None = None
    for tool in tools:
        try:
            return tool, await _archived_tables(tool, source, url)
        except ToolFailed as error:
            first_error = first_error or error
    assert first_error is not None  # find_tools returns at least one tool
    raise first_error


async def _prepare(url: str, *, force: bool) -> bool:
    """Check the target can take a restore; with ``force`` drop what it holds. True when
    something was dropped."""
    async with await _connect(url, "pipelineos-restore") as conn:
        row = await (await conn.execute(_OUR_SESSIONS, (APPLICATION_NAME,))).fetchone()
        if row and row[0]:
            raise DatabaseInUse(
                f"{row[0]} connections of running PipelineOS processes use the database "
                f"{locate.describe(url)}: stop `pipelineos serve` and the workers before "
                "restoring (a backup can be taken while they run; a restore cannot)")
        row = await (await conn.execute(_TABLES)).fetchone()
        tables = int(row[0]) if row else 0
        if tables == 0:
            return False
        if not force:
            version = await (await conn.execute(_SCHEMA_VERSION)).fetchone()
            what = (f", PipelineOS schema version {version[0]}"
                    if version and version[0] is not None else "")
            raise DatabaseNotEmpty(
                f"the database {locate.describe(url)} is not empty ({tables} tables{what}): "
                "restore into an empty database, or add --force to drop everything in this "
                "one and replace it with the backup")
        schemas = [name for (name,) in await (await conn.execute(_SCHEMAS)).fetchall()]
        try:
            async with conn.transaction():
                for schema in schemas:
                    await conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(
                        sql.Identifier(schema)))
                await conn.execute("CREATE SCHEMA public")
        except psycopg.errors.InsufficientPrivilege as error:
            raise BackupError(
                f"cannot empty the database {locate.describe(url)} ({error.diag.message_primary}"
                "): drop and create it again as its owner (DROP DATABASE …; CREATE DATABASE … "
                "OWNER …), then restore without --force") from None
    log.warning("Database emptied for a restore", extra={"fields": {
        "database": locate.describe(url), "tables": tables, "schemas": schemas}})
    return True
