"""The pending sweep with Claude: batches for backlogs, Claude when it can answer, the local
analyzer once a post has waited too long, and every post recorded once."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import psycopg

from pipelineos.analysis import corpus
from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.ingest import posts
from tests.fakes.claude_server import FakeClaude, Reply, verdict
from tests.integration.ai.support import StartRuntime

LEADS = [json.loads(line) for line in
         corpus.SETS["dev"].open()
         if json.loads(line)["is_lead"]]


async def store(runtime: Runtime, *texts: str) -> list[int]:
    """Posts stored as received (as a request that got 503 leaves them), received at the
    runtime clock's now, so advancing the clock ages them."""
    ids = []
    async with runtime.pool.connection() as conn:
        for text in texts:
            post = await posts.insert_received(conn, body=text, group_name="Dallas Home Services",
                                               source="api")
            await conn.execute("UPDATE posts SET received_at = %s WHERE id = %s",
                               (runtime.clock.now(), post.post_id))
            ids.append(post.post_id)
    return ids


def analyses(url: str) -> dict[int, tuple[str, int | None]]:
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT post_id, analyzer, ai_request_id FROM analyses").fetchall()
    return {post_id: (analyzer, request) for post_id, analyzer, request in found}


async def open_circuit(runtime: Runtime) -> None:
    """Five failed Claude calls, as five requests with a bad key would make."""
    for i in range(5):
        await runtime.intake.analyze(f"Test post {i}", "Test")
    assert str(runtime.registry.get_breaker("claude-api").state) == "OPEN"


async def test_a_backlog_goes_to_claude_ten_posts_per_request(
    ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock, migrated_url: str,
) -> None:
    """25 waiting leads: three requests (10, 10, 5), each post Claude's, each request's
    usage stored once with the posts it covered."""
    ids = await store(ai_runtime, *[row["text"] for row in LEADS[:25]])
    clock.advance(70)
    assert await ai_runtime.intake.analyze_pending() == 25
    assert [len(sent.posts) for sent in fake_claude.requests] == [10, 10, 5]
    found = analyses(migrated_url)
    assert sorted(found) == ids
    assert {analyzer for analyzer, _ in found.values()} == {"claude"}
    with psycopg.connect(migrated_url) as conn:
        covered = conn.execute("""SELECT r.posts, count(a.id) FROM ai_requests r
                                  JOIN analyses a ON a.ai_request_id = r.id
                                  GROUP BY r.id ORDER BY r.id""").fetchall()
    assert covered == [(10, 10), (10, 10), (5, 5)]


async def test_fresh_posts_are_left_to_the_request_still_waiting_for_claude(
    ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock,
) -> None:
    """A post received seconds ago may still be in a request's Claude call: not swept yet."""
    await store(ai_runtime, LEADS[0]["text"])
    clock.advance(10)
    assert await ai_runtime.intake.analyze_pending() == 0
    assert fake_claude.requests == []
    clock.advance(60)
    assert await ai_runtime.intake.analyze_pending() == 1


async def test_confident_non_leads_are_settled_locally_without_waiting(
    ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock, migrated_url: str,
) -> None:
    """The pre-filter applies to the backlog too: the ad is recorded locally, not sent."""
    [ad] = await store(ai_runtime, "Need a plumber? Call us today! Licensed & insured, "
                                   "free estimates. 214-555-0199")
    clock.advance(70)
    assert await ai_runtime.intake.analyze_pending() == 1
    assert fake_claude.requests == []
    assert analyses(migrated_url)[ad][0] == "local"


async def test_while_claude_is_down_posts_wait_then_get_the_local_analysis(
    start_runtime: StartRuntime, fake_claude: FakeClaude, clock: ManualClock,
    migrated_url: str,
) -> None:
    """Circuit open: the sweep sends nothing; a post younger than the fallback delay waits, an
    older one gets the local analysis with the reason, so a hot lead is not held back long."""
    fake_claude.api_keys = {"the-real-key"}
    runtime = await start_runtime(anthropic_api_key="invalid_key",
                                  claude_fallback_delay_seconds=30)
    await open_circuit(runtime)
    before = len(fake_claude.requests)
    [post] = await store(runtime, "Need a plumber in Dallas, water heater leaking everywhere")
    clock.advance(20)
    assert await runtime.intake.analyze_pending() == 0
    clock.advance(11)
    assert await runtime.intake.analyze_pending() == 1
    assert len(fake_claude.requests) == before
    with psycopg.connect(migrated_url) as conn:
        analyzer, reasons = conn.execute(
            "SELECT analyzer, reasons FROM analyses WHERE post_id = %s", (post,)).fetchone()
        (leads,) = conn.execute("SELECT count(*) FROM leads WHERE post_id = %s",
                                (post,)).fetchone()
    assert analyzer == "local" and leads == 1
    assert "Claude unavailable for over 30 s; analyzed by the local analyzer" in reasons


async def test_a_failing_claude_stops_the_sweep_and_overdue_posts_go_local(
    ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock, migrated_url: str,
) -> None:
    """A batch that fails after its retries ends the run; posts past the fallback delay get
    the local analysis, younger ones wait for the next run."""
    old = await store(ai_runtime, *[row["text"] for row in LEADS[:3]])
    clock.advance(100)
    young = await store(ai_runtime, *[row["text"] for row in LEADS[3:5]])
    clock.advance(70)  # old: 170 s (past 120), young: 70 s
    fake_claude.script(*[Reply.status_error(500)] * 3)
    assert await ai_runtime.intake.analyze_pending() == 3
    assert len(fake_claude.requests) == 3, "one batch, retried, then the run stops"
    found = analyses(migrated_url)
    assert sorted(found) == old and not set(young) & set(found)
    assert {analyzer for analyzer, _ in found.values()} == {"local"}


async def test_a_post_the_reply_leaves_out_gets_the_local_analysis(
    ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock, migrated_url: str,
) -> None:
    """A batch reply that answers one post of two: Claude's for that one, the local analysis
    (tied to the same request) for the other."""
    answered, skipped = await store(ai_runtime, LEADS[0]["text"], LEADS[1]["text"])
    fake_claude.script(Reply.malformed({"analyses": [
        verdict({"post_id": answered, "text": LEADS[0]["text"]})]}))
    clock.advance(70)
    assert await ai_runtime.intake.analyze_pending() == 2
    found = analyses(migrated_url)
    assert found[answered][0] == "claude" and found[skipped][0] == "local"
    assert found[answered][1] == found[skipped][1] is not None


async def test_an_invalid_batch_reply_gives_the_batch_the_local_analysis_and_goes_on(
    ai_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock, migrated_url: str,
) -> None:
    """Invalid output is not an outage: that batch goes local at once, the next is sent."""
    ids = await store(ai_runtime, *[row["text"] for row in LEADS[:12]])
    fake_claude.script(Reply.malformed())
    clock.advance(70)
    assert await ai_runtime.intake.analyze_pending() == 12
    found = analyses(migrated_url)
    assert [found[i][0] for i in ids] == ["local"] * 10 + ["claude"] * 2
    assert ai_runtime.registry.get_breaker("claude-api").recent_failures == 0


async def test_racing_sweeps_record_each_post_once(
    ai_runtime: Runtime, clock: ManualClock, migrated_url: str,
) -> None:
    """Three sweeps at once over the same backlog: one analysis and at most one lead per post."""
    ids = await store(ai_runtime, *[row["text"] for row in LEADS[:6]])
    clock.advance(70)
    counts = await asyncio.gather(*(ai_runtime.intake.analyze_pending() for _ in range(3)))
    assert sum(counts) == 6
    with psycopg.connect(migrated_url) as conn:
        per_post = conn.execute("SELECT post_id, count(*) FROM analyses GROUP BY post_id")
        assert sorted(per_post.fetchall()) == [(i, 1) for i in ids]
        (leads,) = conn.execute("SELECT count(*) FROM leads").fetchone()
    assert leads == 6


async def test_a_sweep_can_be_asked_for_a_different_age(
    ai_runtime: Runtime, fake_claude: FakeClaude,
) -> None:
    """``older_than`` overrides the in-flight grace (e.g. an operator draining a backlog)."""
    await store(ai_runtime, LEADS[0]["text"])
    assert await ai_runtime.intake.analyze_pending(older_than=timedelta(0)) == 1
    assert [post["text"] for post in fake_claude.requests[0].posts] == [LEADS[0]["text"]]
