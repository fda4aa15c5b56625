"""A vendor that comes back closes its circuit, and /health turns 200, with no new traffic:
the circuit probe's token-free trials (or the pending-analysis sweep) do it. Real PostgreSQL,
the official SDKs, the loopback vendors; the clock is moved instead of waiting the reset
timeout."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.conftest import make_settings
from tests.fakes.claude_server import FakeClaude
from tests.fakes.twilio_server import FakeTwilio, serve_twilio, twilio_settings
from tests.integration.ai.support import http_client

PROBE_SECONDS = 0.05


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=datetime.now(UTC))


@pytest.fixture
def fake_claude() -> Iterator[FakeClaude]:
    with FakeClaude() as fake:
        yield fake


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    with serve_twilio() as fake:
        yield fake


@pytest.fixture
async def claude_runtime(migrated_url: str, tmp_path: Path, fake_claude: FakeClaude,
                         clock: ManualClock) -> AsyncIterator[Runtime]:
    """Claude at the fake, one post per request; the probe looks every 50 ms and waits 50 ms of
    clock time."""
    settings = make_settings(migrated_url, tmp_path, anthropic_api_key="sk-test",
                             anthropic_base_url=fake_claude.url,
                             claude_retry_initial_delay_seconds=0.0, claude_batch_size=1,
                             circuit_probe_seconds=PROBE_SECONDS)
    runtime = await Runtime.start(settings, clock=clock)
    try:
        yield runtime
    finally:
        await runtime.stop()


@pytest.fixture
async def twilio_runtime(migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
                         clock: ManualClock) -> AsyncIterator[Runtime]:
    settings = make_settings(migrated_url, tmp_path, circuit_probe_seconds=PROBE_SECONDS,
                             **twilio_settings(fake_twilio, twilio_retry_base_delay_ms=1,
                                               twilio_request_timeout_ms=2000))
    runtime = await Runtime.start(settings, clock=clock)
    try:
        yield runtime
    finally:
        await runtime.stop()


async def healthy(client: httpx.AsyncClient, within: float = 10.0) -> httpx.Response:
    """GET /health until it answers 200 (the probe runs in the background), at most ``within``
    seconds of real time; the last answer either way."""
    async with asyncio.timeout(within):
        while (health := await client.get("/health")).status_code != 200:
            await asyncio.sleep(PROBE_SECONDS)
    return health


def messages(fake: FakeClaude) -> int:
    return sum(1 for r in fake.requests if r.path.startswith("/v1/messages"))


async def test_claude_circuit_closes_without_traffic_once_claude_is_back(
    claude_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Claude refuses the key, five posts open the circuit and /health is 503. The key works
    again and no post arrives: a second past the reset timeout the probe's three token-free requests close the
    circuit and /health is 200, without a single Messages request."""
    caplog.set_level(logging.INFO)
    fake_claude.api_keys = {"a-key-we-do-not-have"}
    async with http_client(claude_runtime) as client:
        for i in range(5):
            reply = await client.post("/api/leads/analyze",
                                      json={"post_text": f"Test post {i}", "group_name": "T"})
            assert reply.json()["analysis"]["analyzer"] == "local"
        opened = await client.get("/health")
        fake_claude.api_keys = None  # Claude is back
        sent = messages(fake_claude)
        clock.advance(119)
        assert claude_runtime.probe is not None
        await claude_runtime.probe.run_once()
        assert fake_claude.model_lookups == [], "no trial before the reset timeout"
        clock.advance(2)
        closed = await healthy(client)
    assert opened.status_code == 503
    assert opened.json()["services"]["ai"]["circuitState"] == "OPEN"
    assert closed.json()["services"]["ai"] == {"initialized": True, "circuitState": "CLOSED",
                                               "healthy": True}
    assert len(fake_claude.model_lookups) == 3
    assert {r.path for r in fake_claude.model_lookups} == {"/v1/models/claude-haiku-4-5"}
    assert messages(fake_claude) == sent, "no tokens spent on the trials"
    changes = [(r.fields["from"], r.fields["to"]) for r in caplog.records  # type: ignore[attr-defined]
               if r.getMessage() == "Circuit breaker state changed"]
    assert changes == [("CLOSED", "OPEN"), ("OPEN", "HALF_OPEN"), ("HALF_OPEN", "CLOSED")]
    [probe] = [r for r in caplog.records if r.getMessage() == "Circuit probe finished"]
    assert probe.fields == {"component": "circuit probe", "name": "claude-api",  # type: ignore[attr-defined]
                            "calls": 3, "state": "CLOSED", "error": None}


async def test_claude_still_down_at_the_trial_stays_open_and_is_tried_again_later(
    claude_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock,
) -> None:
    """The probe's trial fails while Claude still refuses us: one request, the circuit is OPEN
    again for a fresh reset timeout, /health stays 503, and the owner is not alerted twice."""
    fake_claude.api_keys = {"a-key-we-do-not-have"}
    probe = claude_runtime.probe
    assert probe is not None
    async with http_client(claude_runtime) as client:
        for i in range(5):
            await client.post("/api/leads/analyze", json={"post_text": f"Test post {i}",
                                                          "group_name": "T"})
        clock.advance(121)
        await probe.run_once()
        health = await client.get("/health")
        clock.advance(119)
        await probe.run_once()
        lookups_while_reopened = len(fake_claude.model_lookups)
    assert lookups_while_reopened == 1
    assert health.status_code == 503
    assert health.json()["circuitBreakers"]["claude-api"]["state"] == "OPEN"
    assert health.json()["circuitBreakers"]["claude-api"]["retryAfterSeconds"] == 120
    async with claude_runtime.pool.connection() as conn:
        cur = await conn.execute("SELECT count(*) FROM alert_outbox WHERE kind = 'critical'")
        assert await cur.fetchone() == (1,)


async def test_waiting_posts_are_the_trials_when_there_are_any(
    claude_runtime: Runtime, fake_claude: FakeClaude, clock: ManualClock,
) -> None:
    """Posts stored while the circuit was open are the sweep's work after the reset timeout:
    three of them, one batch each, are the three trials that close the circuit; the probe has
    nothing left to do."""
    fake_claude.api_keys = {"a-key-we-do-not-have"}
    intake = claude_runtime.intake
    async with http_client(claude_runtime) as client:
        for i in range(5):
            await client.post("/api/leads/analyze", json={"post_text": f"Test post {i}",
                                                          "group_name": "T"})
        stored = [await client.post("/api/leads/analyze", json={
            "post_text": f"Need a plumber in Dallas, leak #{i}", "group_name": "T"})
            for i in range(3)]
        fake_claude.api_keys = None
        clock.advance(120)
        assert await intake.analyze_pending() == 3
        health = await client.get("/health")
    assert [r.status_code for r in stored] == [503] * 3
    assert health.status_code == 200
    assert fake_claude.model_lookups == []


async def test_twilio_circuit_closes_without_traffic_once_twilio_is_back(
    twilio_runtime: Runtime, fake_twilio: FakeTwilio, clock: ManualClock,
) -> None:
    """Twilio is down, five test texts open the circuit; once it is up again and nothing is
    waiting to be sent, a second past the reset timeout the probe's two account reads close the circuit and /health
    is 200. Nothing is texted by the probe."""
    fake_twilio.outage = True
    async with http_client(twilio_runtime) as client:
        codes = [(await client.post("/api/test/sms", json={"message": f"Test {i}"})).status_code
                 for i in range(5)]
        opened = await client.get("/health")
        fake_twilio.outage = False
        creates = fake_twilio.creates
        clock.advance(61)
        closed = await healthy(client)
    assert codes == [502] * 5
    assert opened.json()["services"]["notifications"]["circuitState"] == "OPEN"
    assert closed.json()["services"]["notifications"] == {
        "enabled": True, "circuitState": "CLOSED", "healthy": True}
    assert fake_twilio.account_fetches == 2
    assert (fake_twilio.creates, fake_twilio.messages) == (creates, [])


async def test_an_operator_s_forced_open_is_not_probed(
    twilio_runtime: Runtime, fake_twilio: FakeTwilio, clock: ManualClock,
) -> None:
    """`pipelineos breaker force-open` holds: the probe never tries a FORCED_OPEN circuit."""
    probe = twilio_runtime.probe
    assert probe is not None
    twilio_runtime.notifications.breaker.force_open()
    clock.advance(3600)
    await probe.run_once()
    assert fake_twilio.account_fetches == 0
    assert str(twilio_runtime.notifications.breaker.state) == "FORCED_OPEN"


async def test_probe_off_leaves_trials_to_traffic(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
) -> None:
    """CIRCUIT_PROBE_SECONDS=0: no probe runs, as before it existed."""
    settings = make_settings(migrated_url, tmp_path, circuit_probe_seconds=0,
                             **twilio_settings(fake_twilio))
    runtime = await Runtime.start(settings, clock=clock)
    try:
        assert runtime.probe is None
    finally:
        await runtime.stop()
