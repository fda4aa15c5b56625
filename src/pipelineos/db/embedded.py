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
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import conninfo

log = logging.getLogger(__name__)

DATABASE_NAME = "pipelineos"
USERS_FILE = ".postgres-users"
LOCK_FILE = ".postgres-lock"
STOP_TIMEOUT_SECONDS = 60


class EmbeddedPostgres:
    """A handle on the embedded server. ``start()`` returns a connection URL; ``stop()`` lets
    go of it, stopping the server when no other process uses it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "postgres"
        self._user_lock: int | None = None  # a descriptor holding the shared lock
        self._system_user: str | None = None

    def start(self) -> str:
        # Imported here: pgserver's import warns (platformdirs, when XDG_RUNTIME_DIR is unset)
        # and costs time that processes using DATABASE_URL never need to pay.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

            self.pgdata.mkdir(parents=True, exist_ok=True)
            with _locked(self.data_dir / LOCK_FILE, fcntl.LOCK_EX):
                # cleanup_mode=None: pgserver never stops the server; stop() below does.
                # The class, not get_server(): that returns a cached handle without checking
                # that the server it describes still runs.
                server = pgserver.PostgresServer(self.pgdata, cleanup_mode=None)
                self._user_lock = _lock(self.data_dir / USERS_FILE, fcntl.LOCK_SH)
        self._system_user = server.system_user
        admin_url = server.get_uri()
        try:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
                ).fetchone()
                if not exists:
                    conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        except BaseException:
            self.stop()
            raise
        params = conninfo.conninfo_to_dict(admin_url)
        params["dbname"] = DATABASE_NAME
        url = conninfo.make_conninfo("", **params)
        log.info("Embedded PostgreSQL ready", extra={"fields": {"pgdata": str(self.pgdata)}})
        return url

    def stop(self) -> None:
        """Let go of the server; stop it unless another live process still uses it."""
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
            pgserver.pg_ctl(["-w", "-m", "fast", "-t", str(STOP_TIMEOUT_SECONDS), "stop"],
                            pgdata=self.pgdata, user=self._system_user)
        except subprocess.CalledProcessError:
            pass  # not running any more: stopped by an operator, or crashed


def in_use(data_dir: Path) -> bool:
    """True while some live process uses the embedded server in ``data_dir``."""
    path = data_dir.resolve() / USERS_FILE
    if not path.exists():
        return False
    with _locked(path.parent / LOCK_FILE, fcntl.LOCK_EX), \
            _locked(path, fcntl.LOCK_EX | fcntl.LOCK_NB) as free:
        return not free


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
