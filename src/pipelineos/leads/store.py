"""Reading leads: newest first, filtered, paged by a keyset cursor (the last id seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

_COLUMNS = sql.SQL(
    """l.id, l.post_id, l.category, l.location, l.area, l.fit, l.urgency, l.priority,
       l.summary, l.status, l.status_changed_at, l.sightings, l.last_seen_at, l.created_at,
       l.updated_at, p.group_name,
       p.body AS post_text, a.analyzer, a.confidence"""
)
_FROM = sql.SQL(
    "FROM leads l JOIN posts p ON p.id = l.post_id JOIN analyses a ON a.id = l.analysis_id"
)


@dataclass(frozen=True)
class Lead:
    id: int
    post_id: int
    category: str | None
    location: str | None
    area: str | None
    fit: str
    urgency: str
    priority: str
    summary: str
    status: str
    status_changed_at: datetime
    sightings: int
    last_seen_at: datetime
    created_at: datetime
    updated_at: datetime
    group_name: str
    post_text: str
    analyzer: str
    confidence: float


@dataclass(frozen=True)
class LeadFilter:
    priority: str | None = None
    category: str | None = None
    status: str | None = None
    area: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_leads(
    conn: psycopg.AsyncConnection[Any], filters: LeadFilter, *, before_id: int | None, limit: int
) -> list[Lead]:
    conditions: list[sql.Composable] = []
    params: dict[str, Any] = {"limit": limit}
    for column in ("priority", "category", "status"):
        value = getattr(filters, column)
        if value is not None:
            conditions.append(sql.SQL("l.{} = {}").format(sql.Identifier(column),
                                                          sql.Placeholder(column)))
            params[column] = value
    if filters.area is not None:
        conditions.append(sql.SQL("lower(l.area) = lower(%(area)s)"))
        params["area"] = filters.area
    if filters.since is not None:
        conditions.append(sql.SQL("l.created_at >= %(since)s"))
        params["since"] = filters.since
    if filters.until is not None:
        conditions.append(sql.SQL("l.created_at < %(until)s"))
        params["until"] = filters.until
    if before_id is not None:
        conditions.append(sql.SQL("l.id < %(before_id)s"))
        params["before_id"] = before_id
    where = sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
    query = sql.SQL("SELECT {} {} {} ORDER BY l.id DESC LIMIT %(limit)s").format(
        _COLUMNS, _FROM, where
    )
    async with conn.cursor(row_factory=class_row(Lead)) as cur:
        await cur.execute(query, params)
        return await cur.fetchall()


async def get_lead(conn: psycopg.AsyncConnection[Any], lead_id: int) -> Lead | None:
    query = sql.SQL("SELECT {} {} WHERE l.id = %(id)s").format(_COLUMNS, _FROM)
    async with conn.cursor(row_factory=class_row(Lead)) as cur:
        await cur.execute(query, {"id": lead_id})
        return await cur.fetchone()


@dataclass(frozen=True)
class Sighting:
    post_id: int
    group_name: str
    received_at: datetime
    similarity: float | None


async def sightings(conn: psycopg.AsyncConnection[Any], lead_id: int) -> list[Sighting]:
    """Every post of a lead: the original and each repeat, oldest first."""
    async with conn.cursor(row_factory=class_row(Sighting)) as cur:
        await cur.execute(
            "SELECT p.id AS post_id, p.group_name, p.received_at, p.similarity FROM posts p"
            " JOIN leads l ON p.id = l.post_id OR p.duplicate_of = l.post_id"
            " WHERE l.id = %s ORDER BY p.received_at, p.id", (lead_id,))
        return await cur.fetchall()
