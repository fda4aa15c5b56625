"""With Claude configured: its verdicts become labels for retraining, the owner's verdict wins
over Claude's, and a muted post never costs a Claude request."""

from __future__ import annotations

import asyncio

import httpx

from pipelineos.analysis import labels, noise
from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.ingest import posts
from tests.fakes.claude_server import FakeClaude

POST = {"post_text": "Need a plumber in Dallas for leaking water heater",
        "group_name": "Dallas Home Services"}


async def test_claude_verdicts_are_labels_and_mutes_skip_claude(
        ai_client: httpx.AsyncClient, ai_runtime: Runtime, fake_claude: FakeClaude) -> None:
    body = (await ai_client.post("/api/leads/analyze", json=POST)).json()
    assert body["analysis"]["analyzer"] == "claude" and len(fake_claude.requests) == 1
    post_id = body["post"]["id"]
    async with ai_runtime.pool.connection() as conn:
        learned = await labels.for_training(conn)
    assert [(r.origin, r.is_lead, r.category, r.body) for r in learned] == [
        ("claude", True, "plumbing", POST["post_text"])]

    said = await ai_client.post(f"/api/posts/{post_id}/verdict", json={"verdict": "not_lead"})
    assert said.status_code == 200
    async with ai_runtime.pool.connection() as conn:
        learned = await labels.for_training(conn)
        counted = await labels.counts(conn)
    assert [(r.origin, r.is_lead) for r in learned] == [("owner", False)]  # the owner wins
    assert counted == {"owner": 1, "claude": 1}

    await ai_client.post("/api/noise", json={"kind": "group", "value": "Plano Neighbors"})
    for _ in range(100):
        if ai_runtime.installed.mutes.rules:
            break
        await asyncio.sleep(0.05)
    muted = (await ai_client.post("/api/leads/analyze", json={
        "post_text": "Need an electrician in Plano, the breaker keeps tripping",
        "group_name": "plano   neighbors"})).json()
    assert muted["lead"] is None and "muted: muted group 'Plano Neighbors'" in \
        muted["analysis"]["reasons"]
    assert len(fake_claude.requests) == 1  # Claude was not asked about the muted post


async def test_a_waiting_post_muted_meanwhile_is_settled_without_claude(
        ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock) -> None:
    """Stored while Claude was out of reach, then its author blocked: the sweep records it as
    muted, and asks Claude only about the other one."""
    async with ai_runtime.pool.connection() as conn:
        ids = []
        for author in ("Sam", "Rick"):
            post = await posts.insert_received(
                conn, body=f"Need a roofer in Dallas, hail damage, {author} here",
                group_name="DFW Homes", source="api", author=author)
            await conn.execute("UPDATE posts SET received_at = %s WHERE id = %s",
                               (clock.now(), post.post_id))
            ids.append(post.post_id)
        await noise.add(conn, "author", "rick")
    await ai_runtime.installed.refresh()
    clock.advance(70)
    assert await ai_runtime.intake.analyze_pending() == 2
    assert [len(sent.posts) for sent in fake_claude.requests] == [1]
    async with ai_runtime.pool.connection() as conn:
        found = dict(await (await conn.execute(
            "SELECT post_id, reasons FROM analyses")).fetchall())
    assert "muted: blocked author 'rick'" in found[ids[1]]
    assert not any(r.startswith("muted") for r in found[ids[0]])
