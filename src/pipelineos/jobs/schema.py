"""Installing and upgrading procrastinate's schema from our migrations.

procrastinate ships its full schema (``schema.sql``) and the migrations between its versions
(``sql/migrations/<version>_<nn>_<name>.sql``). A fresh database gets the full schema; a database
that has it gets the migration files newer than the version recorded for it, in order. The
version is kept in ``component_versions``, and all of it runs inside our migration transaction
and lock, so it is idempotent and safe with several processes starting together.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import psycopg
from procrastinate import schema as procrastinate_schema

COMPONENT = "procrastinate"
_MIGRATION = re.compile(r"^(\d{2}\.\d{2}\.\d{2})_(\d{2})_\w+\.sql$")


def _migrations() -> list[tuple[str, Path]]:
    """(sortable version, file) for every migration procrastinate ships, oldest first."""
    found = []
    for path in Path(procrastinate_schema.SchemaManager.get_migrations_path()).iterdir():
        match = _MIGRATION.match(path.name)
        if match:
            found.append((f"{match[1]}_{match[2]}", path))
    return sorted(found)


def shipped_version() -> str:
    """The version of the schema the installed procrastinate expects."""
    return _migrations()[-1][0]


async def upgrade(conn: psycopg.AsyncConnection[Any]) -> list[str]:
    """Install or upgrade procrastinate's schema on ``conn`` (inside the caller's transaction)."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS component_versions ("
        " component text PRIMARY KEY, version text NOT NULL,"
        " updated_at timestamptz NOT NULL DEFAULT now())"
    )
    row = await (await conn.execute(
        "SELECT version FROM component_versions WHERE component = %s", (COMPONENT,)
    )).fetchone()
    applied: list[str] = []
    if row is None:
        exists = await (await conn.execute(
            "SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).fetchone()
        if exists and exists[0]:
            raise RuntimeError(
                "procrastinate tables exist but their version is unknown; record it in "
                "component_versions before upgrading"
            )
        await conn.execute(procrastinate_schema.SchemaManager.get_schema().encode())
        applied.append(f"procrastinate schema {shipped_version()}")
    else:
        for version, path in _migrations():
            if version > row[0]:
                await conn.execute(path.read_text(encoding="utf-8").encode())
                applied.append(f"procrastinate {path.name}")
    await conn.execute(
        "INSERT INTO component_versions (component, version) VALUES (%s, %s)"
        " ON CONFLICT (component) DO UPDATE SET version = excluded.version, updated_at = now()",
        (COMPONENT, shipped_version()),
    )
    return applied
