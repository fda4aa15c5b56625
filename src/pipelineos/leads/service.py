"""The leads service: the one way the web routes, the CLI and the jobs read and change leads.

Reads borrow a connection from the one pool for the call; a change of a lead (its status, a
note, or both) and its event row are one transaction, and the lead returned with it is read in
that transaction, so a caller never sees a status without its history entry::

    service = LeadService(pool)
    page = await service.list_leads(LeadFilter(status="new"), limit=50)
    change = await service.change(lead_id, actor="maria", status="contacted", note="Called")
    change.detail.lead.status  # "contacted", change.event its history entry

Errors: :class:`~pipelineos.errors.NotFound` for a lead that does not exist (on a change),
:class:`~pipelineos.errors.InvalidInput` for an unknown status, an empty change or a note or
actor that breaks its text rule. Database errors pass through unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg_pool import AsyncConnectionPool

from pipelineos.errors import InvalidInput, NotFound
from pipelineos.leads import store
from pipelineos.leads.pipeline import ACTOR, NOTE, STATUSES, LeadEvent
from pipelineos.leads.store import Lead, LeadDetail, LeadFilter

__all__ = ["Lead", "LeadChange", "LeadDetail", "LeadFilter", "LeadPage", "LeadService"]


@dataclass(frozen=True)
class LeadPage:
    """A page of leads, newest first; ``next_cursor`` is passed as ``cursor`` for the next
    (older) page, None on the last page."""

    leads: list[Lead]
    next_cursor: int | None


@dataclass(frozen=True)
class LeadChange:
    """What a change did: its history entry (None when it changed nothing, e.g. the status it
    already had and no note) and the lead in full as the change left it."""

    event: LeadEvent | None
    detail: LeadDetail


class LeadService:
    """Leads: list, read one in full, move along the pipeline, add notes."""

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def list_leads(self, filters: LeadFilter | None = None, *, cursor: int | None = None,
                   limit: int = 50) -> LeadPage:
        """Leads meeting ``filters``, newest first, at most ``limit``, older than the lead id
        ``cursor`` when given."""
        async with self._pool.connection() as conn:
            rows = await store.list_leads(conn, filters or LeadFilter(), before_id=cursor,
                                          limit=limit + 1)
        page = rows[:limit]
        return LeadPage(page, page[-1].id if len(rows) > limit else None)

    async def get(self, lead_id: int) -> Lead | None:
        """The lead (with its post's text and group, and its analyzer), None if none."""
        async with self._pool.connection() as conn:
            return await store.get_lead(conn, lead_id)

    async def detail(self, lead_id: int) -> LeadDetail | None:
        """The lead, its post's origin, its analysis, every sighting and its history, read in
        one snapshot; None when there is no such lead."""
        async with self._pool.connection() as conn, conn.transaction():
            await conn.execute(store.QUERIES["snapshot"])
            return await store.lead_detail(conn, lead_id)

    async def change(self, lead_id: int, *, actor: str, status: str | None = None,
                     note: str | None = None) -> LeadChange:
        """Set the status and/or add a note, kept with ``actor`` in the lead's history.

        The status, ``updated_at``/``status_changed_at`` and the event row are written in one
        transaction: either all are kept or none. Raises :class:`NotFound` (no such lead) and
        :class:`InvalidInput` (unknown status, neither status nor note, bad text).
        """
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
        if status is None and not note:
            raise InvalidInput("give a status, a note, or both")
        actor = ACTOR.clean(actor, "actor")
        note = NOTE.clean(note, "note") if note else None
        async with self._pool.connection() as conn, conn.transaction():
            event = await store.record_change(conn, lead_id, actor=actor, status=status,
                                              note=note)
            detail = await store.lead_detail(conn, lead_id)
        if detail is None:  # pragma: no cover - the row is locked by record_change
            raise NotFound(f"No lead {lead_id}")
        return LeadChange(event, detail)

    async def set_status(self, lead_id: int, status: str, *, actor: str,
                         note: str | None = None) -> LeadChange:
        """Move the lead to ``status`` (with an optional note); see :meth:`change`."""
        return await self.change(lead_id, actor=actor, status=status, note=note)

    async def add_note(self, lead_id: int, note: str, *, actor: str) -> LeadChange:
        """Add a note to the lead's history, its status unchanged; see :meth:`change`."""
        return await self.change(lead_id, actor=actor, note=note)

    async def history(self, lead_id: int) -> list[LeadEvent]:
        """The lead's status changes and notes, oldest first (empty for an unknown lead)."""
        async with self._pool.connection() as conn:
            return await store.events(conn, lead_id)
