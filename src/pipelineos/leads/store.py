"""Reading and writing leads on a connection the caller holds; statements in ``queries.sql``.

These functions take a connection so :mod:`pipelineos.leads.service` can put several in one
transaction; code outside ``leads/`` calls the service, not these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from pipelineos.db import sql as named
from pipelineos.errors import NotFound
from pipelineos.leads.pipeline import LeadEvent

QUERIES = named.load(__package__)
Conn = psycopg.AsyncConnection[Any]


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


async def list_leads(conn: Conn, filters: LeadFilter, *, before_id: int | None,
                     limit: int) -> list[Lead]:
    query, params = await list_query(conn, filters, before_id=before_id, limit=limit)
    async with conn.cursor(row_factory=class_row(Lead)) as cur:
        await cur.execute(query, params)
        return await cur.fetchall()


async def list_query(conn: Conn, filters: LeadFilter, *, before_id: int | None,
                     limit: int) -> tuple[sql.Composed, dict[str, Any]]:
    """The query :func:`list_leads` runs, and its parameters (tests read its plan)."""
    conditions: list[sql.Composable] = []
    params: dict[str, Any] = {"limit": limit}
    for name in ("priority", "category", "status", "fit", "since", "until"):
        value = getattr(filters, name)
        if value is not None:
            conditions.append(sql.SQL(QUERIES[f"when_{name}"]))
            params[name] = value
    if filters.area is not None:
        # Each side is served by its own index (leads_area_idx, leads_location_idx).
        conditions.append(sql.SQL(QUERIES["when_place"]))
        params["places"] = await _names_of_place(conn, filters.area)
    if before_id is not None:
        conditions.append(sql.SQL(QUERIES["when_before_id"]))
        params["before_id"] = before_id
    where = sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
    return sql.SQL(QUERIES["list_leads"]).format(where=where), params


async def _names_of_place(conn: Conn, place: str) -> list[str]:
    """``place`` in lower case, with the name and aliases of the service area it names."""
    key = " ".join(place.split()).lower()
    cur = await conn.execute(QUERIES["names_of_place"], {"key": key})
    names = {key}
    for name, aliases in await cur.fetchall():
        names.update([name, *aliases])
    return sorted(names)


async def get_lead(conn: Conn, lead_id: int) -> Lead | None:
    async with conn.cursor(row_factory=class_row(Lead)) as cur:
        await cur.execute(QUERIES["get_lead"], {"id": lead_id})
        return await cur.fetchone()


@dataclass(frozen=True)
class Sighting:
    post_id: int
    group_name: str
    received_at: datetime
    similarity: float | None


async def sightings(conn: Conn, lead_id: int) -> list[Sighting]:
    """Every post of a lead: the original and each repeat, oldest first."""
    async with conn.cursor(row_factory=class_row(Sighting)) as cur:
        await cur.execute(QUERIES["sightings"], {"id": lead_id})
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
    events: list[LeadEvent]


async def lead_detail(conn: Conn, lead_id: int) -> LeadDetail | None:
    """The lead with ``lead_id`` and all about it; None when there is none."""
    lead = await get_lead(conn, lead_id)
    if lead is None:
        return None
    async with conn.cursor(row_factory=class_row(Origin)) as cur:
        await cur.execute(QUERIES["origin"], {"post_id": lead.post_id})
        origin = await cur.fetchone()
    async with conn.cursor(row_factory=class_row(AnalysisRecord)) as cur:
        await cur.execute(QUERIES["analysis"], {"id": lead_id})
        analysis = await cur.fetchone()
    assert origin is not None and analysis is not None  # foreign keys
    return LeadDetail(lead, origin, analysis, await sightings(conn, lead_id),
                      await events(conn, lead_id))


async def events(conn: Conn, lead_id: int) -> list[LeadEvent]:
    """A lead's history, oldest first."""
    async with conn.cursor(row_factory=class_row(LeadEvent)) as cur:
        await cur.execute(QUERIES["events"], {"id": lead_id})
        return await cur.fetchall()


async def record_change(conn: Conn, lead_id: int, *, actor: str, status: str | None,
                        note: str | None) -> LeadEvent | None:
    """Set the status and/or add the note, with its event row; None when that changes nothing.

    Run inside the caller's transaction: the lead's row is locked until it ends, and the new
    status and its event are kept or lost together. Raises :class:`NotFound`.
    """
    row = await (await conn.execute(QUERIES["lock_status"], {"id": lead_id})).fetchone()
    if row is None:
        raise NotFound(f"No lead {lead_id}")
    current = row[0]
    changed = status is not None and status != current
    if not changed and not note:
        return None
    await conn.execute(QUERIES["set_status"], {"status": status if changed else None,
                                               "changed": changed, "id": lead_id})
    async with conn.cursor(row_factory=class_row(LeadEvent)) as cur:
        await cur.execute(QUERIES["insert_event"], {
            "id": lead_id, "actor": actor, "from_status": current if changed else None,
            "to_status": status if changed else None, "note": note or None})
        return await cur.fetchone()
