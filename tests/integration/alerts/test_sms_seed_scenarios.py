"""The seed's "Test Circuit Breaker for Twilio" scenarios 1-4, through POST /api/test/sms, the
real twilio SDK and a loopback Twilio; the clock is moved instead of waiting a minute."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.fakes.twilio_server import AUTH_TOKEN, OWNER_NUMBER, FakeTwilio
from tests.integration.alerts.conftest import client_for, sms_settings

INVALID_TOKEN = "invalid_token_9d7e55"


async def _send(client: httpx.AsyncClient, message: str) -> httpx.Response:
    return await client.post("/api/test/sms", json={"message": message})


async def _circuit(client: httpx.AsyncClient) -> tuple[int, str]:
    health = await client.get("/health")
    return health.status_code, health.json()["services"]["notifications"]["circuitState"]


def _log_text(records: list[logging.LogRecord]) -> str:
    return "\n".join(json.dumps({"event": r.getMessage(), **getattr(r, "fields", {})},
                                default=str) for r in records)


async def test_1_normal_operation_sends_and_circuit_stays_closed(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio
) -> None:
    """A test SMS reaches the owner's number from ours; health reports CLOSED and enabled."""
    response = await _send(sms_client, "Test message")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["circuitState"] == "CLOSED"
    [message] = fake_twilio.messages
    assert (message.to, message.from_, message.body) == (OWNER_NUMBER, fake_twilio.from_number,
                                                         "Test message")
    assert body["sid"] == message.sid
    health = await sms_client.get("/health")
    assert health.status_code == 200
    assert health.json()["services"]["notifications"] == {
        "enabled": True, "circuitState": "CLOSED", "healthy": True}


@pytest.fixture
async def bad_token_client(migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
                           clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    settings = sms_settings(migrated_url, tmp_path, fake_twilio,
                            twilio_auth_token=INVALID_TOKEN)
    runtime = await Runtime.start(settings, clock=clock)
    try:
        async with client_for(runtime) as client:
            yield client
    finally:
        await runtime.stop()


async def test_2_invalid_token_opens_the_circuit_on_the_5th_failure_and_rejects_the_6th(
    bad_token_client: httpx.AsyncClient, fake_twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Five 502s carrying Twilio's 20003 (one request each, not retried), the circuit opens
    on the fifth, the sixth is a 503 'Circuit breaker is OPEN' that never reaches Twilio, and
    neither responses nor logs contain the token."""
    caplog.set_level(logging.DEBUG)
    bodies = []
    for i in range(1, 6):
        response = await _send(bad_token_client, f"Test {i}")
        assert response.status_code == 502
        assert response.json()["code"] == 20003
        bodies.append(response.text)
        expected = "OPEN" if i == 5 else "CLOSED"
        assert (await _circuit(bad_token_client))[1] == expected
    assert fake_twilio.creates == 5, "authentication errors are not retried"
    requests_before = fake_twilio.requests

    sixth = await _send(bad_token_client, "Test 6")
    assert sixth.status_code == 503
    assert "Circuit breaker is OPEN" in sixth.json()["error"]
    assert fake_twilio.requests == requests_before, "rejected without reaching Twilio"
    assert await _circuit(bad_token_client) == (503, "OPEN")

    logged = _log_text(caplog.records)
    assert "Circuit breaker recorded failure" in logged
    assert '"from": "CLOSED", "to": "OPEN"' in logged
    assert "Circuit breaker is OPEN, request rejected" in logged
    assert "Twilio circuit breaker OPEN - SMS notifications unavailable" in logged
    basic = base64.b64encode(f"{fake_twilio.account_sid}:{INVALID_TOKEN}".encode()).decode()
    for secret in (INVALID_TOKEN, basic):
        assert secret not in logged
        assert all(secret not in body for body in bodies + [sixth.text])


async def test_3_circuit_recovers_through_half_open_after_two_successes(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio, clock: ManualClock
) -> None:
    """Credentials break, the circuit opens; once they work again and the reset timeout has
    passed, the circuit is HALF_OPEN and two successful sends close it."""
    fake_twilio.auth_token = "rotated-elsewhere"
    for i in range(5):
        assert (await _send(sms_client, f"Test {i}")).status_code == 502
    assert await _circuit(sms_client) == (503, "OPEN")

    fake_twilio.auth_token = AUTH_TOKEN  # valid credentials restored
    clock.advance(59)
    assert (await _send(sms_client, "Too early")).status_code == 503
    clock.advance(1)
    assert await _circuit(sms_client) == (503, "HALF_OPEN")

    first = await _send(sms_client, "Recovery test")
    assert first.status_code == 200 and first.json()["circuitState"] == "HALF_OPEN"
    second = await _send(sms_client, "Recovery test 2")
    assert second.status_code == 200 and second.json()["circuitState"] == "CLOSED"
    assert await _circuit(sms_client) == (200, "CLOSED")
    assert fake_twilio.bodies() == ["Recovery test", "Recovery test 2"]


async def test_4_eleven_rapid_sends_ten_succeed_the_eleventh_is_rate_limited(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio, clock: ManualClock
) -> None:
    """The first ten go out, the eleventh is a 429 'Rate limit exceeded' that never reaches
    Twilio, and a minute later the bucket has refilled."""
    codes = [(await _send(sms_client, f"Rate test {i}")).status_code for i in range(1, 11)]
    assert codes == [200] * 10
    eleventh = await _send(sms_client, "Rate test 11")
    assert eleventh.status_code == 429
    assert "Rate limit exceeded" in eleventh.json()["error"]
    assert int(eleventh.headers["Retry-After"]) >= 1
    assert len(fake_twilio.messages) == 10 and fake_twilio.creates == 10
    assert (await _circuit(sms_client))[1] == "CLOSED", "a local refusal is not a failure"

    clock.advance(60)
    assert (await _send(sms_client, "After refill")).status_code == 200
