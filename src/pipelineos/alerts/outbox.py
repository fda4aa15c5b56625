"""The alert outbox table: enqueue, claim, record. Statements live in ``queries.sql``.

Life of a row::

    pending ──claim──> sending ──> sent
       ^                  │   ├──> failed      (Twilio will never take it)
       │                  │   ├──> suppressed  (the lead was dealt with before we texted)
       └──── retry ───────┘   └──> logged      (notifications disabled: written to the log)

A claim carries a fresh ``claim_id``; every outcome is recorded only under that claim, so a
worker whose claim was recovered (it looked dead) cannot overwrite another worker's result.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from pipelineos.db import sql

QUERIES = sql.load(__package__)

RANK_CRITICAL, RANK_LEAD, RANK_DIGEST = 0, 1, 2
FINAL_STATES = ("sent", "failed", "suppressed", "logged")
# Status callback values and how far along each is; callbacks only move a row forward.
DELIVERY_RANK = {"accepted": 1, "queued": 1, "scheduled": 1, "sending": 2, "sent": 3,
                 "delivered": 4, "undelivered": 4, "failed": 4, "read": 4, "canceled": 4}


@dataclass(frozen=True)
class Claimed:
    """An alert this worker holds, with what its text needs."""

    id: int
    claim_id: uuid.UUID
    kind: str
    lead_id: int | None
    body: str | None
    attempts: int
    maybe_sent: bool
    send_started_at: datetime | None
    created_at: datetime
    category: str | None
    location: str | None
    urgency: str | None
    lead_status: str | None
    group_name: str | None
    post_text: str | None


Conn = psycopg.AsyncConnection[Any]


async def _one(conn: Conn, name: str, params: dict[str, Any]) -> Any:
    cur = await conn.execute(QUERIES[name], params)
    row = await cur.fetchone()
    return row[0] if row else None


async def enqueue_lead(conn: Conn, lead_id: int) -> int | None:
    """Queue the alert for ``lead_id``; the new alert's id, or None if it already had one."""
    return await _one(conn, "enqueue_lead", {"lead_id": lead_id})  # type: ignore[no-any-return]


async def enqueue_message(conn: Conn, *, kind: str, rank: int, body: str,
                          dedupe_key: str | None, repeat_after: datetime) -> int | None:
    """Queue a ready-made text; None when its ``dedupe_key`` or an identical recent text exists."""
    return await _one(conn, "enqueue_message",  # type: ignore[no-any-return]
                      {"kind": kind, "rank": rank, "body": body, "dedupe_key": dedupe_key,
                       "repeat_after": repeat_after})


async def enqueue_channel_only(conn: Conn, *, body: str,
                               repeat_after: datetime) -> int | None:
    """Queue a critical text for the ``critical`` channels only (stored as 'logged': SMS never
    sends it); None when the same text was queued after ``repeat_after``."""
    return await _one(conn, "enqueue_channel_only",  # type: ignore[no-any-return]
                      {"body": body, "repeat_after": repeat_after})


async def claim_next(conn: Conn, *, now: datetime) -> Claimed | None:
    claim_id = uuid.uuid4()
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["claim_next"], {"now": now, "claim_id": claim_id})
        row = await cur.fetchone()
    return None if row is None else Claimed(claim_id=claim_id, **row)


async def begin_send(conn: Conn, claimed: Claimed, body: str) -> tuple[str, datetime] | None:
    """Fix the text and the look-up window start; None if the claim was lost."""
    cur = await conn.execute(QUERIES["begin_send"],
                             {"id": claimed.id, "claim_id": claimed.claim_id, "body": body})
    row = await cur.fetchone()
    return None if row is None else (row[0], row[1])


async def mark_sent(conn: Conn, claimed: Claimed, *, sid: str, twilio_status: str,
                    attempted: int, now: datetime) -> bool:
    return await _one(conn, "mark_sent", {
        "id": claimed.id, "claim_id": claimed.claim_id, "sid": sid,
        "twilio_status": twilio_status, "attempted": attempted, "now": now,
    }) is not None


async def mark_retry(conn: Conn, claimed: Claimed, *, next_attempt_at: datetime | None,
                     attempted: int, maybe_sent: bool, error_code: int | None,
                     error: str | None) -> bool:
    return await _one(conn, "mark_retry", {
        "id": claimed.id, "claim_id": claimed.claim_id, "next_attempt_at": next_attempt_at,
        "attempted": attempted, "maybe_sent": maybe_sent, "error_code": error_code,
        "error": error,
    }) is not None


async def mark_done(conn: Conn, claimed: Claimed, status: str, *, attempted: int = 0,
                    body: str | None = None, error_code: int | None = None,
                    error: str | None = None) -> bool:
    assert status in FINAL_STATES and status != "sent"
    return await _one(conn, "mark_done", {
        "id": claimed.id, "claim_id": claimed.claim_id, "status": status,
        "attempted": attempted, "body": body, "error_code": error_code, "error": error,
    }) is not None


async def recover_stuck(conn: Conn, *, cutoff: datetime) -> list[int]:
    """Claims taken before ``cutoff`` go back to 'pending' (flagged ``maybe_sent`` if a request
    may have left); the ids recovered."""
    cur = await conn.execute(QUERIES["recover_stuck"], {"cutoff": cutoff})
    return [row[0] for row in await cur.fetchall()]


async def next_due(conn: Conn) -> tuple[bool, datetime | None, datetime | None]:
    """(an alert is due now, when the earliest deferred alert becomes due, when the oldest
    claim still sending was taken)."""
    cur = await conn.execute(QUERIES["next_due"])
    row = await cur.fetchone()
    return (bool(row[0]), row[1], row[2]) if row else (False, None, None)


async def record_delivery(conn: Conn, *, alert_id: int | None, sid: str, status: str,
                          error_code: int | None, now: datetime) -> int | None:
    """Record a status callback; the alert's id, or None if unknown or already further along."""
    return await _one(conn, "record_delivery", {  # type: ignore[no-any-return]
        "alert_id": alert_id, "sid": sid, "status": status, "error_code": error_code,
        "now": now, "rank": DELIVERY_RANK.get(status, 0),
    })


async def counts(conn: Conn) -> dict[str, int]:
    cur = await conn.execute(QUERIES["outbox_counts"])
    found = {status: int(n) for status, n in await cur.fetchall()}
    return {status: found.get(status, 0)
            for status in ("pending", "sending", "sent", "failed", "suppressed", "logged")}


async def digest_facts(conn: Conn, *, start: datetime, end: datetime
                       ) -> tuple[dict[str, int], list[tuple[str, int]], dict[str, int]]:
    """Leads by priority, leads by category (most first) and alert outcomes for a day."""
    cur = await conn.execute(QUERIES["digest_leads"], {"start": start, "end": end})
    by_priority: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for priority, category, n in await cur.fetchall():
        by_priority[priority] = by_priority.get(priority, 0) + int(n)
        by_category[category] = by_category.get(category, 0) + int(n)
    cur = await conn.execute(QUERIES["digest_alerts"], {"start": start, "end": end})
    alerts = {status: int(n) for status, n in await cur.fetchall()}
    categories = sorted(by_category.items(), key=lambda item: (-item[1], item[0]))
    return by_priority, categories, alerts
