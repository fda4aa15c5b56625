"""Storing posts: each new post in one atomic call, repeats recognised, analyses recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from pipelineos.analysis.model import Analysis, BusinessProfile
from pipelineos.db import sql
from pipelineos.ingest.fingerprint import Fingerprint, fingerprint

QUERIES = sql.load(__package__)


@dataclass(frozen=True)
class NewPost:
    """A post as it arrives: its text and group, and where it came from when known."""

    text: str
    group_name: str
    source: str = "api"
    source_id: str | None = None
    url: str | None = None
    author: str | None = None
    posted_at: datetime | None = None


@dataclass(frozen=True)
class StoredPost:
    post_id: int
    received_at: datetime
    status: str
    lead_id: int | None = None
    lead_status: str | None = None
    lead_created_at: datetime | None = None
    lead_updated_at: datetime | None = None
    # 'new', 'duplicate' (repeats an earlier post: duplicate_of) or 'repeat' (this source id
    # was submitted before: the earlier post is returned).
    outcome: str = "new"
    duplicate_of: int | None = None
    similarity: float | None = None
    sightings: int | None = None


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
        "urgency": str(analysis.urgency) if analysis.urgency else None,
        "priority": str(analysis.priority) if analysis.priority else None,
        "summary": analysis.summary,
        "confidence": analysis.confidence,
        "reasons": analysis.reasons,
    }


@dataclass(frozen=True)
class DuplicatePolicy:
    """What counts as the same need: an exact repeat within ``window``, or (with ``near``) a
    post at least ``min_similarity`` alike."""

    window: timedelta = timedelta(days=30)
    min_similarity: float = 0.65
    near: bool = True
    # A lead posted longer ago than this gets no SMS (imports of old posts text nobody).
    alert_max_age: timedelta = timedelta(hours=24)

    def alert_since(self) -> datetime:
        return datetime.now(UTC) - self.alert_max_age


def ingest_params(post: NewPost, fp: Fingerprint, analysis: Analysis | None,
                   about: Analysis | None, profile: BusinessProfile, policy: DuplicatePolicy,
                   ai_request_id: int | None) -> dict[str, Any]:
    about = about or analysis
    return {
        "topic": about.category if about else None,
        "place": about.location.strip().lower() if about and about.location else None,
        "group_name": post.group_name, "body": post.text, "source": post.source,
        "source_id": post.source_id, "url": post.url, "author": post.author,
        "posted_at": post.posted_at, "hash": fp.content_hash, "signature": list(fp.signature),
        "bands": list(fp.bands) if policy.near else [],
        "analysis": (_analysis_params(analysis, profile, ai_request_id)
                     if analysis is not None else None),
    }


def _stored(row: dict[str, Any]) -> StoredPost:
    return StoredPost(
        post_id=row["post_id"], received_at=row["received_at"], status=row["post_status"],
        lead_id=row["lead_id"], lead_status=row["lead_status"],
        lead_created_at=row["lead_created_at"], lead_updated_at=row["lead_updated_at"],
        outcome=row["outcome"], duplicate_of=row["duplicate_of"],
        similarity=row["similarity"], sightings=row["sightings"],
    )


async def ingest(
    conn: psycopg.AsyncConnection[Any], post: NewPost, fp: Fingerprint,
    analysis: Analysis | None, profile: BusinessProfile, policy: DuplicatePolicy,
    ai_request_id: int | None = None, about: Analysis | None = None,
) -> StoredPost:
    """Store ``post`` in one atomic call (``ingest_post`` in SQL): a repeat of an earlier post
    is recorded as such; a new post with an ``analysis`` also gets its analysis, lead and alert;
    without one it waits as 'received'. ``about`` (default: ``analysis``) supplies the trade
    and place a near-repeat must share."""
    params = ingest_params(post, fp, analysis, about, profile, policy, ai_request_id)
    if params["analysis"] is not None:
        params["analysis"] = Jsonb(params["analysis"])
    params.update(window=policy.window, min_similarity=policy.min_similarity,
                  alert_since=policy.alert_since())
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["ingest_post"], params)
        row = await cur.fetchone()
    assert row is not None
    return _stored(row)


@dataclass(frozen=True)
class Prepared:
    """A post ready to store: its fingerprint, and its analysis when it has one now."""

    post: NewPost
    fingerprint: Fingerprint
    analysis: Analysis | None
    about: Analysis | None


async def analysis_of(conn: psycopg.AsyncConnection[Any], post_id: int) -> Analysis | None:
    """The latest analysis of a post, or None while it waits for one."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["analysis_of"], {"post_id": post_id})
        row = await cur.fetchone()
    return Analysis.model_validate(row) if row else None


async def record_analysis(
    conn: psycopg.AsyncConnection[Any], post_id: int, analysis: Analysis,
    profile: BusinessProfile, ai_request_id: int | None = None,
    policy: DuplicatePolicy | None = None,
) -> StoredPost | None:
    """Record the analysis of a stored post; None when it was no longer waiting for one. A hot
    lead is texted unless posted longer ago than ``policy.alert_max_age``."""
    params = _analysis_params(analysis, profile, ai_request_id)
    params["reasons"] = Jsonb(params["reasons"])
    params["alert_since"] = (policy or DuplicatePolicy()).alert_since()
    async with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["lock_post_keys"], {"post_id": post_id})
        await cur.execute(QUERIES["record_analysis"], {"post_id": post_id, **params})
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
    author: str | None = None
    source: str | None = None


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
    conn: psycopg.AsyncConnection[Any], *, body: str, group_name: str, source: str,
    author: str | None = None,
) -> StoredPost:
    """Store a post to be analyzed later (as intake does while an analyzer cannot answer)."""
    return await ingest(conn, NewPost(body, group_name, source, author=author),
                        fingerprint(body, author), None, BusinessProfile(), DuplicatePolicy())
