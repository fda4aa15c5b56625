"""Channels beside SMS (issue 16): Apprise URLs fed from the outbox, each lead once per channel,
through Twilio outages and channel outages; e-mail through a real SMTP server on loopback.
Apprise itself is not mocked: it posts to loopback HTTP receivers and speaks SMTP to aiosmtpd."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.conftest import make_settings
from tests.fakes.channel_servers import (SMTP_PASSWORD, HttpReceiver, SmtpReceiver, serve_http,
                                         serve_smtp)
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.alerts.conftest import client_for, sms_settings

HOT = "Need a plumber in Dallas for leaking water heater"
GROUP = "Dallas Home Services"


@pytest.fixture
def hook() -> Iterator[HttpReceiver]:
    with serve_http() as receiver:
        yield receiver


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with serve_smtp() as receiver:
        yield receiver


async def _start(migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
                 clock: ManualClock, **overrides: object) -> Runtime:
    return await Runtime.start(sms_settings(migrated_url, tmp_path, fake_twilio, **overrides),
                               clock=clock)


@pytest.fixture
async def started() -> AsyncIterator[list[Runtime]]:
    runtimes: list[Runtime] = []
    yield runtimes
    for runtime in runtimes:
        await runtime.stop()


async def _post(client: httpx.AsyncClient, text: str = HOT) -> int:
    response = await client.post("/api/leads/analyze",
                                 json={"post_text": text, "group_name": GROUP})
    assert response.status_code == 200, response.text
    return int(response.json()["lead"]["id"])


def _lead_ids(bodies: list[Any]) -> list[int]:
    return sorted(int(re.search(r"#(\d+)", body["title"]).group(1))  # type: ignore[union-attr]
                  for body in bodies)


def _rows(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT lead_id, reason, status, kind FROM channel_outbox "
                            "ORDER BY id").fetchall()


async def _until(predicate: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def test_a_hot_lead_goes_to_sms_and_to_each_channel_once_with_what_and_where(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    hook: HttpReceiver, started: list[Runtime],
) -> None:
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels=f"{hook.url(path='/a')}, {hook.url(path='/b')}")
    started.append(runtime)
    async with client_for(runtime) as client:
        lead_id = await _post(client)
        await fake_twilio.arrival(1)
        await asyncio.to_thread(hook.wait_for, 2)
        cold = await client.post("/api/leads/analyze", json={
            "post_text": "Anyone know a good plumber? No rush, just asking for later.",
            "group_name": GROUP})
        assert cold.status_code == 200
    await asyncio.sleep(0.3)
    [a] = hook.bodies("/a")
    [b] = hook.bodies("/b")
    assert a["title"] == b["title"]
    assert f"#{lead_id}" in a["title"] and "Dallas" in a["title"]
    assert "water heater" in a["message"].lower()
    assert [r[2] for r in _rows(migrated_url)] == ["sent", "sent"]


async def test_twilio_outage_with_50_hot_leads_each_reaches_the_channel_once_then_sms_once(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    hook: HttpReceiver, started: list[Runtime],
) -> None:
    """The issue's scenario: Twilio down, 50 hot leads, one json:// channel. Each lead reaches
    the channel exactly once during the outage, and is texted exactly once after it."""
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels=hook.url(), alert_channel_rate_limit=120)
    started.append(runtime)
    service = runtime.notifications
    fake_twilio.outage = True
    async with client_for(runtime) as client:
        lead_ids = [await _post(client, f"{HOT}, unit {i}") for i in range(50)]
    await service.deliver_pending()
    assert service.breaker.state == "OPEN"
    await asyncio.to_thread(hook.wait_for, 51)
    await asyncio.sleep(0.3)  # anything extra would arrive now
    leads_there = [body for body in hook.bodies() if "#" in body["title"]]
    assert _lead_ids(leads_there) == sorted(lead_ids), "each lead once on the channel"
    [opened] = [body for body in hook.bodies() if "#" not in body["title"]]
    assert "Twilio circuit breaker OPEN" in opened["message"], "and the outage, once"
    assert fake_twilio.messages == []

    fake_twilio.outage = False
    await service.listener.stop()
    for _minute in range(10):
        clock.advance(61)
        await service.deliver_pending()
        if len(fake_twilio.messages) >= 50:
            break
    texted = sorted(int(body.split("Lead #")[1].split(" ")[0]) for body in fake_twilio.bodies())
    assert texted == sorted(lead_ids), "each lead texted exactly once after the outage"
    await asyncio.sleep(0.2)
    assert len(hook.bodies()) == 51, "the channel got nothing twice"


async def test_a_critical_only_channel_hears_of_a_lead_only_when_its_text_cannot_go(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    hook: HttpReceiver, started: list[Runtime],
) -> None:
    """Config file tags: /hot gets hot leads, /critical gets critical alerts, and a lead whose
    SMS cannot go out (circuit open) — once, however many sweeps see the circuit open."""
    config = tmp_path / "apprise.yml"
    config.write_text(f"urls:\n  - {hook.url(path='/hot')}:\n      tag: hot\n"
                      f"  - {hook.url(path='/critical')}:\n      tag: critical\n")
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels_config=str(config))
    started.append(runtime)
    service = runtime.notifications
    async with client_for(runtime) as client:
        texted_lead = await _post(client, f"{HOT}, unit 1")
        await fake_twilio.arrival(1)
        await asyncio.to_thread(hook.wait_for, 1, "/hot")
        await asyncio.sleep(0.3)
        assert hook.bodies("/critical") == [], "SMS worked: no fallback"

        fake_twilio.outage = True
        down_leads = [await _post(client, f"{HOT}, unit {i}") for i in (2, 3, 4, 5, 6, 7)]
        await service.deliver_pending()
        assert service.breaker.state == "OPEN"
        for _ in range(3):
            await service.deliver_pending()
        await asyncio.to_thread(hook.wait_for, 7, "/critical")
    await asyncio.sleep(0.3)
    critical = hook.bodies("/critical")
    leads_there = [body for body in critical if "#" in body["title"]]
    assert _lead_ids(leads_there) == down_leads
    assert all(body["title"].startswith("SMS down") for body in leads_there)
    # The circuit's opening itself, once (DESIGN.md: Twilio -> a log and the other channels).
    [opened] = [body for body in critical if "#" not in body["title"]]
    assert "Twilio circuit breaker OPEN" in opened["message"]
    assert _lead_ids(hook.bodies("/hot")) == sorted([texted_lead, *down_leads])
    reasons = {(r[0], r[1]) for r in _rows(migrated_url) if r[1] == "fallback"}
    assert reasons == {(lead, "fallback") for lead in down_leads}


async def test_a_channel_that_is_down_delays_only_itself_and_catches_up_once(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    started: list[Runtime],
) -> None:
    with serve_http() as down, serve_http() as up:
        runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                               alert_channels=f"{down.url()} {up.url()}")
        started.append(runtime)
        down.outage = True
        async with client_for(runtime) as client:
            lead_ids = [await _post(client, f"{HOT}, unit {i}") for i in range(8)]
        await asyncio.to_thread(up.wait_for, 8)
        await fake_twilio.arrival(8)
        channels = runtime.notifications.channels
        assert channels is not None
        [down_route] = [r for r in channels.routes if r.channel.label == down.url()]
        await _until(lambda: down_route.breaker.state == "OPEN")
        assert down.bodies() == []
        tried = down.requests
        assert tried <= 5 * 2, "the open circuit stops the attempts"

        down.outage = False
        clock.advance(601)  # past the circuit's reset and every row's retry time
        await channels.delivery.sweep()
        await asyncio.to_thread(down.wait_for, 8)
        await asyncio.sleep(0.3)
        assert _lead_ids(down.bodies()) == sorted(lead_ids)
        assert _lead_ids(up.bodies()) == sorted(lead_ids)
        assert {r[2] for r in _rows(migrated_url)} == {"sent"}


async def test_an_e_mail_channel_sends_through_a_real_smtp_server(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    smtp: SmtpReceiver, started: list[Runtime], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels=smtp.url(to="owner@example.com"))
    started.append(runtime)
    async with client_for(runtime) as client:
        lead_id = await _post(client)
        [message] = await asyncio.to_thread(smtp.wait_for, 1)
        await _until(lambda: [r[2] for r in _rows(migrated_url)] == ["sent"])
        status = await client.get("/api/notifications/status")
    assert smtp.envelopes == [("alerts@example.com", ["owner@example.com"])]
    assert f"Hot lead #{lead_id}" in str(message["Subject"])
    body = message.get_body(("plain", "html"))
    assert body is not None and "water heater" in body.get_content().lower()
    # The SMTP password is in the URL; it shows nowhere.
    assert SMTP_PASSWORD not in status.text
    [shown] = status.json()["channels"]
    assert shown["label"].startswith("mailto://pipelineos:****@127.0.0.1")
    assert shown["kinds"] == ["critical", "digest", "hot"] and shown["outbox"] == {"sent": 1}
    # Ours and Apprise's log records (aiosmtpd's are the test server's own).
    logged = [f"{r.getMessage()} {r.__dict__}" for r in caplog.records
              if not r.name.startswith("mail.log")]
    assert any("Channel notification sent" in line for line in logged)
    assert not [line for line in logged if SMTP_PASSWORD in line]


async def test_critical_alerts_go_to_critical_channels_and_digests_to_digest_channels(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    hook: HttpReceiver, started: list[Runtime],
) -> None:
    config = tmp_path / "apprise.txt"
    config.write_text(f"critical={hook.url(path='/critical')}\n"
                      f"digest={hook.url(path='/digest')}\n")
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels_config=str(config))
    started.append(runtime)
    service = runtime.notifications
    await service.send_critical_alert("Claude circuit breaker OPEN")
    await service.send_critical_alert("Claude circuit breaker OPEN")  # once per outage
    await service.send_daily_digest(clock.now().date())
    [critical] = await asyncio.to_thread(hook.wait_for, 1, "/critical")
    [digest] = await asyncio.to_thread(hook.wait_for, 1, "/digest")
    await asyncio.sleep(0.3)
    assert "Claude circuit breaker OPEN" in critical["message"]
    assert critical["title"] == "PipelineOS critical alert"
    assert "digest" in digest["title"].lower()
    assert len(hook.bodies()) == 2
    await fake_twilio.arrival(2)  # and SMS, as before



async def test_the_digest_e_mail_has_html_and_text_with_leads_statuses_and_the_week(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    smtp: SmtpReceiver, hook: HttpReceiver, started: list[Runtime],
) -> None:
    """A Sunday's digest: the digest e-mail lists the day's leads by priority with statuses and
    speed to lead, and the week by group and category; a hot-only channel gets no digest."""
    config = tmp_path / "apprise.txt"
    config.write_text(f"digest={smtp.url(to='owner@example.com')}\n"
                      f"hot={hook.url(path='/hot')}\n")
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels_config=str(config))
    started.append(runtime)
    async with client_for(runtime) as client:
        hot = await _post(client)
        cold = await client.post("/api/leads/analyze", json={
            "post_text": "Looking for a painter in Plano sometime next month for the fence",
            "group_name": "Plano <Neighbors>"})
        assert cold.json()["lead"] is not None
        moved = await client.patch(f"/api/leads/{hot}", json={"status": "won"})
        assert moved.status_code == 200
        await fake_twilio.arrival(1)
    today = clock.now().date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7)
    with psycopg.connect(migrated_url) as conn:  # the leads were made on that Sunday
        conn.execute("UPDATE leads SET created_at = created_at + %s",
                     (sunday - today,))
    await runtime.notifications.send_daily_digest(sunday)
    [mail] = await asyncio.to_thread(smtp.wait_for, 1)
    assert mail["Subject"] == f"PipelineOS digest for {sunday.isoformat()}"
    html_part = mail.get_body(("html",))
    text_part = mail.get_body(("plain",))
    assert html_part is not None and text_part is not None
    page = html_part.get_content()
    assert "2 leads" in page and "1 high" in page and "1 won" in page
    assert f"#{hot}" in page and "Plano &lt;Neighbors&gt;" in page
    assert "Speed to lead" in page and "Week " in page
    assert "<script" not in page
    assert "2 leads" in text_part.get_content()
    await asyncio.sleep(0.3)
    assert [b["title"] for b in hook.bodies("/hot")] and all(
        "digest" not in b["title"].lower() for b in hook.bodies("/hot"))


async def test_a_text_twilio_refuses_for_good_goes_to_the_critical_channels_once(
    migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio, clock: ManualClock,
    hook: HttpReceiver, started: list[Runtime],
) -> None:
    config = tmp_path / "apprise.txt"
    config.write_text(f"critical={hook.url(path='/critical')}\n")
    runtime = await _start(migrated_url, tmp_path, fake_twilio, clock,
                           alert_channels_config=str(config))
    started.append(runtime)
    fake_twilio.fail_next(400, 21610, "Attempt to send to unsubscribed recipient")
    async with client_for(runtime) as client:
        lead_id = await _post(client)
        [body] = await asyncio.to_thread(hook.wait_for, 1, "/critical")
    assert body["title"] == f"SMS down - Hot lead #{lead_id}: plumbing in Dallas"
    await asyncio.sleep(0.3)
    assert len(hook.bodies()) == 1 and fake_twilio.messages == []


async def test_without_twilio_a_hot_lead_still_reaches_a_critical_only_channel(
    migrated_url: str, tmp_path: Path, hook: HttpReceiver, clock: ManualClock,
    started: list[Runtime],
) -> None:
    config = tmp_path / "apprise.txt"
    config.write_text(f"critical={hook.url(path='/critical')}\n")
    runtime = await Runtime.start(make_settings(migrated_url, tmp_path,
                                                alert_channels_config=str(config)), clock=clock)
    started.append(runtime)
    async with client_for(runtime) as client:
        lead_id = await _post(client)
        [body] = await asyncio.to_thread(hook.wait_for, 1, "/critical")
    assert f"#{lead_id}" in body["title"]
