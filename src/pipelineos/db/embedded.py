"""The embedded PostgreSQL: a real server in the data directory when no DATABASE_URL is given.

pgserver ships PostgreSQL binaries in a wheel; it initialises the server on first use and
starts it, or finds it running. Which processes still use the server is tracked here, not by
pgserver: pgserver keeps the pids of its users in ``.handle_pids.json`` and stops the server
only when the list holds nothing but the process leaving, so the pid of a process killed
while it used the server stays there and the server outlives every later user (a reused pid
would do the same). Instead each process using the server holds a shared ``flock`` on
``DATA_DIR/.postgres-users``, which the kernel releases when the process ends, however it
ends. A process leaving takes ``DATA_DIR/.postgres-lock`` (so nobody starts using the server
meanwhile) and stops the server when it can lock the users file exclusively: nobody else
holds it. A second ``pipelineos`` process shares the first one's server; the last one out
stops it.

Each process using a server also records its data directory (and log directory) in a file of
its own under the runtime directory, locked for as long as it runs, so a command started in
another directory can find the database a running server uses (:func:`running_uses`).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib.util
import json
import logging
import os
import re
import secrets
import subprocess
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import conninfo

from pipelineos.errors import PipelineError

log = logging.getLogger(__name__)

DATABASE_NAME = "pipelineos"
USERS_FILE = ".postgres-users"
LOCK_FILE = ".postgres-lock"
STOP_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Use:
    """A live process using an embedded server, as it recorded itself."""

    pid: int
    data_dir: Path
    log_dir: Path | None


def has_database(data_dir: Path) -> bool:
    """True when ``data_dir`` holds an initialised embedded database."""
    return (data_dir / "postgres" / "PG_VERSION").is_file()


def install_dir() -> Path | None:
    """pgserver's PostgreSQL installation (``pginstall``: bin/, lib/...), located without
    importing pgserver; None when it is not installed."""
    spec = importlib.util.find_spec("pgserver")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "pginstall").is_dir():
            return Path(location) / "pginstall"
    return None


def bundled_major() -> int | None:
    """The major version of the PostgreSQL that pgserver ships (from its pg_config.h)."""
    root = install_dir()
    try:
        header = (root / "include" / "pg_config.h").read_text(encoding="utf-8") if root else ""
    except OSError:
        return None
    match = re.search(r'#define PG_MAJORVERSION "(\d+)"', header)
    return int(match[1]) if match else None


class VersionMismatch(PipelineError):
    """The embedded database was made by another major version of PostgreSQL."""


def check_version(pgdata: Path) -> None:
    """Raise :class:`VersionMismatch`, saying what to do, when the data directory ``pgdata``
    was initialised by another major PostgreSQL than the one installed: PostgreSQL cannot
    open it, and the data must move through a backup made with the old version."""
    try:
        made_by = int((pgdata / "PG_VERSION").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return
    installed = bundled_major()
    if installed is None or installed == made_by:
        return
    raise VersionMismatch(
        f"the embedded database in {pgdata.parent} was made by PostgreSQL {made_by}, and the "
        f"installed pgserver runs PostgreSQL {installed}, which cannot open it. Back it up "
        f"with the previous PipelineOS release (its `pipelineos backup FILE`), move "
        f"{pgdata.parent} aside, then `pipelineos restore FILE` with this one: see "
        f"docs/operations.md, \"When the embedded PostgreSQL's major version changes\"")


class EmbeddedPostgres:
    """A handle on the embedded server. ``start()`` returns a connection URL; ``stop()`` lets
    go of it, stopping the server when no other process uses it. With ``records``, the use is
    recorded there (see the module's docstring) with ``log_dir``."""

    def __init__(self, data_dir: Path, *, records: Path | None = None,
                 log_dir: Path | None = None) -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "postgres"
        self.records = records
        self.log_dir = log_dir.resolve() if log_dir is not None else None
        self._user_lock: int | None = None  # a descriptor holding the shared lock
        self._record: UseRecord | None = None
        self._system_user: str | None = None

    def start(self) -> str:
        # Imported here: pgserver's import warns (platformdirs, when XDG_RUNTIME_DIR is unset)
        # and costs time that processes using DATABASE_URL never need to pay.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

            self.pgdata.mkdir(parents=True, exist_ok=True)
            check_version(self.pgdata)
            with _locked(self.data_dir / LOCK_FILE, fcntl.LOCK_EX):
                # cleanup_mode=None: pgserver never stops the server; stop() below does.
                # The class, not get_server(): that returns a cached handle without checking
                # that the server it describes still runs.
                server = pgserver.postgres_server.PostgresServer(self.pgdata, cleanup_mode=None)
                self._user_lock = _lock(self.data_dir / USERS_FILE, fcntl.LOCK_SH)
        self._system_user = server.system_user
        admin_url = server.get_uri()
        try:
            if self.records is not None:
                self._record = UseRecord(self.records, self.data_dir, self.log_dir)
            with psycopg.connect(admin_url, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        except BaseException:
            self.stop()
            raise
        # A process that ends without stop() (an error on the way out) still lets go: the
        # kernel drops its lock, and this stops the server if it was the last user.
        atexit.register(self.stop)
        params = conninfo.conninfo_to_dict(admin_url)
        params["dbname"] = DATABASE_NAME
        url = conninfo.make_conninfo("", **params)
        log.info("Embedded PostgreSQL ready", extra={"fields": {"pgdata": str(self.pgdata)}})
        return url

    def stop(self) -> None:
        """Let go of the server; stop it unless another live process still uses it."""
        atexit.unregister(self.stop)
        if self._record is not None:
            record, self._record = self._record, None
            record.remove()
        if self._user_lock is None:
            return
        user_lock, self._user_lock = self._user_lock, None
        with _locked(self.data_dir / LOCK_FILE, fcntl.LOCK_EX):
            _unlock(user_lock)
            with _locked(self.data_dir / USERS_FILE, fcntl.LOCK_EX | fcntl.LOCK_NB) as last:
                if last:
                    self._stop_server()
        log.info("Embedded PostgreSQL released",
                 extra={"fields": {"pgdata": str(self.pgdata), "stopped": last}})

    def _stop_server(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

        try:
            # pg_ctl is made at import time (pgserver._commands), so no checker can see it.
            pgserver.pg_ctl(["-w", "-m", "fast", "-t", str(STOP_TIMEOUT_SECONDS), "stop"],  # type: ignore[attr-defined]
                            pgdata=self.pgdata, user=self._system_user)
        except subprocess.CalledProcessError:
            pass  # not running any more: stopped by an operator, or crashed


def running_uses(records: Path) -> list[Use]:
    """The embedded databases live processes use, as recorded under ``records``; records of
    processes that ended (unlocked) are removed."""
    found: list[Use] = []
    for path in sorted(records.glob("*.json")) if records.is_dir() else []:
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:  # its process holds it: alive
                data = json.loads(path.read_text(encoding="utf-8"))
                found.append(Use(int(data["pid"]), Path(data["data_dir"]),
                                 Path(data["log_dir"]) if data.get("log_dir") else None))
            else:
                path.unlink(missing_ok=True)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # unreadable: not ours to judge
        finally:
            os.close(descriptor)
    return found


class UseRecord:
    """This process's record that it uses the database in ``data_dir``: a file under
    ``records``, locked before it becomes visible and for as long as it exists."""

    def __init__(self, records: Path, data_dir: Path, log_dir: Path | None) -> None:
        records.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(4)}"
        draft, self.path = records / f".{name}.tmp", records / f"{name}.json"
        self._descriptor = _lock(draft, fcntl.LOCK_EX)
        try:
            os.write(self._descriptor, json.dumps({
                "pid": os.getpid(), "data_dir": str(data_dir),
                "log_dir": str(log_dir) if log_dir else None}).encode())
            os.replace(draft, self.path)
        except BaseException:
            draft.unlink(missing_ok=True)
            _unlock(self._descriptor)
            raise

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        _unlock(self._descriptor)


def _lock(path: Path, operation: int) -> int:
    """Open ``path`` and lock it; the descriptor (the lock lives until it is unlocked)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(descriptor, operation)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _unlock(descriptor: int) -> None:
    # LOCK_UN first: a forked child holding a copy of the descriptor must not keep the lock.
    try:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _locked(path: Path, operation: int) -> Iterator[bool]:
    """Hold a lock on ``path`` for the block; yields False when a non-blocking lock is taken."""
    try:
        descriptor = _lock(path, operation)
    except BlockingIOError:
        yield False
        return
    try:
        yield True
    finally:
        _unlock(descriptor)
