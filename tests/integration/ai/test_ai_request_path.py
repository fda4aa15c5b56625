"""POST /api/leads/analyze with Claude configured: real PostgreSQL, the real SDK, the fake API."""

from __future__ import annotations

import logging

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.ingest.service import PREFILTERED
from pipelineos.integrations.claude.service import ALERT_MESSAGE
from tests.fakes.claude_server import FakeClaude, Reply
from tests.integration.ai.support import StartRuntime, http_client

SEED_POST = {"post_text": "Need a plumber in Dallas for leaking water heater",
             "group_name": "Dallas Home Services"}
AD = {"post_text": "Need a plumber? Call us today! Licensed & insured, free estimates. "
                   "214-555-0199", "group_name": "Dallas Home Services"}


def rows(url: str, query: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()  # type: ignore[arg-type]


async def test_seed_post_is_analyzed_by_claude_and_its_cost_recorded(
    ai_client: httpx.AsyncClient, fake_claude: FakeClaude, migrated_url: str,
) -> None:
    """The seed's test 1: Claude's analysis and lead come back, health is CLOSED and
    initialized, and the request's tokens are stored with the analysis pointing at them."""
    response = await ai_client.post("/api/leads/analyze", json=SEED_POST)
    assert response.status_code == 200
    body = response.json()
    assert body["analysis"]["analyzer"] == "claude"
    assert body["analysis"]["model"] == "claude-haiku-4-5"
    assert (body["analysis"]["category"], body["analysis"]["priority"]) == ("plumbing", "high")
    assert body["lead"]["analyzer"] == "claude"
    assert len(fake_claude.requests) == 1

    health = await ai_client.get("/health")
    assert health.status_code == 200
    assert health.json()["services"]["ai"] == {"initialized": True, "circuitState": "CLOSED",
                                               "healthy": True}
    [(analyzer, vendor_id, posts, outcome, tokens)] = rows(migrated_url, """
        SELECT a.analyzer, r.vendor_request_id, r.posts, r.outcome,
               r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens
        FROM analyses a JOIN ai_requests r ON r.id = a.ai_request_id""")
    assert (analyzer, posts, outcome) == ("claude", 1, "ok")
    assert str(vendor_id).startswith("req_fake_") and int(tokens) > 0  # type: ignore[call-overload]

    status = (await ai_client.get("/api/ai/status")).json()
    assert (status["initialized"], status["requestCount"], status["successCount"],
            status["errorCount"]) == (True, 1, 1, 0)
    assert status["totalTokensUsed"] == tokens
    assert status["circuitBreaker"]["state"] == "CLOSED"
    assert status["rateLimiter"]["tokensRemaining"] < 50
    assert status["recorded"]["requests"] == 1


async def test_the_stable_prompt_is_cached_and_the_cache_tokens_are_recorded(
    ai_client: httpx.AsyncClient, fake_claude: FakeClaude, migrated_url: str,
) -> None:
    """Every request marks the stable part for caching: the first writes the cache, the next
    reads it, and both numbers are stored per request."""
    for text in ("Need a plumber in Dallas for leaking water heater",
                 "Looking for an electrician in Plano, half the outlets stopped working"):
        assert (await ai_client.post("/api/leads/analyze",
                                     json={"post_text": text, "group_name": "g"})).status_code == 200
    for sent in fake_claude.requests:
        assert sent.body["system"][-1]["cache_control"] == {"type": "ephemeral"}
        assert sent.body["tool_choice"]["type"] == "tool"
    assert rows(migrated_url, """SELECT cache_write_tokens > 0, cache_read_tokens > 0
                                 FROM ai_requests ORDER BY id""") == [(True, False), (False, True)]


async def test_seed_invalid_key_five_failures_open_the_circuit_and_the_sixth_is_rejected(
    start_runtime: StartRuntime, fake_claude: FakeClaude, migrated_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The seed's test 2 with ANTHROPIC_API_KEY=invalid_key: each of the first five counts as a
    failure and is answered by the local analyzer at once; the sixth gets 503 `Circuit breaker
    is OPEN` without a request reaching Claude and its post waits; health is 503 with the AI
    circuit OPEN; one critical alert goes to the owner."""
    fake_claude.api_keys = {"the-real-key"}
    runtime = await start_runtime(anthropic_api_key="invalid_key")
    caplog.set_level(logging.INFO)
    async with http_client(runtime) as client:
        replies = [await client.post("/api/leads/analyze",
                                     json={"post_text": f"Test post {i}", "group_name": "Test"})
                   for i in range(1, 7)]
        health = await client.get("/health")
    assert [r.status_code for r in replies] == [200] * 5 + [503]
    for reply in replies[:5]:
        analysis = reply.json()["analysis"]
        assert analysis["analyzer"] == "local"
        assert "Claude failed (authentication error); analyzed by the local analyzer" in \
            analysis["reasons"]
    sixth = replies[5].json()["error"]
    assert "Circuit breaker is OPEN" in sixth and "stored and will be analyzed later" in sixth
    assert "Retry-After" not in replies[5].headers, "the post is kept: do not invite a resend"
    assert len(fake_claude.requests) == 5
    assert health.status_code == 503
    assert health.json()["services"]["ai"]["circuitState"] == "OPEN"
    # One critical alert for the opening, queued for the owner (logged: no Twilio here).
    critical = rows(migrated_url, "SELECT body FROM alert_outbox WHERE kind = 'critical'")
    assert len(critical) == 1 and ALERT_MESSAGE in critical[0][0]
    assert rows(migrated_url, "SELECT body, status FROM posts WHERE status <> 'analyzed'") == [
        ("Test post 6", "received")]

    failures = [r.fields["recentFailures"] for r in caplog.records  # type: ignore[attr-defined]
                if r.getMessage() == "Circuit breaker recorded failure"]
    assert failures == [1, 2, 3, 4, 5]
    events = [r.getMessage() for r in caplog.records if r.name == "pipelineos.resilience"]
    assert events.index("Circuit breaker state changed") < events.index(
        "Circuit breaker is OPEN, request rejected")
    assert "invalid_key" not in caplog.text


async def test_after_the_reset_timeout_claude_recovers_and_the_waiting_post_is_analyzed(
    start_runtime: StartRuntime, fake_claude: FakeClaude, clock: ManualClock, migrated_url: str,
) -> None:
    """The seed's test 3 on a manual clock: 120 s after opening, the sweep's trial gives the
    waiting post to Claude; two more requests succeed and the circuit closes."""
    fake_claude.api_keys = {"the-real-key"}
    runtime = await start_runtime(anthropic_api_key="invalid_key")
    async with http_client(runtime) as client:
        for i in range(1, 7):
            await client.post("/api/leads/analyze",
                              json={"post_text": f"Test post {i}", "group_name": "Test"})
        assert (await client.get("/health")).json()["services"]["ai"]["circuitState"] == "OPEN"
        fake_claude.api_keys = None  # the key was fixed at Anthropic's end
        clock.advance(119)
        assert await runtime.intake.analyze_pending() == 0, "still open: nothing is sent"
        assert len(fake_claude.requests) == 5
        clock.advance(1)
        assert await runtime.intake.analyze_pending() == 1
        assert str(runtime.registry.get_breaker("claude-api").state) == "HALF_OPEN"
        for text in ("Need a plumber in Dallas for leaking water heater",
                     "Looking for an electrician in Plano, outlets dead"):
            reply = await client.post("/api/leads/analyze",
                                      json={"post_text": text, "group_name": "g"})
            assert reply.json()["analysis"]["analyzer"] == "claude"
        health = await client.get("/health")
    assert health.status_code == 200
    assert health.json()["services"]["ai"]["circuitState"] == "CLOSED"
    assert rows(migrated_url, """SELECT a.analyzer FROM analyses a JOIN posts p
                                 ON p.id = a.post_id WHERE p.body = 'Test post 6'""") == [
        ("claude",)]


@pytest.mark.parametrize("reply", [Reply.malformed(), Reply.text_only()])
async def test_an_invalid_reply_falls_back_to_local_at_once_and_is_not_an_outage(
    ai_client: httpx.AsyncClient, ai_runtime: Runtime, fake_claude: FakeClaude,
    migrated_url: str, caplog: pytest.LogCaptureFixture, reply: Reply,
) -> None:
    """Malformed tool output: 200 with the local analysis (saying why), the request and its
    tokens recorded as invalid, logged with the request id, and nothing against the breaker."""
    caplog.set_level(logging.INFO)
    fake_claude.script(reply)
    response = await ai_client.post("/api/leads/analyze", json=SEED_POST)
    assert response.status_code == 200
    analysis = response.json()["analysis"]
    assert analysis["analyzer"] == "local" and analysis["is_lead"] is True
    [(request_id, outcome, tokens)] = rows(
        migrated_url, """SELECT r.vendor_request_id, r.outcome, r.input_tokens
                         FROM analyses a JOIN ai_requests r ON r.id = a.ai_request_id""")
    assert outcome == "invalid" and int(tokens) > 0  # type: ignore[call-overload]
    assert any(str(request_id) in reason and "did not validate" in reason
               for reason in analysis["reasons"])
    [logged] = [r for r in caplog.records if r.getMessage() == "Claude reply invalid"]
    assert logged.fields["requestId"] == request_id  # type: ignore[attr-defined]
    assert len(fake_claude.requests) == 1
    assert ai_runtime.registry.get_breaker("claude-api").recent_failures == 0


async def test_an_outage_of_transient_errors_is_retried_then_answered_locally(
    ai_client: httpx.AsyncClient, ai_runtime: Runtime, fake_claude: FakeClaude,
) -> None:
    """Three 529s: the retries are spent, the post gets the local analysis at once, and the
    breaker counts one failure."""
    fake_claude.script(*[Reply.status_error(529)] * 3)
    response = await ai_client.post("/api/leads/analyze", json=SEED_POST)
    assert response.status_code == 200
    assert "Claude failed (server error); analyzed by the local analyzer" in \
        response.json()["analysis"]["reasons"]
    assert len(fake_claude.requests) == 3
    assert ai_runtime.registry.get_breaker("claude-api").recent_failures == 1


async def test_a_429_then_an_answer_is_claudes_analysis(
    ai_client: httpx.AsyncClient, ai_runtime: Runtime, fake_claude: FakeClaude,
) -> None:
    """Claude's own rate limit is waited out and retried; the breaker is not involved."""
    fake_claude.script(Reply.status_error(429, retry_after_ms="50"))
    response = await ai_client.post("/api/leads/analyze", json=SEED_POST)
    assert response.json()["analysis"]["analyzer"] == "claude"
    assert len(fake_claude.requests) == 2
    assert ai_runtime.registry.get_breaker("claude-api").status()["metrics"][
        "failedRequests"] == 0


async def test_the_prefilter_keeps_confident_non_leads_away_from_claude(
    ai_client: httpx.AsyncClient, fake_claude: FakeClaude,
) -> None:
    """A contractor's ad is settled by the local analyzer; Claude never sees it."""
    response = await ai_client.post("/api/leads/analyze", json=AD)
    assert response.status_code == 200
    assert response.json()["analysis"]["analyzer"] == "local"
    assert PREFILTERED in response.json()["analysis"]["reasons"]
    assert fake_claude.requests == []


async def test_with_the_prefilter_off_every_post_goes_to_claude(
    start_runtime: StartRuntime, fake_claude: FakeClaude,
) -> None:
    """CLAUDE_PREFILTER=false: even the ad is sent."""
    runtime = await start_runtime(claude_prefilter=False)
    async with http_client(runtime) as client:
        response = await client.post("/api/leads/analyze", json=AD)
    assert response.json()["analysis"]["analyzer"] == "claude"
    assert len(fake_claude.requests) == 1


async def test_the_business_decides_the_priority(
    start_runtime: StartRuntime, fake_claude: FakeClaude,
) -> None:
    """For a Denver roofer the prompt names roofing and Denver, and a Dallas plumbing lead is
    low priority even if Claude rates it high."""
    runtime = await start_runtime(business_name="Mile High Roofs", business_services="roofing",
                                  business_areas="Denver")
    async with http_client(runtime) as client:
        response = await client.post("/api/leads/analyze", json=SEED_POST)
    analysis = response.json()["analysis"]
    assert (analysis["analyzer"], analysis["category"], analysis["priority"]) == (
        "claude", "plumbing", "low")
    assert "plumbing is not a service Mile High Roofs offers" in analysis["reasons"]
    system = fake_claude.requests[0].body["system"][0]["text"]
    assert "Mile High Roofs" in system and "roofing" in system and "Denver" in system


async def test_our_rate_limit_answers_503_and_keeps_the_post(
    start_runtime: StartRuntime, fake_claude: FakeClaude, migrated_url: str,
) -> None:
    """With the request budget spent, the post is stored for the sweep and the client told."""
    runtime = await start_runtime(claude_rate_limit=1, claude_rate_limit_wait_seconds=0)
    async with http_client(runtime) as client:
        first = await client.post("/api/leads/analyze", json=SEED_POST)
        second = await client.post("/api/leads/analyze", json={
            "post_text": "Can anyone recommend an electrician in Plano? Outlet sparking!",
            "group_name": "Plano Neighbors"})
    assert first.status_code == 200
    assert second.status_code == 503
    assert "Rate limit exceeded" in second.json()["error"]
    assert len(fake_claude.requests) == 1
    assert rows(migrated_url, "SELECT count(*) FROM posts WHERE status = 'received'") == [(1,)]


async def test_without_a_key_the_local_analyzer_serves_and_status_says_so(
    client: httpx.AsyncClient, fake_claude: FakeClaude,
) -> None:
    """No ANTHROPIC_API_KEY: local analysis, `initialized` false, no breaker, nothing sent."""
    response = await client.post("/api/leads/analyze", json=SEED_POST)
    assert response.json()["analysis"]["analyzer"] == "local"
    status = (await client.get("/api/ai/status")).json()
    assert (status["initialized"], status["analyzer"], status["circuitBreaker"]) == (
        False, "local", None)
    assert fake_claude.requests == []


async def test_bulk_intake_settles_confident_non_leads_and_leaves_the_rest_to_the_sweep(
    ai_client: httpx.AsyncClient, fake_claude: FakeClaude, migrated_url: str,
) -> None:
    """An import with Claude configured asks Claude nothing while the request runs: the ad is
    settled by the pre-filter now, the request for a plumber waits for the sweep."""
    response = await ai_client.post("/api/posts", json=[
        {"text": AD["post_text"], "group_name": AD["group_name"], "author": "Ad Poster"},
        {"text": SEED_POST["post_text"], "group_name": SEED_POST["group_name"],
         "author": "Neighbour"}])
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted"]
    assert fake_claude.requests == []
    with psycopg.connect(migrated_url) as conn:
        rows = conn.execute("SELECT p.status, a.analyzer, a.reasons FROM posts p "
                            "LEFT JOIN analyses a ON a.post_id = p.id ORDER BY p.id").fetchall()
    assert rows[0][:2] == ("analyzed", "local") and PREFILTERED in rows[0][2]
    assert rows[1] == ("received", None, None)
