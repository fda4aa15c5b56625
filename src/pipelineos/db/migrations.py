"""Versioned schema migrations, applied at start-up and by ``pipelineos migrate``.

Migrations are the files ``versions/NNNN_name.sql`` in this package, applied in order and
recorded in ``schema_migrations``. A run is one transaction (PostgreSQL DDL is transactional, so a
failing migration leaves the schema as it was) holding an advisory lock, so two processes starting
together apply each migration once: the second waits, then finds nothing left to do.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
from dataclasses import dataclass
from importlib import resources

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


# Schemas owned by a component that ships its own DDL (kept there, next to the code that uses
# it), applied at the version given: version -> (name, module, attribute).
COMPONENT_SCHEMAS: dict[int, tuple[str, str, str]] = {
    2: ("rate_limit_buckets", "pipelineos.resilience.postgres", "SCHEMA_SQL"),
    20: ("circuit_breakers", "pipelineos.resilience.postgres", "CIRCUIT_SCHEMA_SQL"),
}


# Components that manage their own schema versions (procrastinate ships its own migration
# files): each is "module:function", an async function given the migration connection inside
# the migration transaction and lock, returning what it applied.
UPGRADERS: tuple[str, ...] = ("pipelineos.jobs.schema:upgrade",)


def available() -> list[Migration]:
    """Every migration shipped with the package, in order."""
    found: list[Migration] = []
    for entry in resources.files(__package__).joinpath("versions").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    for version, (name, module, attribute) in COMPONENT_SCHEMAS.items():
        found.append(Migration(version, name, getattr(importlib.import_module(module), attribute)))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {versions}")
    return found


_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)"""


async def migrate(pool: AsyncConnectionPool, migrations: list[Migration] | None = None) -> list[str]:
    """Apply pending migrations; return the names applied (empty when up to date)."""
    todo = available() if migrations is None else migrations
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
        for target in UPGRADERS:
            module, function = target.split(":")
            async with conn.transaction():
                for step in await getattr(importlib.import_module(module), function)(conn):
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
