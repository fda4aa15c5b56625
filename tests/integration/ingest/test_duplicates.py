"""The same need posted twice is one lead with several sightings, and alerts once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import psycopg
import pytest

from pipelineos.analysis.model import Analysis, BusinessProfile
from pipelineos.bootstrap import Runtime
from pipelineos.ingest import posts
from pipelineos.ingest.fingerprint import fingerprint
from pipelineos.ingest.posts import DuplicatePolicy, NewPost

POST = "Need a plumber in Dallas ASAP, water heater leaking all over the garage. Call 214-555-0101"


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                for table in ("posts", "analyses", "leads", "alert_outbox")}


async def analyze(client: httpx.AsyncClient, text: str, group: str = "Dallas Home Services"
                  ) -> dict[str, object]:
    response = await client.post("/api/leads/analyze", json={"post_text": text, "group_name": group})
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


async def test_cross_post_bump_and_new_number_are_one_lead_with_sightings(
    client: httpx.AsyncClient, migrated_url: str
) -> None:
    """The original, a cross-post to another group, a 'bump' and a changed phone number: one
    lead seen four times, one alert; every post is kept."""
    first = await analyze(client, POST)
    repeats = [
        await analyze(client, POST, "DFW Homeowners"),
        await analyze(client, "BUMP " + POST),
        await analyze(client, POST.replace("214-555-0101", "972-555-0199")),
    ]
    lead_id = first["lead"]["id"]  # type: ignore[index]
    for repeat in repeats:
        assert repeat["post"]["status"] == "duplicate"  # type: ignore[index]
        assert repeat["post"]["duplicate_of"] == first["post"]["id"]  # type: ignore[index]
        assert repeat["lead"]["id"] == lead_id  # type: ignore[index]
    assert repeats[-1]["lead"]["sightings"] == 4  # type: ignore[index]
    assert repeats[-1]["analysis"] == first["analysis"]
    assert counts(migrated_url) == {"posts": 4, "analyses": 1, "leads": 1, "alert_outbox": 1}
    detail = (await client.get(f"/api/leads/{lead_id}")).json()
    assert [s["group_name"] for s in detail["seen"]] == [
        "Dallas Home Services", "DFW Homeowners", "Dallas Home Services", "Dallas Home Services"]


async def test_an_edited_post_is_a_near_repeat(client: httpx.AsyncClient) -> None:
    """Reworded slightly: a duplicate with its similarity; a different need is a new lead."""
    first = await analyze(client, POST)
    edited = await analyze(client, "Still need a plumber in Dallas ASAP, our water heater is "
                                   "leaking all over the garage. Call 214-555-0101")
    other = await analyze(client, "Need an electrician in Plano to fix a sparking outlet in the "
                                  "kitchen, today if possible")
    assert edited["post"]["duplicate_of"] == first["post"]["id"]  # type: ignore[index]
    assert 0.65 <= edited["post"]["similarity"] < 1.0  # type: ignore[index,operator]
    assert other["post"]["status"] == "analyzed"  # type: ignore[index]
    assert other["lead"]["id"] != first["lead"]["id"]  # type: ignore[index]


async def test_same_words_for_another_place_or_trade_are_different_needs(
    client: httpx.AsyncClient,
) -> None:
    """Alike texts naming another city or another trade are new leads, not repeats."""
    dallas = await analyze(client, "Need a plumber in Dallas for a leaking water heater today")
    plano = await analyze(client, "Need a plumber in Plano for a leaking water heater today")
    roofer = await analyze(client, "Need a roofer in Dallas for a leaking roof over the heater "
                                   "today")
    ids = {r["lead"]["id"] for r in (dallas, plano, roofer)}  # type: ignore[index]
    assert len(ids) == 3
    assert all(r["post"]["status"] == "analyzed" for r in (plano, roofer))  # type: ignore[index]


async def test_concurrent_submissions_of_one_post_make_one_lead(
    client: httpx.AsyncClient, migrated_url: str
) -> None:
    """Ten copies submitted at the same moment: one lead, one alert, nine duplicates."""
    results = await asyncio.gather(*(analyze(client, POST) for _ in range(10)))
    statuses = sorted(r["post"]["status"] for r in results)  # type: ignore[index]
    assert statuses == ["analyzed"] + ["duplicate"] * 9
    assert len({r["lead"]["id"] for r in results}) == 1  # type: ignore[index]
    assert counts(migrated_url) == {"posts": 10, "analyses": 1, "leads": 1, "alert_outbox": 1}


async def test_a_repeat_after_the_window_is_a_new_post(runtime: Runtime, migrated_url: str) -> None:
    """The same words a month later are a new need."""
    first = await runtime.intake.analyze(POST, "g")
    with psycopg.connect(migrated_url, autocommit=True) as conn:
        conn.execute("UPDATE posts SET received_at = now() - interval '31 days'")
    again = await runtime.intake.analyze(POST, "g")
    assert again.post.outcome == "new" and again.post.lead_id != first.post.lead_id


async def test_a_source_id_seen_before_returns_the_same_post(runtime: Runtime) -> None:
    """Resubmitting a scraped item with the same source and id changes nothing."""
    item = NewPost(POST, "g", source="facebook", source_id="123_456",
                   url="https://facebook.com/groups/1/posts/456")
    first = await runtime.intake.submit(item)
    again = await runtime.intake.submit(NewPost("edited text entirely " * 3, "g",
                                                source="facebook", source_id="123_456"))
    assert again.post.outcome == "repeat" and again.post.post_id == first.post.post_id
    assert again.post.lead_id == first.post.lead_id


async def test_a_failure_part_way_leaves_nothing_half_made(
    runtime: Runtime, migrated_url: str
) -> None:
    """A lead row the database refuses (bad priority) rolls back the post and analysis too."""
    broken = Analysis.model_construct(
        is_lead=True, category="plumbing", location="Dallas", urgency="soon", priority="urgent",
        summary="x", confidence=0.9, reasons=[], analyzer="local", model=None)
    with pytest.raises(psycopg.errors.CheckViolation):
        async with runtime.pool.connection() as conn:
            await posts.ingest(conn, NewPost(POST, "g"), fingerprint(POST), broken,
                               BusinessProfile(), DuplicatePolicy(window=timedelta(days=1)))
    assert counts(migrated_url) == {"posts": 0, "analyses": 0, "leads": 0, "alert_outbox": 0}
