"""Storing posts (and, for the local analyzer, their analysis and lead in the same statement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from pipelineos.analysis.model import Analysis, BusinessProfile
from pipelineos.db import sql

QUERIES = sql.load(__package__)


@dataclass(frozen=True)
class StoredPost:
    post_id: int
    received_at: datetime
    status: str
    lead_id: int | None = None
    lead_status: str | None = None
    lead_created_at: datetime | None = None
    lead_updated_at: datetime | None = None


def _analysis_params(analysis: Analysis, profile: BusinessProfile,
                     ai_request_id: int | None = None) -> dict[str, Any]:
    fit, area = profile.fit(analysis.category, analysis.location)
    return {
        "fit": fit.value,
        "area": area,
        "ai_request_id": ai_request_id,
        "analyzer": analysis.analyzer,
        "model": analysis.model,
        "is_lead": analysis.is_lead,
        "category": analysis.category,
        "location": analysis.location,
        "urgency": analysis.urgency.value if analysis.urgency else None,
        "priority": analysis.priority.value if analysis.priority else None,
        "summary": analysis.summary,
        "confidence": analysis.confidence,
        "reasons": Jsonb(analysis.reasons),
    }


async def record_analyzed(
    conn: psycopg.AsyncConnection[Any], *, body: str, group_name: str, source: str,
    analysis: Analysis, profile: BusinessProfile, ai_request_id: int | None = None,
) -> StoredPost:
    params = {"body": body, "group_name": group_name, "source": source,
              **_analysis_params(analysis, profile, ai_request_id)}
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["record_analyzed_post"], params)
        row = await cur.fetchone()
    assert row is not None
    return StoredPost(
        post_id=row["post_id"], received_at=row["received_at"], status=row["post_status"],
        lead_id=row["lead_id"], lead_status=row["lead_status"],
        lead_created_at=row["lead_created_at"], lead_updated_at=row["lead_updated_at"],
    )


async def record_analysis(
    conn: psycopg.AsyncConnection[Any], post_id: int, analysis: Analysis,
    profile: BusinessProfile, ai_request_id: int | None = None,
) -> StoredPost | None:
    """Record the analysis of a stored post; None when it was no longer waiting for one."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["record_analysis"], {
            "post_id": post_id, **_analysis_params(analysis, profile, ai_request_id)})
        row = await cur.fetchone()
    if row is None:
        return None
    return StoredPost(
        post_id=row["post_id"], received_at=row["received_at"], status=row["post_status"],
        lead_id=row["lead_id"], lead_status=row["lead_status"],
        lead_created_at=row["lead_created_at"], lead_updated_at=row["lead_updated_at"],
    )


@dataclass(frozen=True)
class PendingPost:
    id: int
    body: str
    group_name: str
    received_at: datetime
    attempts: int


async def pending(
    conn: psycopg.AsyncConnection[Any], *, before: datetime, limit: int
) -> list[PendingPost]:
    """Posts still waiting for analysis that arrived no later than ``before``, oldest first."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["pending_posts"], {"before": before, "limit": limit})
        return [PendingPost(**row) for row in await cur.fetchall()]


async def record_failure(
    conn: psycopg.AsyncConnection[Any], post_id: int, error: str, *, max_attempts: int
) -> str | None:
    """Count a failed analysis attempt; the post becomes 'failed' after ``max_attempts``."""
    cur = await conn.execute(QUERIES["record_failure"], {"post_id": post_id, "error": error[:500],
                                                         "max_attempts": max_attempts})
    row = await cur.fetchone()
    return str(row[0]) if row else None


async def insert_received(
    conn: psycopg.AsyncConnection[Any], *, body: str, group_name: str, source: str
) -> StoredPost:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["insert_received_post"],
                          {"body": body, "group_name": group_name, "source": source})
        row = await cur.fetchone()
    assert row is not None
    return StoredPost(post_id=row["id"], received_at=row["received_at"], status=row["status"])
