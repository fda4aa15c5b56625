"""A lead's progress: new → contacted → quoted → won / lost (or spam), with a history.

Any status may follow any other (people correct mistakes); every change and every note is an
event with its time and who made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg.rows import class_row

from pipelineos.errors import InvalidInput, NotFound
from pipelineos.inputs import TextRule

STATUSES = ("new", "contacted", "quoted", "won", "lost", "spam")
Status = Literal["new", "contacted", "quoted", "won", "lost", "spam"]
NOTE = TextRule(2000, one_line=False)
ACTOR = TextRule(100)


@dataclass(frozen=True)
class LeadEvent:
    id: int
    at: datetime
    actor: str
    from_status: str | None
    to_status: str | None
    note: str | None


async def update(conn: psycopg.AsyncConnection[Any], lead_id: int, *, actor: str,
                 status: str | None = None, note: str | None = None) -> LeadEvent | None:
    """Change a lead's status and/or add a note; return the event (None if nothing changed)."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    if status is None and not note:
        raise InvalidInput("give a status, a note, or both")
    actor = ACTOR.clean(actor, "actor")
    note = NOTE.clean(note, "note") if note else None
    async with conn.transaction():
        row = await (await conn.execute(
            "SELECT status FROM leads WHERE id = %s FOR UPDATE", (lead_id,))).fetchone()
        if row is None:
            raise NotFound(f"No lead {lead_id}")
        current = row[0]
        changed = status is not None and status != current
        if not changed and not note:
            return None
        await conn.execute(
            "UPDATE leads SET updated_at = now(),"
            " status = coalesce(%(status)s, status),"
            " status_changed_at = CASE WHEN %(changed)s THEN now() ELSE status_changed_at END"
            " WHERE id = %(id)s",
            {"status": status if changed else None, "changed": changed, "id": lead_id})
        async with conn.cursor(row_factory=class_row(LeadEvent)) as cur:
            await cur.execute(
                "INSERT INTO lead_events (lead_id, actor, from_status, to_status, note)"
                " VALUES (%s, %s, %s, %s, %s)"
                " RETURNING id, at, actor, from_status, to_status, note",
                (lead_id, actor, current if changed else None, status if changed else None,
                 note or None))
            return await cur.fetchone()


async def events(conn: psycopg.AsyncConnection[Any], lead_id: int) -> list[LeadEvent]:
    async with conn.cursor(row_factory=class_row(LeadEvent)) as cur:
        await cur.execute(
            "SELECT id, at, actor, from_status, to_status, note FROM lead_events"
            " WHERE lead_id = %s ORDER BY at, id", (lead_id,))
        return await cur.fetchall()
