"""Versioned schema migrations, applied at start-up and by ``pipelineos migrate``.

Migrations are the files ``versions/NNNN_name.sql`` in this package, applied in order and
recorded in ``schema_migrations``, plus what components hand in: a :class:`Schema` is built by
the composition root (``pipelineos.bootstrap.SCHEMA``) from the files, each component's own DDL
(a :class:`Migration` at its version number) and the upgraders of components that version their
schema themselves (procrastinate). This package imports none of them.

A run is one transaction (PostgreSQL DDL is transactional, so a failing migration leaves the
schema as it was) holding an advisory lock, so two processes starting together apply each
migration once: the second waits, then finds nothing left to do.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger(__name__)

# An arbitrary constant that names "the migration lock" for pg_advisory_xact_lock.
MIGRATION_LOCK_ID = 7_310_421_001

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


# A component that manages its own schema versions: given the migration connection inside the
# migration transaction and lock, it applies what is missing and returns the names applied.
Upgrader = Callable[[psycopg.AsyncConnection[Any]], Awaitable[list[str]]]


def files() -> list[Migration]:
    """The migrations shipped as files in ``versions/``, in order."""
    found: list[Migration] = []
    for entry in resources.files(__package__).joinpath("versions").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


@dataclass(frozen=True)
class Schema:
    """Everything a database needs: the shipped files, the components' own schemas (kept next
    to the code that uses them, each at its version number) and the upgraders run after them.
    """

    components: tuple[Migration, ...] = ()
    upgraders: tuple[Upgrader, ...] = ()

    def available(self) -> list[Migration]:
        """Every migration, in order; two sharing a version number is an error."""
        found = sorted([*files(), *self.components], key=lambda m: m.version)
        versions = [m.version for m in found]
        if len(set(versions)) != len(versions):
            raise RuntimeError(f"two migrations share a version number: {versions}")
        return found

    async def migrate(self, pool: AsyncConnectionPool,
                      only: Iterable[Migration] | None = None) -> list[str]:
        """Apply pending migrations (``only`` those given, if given), then the upgraders;
        return the names applied (empty when up to date)."""
        return await migrate(pool, self.available() if only is None else list(only),
                             self.upgraders)


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)"""


async def migrate(pool: AsyncConnectionPool, todo: list[Migration],
                  upgraders: Iterable[Upgrader] = ()) -> list[str]:
    """Apply the pending ones of ``todo``, then ``upgraders``; return the names applied (empty
    when up to date). :meth:`Schema.migrate` is the usual way in."""
    applied_now: list[str] = []
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_ID,))
        await conn.execute(_CREATE_TABLE)
        rows = await (await conn.execute("SELECT version, checksum FROM schema_migrations")).fetchall()
        done = {version: checksum for version, checksum in rows}
        for migration in todo:
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    log.warning(
                        "Applied migration differs from the shipped file",
                        extra={"fields": {"version": migration.version, "name": migration.name}},
                    )
                continue
            async with conn.transaction():
                await conn.execute(migration.sql.encode())
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, migration.checksum),
                )
            applied_now.append(f"{migration.version:04d}_{migration.name}")
            log.info(
                "Migration applied",
                extra={"fields": {"version": migration.version, "name": migration.name}},
            )
        for upgrade in upgraders:
            async with conn.transaction():
                for step in await upgrade(conn):
                    applied_now.append(step)
                    log.info("Migration applied", extra={"fields": {"name": step}})
    return applied_now


async def current_version(pool: AsyncConnectionPool) -> int:
    async with pool.connection() as conn:
        exists = await (
            await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = await (await conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")).fetchone()
        return int(row[0]) if row else 0
