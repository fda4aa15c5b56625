"""The outbound lead webhook (issue 16): lead.created and lead.status_changed POSTed to a
loopback receiver, signed so the documented five-line check accepts them, each event once,
retried while the receiver is down and marked failed after 24 hours; the delivery log by API."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.fakes.channel_servers import HttpReceiver, serve_http
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.alerts.conftest import client_for, sms_settings

SECRET = "whsec-test-0123456789abcdef"
HOT = "Need a plumber in Dallas for leaking water heater"


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with serve_http() as hook:
        yield hook


def receiver_accepts(secret: str, header: str, body: bytes) -> bool:
    """docs/alerts.md's check, as a receiver writes it."""
    t, v1 = (part.split("=", 1)[1] for part in header.split(","))
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, v1) and abs(time.time() - int(t)) < 300


async def test_created_and_status_changed_events_are_signed_and_logged(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    receiver: HttpReceiver,
) -> None:
    settings = sms_settings(migrated_url, tmp_path, fake_twilio,
                            lead_webhook_url=receiver.url("http", "/crm?token=abc123456789"),
                            lead_webhook_secret=SECRET)
    runtime = await Runtime.start(settings, clock=clock)
    try:
        async with client_for(runtime) as client:
            made = await client.post("/api/leads/analyze", json={
                "post_text": HOT, "group_name": "Dallas Home Services"})
            lead_id = made.json()["lead"]["id"]
            moved = await client.patch(f"/api/leads/{lead_id}", json={"status": "contacted"})
            assert moved.status_code == 200
            await asyncio.to_thread(receiver.wait_for, 2)
            await asyncio.sleep(0.2)
            log = (await client.get("/api/webhooks/deliveries")).json()
            status = await client.get("/api/notifications/status")
    finally:
        await runtime.stop()
    created, changed = receiver.bodies()
    assert created["type"] == "lead.created" and changed["type"] == "lead.status_changed"
    assert created["data"]["lead"]["id"] == lead_id == changed["data"]["lead"]["id"]
    assert created["data"]["lead"]["priority"] == "high"
    assert changed["data"]["lead"]["status"] == "contacted"
    assert changed["data"]["previous_status"] == "new"
    for (path, headers, body), raw in zip(receiver.received, receiver.raw, strict=True):
        assert path == "/crm?token=abc123456789"
        assert receiver_accepts(SECRET, headers["X-PipelineOS-Signature"], raw)
        assert not receiver_accepts("another-secret-xxxxxxxx",
                                    headers["X-PipelineOS-Signature"], raw)
        assert headers["X-PipelineOS-Event-Id"] == body["id"]
        assert headers["X-PipelineOS-Event"] == body["type"]
    assert len(receiver.received) == 2, "each event once"
    assert [(e["event_type"], e["status"], e["response_status"], e["lead_id"]) for e in log] == [
        ("lead.status_changed", "sent", 200, lead_id), ("lead.created", "sent", 200, lead_id)]
    assert {e["event_id"] for e in log} == {created["id"], changed["id"]}
    # The URL's token and the secret show nowhere.
    assert "abc123456789" not in status.text and SECRET not in status.text
    assert status.json()["leadWebhook"]["target"] == receiver.url("http", "/…")


async def test_a_receiver_that_is_down_gets_each_event_once_when_back_or_it_fails_in_24h(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    receiver: HttpReceiver,
) -> None:
    settings = sms_settings(migrated_url, tmp_path, fake_twilio,
                            lead_webhook_url=receiver.url("http", "/crm"),
                            lead_webhook_secret=SECRET)
    runtime = await Runtime.start(settings, clock=clock)
    service = runtime.notifications
    webhook = service.webhook
    assert webhook is not None
    try:
        receiver.outage = True
        async with client_for(runtime) as client:
            ids = [(await client.post("/api/leads/analyze", json={
                "post_text": f"{HOT}, unit {i}", "group_name": "Dallas"})).json()["lead"]["id"]
                for i in range(3)]
            await webhook.listener.stop()
            await webhook.delivery.sweep()
            log = (await client.get("/api/webhooks/deliveries",
                                    params={"status": "pending"})).json()
            assert len(log) == 3 and {e["response_status"] for e in log} == {503}
            assert receiver.bodies() == []

            receiver.outage = False
            clock.advance(601)
            await webhook.delivery.sweep()
            assert sorted(b["data"]["lead"]["id"] for b in receiver.bodies()) == sorted(ids)

            receiver.outage = True
            late = (await client.patch(f"/api/leads/{ids[0]}",
                                       json={"status": "won"})).status_code
            assert late == 200
            for _ in range(3):
                await webhook.delivery.sweep()
                clock.advance(601)
            clock.advance(timedelta(hours=24).total_seconds())
            await webhook.delivery.sweep()
            failed = (await client.get("/api/webhooks/deliveries",
                                       params={"status": "failed"})).json()
            bad = await client.get("/api/webhooks/deliveries", params={"status": "lost"})
    finally:
        await runtime.stop()
    assert [(e["event_type"], e["lead_id"], e["response_status"]) for e in failed] == [
        ("lead.status_changed", ids[0], 503)]
    assert failed[0]["attempts"] >= 2
    assert len(receiver.bodies()) == 3, "nothing twice, the failed event never arrived"
    assert bad.status_code == 422
