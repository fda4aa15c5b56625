"""Posts stored without an analysis are analyzed later, once each, by the pending sweep."""

from __future__ import annotations

import asyncio

import psycopg

from pipelineos.bootstrap import Runtime
from pipelineos.ingest import posts


async def _store_waiting(runtime: Runtime, text: str) -> int:
    async with runtime.pool.connection() as conn:
        stored = await posts.insert_received(conn, body=text, group_name="Dallas Home Services",
                                             source="api")
    return stored.post_id


async def test_waiting_posts_become_leads_once_even_with_racing_sweeps(
    runtime: Runtime, migrated_url: str
) -> None:
    """Three sweeps running at once over the same waiting posts create one lead per lead post."""
    lead_id = await _store_waiting(runtime, "Need a plumber in Dallas, water heater leaking")
    other_id = await _store_waiting(runtime, "Lost cat near White Rock, orange tabby")
    counts = await asyncio.gather(*(runtime.intake.analyze_pending() for _ in range(3)))
    assert sum(counts) == 2
    with psycopg.connect(migrated_url) as conn:
        statuses = dict(conn.execute("SELECT id, status FROM posts").fetchall())
        leads = conn.execute("SELECT post_id FROM leads").fetchall()
        analyses = conn.execute("SELECT count(*) FROM analyses").fetchone()
    assert statuses == {lead_id: "analyzed", other_id: "analyzed"}
    assert leads == [(lead_id,)]
    assert analyses == (2,)


async def test_sweep_waits_for_posts_younger_than_the_delay(runtime: Runtime) -> None:
    """A post received moments ago is left alone by a sweep asked to wait a minute."""
    from datetime import timedelta

    await _store_waiting(runtime, "Need an electrician in Plano")
    assert await runtime.intake.analyze_pending(older_than=timedelta(minutes=1)) == 0
    assert await runtime.intake.analyze_pending() == 1


async def _store_waiting_post(runtime: Runtime, post: posts.NewPost) -> posts.StoredPost:
    from pipelineos.analysis.model import BusinessProfile
    from pipelineos.ingest.fingerprint import fingerprint

    async with runtime.pool.connection() as conn:
        return await posts.ingest(conn, post, fingerprint(post.text, post.author), None,
                                  BusinessProfile(), posts.DuplicatePolicy())


async def test_an_old_post_analyzed_later_is_not_texted(runtime: Runtime,
                                                        migrated_url: str) -> None:
    """Posts waiting for Claude keep their posting time: an old hot lead is stored, untexted."""
    from datetime import UTC, datetime, timedelta

    old = await _store_waiting_post(runtime, posts.NewPost(
        "Need a plumber in Dallas ASAP, water heater leaking everywhere", "Dallas Home Services",
        author="Ann Lee", posted_at=datetime.now(UTC) - timedelta(days=3)))
    new = await _store_waiting_post(runtime, posts.NewPost(
        "Need an electrician in Plano today, no power in half the house", "Plano Neighbors",
        author="Bob Ray", posted_at=datetime.now(UTC) - timedelta(minutes=5)))
    assert await runtime.intake.analyze_pending() == 2
    with psycopg.connect(migrated_url) as conn:
        leads = dict(conn.execute("SELECT post_id, priority FROM leads").fetchall())
        alerted = [row[0] for row in conn.execute(
            "SELECT l.post_id FROM alert_outbox a JOIN leads l ON l.id = a.lead_id")]
    assert leads == {old.post_id: "high", new.post_id: "high"}
    assert alerted == [new.post_id]


async def test_repeats_stored_while_a_post_waited_are_sightings_of_its_lead(
    runtime: Runtime, migrated_url: str
) -> None:
    text = "Need a plumber in Dallas ASAP, water heater leaking everywhere"
    first = await _store_waiting_post(runtime, posts.NewPost(text, "Dallas Home Services"))
    again = await _store_waiting_post(runtime, posts.NewPost("BUMP " + text, "DFW Homeowners"))
    assert again.outcome == "duplicate" and again.duplicate_of == first.post_id
    assert await runtime.intake.analyze_pending() == 1
    with psycopg.connect(migrated_url) as conn:
        assert conn.execute("SELECT post_id, sightings FROM leads").fetchall() == [
            (first.post_id, 2)]
