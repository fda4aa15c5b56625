"""Admin: reset, force-open and disable a named breaker over HTTP, each logged with who asked
and the states it moved between; an unknown name is 404."""

from __future__ import annotations

import logging

import pytest

from pipelineos.bootstrap import Runtime
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.ops.conftest import API_KEY, REMOTE, client_at


def admin_records(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [r.fields for r in caplog.records  # type: ignore[attr-defined]
            if r.getMessage() == "Circuit breaker admin action"]


async def test_force_open_then_reset_steers_real_sends(
    ops_runtime: Runtime, fake_twilio: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    """Force-open makes the next test SMS a 503 'Circuit breaker is OPEN' and /health 503
    without reaching Twilio; reset closes it and texts flow again. Both are logged with the
    action, from/to states, how the caller got in, its address and the name it gave."""
    caplog.set_level(logging.INFO)
    async with client_at(ops_runtime, headers={"X-Actor": "ops:alice"}) as client:
        opened = await client.post("/api/admin/circuits/twilio-api/force-open")
        assert opened.status_code == 200
        assert (opened.json()["from"], opened.json()["to"]) == ("CLOSED", "FORCED_OPEN")
        refused = await client.post("/api/test/sms", json={"message": "while forced open"})
        assert refused.status_code == 503 and "Circuit breaker is OPEN" in refused.json()["error"]
        assert (await client.get("/health")).status_code == 503
        assert fake_twilio.requests == 0

        closed = await client.post("/api/admin/circuits/twilio-api/reset")
        assert (closed.json()["from"], closed.json()["to"]) == ("FORCED_OPEN", "CLOSED")
        assert closed.json()["circuitBreaker"]["state"] == "CLOSED"
        assert (await client.post("/api/test/sms", json={"message": "back"})).status_code == 200
        assert (await client.get("/health")).status_code == 200
    assert fake_twilio.bodies() == ["back"]
    assert admin_records(caplog) == [
        {"component": "circuit breaker", "name": "twilio-api", "action": "force-open",
         "from": "CLOSED", "to": "FORCED_OPEN", "shared": True, "access": "loopback",
         "key": None,
         "client": "127.0.0.1", "actor": "ops:alice"},
        {"component": "circuit breaker", "name": "twilio-api", "action": "reset",
         "from": "FORCED_OPEN", "to": "CLOSED", "shared": True, "access": "loopback",
         "key": None,
         "client": "127.0.0.1", "actor": "ops:alice"},
    ]


async def test_reset_closes_a_circuit_opened_by_failures(
    ops_runtime: Runtime, fake_twilio: FakeTwilio
) -> None:
    """The seed's 'stuck open' remedy: after five refused sends opened the circuit, a reset
    lets the next send through at once instead of after the reset timeout."""
    fake_twilio.auth_token = "rotated"
    async with client_at(ops_runtime) as client:
        codes = [(await client.post("/api/test/sms", json={"message": f"t{i}"})).status_code
                 for i in range(6)]
        assert codes == [502] * 5 + [503]
        fake_twilio.auth_token = "fake-auth-token-3f9c2a71"
        reset = await client.post("/api/admin/circuits/twilio-api/reset")
        assert (reset.json()["from"], reset.json()["to"]) == ("OPEN", "CLOSED")
        assert reset.json()["circuitBreaker"]["recentFailures"] == 0
        assert (await client.post("/api/test/sms", json={"message": "ok"})).status_code == 200


async def test_disable_lets_calls_through_and_never_opens(
    ops_runtime: Runtime, fake_twilio: FakeTwilio
) -> None:
    """A disabled breaker passes every call to Twilio, failures included, and stays DISABLED
    until reset; health reports it as not CLOSED."""
    fake_twilio.auth_token = "rotated"
    async with client_at(ops_runtime) as client:
        disabled = await client.post("/api/admin/circuits/twilio-api/disable")
        assert disabled.json()["to"] == "DISABLED"
        codes = [(await client.post("/api/test/sms", json={"message": f"t{i}"})).status_code
                 for i in range(7)]
        assert codes == [502] * 7
        assert fake_twilio.creates == 7
        listed = (await client.get("/api/admin/circuits")).json()
        [twilio] = [b for b in listed["circuitBreakers"] if b["name"] == "twilio-api"]
        assert twilio["state"] == "DISABLED"
        assert [limiter["name"] for limiter in listed["rateLimiters"]] == ["twilio-sms"]
        assert (await client.get("/health")).json()["services"]["notifications"][
            "circuitState"] == "DISABLED"


async def test_unknown_breaker_is_404_and_names_the_known_ones(ops_runtime: Runtime) -> None:
    """A typo gets 404 with the names that exist, for every action."""
    async with client_at(ops_runtime) as client:
        for action in ("reset", "force-open", "disable"):
            response = await client.post(f"/api/admin/circuits/twilio/{action}")
            assert response.status_code == 404
            assert response.json() == {
                "error": "No circuit breaker 'twilio' (known: twilio-api)"}
        assert (await client.get("/api/admin/circuits/twilio")).status_code == 404
        assert (await client.get("/api/admin/circuits/twilio-api")).json()["state"] == "CLOSED"


async def test_admin_needs_the_key_when_one_is_set(
    keyed_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """With PIPELINEOS_API_KEY, admin actions without it are 401 and change nothing; with it
    they work from another machine and the log says the key was used, from that address."""
    caplog.set_level(logging.INFO)
    async with client_at(keyed_runtime, REMOTE) as remote:
        assert (await remote.post("/api/admin/circuits/twilio-api/force-open")).status_code == 401
        assert keyed_runtime.registry.get_breaker("twilio-api").state == "CLOSED"
        response = await remote.post("/api/admin/circuits/twilio-api/force-open",
                                     headers={"Authorization": f"Bearer {API_KEY}"})
        assert response.status_code == 200
    [record] = admin_records(caplog)
    assert (record["access"], record["client"], record["actor"]) == ("api-key", REMOTE, None)
