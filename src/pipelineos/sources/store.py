"""The sources' rows: named SQL only (``queries.sql``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from pipelineos.db import sql
from pipelineos.sources.model import NewSource, Source

QUERIES = sql.load(__package__)

Conn = psycopg.AsyncConnection[Any]


async def insert(conn: Conn, new: NewSource, token_hash: str | None) -> Source | None:
    """The stored source, or None when the name is taken."""
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(QUERIES["insert_source"], {
        "name": new.name, "kind": new.kind, "config": Jsonb(new.config),
        "secrets": Jsonb(new.secrets), "token_hash": token_hash, "enabled": new.enabled,
        "interval_seconds": new.interval_seconds})
    row = await cur.fetchone()
    return Source.from_row(row) if row else None


async def all_sources(conn: Conn) -> list[Source]:
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(QUERIES["list_sources"])
    return [Source.from_row(row) for row in await cur.fetchall()]


async def get(conn: Conn, name: str) -> Source | None:
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(QUERIES["get_source"], {"name": name})
    row = await cur.fetchone()
    return Source.from_row(row) if row else None


async def update(conn: Conn, name: str, *, enabled: bool | None,
                 interval_seconds: int | None) -> Source | None:
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(QUERIES["update_source"], {"name": name, "enabled": enabled,
                                                 "interval_seconds": interval_seconds})
    row = await cur.fetchone()
    return Source.from_row(row) if row else None


async def delete(conn: Conn, name: str) -> bool:
    cur = await conn.execute(QUERIES["delete_source"], {"name": name})
    return await cur.fetchone() is not None


async def due(conn: Conn, now: datetime, kinds: Sequence[str], limit: int,
              slack: float = 1.5) -> list[str]:
    cur = await conn.execute(QUERIES["due_sources"], {"now": now, "kinds": list(kinds),
                                                      "limit": limit, "slack": slack})
    return [str(row[0]) for row in await cur.fetchall()]


async def try_lock(conn: Conn, source_id: int) -> bool:
    row = await (await conn.execute(QUERIES["try_lock"], {"id": source_id})).fetchone()
    return bool(row and row[0])


async def unlock(conn: Conn, source_id: int) -> None:
    await conn.execute(QUERIES["unlock"], {"id": source_id})


async def seen(conn: Conn, source_id: int, keys: Sequence[str]) -> set[str]:
    cur = await conn.execute(QUERIES["seen_keys"], {"source_id": source_id, "keys": list(keys)})
    return {str(row[0]) for row in await cur.fetchall()}


async def record_items(conn: Conn, source_id: int,
                       items: Sequence[tuple[str, int | None, str, str | None]]) -> None:
    """Mark (key, post id, outcome, reason) items seen."""
    if not items:
        return
    await conn.execute(QUERIES["record_items"], {
        "source_id": source_id, "keys": [i[0] for i in items], "post_ids": [i[1] for i in items],
        "outcomes": [i[2] for i in items], "reasons": [i[3] for i in items]})


async def record_success(conn: Conn, source_id: int, now: datetime, *,
                         cursor: Mapping[str, Any] | None, accepted: int,
                         rejected: int) -> None:
    await conn.execute(QUERIES["record_success"], {
        "id": source_id, "now": now, "cursor": Jsonb(dict(cursor)) if cursor is not None
        else None, "accepted": accepted, "rejected": rejected})


async def record_failure(conn: Conn, source_id: int, now: datetime, error: str) -> None:
    await conn.execute(QUERIES["record_failure"], {"id": source_id, "now": now,
                                                   "error": error})


async def newly_quiet(conn: Conn, now: datetime, quiet: float) -> list[dict[str, Any]]:
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(QUERIES["newly_quiet"], {"now": now, "quiet": quiet})
    return list(await cur.fetchall())


async def well_again(conn: Conn, now: datetime, quiet: float) -> list[str]:
    cur = await conn.execute(QUERIES["well_again"], {"now": now, "quiet": quiet})
    return [str(row[0]) for row in await cur.fetchall()]
