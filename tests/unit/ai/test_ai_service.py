"""Claude behind breaker, retry and limiter: what counts, what is retried, when the owner is
alerted. The real SDK talks to the loopback fake; time is a manual clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from pipelineos.analysis.model import BusinessProfile
from pipelineos.analysis.prompt import TOOL_NAME, PostText, Prompt, VerdictBatch
from pipelineos.integrations.claude import errors
from pipelineos.integrations.claude.client import ClaudeClient, ToolRequest
from pipelineos.integrations.claude.service import (
    ALERT_MESSAGE,
    BREAKER_NAME,
    ClaudeService,
    Protection,
)
from pipelineos.resilience import (
    CallTimeoutError,
    CircuitOpenError,
    ManualClock,
    RateLimitExceeded,
    Registry,
)
from tests.fakes.claude_server import FakeClaude, Reply

PROMPT = Prompt(BusinessProfile())
REQUEST = ToolRequest(model="claude-test", system=PROMPT.system, tools=PROMPT.tools,
                      tool_name=TOOL_NAME,
                      messages=PROMPT.posts_message([PostText(1, "Need a plumber in Dallas", "g")]),
                      max_tokens=500)


class Alerts:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def __call__(self, message: str) -> None:
        self.sent.append(message)


def make_service(fake: FakeClaude, clock: ManualClock, alerts: Callable[[str], Awaitable[None]],
                 **options: float) -> ClaudeService:
    protection = Protection(**{"retry_initial_delay": 0.0, **options})  # type: ignore[arg-type]
    client = ClaudeClient("sk-test", base_url=fake.url, timeout=protection.attempt_timeout)
    return ClaudeService.build(client, model="claude-test", registry=Registry(clock=clock),
                               clock=clock, protection=protection, send_alert=alerts)


@pytest.fixture
async def alerts() -> Alerts:
    return Alerts()


@pytest.fixture
async def service(fake_claude: FakeClaude, clock: ManualClock, alerts: Alerts):  # type: ignore[no-untyped-def]
    built = make_service(fake_claude, clock, alerts)
    yield built
    await built.aclose()


async def call(service: ClaudeService) -> VerdictBatch:
    return (await service.call_tool(REQUEST, VerdictBatch)).value


async def test_transient_errors_are_retried_and_the_breaker_sees_one_success(
    service: ClaudeService, fake_claude: FakeClaude,
) -> None:
    """500, then 529 overloaded, then an answer: three requests, one successful logical call."""
    fake_claude.script(Reply.status_error(500), Reply.status_error(529))
    assert (await call(service)).analyses[0].post_id == 1
    status = await service.status()
    assert len(fake_claude.requests) == 3
    assert (status["requestCount"], status["successCount"], status["errorCount"]) == (3, 1, 2)
    metrics = status["circuitBreaker"]["metrics"]
    assert (metrics["successfulRequests"], metrics["failedRequests"]) == (1, 0)


async def test_claudes_429_waits_for_retry_after_and_never_counts(
    service: ClaudeService, fake_claude: FakeClaude,
) -> None:
    """A 429 is retried after its retry-after; the breaker records nothing against Claude."""
    fake_claude.script(Reply.status_error(429, retry_after_ms="150"))
    started = time.monotonic()
    await call(service)
    assert time.monotonic() - started >= 0.14
    fake_claude.script(*[Reply.status_error(429, retry_after_ms="10")] * 3)
    with pytest.raises(errors.ClaudeRateLimited):
        await call(service)
    status = service.breaker.status()
    assert status["recentFailures"] == 0
    assert status["metrics"]["ignoredRequests"] == 1


async def test_an_auth_error_is_not_retried_and_counts(
    service: ClaudeService, fake_claude: FakeClaude,
) -> None:
    """401: one request, one breaker failure."""
    fake_claude.script(Reply.status_error(401))
    with pytest.raises(errors.ClaudeAuthError):
        await call(service)
    assert len(fake_claude.requests) == 1
    assert service.breaker.recent_failures == 1


async def test_spent_retries_count_once(service: ClaudeService, fake_claude: FakeClaude) -> None:
    """Three 500s in a row: three requests, one breaker failure (one logical call)."""
    fake_claude.script(*[Reply.status_error(500)] * 3)
    with pytest.raises(errors.ClaudeUnavailable):
        await call(service)
    assert len(fake_claude.requests) == 3
    assert service.breaker.recent_failures == 1


async def test_seed_invalid_key_opens_after_five_and_the_sixth_never_leaves(
    fake_claude: FakeClaude, clock: ManualClock, alerts: Alerts,
) -> None:
    """The seed's test 2: five auth failures open the circuit, the sixth is rejected without a
    request, and exactly one critical alert is sent."""
    fake_claude.api_keys = {"the-real-key"}
    service = make_service(fake_claude, clock, alerts)
    try:
        for _ in range(5):
            with pytest.raises(errors.ClaudeAuthError):
                await call(service)
        assert str(service.breaker.state) == "OPEN"
        with pytest.raises(CircuitOpenError, match="Circuit breaker is OPEN"):
            await call(service)
    finally:
        await service.aclose()
    assert len(fake_claude.requests) == 5
    assert alerts.sent == [ALERT_MESSAGE]


async def test_one_alert_per_outage_and_recovery_after_the_reset_timeout(
    fake_claude: FakeClaude, clock: ManualClock, alerts: Alerts,
) -> None:
    """Open → alert; a failed trial re-opens without a second alert; after 120 s three
    successful trials close it; a new outage later alerts again."""
    service = make_service(fake_claude, clock, alerts)
    try:
        fake_claude.script(*[Reply.status_error(401)] * 5)
        for _ in range(5):
            with pytest.raises(errors.ClaudeAuthError):
                await call(service)
        clock.advance(120)
        assert str(service.breaker.state) == "HALF_OPEN"
        fake_claude.script(Reply.status_error(401))
        with pytest.raises(errors.ClaudeAuthError):
            await call(service)
        assert str(service.breaker.state) == "OPEN"
        assert alerts.sent == [ALERT_MESSAGE]

        clock.advance(119)
        with pytest.raises(CircuitOpenError):
            await call(service)
        clock.advance(1)
        for _ in range(3):
            await call(service)
        assert str(service.breaker.state) == "CLOSED"

        fake_claude.script(*[Reply.status_error(403)] * 5)
        for _ in range(5):
            with pytest.raises(errors.ClaudeAuthError):
                await call(service)
    finally:
        await service.aclose()
    assert alerts.sent == [ALERT_MESSAGE, ALERT_MESSAGE]


@pytest.mark.parametrize("reply", [Reply.malformed(), Reply.text_only()])
async def test_an_invalid_reply_is_its_own_error_not_retried_not_counted(
    service: ClaudeService, fake_claude: FakeClaude, reply: Reply,
) -> None:
    """Malformed tool input or prose: ClaudeInvalidReply with the request id and the tokens
    spent; one request; the breaker ignores it."""
    fake_claude.script(reply)
    with pytest.raises(errors.ClaudeInvalidReply) as raised:
        await call(service)
    assert raised.value.request_id and raised.value.request_id.startswith("req_fake_")
    assert raised.value.usage.total > 0
    assert len(fake_claude.requests) == 1
    assert service.breaker.recent_failures == 0
    status = await service.status()
    assert (status["errorCount"], status["invalidReplyCount"]) == (1, 1)
    assert status["totalTokensUsed"] == raised.value.usage.total


async def test_a_slow_attempt_is_retried_within_the_call_timeout(
    fake_claude: FakeClaude, clock: ManualClock, alerts: Alerts,
) -> None:
    """An attempt that outlives the per-attempt timeout is retried; the next one answers."""
    service = make_service(fake_claude, clock, alerts, attempt_timeout=0.2, timeout=5.0)
    fake_claude.script(Reply.slow(1.0))
    try:
        await call(service)
    finally:
        await service.aclose()
    assert len(fake_claude.requests) == 2
    assert service.breaker.recent_failures == 0


async def test_the_whole_call_is_bounded_by_the_timeout_and_counts(
    fake_claude: FakeClaude, clock: ManualClock, alerts: Alerts,
) -> None:
    """A reply slower than the call's timeout: cancelled, CallTimeoutError, one failure."""
    service = make_service(fake_claude, clock, alerts, attempt_timeout=5.0, timeout=0.3)
    fake_claude.script(Reply.slow(2.0))
    started = time.monotonic()
    try:
        with pytest.raises(CallTimeoutError):
            await call(service)
    finally:
        await service.aclose()
    assert time.monotonic() - started < 1.5
    assert service.breaker.recent_failures == 1


async def test_our_rate_limit_refuses_before_any_request(
    fake_claude: FakeClaude, clock: ManualClock, alerts: Alerts,
) -> None:
    """With 2 requests a minute, the third call is refused locally: nothing sent, not counted."""
    service = make_service(fake_claude, clock, alerts, rate_limit_per_minute=2)
    try:
        await call(service)
        await call(service)
        with pytest.raises(RateLimitExceeded, match="Rate limit exceeded"):
            await call(service)
        status = await service.status()
    finally:
        await service.aclose()
    assert len(fake_claude.requests) == 2
    assert status["rateLimiter"]["tokensRemaining"] == 0
    assert status["circuitBreaker"]["recentFailures"] == 0


async def test_status_has_the_seed_get_health_shape(service: ClaudeService) -> None:
    """initialized, requestCount, successCount, errorCount, totalTokensUsed, circuitBreaker
    (the breaker's status) and rateLimiter.tokensRemaining."""
    await call(service)
    status = await service.status()
    assert status["initialized"] is True
    assert status["requestCount"] == status["successCount"] == 1
    assert status["errorCount"] == 0
    assert status["totalTokensUsed"] == sum(status["tokens"].values()) > 0
    assert status["circuitBreaker"]["name"] == BREAKER_NAME
    assert status["circuitBreaker"]["state"] == "CLOSED"
    assert status["rateLimiter"]["tokensRemaining"] == 49


async def test_a_retry_after_beyond_the_budget_is_not_waited_for(
    service: ClaudeService, fake_claude: FakeClaude,
) -> None:
    """A 429 asking for 30 s is given up at once (the caller falls back), not slept through."""
    fake_claude.script(Reply.status_error(429, retry_after="30"))
    started = time.monotonic()
    with pytest.raises(errors.ClaudeRateLimited):
        await call(service)
    assert time.monotonic() - started < 2
    assert len(fake_claude.requests) == 1


async def test_only_the_call_that_opened_the_circuit_waits_for_the_alert(
    fake_claude: FakeClaude, clock: ManualClock,
) -> None:
    """While a slow notifier hands the alert over, the opening call waits for it and calls
    rejected meanwhile still answer at once."""
    sent: list[str] = []

    async def slow_alert(message: str) -> None:
        await asyncio.sleep(0.5)
        sent.append(message)

    service = make_service(fake_claude, clock, slow_alert)
    fake_claude.script(*[Reply.status_error(401)] * 5)
    try:
        for _ in range(4):
            with pytest.raises(errors.ClaudeAuthError):
                await call(service)
        opening = asyncio.create_task(call(service))
        while str(service.breaker.state) != "OPEN":
            await asyncio.sleep(0.01)
        started = time.monotonic()
        with pytest.raises(CircuitOpenError):
            await call(service)
        assert time.monotonic() - started < 0.2
        assert sent == [] and not opening.done()
        with pytest.raises(errors.ClaudeAuthError):
            await opening
        assert sent == [ALERT_MESSAGE]
    finally:
        await service.aclose()
