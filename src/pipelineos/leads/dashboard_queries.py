"""What the owner's dashboard reads about leads: the inbox page (one query for a page, however
many rows), the hot-and-new strip, counts per status, leads newer than the last one shown (live
updates) and the alerts sent about a lead.

The inbox pages by a keyset cursor (ids below the last one shown), so page 2,000 costs what page
1 does; text search is a case-insensitive substring of the post or the summary, found through
the leads' own index of 3-character pieces (``search_grams``) and confirmed by ILIKE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from pipelineos.errors import InvalidInput, NotFound
from pipelineos.inputs import TextRule
from pipelineos.leads import store
from pipelineos.leads.pipeline import STATUSES
from pipelineos.leads.store import Lead

SEARCH = TextRule(200)
# A text needs a whole 3-character piece in each of its three phases to use the leads' grams
# (migration 0021), and one holding U+0001 (the mark the pieces are cut at) never does.
INDEXED_LENGTH = 5
WINDOW = 2000  # newest leads a text search reads before it turns to the index
GROUP = TextRule(200)


@dataclass(frozen=True)
class InboxFilter:
    """The inbox's filters, all of them applied (None: not filtered)."""

    status: str | None = None
    priority: str | None = None
    category: str | None = None
    area: str | None = None
    group: str | None = None
    search: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def inbox_page(conn: psycopg.AsyncConnection[Any], filters: InboxFilter, *,
                     before_id: int | None = None, after_id: int | None = None,
                     limit: int = 50, window: int = WINDOW) -> list[Lead]:
    """Leads matching ``filters``, newest first: below ``before_id`` (the next page) or above
    ``after_id`` (those that arrived since the page was shown). The leads service's list query
    and conditions, with the dashboard's own (group, text, newer than).

    A text search reads the newest ``window`` leads directly, which fills the page when the
    text is common; only if it does not are the older ones found through the index of pieces
    (the planner cannot tell a common text from a rare one by its pieces: it takes every text
    for rare, and a common one through the index costs reading all its leads). A text under
    5 characters reads every lead, as before."""
    params: dict[str, Any] = {"limit": limit}
    conditions: list[sql.Composable] = []
    for name in ("status", "priority", "category", "since", "until"):
        if getattr(filters, name) is not None:
            params[name] = getattr(filters, name)
            conditions.append(sql.SQL(store.QUERIES[f"when_{name}"]))
    if filters.area is not None:
        params["places"] = await store._names_of_place(conn, filters.area)
        conditions.append(sql.SQL(store.QUERIES["when_place"]))
    if filters.group is not None:
        params["group"] = filters.group
        conditions.append(sql.SQL("lower(p.group_name) = lower(%(group)s)"))
    if filters.search:
        params["pattern"] = "%" + _escape_like(filters.search) + "%"
        conditions.append(sql.SQL("(p.body ILIKE %(pattern)s OR l.summary ILIKE %(pattern)s)"))
    if before_id is not None:
        params["before_id"] = before_id
        conditions.append(sql.SQL(store.QUERIES["when_before_id"]))
    if after_id is not None:
        params["after_id"] = after_id
        conditions.append(sql.SQL("l.id > %(after_id)s"))
    indexed = (filters.search is not None and len(filters.search) >= INDEXED_LENGTH
               and "\x01" not in filters.search)
    floor = await _window_floor(conn, before_id, after_id, window) if indexed else None
    if floor is None:
        return await _list(conn, conditions, params)
    params["floor"] = floor
    newest = await _list(conn, [*conditions, sql.SQL("l.id > %(floor)s")], params,
                         query="list_leads_post_by_post")
    if len(newest) >= limit:
        return newest
    params.update(limit=limit - len(newest), search=filters.search)
    older = await _list(conn, [*conditions, sql.SQL("l.id <= %(floor)s"), sql.SQL(
        "(l.search_grams @> search_phase(%(search)s::text, 0)"
        " OR l.search_grams @> search_phase(%(search)s::text, 1)"
        " OR l.search_grams @> search_phase(%(search)s::text, 2))")], params)
    return newest + older


async def _list(conn: psycopg.AsyncConnection[Any], conditions: list[sql.Composable],
                params: dict[str, Any], query: str = "list_leads") -> list[Lead]:
    where = sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions) if conditions else sql.SQL("")
    async with conn.cursor(row_factory=class_row(Lead)) as cur:
        await cur.execute(sql.SQL(store.QUERIES[query]).format(where=where), params)
        return await cur.fetchall()


async def _window_floor(conn: psycopg.AsyncConnection[Any], before_id: int | None,
                        after_id: int | None, window: int) -> int | None:
    """The id at and below which a text search uses the trigram index: that of the lead after
    the first ``window`` under ``before_id`` (None when there is none: all are read directly)."""
    cur = await conn.execute(
        "SELECT id FROM leads WHERE id < coalesce(%(before_id)s, 9223372036854775807)"
        " AND id > coalesce(%(after_id)s, 0) ORDER BY id DESC OFFSET %(window)s LIMIT 1",
        {"before_id": before_id, "after_id": after_id, "window": window})
    row = await cur.fetchone()
    return int(row[0]) if row else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def hot_and_new(conn: psycopg.AsyncConnection[Any], limit: int = 10) -> list[Lead]:
    """High-priority leads nobody has acted on yet, newest first (served by leads_hot_new_idx)."""
    return await inbox_page(conn, InboxFilter(status="new", priority="high"), limit=limit)


async def status_counts(conn: psycopg.AsyncConnection[Any]) -> dict[str, int]:
    """How many leads are in each status (every status present, 0 when none)."""
    counts = dict.fromkeys(STATUSES, 0)
    cur = await conn.execute("SELECT status, count(*) FROM leads GROUP BY status")
    for status, count in await cur.fetchall():
        counts[status] = count
    return counts


async def newest_id(conn: psycopg.AsyncConnection[Any]) -> int:
    cur = await conn.execute("SELECT coalesce(max(id), 0) FROM leads")
    row = await cur.fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class AlertSent:
    """An alert about a lead and what became of it."""

    id: int
    kind: str
    status: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    delivery_status: str | None
    last_error: str | None


async def alerts_for(conn: psycopg.AsyncConnection[Any], lead_id: int) -> list[AlertSent]:
    async with conn.cursor(row_factory=class_row(AlertSent)) as cur:
        await cur.execute(
            "SELECT id, kind, status, created_at, sent_at, attempts, delivery_status, last_error"
            " FROM alert_outbox WHERE lead_id = %s ORDER BY id", (lead_id,))
        return await cur.fetchall()


async def groups(conn: psycopg.AsyncConnection[Any], limit: int = 200) -> list[str]:
    """Group names leads came from, for the inbox's filter (the most recent leads' groups)."""
    cur = await conn.execute(
        "SELECT DISTINCT p.group_name FROM (SELECT post_id FROM leads ORDER BY id DESC"
        " LIMIT 2000) l JOIN posts p ON p.id = l.post_id ORDER BY 1 LIMIT %s", (limit,))
    return [row[0] for row in await cur.fetchall()]


# --- the pipeline board ----------------------------------------------------------------------

@dataclass(frozen=True)
class BoardCard:
    id: int
    status: str
    priority: str
    category: str | None
    location: str | None
    summary: str
    group_name: str
    created_at: datetime
    job_value_cents: int | None


@dataclass(frozen=True)
class BoardColumn:
    status: str
    count: int
    value_cents: int  # the sum of entered job values in this status
    cards: list[BoardCard]


async def board(conn: psycopg.AsyncConnection[Any], per_column: int = 20) -> list[BoardColumn]:
    """Each status with its count, the value of its jobs and its newest ``per_column`` leads
    (one query for the cards, one for the totals)."""
    async with conn.cursor(row_factory=class_row(BoardCard)) as cur:
        await cur.execute(
            "SELECT c.id, c.status, c.priority, c.category, c.location, c.summary,"
            " p.group_name, c.created_at, c.job_value_cents"
            " FROM unnest(%(statuses)s::text[]) AS s(status)"
            " CROSS JOIN LATERAL (SELECT * FROM leads l WHERE l.status = s.status"
            "  ORDER BY l.created_at DESC, l.id DESC LIMIT %(limit)s) c"
            " JOIN posts p ON p.id = c.post_id ORDER BY c.created_at DESC, c.id DESC",
            {"statuses": list(STATUSES), "limit": per_column})
        cards = await cur.fetchall()
    cur2 = await conn.execute(
        "SELECT status, count(*), coalesce(sum(job_value_cents), 0) FROM leads GROUP BY status")
    totals = {status: (count, value) for status, count, value in await cur2.fetchall()}
    return [BoardColumn(status, *totals.get(status, (0, 0)),
                        [card for card in cards if card.status == status])
            for status in STATUSES]


MAX_VALUE_CENTS = 10**12  # ten billion dollars: a typo, not a job


async def set_job_value(conn: psycopg.AsyncConnection[Any], lead_id: int, cents: int | None, *,
                        actor: str) -> None:
    """Record what the job is worth (None clears it), with a note in the lead's history, in
    one transaction."""
    if cents is not None and not 0 <= cents <= MAX_VALUE_CENTS:
        raise InvalidInput("value must be between 0 and 10,000,000,000")
    async with conn.transaction():
        cur = await conn.execute(
            "UPDATE leads SET job_value_cents = %s, updated_at = now() WHERE id = %s"
            " RETURNING id", (cents, lead_id))
        if await cur.fetchone() is None:
            raise NotFound(f"No lead {lead_id}")
        note = "job value cleared" if cents is None else f"job value set to ${cents / 100:,.2f}"
        await conn.execute("INSERT INTO lead_events (lead_id, actor, note) VALUES (%s, %s, %s)",
                           (lead_id, actor, note))


async def job_value(conn: psycopg.AsyncConnection[Any], lead_id: int) -> int | None:
    cur = await conn.execute("SELECT job_value_cents FROM leads WHERE id = %s", (lead_id,))
    row = await cur.fetchone()
    return int(row[0]) if row and row[0] is not None else None


# --- numbers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DayCount:
    day: datetime
    category: str
    leads: int


async def leads_per_day(conn: psycopg.AsyncConnection[Any], days: int = 14) -> list[DayCount]:
    """Leads created each day (UTC) of the last ``days``, by service category."""
    async with conn.cursor(row_factory=class_row(DayCount)) as cur:
        await cur.execute(
            "SELECT date_trunc('day', created_at) AS day, coalesce(category, 'unknown')"
            " AS category, count(*) AS leads FROM leads"
            " WHERE created_at >= date_trunc('day', now()) - make_interval(days => %s)"
            " GROUP BY 1, 2 ORDER BY 1, 2", (days - 1,))
        return await cur.fetchall()


@dataclass(frozen=True)
class Speed:
    """Seconds from a post's arrival to something, over the leads it happened for."""

    leads: int
    median: float | None
    p90: float | None


async def speed_to_lead(conn: psycopg.AsyncConnection[Any], days: int = 30) -> dict[str, Speed]:
    """``alerted``: post received to the lead's alert sent; ``contacted``: post received to
    the first move to *contacted*; over leads created in the last ``days``."""
    cur = await conn.execute(
        "WITH recent AS (SELECT l.id, p.received_at FROM leads l JOIN posts p ON p.id = l.post_id"
        "  WHERE l.created_at >= now() - make_interval(days => %(days)s)),"
        " alerted AS (SELECT extract(epoch FROM a.sent_at - r.received_at) AS s FROM recent r"
        "  JOIN alert_outbox a ON a.lead_id = r.id WHERE a.sent_at IS NOT NULL),"
        " contacted AS (SELECT extract(epoch FROM min(e.at) - r.received_at) AS s FROM recent r"
        "  JOIN lead_events e ON e.lead_id = r.id AND e.to_status = 'contacted'"
        "  GROUP BY r.id, r.received_at)"
        " SELECT 'alerted', count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY s),"
        "  percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FROM alerted"
        " UNION ALL SELECT 'contacted', count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY s),"
        "  percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FROM contacted", {"days": days})
    return {name: Speed(count, median, p90) for name, count, median, p90 in await cur.fetchall()}


@dataclass(frozen=True)
class GroupResult:
    group_name: str
    leads: int
    won: int
    lost: int
    value_cents: int


async def won_by_group(conn: psycopg.AsyncConnection[Any], limit: int = 20) -> list[GroupResult]:
    """Per group: leads, won, lost and the value of won jobs; the groups with most leads."""
    async with conn.cursor(row_factory=class_row(GroupResult)) as cur:
        await cur.execute(
            "SELECT p.group_name, count(*) AS leads,"
            " count(*) FILTER (WHERE l.status = 'won') AS won,"
            " count(*) FILTER (WHERE l.status = 'lost') AS lost,"
            " coalesce(sum(l.job_value_cents) FILTER (WHERE l.status = 'won'), 0) AS value_cents"
            " FROM leads l JOIN posts p ON p.id = l.post_id GROUP BY p.group_name"
            " ORDER BY count(*) DESC, p.group_name LIMIT %s", (limit,))
        return await cur.fetchall()
