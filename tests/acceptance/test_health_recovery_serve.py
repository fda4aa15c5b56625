"""`pipelineos serve` after a vendor outage: once the vendor is back, /health goes from 503 to
200 with no request from anyone, and the log reads the seed's breaker cycle."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from tests.acceptance.service import SEED_BREAKER_CYCLE, grep_circuit_breaker, running_service
from tests.fakes.claude_server import FakeClaude
from tests.fakes.twilio_server import AUTH_TOKEN, serve_twilio, twilio_env

pytestmark = pytest.mark.slow

SRC = str(Path(__file__).resolve().parents[2] / "src")
RESET_MS = 1000
PROBE_SECONDS = 0.5


def wait_healthy(base_url: str, within: float = 20.0) -> tuple[httpx.Response, float]:
    """Poll GET /health (it sends nothing to a vendor) until 200; the answer and when."""
    deadline = time.monotonic() + within
    while (health := httpx.get(f"{base_url}/health")).status_code != 200:
        assert time.monotonic() < deadline, health.text
        time.sleep(0.1)
    return health, time.monotonic()


def breaker_cycle(log: Path, name: str) -> list[tuple[object, ...]]:
    events = [json.loads(line) for line in grep_circuit_breaker(log)]
    return [(e["event"], e.get("recentFailures"), e.get("from"), e.get("to")) for e in events
            if e.get("component") == "circuit breaker" and e.get("name") == name]


def test_claude_back_closes_the_circuit_without_traffic(tmp_path: Path, migrated_url: str) -> None:
    """The seed's Claude outage (5 refused posts, the 6th rejected), then Claude accepts the key
    again and nobody posts: /health turns 200 by itself shortly after the reset timeout, after
    three token-free Models API requests, and the log shows the seed's cycle."""
    with FakeClaude() as fake, running_service(
        tmp_path, DATABASE_URL=migrated_url, PYTHONPATH=SRC, ANTHROPIC_API_KEY="sk-ant-live",
        ANTHROPIC_BASE_URL=fake.url, CLAUDE_CIRCUIT_RESET_TIMEOUT=str(RESET_MS),
        CLAUDE_RETRY_INITIAL_DELAY_SECONDS="0", CIRCUIT_PROBE_SECONDS=str(PROBE_SECONDS),
    ) as service:
        fake.api_keys = {"sk-ant-other"}  # the configured key is refused
        codes = [httpx.post(f"{service.base_url}/api/leads/analyze",
                            json={"post_text": f"Test post {i}", "group_name": "Test"}
                            ).status_code for i in range(1, 7)]
        opened_at = time.monotonic()
        opened = httpx.get(f"{service.base_url}/health")
        fake.api_keys = None  # Claude is back; from here on nobody posts anything
        messages = sum(1 for r in fake.requests if r.path.startswith("/v1/messages"))
        closed, closed_at = wait_healthy(service.base_url)
        messages_after = sum(1 for r in fake.requests if r.path.startswith("/v1/messages"))
        lookups = len(fake.model_lookups)

    assert codes == [200] * 5 + [503]
    assert opened.status_code == 503 and opened.json()["services"]["ai"]["circuitState"] == "OPEN"
    assert closed.json()["services"]["ai"] == {"initialized": True, "circuitState": "CLOSED",
                                               "healthy": True}
    # The reset timeout, then the probe's interval (traffic's turn), then a look: a few seconds.
    assert closed_at - opened_at < RESET_MS / 1000 + 3 * PROBE_SECONDS + 2
    assert (lookups, messages_after) == (3, messages)
    assert breaker_cycle(tmp_path / "logs" / "combined.log", "claude-api") == SEED_BREAKER_CYCLE


def test_twilio_back_closes_the_circuit_without_traffic(service_dir: Path,
                                                        migrated_url: str) -> None:
    """The seed's Twilio outage (5 refused test texts, the 6th rejected), then the credentials
    work again and nothing is sent: /health turns 200 by itself after two account reads, no
    message is created, and the log shows the seed's cycle."""
    token = "good-token-7c1e0b"
    with serve_twilio() as fake, running_service(
        service_dir, DATABASE_URL=migrated_url, PYTHONPATH=SRC,
        TWILIO_CIRCUIT_RESET_TIMEOUT=str(RESET_MS), CIRCUIT_PROBE_SECONDS=str(PROBE_SECONDS),
        **twilio_env(fake, twilio_auth_token=token),
    ) as service:
        fake.auth_token = AUTH_TOKEN  # not the server's: every request is refused (20003)
        codes = [httpx.post(f"{service.base_url}/api/test/sms",
                            json={"message": f"Test {i}"}).status_code for i in range(1, 7)]
        opened = httpx.get(f"{service.base_url}/health")
        fake.auth_token = token  # fixed at Twilio's end; nothing is sent from here on
        closed, _ = wait_healthy(service.base_url)

    assert codes == [502] * 5 + [503]
    assert opened.json()["services"]["notifications"]["circuitState"] == "OPEN"
    assert closed.json()["services"]["notifications"]["circuitState"] == "CLOSED"
    assert (fake.account_fetches, fake.messages) == (2, [])
    log = service_dir / "logs" / "combined.log"
    assert breaker_cycle(log, "twilio-api") == SEED_BREAKER_CYCLE
    assert token not in log.read_text() and AUTH_TOKEN not in log.read_text()
