"""The embedded PostgreSQL: a real server in the data directory when no DATABASE_URL is given.

pgserver ships PostgreSQL binaries in a wheel. The server is initialised on first use, reused
(already running or restarted) by later starts on the same directory, and stopped by the last
process that holds it, so a second ``pipelineos`` process shares the first one's server.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import psycopg
from psycopg import conninfo

log = logging.getLogger(__name__)

DATABASE_NAME = "pipelineos"


class EmbeddedPostgres:
    """A handle on the embedded server. ``start()`` returns a connection URL; ``stop()`` ends it."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = (data_dir / "postgres").resolve()
        self._server: Any = None

    def start(self) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pgserver

            self.pgdata.parent.mkdir(parents=True, exist_ok=True)
            self._server = pgserver.get_server(self.pgdata, cleanup_mode="stop")
        admin_url = self._server.get_uri()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        params = conninfo.conninfo_to_dict(admin_url)
        params["dbname"] = DATABASE_NAME
        url = conninfo.make_conninfo("", **params)
        log.info("Embedded PostgreSQL ready", extra={"fields": {"pgdata": str(self.pgdata)}})
        return url

    def stop(self) -> None:
        """Stop the server unless another live process still uses it."""
        if self._server is None:
            return
        server, self._server = self._server, None
        server.cleanup()
        log.info("Embedded PostgreSQL released", extra={"fields": {"pgdata": str(self.pgdata)}})
