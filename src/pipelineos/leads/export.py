"""Leads as CSV or NDJSON, streamed: ``GET /api/leads.csv`` and ``pipelineos leads export``.

Pages of :data:`PAGE` leads are read through the leads service, newest first (the same filters
and order as ``GET /api/leads``), each written out before the next is read, so an export of
100,000 leads holds one page at a time. CSV cells are made safe for spreadsheets: a text cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'``, so
a post that says ``=HYPERLINK(…)`` is shown, not run (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Literal, Protocol

from pipelineos.leads.store import Lead, LeadFilter

PAGE = 1000
Format = Literal["csv", "ndjson"]
COLUMNS = ("id", "created_at", "priority", "status", "category", "location", "area", "fit",
           "urgency", "summary", "group_name", "post_text", "sightings", "last_seen_at",
           "status_changed_at", "analyzer", "confidence", "post_id")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Page(Protocol):
    @property
    def leads(self) -> list[Lead]: ...

    @property
    def next_cursor(self) -> int | None: ...


class Leads(Protocol):
    """What the export needs of the leads service."""

    async def list_leads(self, filters: LeadFilter | None = None, *, cursor: int | None = None,
                         limit: int = 50) -> Page: ...


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: formulas neutralised, times in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


async def leads(service: Leads, filters: LeadFilter) -> AsyncIterator[Lead]:
    cursor: int | None = None
    while True:
        page = await service.list_leads(filters, cursor=cursor, limit=PAGE)
        for lead in page.leads:
            yield lead
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


async def chunks(service: Leads, filters: LeadFilter, fmt: Format) -> AsyncIterator[str]:
    """The export as text chunks (a header, then one chunk per page of leads)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if fmt == "csv":
        writer.writerow(COLUMNS)
    count = 0
    async for lead in leads(service, filters):
        if fmt == "csv":
            writer.writerow([safe_cell(getattr(lead, name)) for name in COLUMNS])
        else:
            buffer.write(json.dumps({name: _plain(getattr(lead, name)) for name in COLUMNS},
                                    ensure_ascii=False))
            buffer.write("\n")
        count += 1
        if count % PAGE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
