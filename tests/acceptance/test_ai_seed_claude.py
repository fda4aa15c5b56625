"""The seed's "Test Circuit Breaker for Claude API", run against `pipelineos serve` as a user
would run it, with the loopback fake standing in for api.anthropic.com."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from pipelineos.integrations.claude.service import ALERT_MESSAGE
from tests.acceptance.service import SEED_BREAKER_CYCLE, grep_circuit_breaker, running_service
from tests.fakes.claude_server import FakeClaude

pytestmark = pytest.mark.slow

SRC = str(Path(__file__).resolve().parents[2] / "src")
SEED_POST = {"post_text": "Need a plumber in Dallas for leaking water heater",
             "group_name": "Dallas Home Services"}
RESET_MS = 1500


def breaker_events(log: Path) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in grep_circuit_breaker(log)]
    return [e for e in lines if e.get("component") == "circuit breaker"
            and e.get("name") == "claude-api"]


def test_seed_claude_normal_failure_logs_and_recovery(tmp_path: Path, migrated_url: str) -> None:
    """Test 1: the seed post is analyzed by Claude, circuit CLOSED. Test 2: once the key is
    refused, the circuit opens after 5 failures, the 6th is rejected at once without reaching
    Claude, health shows OPEN and the critical alert is sent. Test 3: `grep "circuit breaker"`
    on the log shows the seed's events in order, through HALF_OPEN back to CLOSED once Claude
    accepts calls again.
    (One service run: the fake stops accepting the key instead of a restart with a new one.)"""
    with FakeClaude() as fake, running_service(
        tmp_path, DATABASE_URL=migrated_url, PYTHONPATH=SRC, ANTHROPIC_API_KEY="invalid_key",
        ANTHROPIC_BASE_URL=fake.url, CLAUDE_CIRCUIT_RESET_TIMEOUT=str(RESET_MS),
        CLAUDE_RETRY_INITIAL_DELAY_SECONDS="0",
    ) as service:
        analyzed = httpx.post(f"{service.base_url}/api/leads/analyze", json=SEED_POST)
        health = httpx.get(f"{service.base_url}/health")

        fake.api_keys = {"sk-the-valid-key"}  # from now on the configured key is refused
        fake.clear()
        replies = [httpx.post(f"{service.base_url}/api/leads/analyze",
                              json={"post_text": f"Test post {i}", "group_name": "Test"})
                   for i in range(1, 7)]
        open_health = httpx.get(f"{service.base_url}/health")
        sent_while_open = len(fake.requests)

        fake.api_keys = None  # Claude accepts calls again
        time.sleep(RESET_MS / 1000 + 0.2)
        recovered = [httpx.post(f"{service.base_url}/api/leads/analyze",
                                json={"post_text": f"Need a plumber in Dallas, leak #{i}",
                                      "group_name": "Dallas Home Services"})
                     for i in range(3)]
        closed_health = httpx.get(f"{service.base_url}/health")
        output = service.output()

    assert analyzed.status_code == 200
    assert analyzed.json()["analysis"]["analyzer"] == "claude"
    assert analyzed.json()["lead"]["priority"] == "high"
    assert health.status_code == 200
    assert health.json()["services"]["ai"] == {"initialized": True, "circuitState": "CLOSED",
                                               "healthy": True}

    assert [r.status_code for r in replies] == [200] * 5 + [503]
    assert all(r.json()["analysis"]["analyzer"] == "local" for r in replies[:5])
    assert "Circuit breaker is OPEN" in replies[5].json()["error"]
    assert sent_while_open == 5, "the 6th request never reached Claude"
    assert open_health.status_code == 503
    assert open_health.json()["services"]["ai"]["circuitState"] == "OPEN"
    assert [r.json()["analysis"]["analyzer"] for r in recovered] == ["claude"] * 3
    assert closed_health.status_code == 200
    assert closed_health.json()["services"]["ai"]["circuitState"] == "CLOSED"

    log = tmp_path / "logs" / "combined.log"
    seen = [(e["event"], e.get("recentFailures"), e.get("from"), e.get("to"))
            for e in breaker_events(log)]
    assert seen == SEED_BREAKER_CYCLE
    alerts = [json.loads(line) for line in log.read_text().splitlines()
              if '"Critical alert"' in line]
    assert [a["message"] for a in alerts] == [ALERT_MESSAGE]
    for text in (log.read_text(), output, open_health.text):
        assert "invalid_key" not in text
