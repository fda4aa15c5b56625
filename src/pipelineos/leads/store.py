"""Reading leads: newest first, filtered, paged by a keyset cursor (the last id seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from pipelineos.leads import pipeline

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
    """Conditions a listed lead meets, all of them. ``area`` is a place: it matches a lead in
    that service area (named by its name or an alias) and any lead whose location is that
    place or another name of it, in any case, so leads outside the service area are found by
    their place too."""

    priority: str | None = None
    category: str | None = None
    status: str | None = None
    area: str | None = None
    fit: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_leads(
    conn: psycopg.AsyncConnection[Any], filters: LeadFilter, *, before_id: int | None, limit: int
) -> list[Lead]:
    query, params = await list_query(conn, filters, before_id=before_id, limit=limit)
    async with conn.cursor(row_factory=class_row(Lead)) as cur:
        await cur.execute(query, params)
        return await cur.fetchall()


async def list_query(
    conn: psycopg.AsyncConnection[Any], filters: LeadFilter, *, before_id: int | None, limit: int
) -> tuple[sql.Composed, dict[str, Any]]:
    """The query :func:`list_leads` runs, and its parameters (tests read its plan)."""
    conditions: list[sql.Composable] = []
    params: dict[str, Any] = {"limit": limit}
    for column in ("priority", "category", "status", "fit"):
        value = getattr(filters, column)
        if value is not None:
            conditions.append(sql.SQL("l.{} = {}").format(sql.Identifier(column),
                                                          sql.Placeholder(column)))
            params[column] = value
    if filters.area is not None:
        # Each side is served by its own index (leads_area_idx, leads_location_idx).
        conditions.append(sql.SQL("(lower(l.area) = ANY(%(places)s)"
                                  " OR lower(l.location) = ANY(%(places)s))"))
        params["places"] = await _names_of_place(conn, filters.area)
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
    return query, params


async def _names_of_place(conn: psycopg.AsyncConnection[Any], place: str) -> list[str]:
    """``place`` in lower case, with the name and aliases of the service area it names."""
    key = " ".join(place.split()).lower()
    cur = await conn.execute(
        "SELECT lower(name), ARRAY(SELECT lower(alias) FROM unnest(aliases) AS alias)"
        " FROM service_areas WHERE lower(name) = %(key)s"
        " OR %(key)s = ANY(ARRAY(SELECT lower(alias) FROM unnest(aliases) AS alias))",
        {"key": key})
    names = {key}
    for name, aliases in await cur.fetchall():
        names.update([name, *aliases])
    return sorted(names)


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


@dataclass(frozen=True)
class Origin:
    """Where a lead's post came from."""

    source: str
    source_id: str | None
    url: str | None
    author: str | None
    posted_at: datetime | None
    received_at: datetime


@dataclass(frozen=True)
class AnalysisRecord:
    """The analysis a lead was made from, as stored."""

    analyzer: str
    model: str | None
    confidence: float
    reasons: list[str]
    created_at: datetime


@dataclass(frozen=True)
class LeadDetail:
    """Everything known about one lead: it, its post, its analysis, every sighting of the need
    and its history in the pipeline."""

    lead: Lead
    origin: Origin
    analysis: AnalysisRecord
    seen: list[Sighting]
    events: list[pipeline.LeadEvent]


async def lead_detail(conn: psycopg.AsyncConnection[Any], lead_id: int) -> LeadDetail | None:
    """The lead with ``lead_id`` and all about it; None when there is none."""
    lead = await get_lead(conn, lead_id)
    if lead is None:
        return None
    async with conn.cursor(row_factory=class_row(Origin)) as cur:
        await cur.execute("SELECT source, source_id, url, author, posted_at, received_at"
                          " FROM posts WHERE id = %s", (lead.post_id,))
        origin = await cur.fetchone()
    async with conn.cursor(row_factory=class_row(AnalysisRecord)) as cur:
        await cur.execute("SELECT a.analyzer, a.model, a.confidence, a.reasons, a.created_at"
                          " FROM analyses a JOIN leads l ON l.analysis_id = a.id"
                          " WHERE l.id = %s", (lead_id,))
        analysis = await cur.fetchone()
    assert origin is not None and analysis is not None  # foreign keys
    return LeadDetail(lead, origin, analysis, await sightings(conn, lead_id),
                      await pipeline.events(conn, lead_id))
