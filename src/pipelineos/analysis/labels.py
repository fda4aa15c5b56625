"""Labels: what a stored post really was, as the owner or Claude said. Retraining learns from
them (:mod:`pipelineos.analysis.installed`).

- The owner's **verdict** (:func:`record_verdict`; ``POST /api/posts/{id}/verdict``, ``pipelineos
  analyzer verdict``, the dashboard): ``lead`` (with a category and urgency when known),
  ``not_lead`` or ``spam``. It also puts the post's lead where the verdict says: a lead marked
  ``spam`` gets that status, one marked ``not_lead`` becomes ``lost`` with a note, and a stored
  non-lead marked ``lead`` becomes a lead (no text is sent: the owner has it in front of them).
- A lead moved to ``spam`` by any path, and every analysis Claude made, is a label too: the
  database records those (triggers in migration 0016), whatever code path stored them.

One label per post and origin (``owner``, ``claude``); a later verdict replaces an earlier one,
and the owner's wins over Claude's when both exist.
"""

from __future__ import annotations

import json

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

import psycopg
from psycopg.rows import class_row, dict_row

from pipelineos.analysis.model import CATEGORIES, BusinessProfile, Fit, Urgency
from pipelineos.db import sql
from pipelineos.errors import InvalidInput, NotFound
from pipelineos.leads import store
from pipelineos.leads.pipeline import ACTOR

QUERIES = sql.load(__package__)

Verdict = Literal["lead", "not_lead", "spam"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
URGENCIES = tuple(u.value for u in Urgency)
NOT_A_LEAD_NOTE = "Not a lead (the owner's verdict)"


@dataclass(frozen=True)
class Label:
    id: int
    post_id: int | None
    origin: str
    is_lead: bool
    spam: bool
    category: str | None
    urgency: str | None
    actor: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class VerdictOutcome:
    """The label recorded, and the post's lead after the verdict (None: it has none)."""

    label: Label
    lead_id: int | None
    lead_status: str | None


async def record_verdict(conn: psycopg.AsyncConnection[Any], post_id: int, verdict: str, *,
                         profile: BusinessProfile, category: str | None = None,
                         urgency: str | None = None, actor: str = "api") -> VerdictOutcome:
    """Record the owner's verdict on a post and put its lead where the verdict says.

    :class:`InvalidInput` for an unknown verdict, category or urgency, or a category/urgency
    given with a verdict other than ``lead``; :class:`NotFound` for an unknown post."""
    if verdict not in VERDICTS:
        raise InvalidInput(f"verdict must be one of {', '.join(VERDICTS)}; got {verdict!r}")
    if category is not None and category not in CATEGORIES:
        raise InvalidInput(f"category must be one of {', '.join(CATEGORIES)}")
    if urgency is not None and urgency not in URGENCIES:
        raise InvalidInput(f"urgency must be one of {', '.join(URGENCIES)}")
    if verdict != "lead" and (category is not None or urgency is not None):
        raise InvalidInput("category and urgency go with the verdict 'lead' only")
    actor = ACTOR.clean(actor, "actor")
    async with conn.transaction():
        async with conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(QUERIES["post_for_verdict"], {"post_id": post_id})
            post = await cur.fetchone()
        if post is None:
            raise NotFound(f"No post {post_id}")
        lead_id, lead_status = post["lead_id"], post["lead_status"]
        if verdict == "lead":
            category = category or post["category"]
            if lead_id is None:
                lead_id, lead_status = await _make_lead(conn, post, category, urgency, profile)
            elif lead_status in ("spam", "lost"):
                await store.record_change(conn, lead_id, actor=actor, status="new",
                                          note="A lead (the owner's verdict)")
                lead_status = "new"
        elif lead_id is None:
            what = "spam" if verdict == "spam" else "not a lead"
            await conn.execute(QUERIES["settle_not_lead"], {
                "post_id": post["lead_post_id"], "summary": "Not a lead (the owner's verdict)",
                "reasons": json.dumps([f"the owner marked this post {what}"])})
        else:
            wanted = "spam" if verdict == "spam" else "lost"
            if lead_status != wanted:
                await store.record_change(conn, lead_id, actor=actor, status=wanted,
                                          note=None if verdict == "spam" else NOT_A_LEAD_NOTE)
                lead_status = wanted
        async with conn.cursor(row_factory=class_row(Label)) as cur:
            await cur.execute(QUERIES["upsert_owner_label"], {
                "post_id": post_id, "is_lead": verdict == "lead", "spam": verdict == "spam",
                "category": category if verdict == "lead" else None,
                "urgency": urgency if verdict == "lead" else None, "actor": actor})
            label = await cur.fetchone()
    assert label is not None
    return VerdictOutcome(label, lead_id, lead_status)


async def _make_lead(conn: psycopg.AsyncConnection[Any], post: dict[str, Any],
                     category: str | None, urgency: str | None,
                     profile: BusinessProfile) -> tuple[int, str]:
    """A lead for a post the analyzers did not find one in, with an analysis saying why."""
    # No category known (a post never analyzed, and none given): how it fits is unknown.
    fit, area = (profile.fit(category, post["location"]) if category is not None
                 else (Fit.UNKNOWN, None))
    priority = ("low" if fit in (Fit.OUTSIDE_SERVICES, Fit.OUTSIDE_AREA)
                else "high" if urgency == Urgency.EMERGENCY else "medium")
    what = (category or "service").replace("_", " ")
    summary = f"{what[0].upper()}{what[1:]} request (the owner's verdict)"
    row = await (await conn.execute(QUERIES["insert_owner_lead"], {
        "post_id": post["lead_post_id"], "category": category, "location": post["location"],
        "area": area, "fit": fit.value, "urgency": urgency or Urgency.FLEXIBLE.value,
        "priority": priority, "summary": summary})).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


@dataclass(frozen=True)
class TrainingLabel:
    """A label as retraining reads it: the post's text and what it was."""

    id: int
    origin: str
    body: str
    group_name: str
    is_lead: bool
    category: str | None
    urgency: str | None


async def for_training(conn: psycopg.AsyncConnection[Any]) -> list[TrainingLabel]:
    """Every labeled post once: the owner's label where there is one, else Claude's."""
    async with conn.cursor(row_factory=class_row(TrainingLabel)) as cur:
        await cur.execute(QUERIES["labels_for_training"])
        return await cur.fetchall()


async def counts(conn: psycopg.AsyncConnection[Any]) -> dict[str, int]:
    """Labels by origin (``owner``, ``claude``)."""
    rows = await (await conn.execute(QUERIES["count_labels"])).fetchall()
    return {"owner": 0, "claude": 0} | {str(origin): int(n) for origin, n in rows}
