"""The SMS endpoints: who can be texted, the status body, signed delivery callbacks, and the
service with Twilio not configured."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.fakes.twilio_server import OWNER_NUMBER, FakeTwilio
from tests.integration.alerts.conftest import client_for, sms_settings

HOT = {"post_text": "Need a plumber in Dallas for leaking water heater",
       "group_name": "Dallas Home Services"}
PUBLIC = "https://pipelineos.example.com"
CALLBACK = f"{PUBLIC}/api/webhooks/twilio/status"


async def test_test_sms_cannot_address_any_other_number(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio
) -> None:
    """A body naming a recipient (or anything but the message) is a 422 and reaches no one."""
    for body in ({"message": "hi", "to": "+15550001111"}, {"message": "hi", "To": "+1555"},
                 {"to": "+15550001111"}, {"message": ""}, {"message": 42}):
        response = await sms_client.post("/api/test/sms", json=body)
        assert response.status_code == 422, body
    assert fake_twilio.requests == 0
    assert (await sms_client.post("/api/test/sms", json={"message": "hi"})).status_code == 200
    assert [m.to for m in fake_twilio.messages] == [OWNER_NUMBER]


async def test_twilio_errors_are_502_with_twilio_code_and_validation_is_not_a_failure(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio
) -> None:
    """A recipient Twilio refuses (21608) is a 502 carrying the code, sent once, not counted
    by the breaker; the status body counts it as a failed send."""
    fake_twilio.fail_next(400, 21608, "The number is unverified. Trial accounts cannot send "
                                      "messages to unverified numbers")
    response = await sms_client.post("/api/test/sms", json={"message": "hi"})
    assert response.status_code == 502
    assert response.json()["code"] == 21608 and "21608" in response.json()["error"]
    assert fake_twilio.creates == 1
    status = (await sms_client.get("/api/notifications/status")).json()
    assert status["circuitBreaker"]["recentFailures"] == 0
    assert (status["sentCount"], status["failedCount"], status["failureRate"]) == (0, 1,
                                                                                  "100.00%")


async def test_status_has_the_seed_shape(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio
) -> None:
    """enabled, sentCount, failedCount, failureRate, circuitBreaker (state, recentFailures,
    metrics) and rateLimiter.tokensRemaining, plus the outbox by status."""
    await sms_client.post("/api/test/sms", json={"message": "one"})
    body = (await sms_client.get("/api/notifications/status")).json()
    assert body["enabled"] is True
    assert (body["sentCount"], body["failedCount"], body["failureRate"]) == (1, 0, "0.00%")
    assert body["circuitBreaker"]["state"] == "CLOSED"
    assert body["circuitBreaker"]["name"] == "twilio-api"
    assert {"recentFailures", "metrics", "isOpen"} <= set(body["circuitBreaker"])
    assert body["rateLimiter"]["tokensRemaining"] == 9
    assert body["outbox"]["pending"] == 0


@pytest.fixture
async def public_client(migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
                        clock: ManualClock) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The service as it runs behind a proxy at PUBLIC."""
    settings = sms_settings(migrated_url, tmp_path, fake_twilio,
                            twilio_webhook_base_url=PUBLIC)
    runtime = await Runtime.start(settings, clock=clock)
    try:
        async with client_for(runtime) as client:
            yield client, runtime
    finally:
        await runtime.stop()


async def _sent_alert(client: httpx.AsyncClient, fake: FakeTwilio, url: str) -> tuple[int, str]:
    lead_id = (await client.post("/api/leads/analyze", json=HOT)).json()["lead"]["id"]
    [message] = await fake.arrival(1)
    for _ in range(200):
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT id, status FROM alert_outbox WHERE lead_id = %s",
                               (lead_id,)).fetchone()
        if row and row[1] == "sent":
            return row[0], message.sid
        await asyncio.sleep(0.01)
    raise AssertionError("alert not recorded as sent")


def _delivery(url: str) -> tuple[str | None, int | None]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT delivery_status, delivery_error_code FROM alert_outbox"
                           ).fetchone()
    assert row is not None
    return row[0], row[1]


async def test_signed_status_callbacks_record_delivery_per_alert(
    public_client: tuple[httpx.AsyncClient, Runtime], fake_twilio: FakeTwilio,
    migrated_url: str,
) -> None:
    """The alert asks Twilio for callbacks at the public URL; a callback signed for that URL
    is accepted (even though the request arrives on another host) and moves the alert's
    delivery status forward only: a late 'sent' does not undo 'undelivered'."""
    client, _ = public_client
    alert_id, sid = await _sent_alert(client, fake_twilio, migrated_url)
    [message] = fake_twilio.messages
    assert message.status_callback == f"{CALLBACK}?alert={alert_id}"

    for status, code in (("undelivered", 30003), ("sent", None)):
        form, signature = fake_twilio.signed_callback(sid, status, message.status_callback,
                                                      error_code=code)
        response = await client.post(f"/api/webhooks/twilio/status?alert={alert_id}",
                                     data=form, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 204
    assert _delivery(migrated_url) == ("undelivered", 30003)


async def test_unsigned_or_forged_status_callbacks_are_refused(
    public_client: tuple[httpx.AsyncClient, Runtime], fake_twilio: FakeTwilio,
    migrated_url: str,
) -> None:
    """No signature, a signature for other parameters, or one made with another token: 403,
    and nothing is recorded."""
    from twilio.request_validator import RequestValidator

    client, _ = public_client
    alert_id, sid = await _sent_alert(client, fake_twilio, migrated_url)
    url = f"{CALLBACK}?alert={alert_id}"
    form, signature = fake_twilio.signed_callback(sid, "delivered", url)
    path = f"/api/webhooks/twilio/status?alert={alert_id}"
    attempts = [
        {},
        {"X-Twilio-Signature": signature + "x"},
        {"X-Twilio-Signature": RequestValidator("someone-else").compute_signature(url, form)},
    ]
    for headers in attempts:
        assert (await client.post(path, data=form, headers=headers)).status_code == 403
    tampered = {**form, "MessageStatus": "failed"}
    response = await client.post(path, data=tampered, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert _delivery(migrated_url) == ("queued", None)
    ok = await client.post(path, data=form, headers={"X-Twilio-Signature": signature})
    assert ok.status_code == 204
    assert _delivery(migrated_url) == ("delivered", None)


@pytest.fixture
async def disabled(settings: object, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(runtime) as client:
        yield client


async def test_without_twilio_alerts_are_logged_and_stored_and_nothing_fails(
    disabled: httpx.AsyncClient, runtime: Runtime, migrated_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No Twilio settings: enabled is false, a hot lead's alert is written to the log and
    stored as 'logged', the test endpoint answers 200, critical alerts are logged."""
    caplog.set_level(logging.INFO)
    lead_id = (await disabled.post("/api/leads/analyze", json=HOT)).json()["lead"]["id"]
    sent = await disabled.post("/api/test/sms", json={"message": "Test message"})
    assert sent.status_code == 200
    assert sent.json()["enabled"] is False and sent.json()["success"] is True
    assert runtime.notifications is not None
    await runtime.notifications.send_critical_alert("Claude API circuit breaker OPEN")
    for _ in range(300):
        with psycopg.connect(migrated_url) as conn:
            rows = conn.execute("SELECT kind, lead_id, status, body FROM alert_outbox "
                                "ORDER BY id").fetchall()
        if [row[2] for row in rows] == ["logged", "logged"]:
            break
        await asyncio.sleep(0.01)
    assert [row[:3] for row in rows] == [("lead", lead_id, "logged"),
                                         ("critical", None, "logged")]
    status = (await disabled.get("/api/notifications/status")).json()
    assert status["enabled"] is False and status["outbox"]["logged"] == 2
    events = [(r.getMessage(), getattr(r, "fields", {})) for r in caplog.records]
    logged_texts = [f.get("text") for e, f in events if e == "SMS alert (notifications disabled)"]
    assert rows[0][3] in logged_texts
    assert ("Critical alert", {"message": "Claude API circuit breaker OPEN",
                               "channel": "log"}) in events
    health = (await disabled.get("/health")).json()["services"]["notifications"]
    assert health == {"enabled": False, "circuitState": "CLOSED", "healthy": True}
