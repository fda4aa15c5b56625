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
