"""Operations against `pipelineos serve` as an operator meets it: the seed's Twilio circuit test
read back with `grep "circuit breaker" logs/combined.log`, `pipelineos breaker` steering the
running server, /metrics over HTTP, and the API key from start-up to the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.acceptance.service import SEED_BREAKER_CYCLE, grep_circuit_breaker, running_service
from tests.fakes.twilio_server import AUTH_TOKEN, serve_twilio, twilio_env

pytestmark = pytest.mark.slow

SRC = str(Path(__file__).resolve().parents[2] / "src")
RESET_MS = 1000
KEY = "acceptance-key-5b0e9d2c41f7"
SEED_EVENTS = ("Circuit breaker initialized", "Circuit breaker recorded failure",
               "Circuit breaker state changed", "Circuit breaker is OPEN, request rejected")


def cli(port: int, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`pipelineos ARGS` in another process, finding the server by PORT (HOST: 127.0.0.1)."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE",
                                 "PIPELINEOS_"))}
    return subprocess.run([sys.executable, "-m", "pipelineos.cli", *args],
                          env={**base, "PYTHONPATH": SRC, "PORT": str(port), **env},
                          capture_output=True, text=True, timeout=60)


def test_seed_twilio_circuit_test_read_back_with_grep_and_steered_by_the_cli(
    service_dir: Path, migrated_url: str
) -> None:
    """Test 1-3 of the seed's Twilio guide on a live server (reset timeout 1 s): a text is sent,
    five refused sends open the circuit, the sixth is rejected, and after the timeout two good
    sends close it. `grep "circuit breaker"` shows the seed's events in order with name,
    recentFailures and from/to; `pipelineos breaker force-open/reset` move the server's breaker
    and are logged; /metrics counts the calls; start-up said /api is loopback-only."""
    token = "valid-at-first-token-9e1d"
    with serve_twilio() as fake, running_service(
        service_dir, DATABASE_URL=migrated_url, PYTHONPATH=SRC,
        TWILIO_CIRCUIT_RESET_TIMEOUT=str(RESET_MS), **twilio_env(fake, twilio_auth_token=token),
    ) as service:
        base, port = service.base_url, int(service.base_url.rsplit(":", 1)[1])
        fake.auth_token = token  # the server's credentials are good
        first = httpx.post(f"{base}/api/test/sms", json={"message": "Test message"})
        closed = httpx.get(f"{base}/health")

        fake.auth_token = AUTH_TOKEN  # ...until they are not: the seed's "invalid_token"
        codes = [httpx.post(f"{base}/api/test/sms", json={"message": f"Test {i}"}).status_code
                 for i in range(1, 7)]
        opened = httpx.get(f"{base}/health")

        fake.auth_token = token  # restored; wait out the (shortened) reset timeout
        time.sleep(RESET_MS / 1000 + 0.2)
        recovered = [httpx.post(f"{base}/api/test/sms", json={"message": "Recovery test"})
                     for _ in range(2)]
        reclosed = httpx.get(f"{base}/health")

        forced = cli(port, "breaker", "force-open", "twilio-api")
        forced_health = httpx.get(f"{base}/health")
        listed = cli(port, "breaker")
        reset = cli(port, "breaker", "reset", "twilio-api")
        typo = cli(port, "breaker", "reset", "twilio")
        metrics = httpx.get(f"{base}/metrics")
        output = service.output()

    assert first.status_code == 200 and first.json()["circuitState"] == "CLOSED"
    assert closed.status_code == 200
    assert codes == [502] * 5 + [503]
    assert opened.status_code == 503
    assert opened.json()["services"]["notifications"]["circuitState"] == "OPEN"
    assert [r.status_code for r in recovered] == [200, 200]
    assert reclosed.json()["services"]["notifications"]["circuitState"] == "CLOSED"

    assert forced.returncode == 0, forced.stderr
    assert f"{base}: twilio-api CLOSED → FORCED_OPEN" in forced.stdout
    assert forced_health.status_code == 503
    assert listed.returncode == 0
    assert "circuit breaker twilio-api: FORCED_OPEN, recent failures 0, calls 9 (5 failed, " \
           "1 rejected)" in listed.stdout
    assert "rate limiter twilio-sms: " in listed.stdout
    assert reset.returncode == 0 and "FORCED_OPEN → CLOSED" in reset.stdout
    assert typo.returncode == 2 and "No circuit breaker 'twilio'" in typo.stderr

    lines = grep_circuit_breaker(service_dir / "logs" / "combined.log")
    events = [json.loads(line) for line in lines]
    twilio = [e for e in events if e.get("name") == "twilio-api"]
    seen = [(e["event"], e.get("recentFailures"), e.get("from"), e.get("to"))
            for e in twilio if e["event"] in SEED_EVENTS]
    assert seen == [
        *SEED_BREAKER_CYCLE,
        ("Circuit breaker state changed", None, "CLOSED", "FORCED_OPEN"),
        ("Circuit breaker state changed", None, "FORCED_OPEN", "CLOSED"),
    ]
    actions = [(e["action"], e["from"], e["to"], e["access"], e["client"])
               for e in twilio if e["event"] == "Circuit breaker admin action"]
    assert actions == [("force-open", "CLOSED", "FORCED_OPEN", "loopback", "127.0.0.1"),
                       ("reset", "FORCED_OPEN", "CLOSED", "loopback", "127.0.0.1")]
    assert all(e["actor"].startswith("cli:") for e in twilio
               if e["event"] == "Circuit breaker admin action")

    found = {(s.name, tuple(sorted(s.labels.items()))): s.value
             for f in text_string_to_metric_families(metrics.text) for s in f.samples}
    name = ("name", "twilio-api")
    assert found[("resilience4j_circuitbreaker_state", (name, ("state", "closed")))] == 1
    for kind, count in (("successful", 3), ("failed", 5)):
        assert found[("resilience4j_circuitbreaker_calls_total", (("kind", kind), name))] == count
    assert found[("resilience4j_circuitbreaker_not_permitted_calls_total", (name,))] == 1
    assert "PIPELINEOS_API_KEY is not set: /api answers requests from this machine only" in output
    for text in (output, metrics.text, (service_dir / "logs" / "combined.log").read_text()):
        assert token not in text and AUTH_TOKEN not in text


def test_api_key_from_server_to_cli(service_dir: Path, migrated_url: str) -> None:
    """With PIPELINEOS_API_KEY the server says so at start-up; /api without the key is 401
    while /health and /metrics stay open; the CLI sends the key from its own settings (and
    without it is told 401); the key never reaches the log or the console."""
    with running_service(service_dir, DATABASE_URL=migrated_url, PYTHONPATH=SRC,
                         PIPELINEOS_API_KEY=KEY) as service:
        base, port = service.base_url, int(service.base_url.rsplit(":", 1)[1])
        anonymous = httpx.get(f"{base}/api/leads")
        keyed = httpx.get(f"{base}/api/leads", headers={"X-API-Key": KEY})
        open_paths = [httpx.get(f"{base}{path}").status_code
                      for path in ("/health", "/health/live", "/health/ready", "/metrics")]
        with_key = cli(port, "breaker", "disable", "twilio-api", PIPELINEOS_API_KEY=KEY)
        without_key = cli(port, "breaker", "reset", "twilio-api")
        output = service.output()

    assert anonymous.status_code == 401 and "API key" in anonymous.json()["error"]
    assert keyed.status_code == 200
    assert open_paths == [200, 200, 200, 200]
    assert with_key.returncode == 0 and "CLOSED → DISABLED" in with_key.stdout
    assert without_key.returncode == 1 and "Missing or invalid API key" in without_key.stderr
    assert "API key required for /api" in output
    log = (service_dir / "logs" / "combined.log").read_text()
    assert '"access": "api-key"' in log
    assert KEY not in log and KEY not in output
