"""Lead alerts: written with the lead, texted at once, exactly once, through outages, timeouts
and crashes; in priority order when they have to wait."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.fakes.twilio_server import OWNER_NUMBER, FakeTwilio

HOT = "Need a plumber in Dallas for leaking water heater"
GROUP = "Dallas Home Services"
# A lead in the area with no hurry: medium priority, never texted by itself.
MEDIUM = "Need an electrician in Plano to add two outlets, no rush"


async def _post(client: httpx.AsyncClient, text: str = HOT) -> dict[str, Any]:
    response = await client.post("/api/leads/analyze",
                                 json={"post_text": text, "group_name": GROUP})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _alerts(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT lead_id, status, twilio_sid, attempts, kind FROM alert_outbox ORDER BY id"
        ).fetchall()


async def _until(predicate: Any, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def test_hot_lead_is_texted_at_once_with_what_where_urgency_quote_and_id(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio, migrated_url: str
) -> None:
    """Posting a hot lead sends the owner one text within a second, naming the service, the
    place, the urgency, a quote of the post and the lead; the alert row records the SID."""
    lead = (await _post(sms_client))["lead"]
    [message] = await fake_twilio.arrival(1, timeout=2.0)
    assert message.to == OWNER_NUMBER
    assert message.body == (
        'HOT LEAD: plumbing in Dallas (needed soon).\n'
        f'"{HOT}"\n'
        f'Lead #{lead["id"]} - {GROUP}')
    await _until(lambda: _alerts(migrated_url)[0][1] == "sent")
    assert _alerts(migrated_url) == [(lead["id"], "sent", message.sid, 1, "lead")]


async def test_only_hot_leads_get_an_alert(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    migrated_url: str,
) -> None:
    """A medium lead and a non-lead are stored without an alert; nothing is texted."""
    medium = await _post(sms_client, MEDIUM)
    other = await _post(sms_client, "Lost cat near White Rock, orange tabby")
    assert medium["lead"]["priority"] == "medium" and other["lead"] is None
    assert await sms_runtime.notifications.deliver_pending() == 0  # type: ignore[union-attr]
    assert _alerts(migrated_url) == [] and fake_twilio.messages == []


async def test_a_post_analyzed_later_alerts_like_one_analyzed_at_once(
    sms_runtime: Runtime, fake_twilio: FakeTwilio, migrated_url: str
) -> None:
    """A post stored first and analyzed by the pending sweep (the path Claude's results take)
    gets its alert in the same statement as its lead, and the text goes out."""
    from pipelineos.ingest import posts

    async with sms_runtime.pool.connection() as conn:
        await posts.insert_received(conn, body=HOT, group_name=GROUP, source="api")
    # The runtime's clock is a manual one (for breaker timing); the sweep compares with the
    # database's receipt times, so give it the real time.
    assert await sms_runtime.intake.analyze_pending(now=datetime.now(UTC)) == 1
    [message] = await fake_twilio.arrival(1)
    await _until(lambda: _alerts(migrated_url)[0][1] == "sent")
    [(lead_id, _, sid, _, _)] = _alerts(migrated_url)
    assert f"Lead #{lead_id} " in message.body and sid == message.sid


async def test_alerting_a_lead_twice_queues_one_alert_and_sends_one_text(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    migrated_url: str,
) -> None:
    """send_high_priority_alert is idempotent on the lead: the second call is a no-op."""
    lead_id = (await _post(sms_client))["lead"]["id"]
    service = sms_runtime.notifications
    assert service is not None
    assert await service.send_high_priority_alert(lead_id) is None
    medium_id = (await _post(sms_client, MEDIUM))["lead"]["id"]
    assert await service.send_high_priority_alert(medium_id) is not None
    assert await service.send_high_priority_alert(medium_id) is None
    await fake_twilio.arrival(2)
    await service.deliver_pending()
    await asyncio.sleep(0.1)
    assert len(fake_twilio.messages) == 2
    assert sorted(row[0] for row in _alerts(migrated_url)) == sorted([lead_id, medium_id])


async def test_100_alerts_created_during_an_outage_are_each_delivered_once_after_it(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    clock: ManualClock, migrated_url: str,
) -> None:
    """Twilio answers 503 while 100 hot leads arrive: the circuit opens and nothing is lost.
    After the outage each lead is texted exactly once, at no more than the rate limit."""
    service = sms_runtime.notifications
    assert service is not None
    fake_twilio.outage = True
    lead_ids = [(await _post(sms_client, f"{HOT}, unit {i}"))["lead"]["id"] for i in range(100)]
    await service.deliver_pending()
    assert service.breaker.state == "OPEN"
    assert fake_twilio.messages == []
    attempts_during_outage = fake_twilio.creates
    assert attempts_during_outage <= 5 * 3, "the open circuit stops the attempts"

    fake_twilio.outage = False
    await service.listener.stop()  # from here the test drives delivery, minute by minute
    sent_per_minute = []
    for _minute in range(15):
        clock.advance(61)
        before = len(fake_twilio.messages)
        await service.deliver_pending()
        sent_per_minute.append(len(fake_twilio.messages) - before)
        if len(fake_twilio.messages) >= 100:
            break
    assert max(sent_per_minute) <= 10, "never more than the rate limit"
    texted = sorted(int(body.split("Lead #")[1].split(" ")[0]) for body in fake_twilio.bodies())
    assert texted == sorted(lead_ids), "each lead exactly once"
    rows = _alerts(migrated_url)
    assert {row[1] for row in rows} == {"sent"}
    assert {row[2] for row in rows} == {m.sid for m in fake_twilio.messages}
    assert service.breaker.state == "CLOSED"


async def test_a_timeout_after_twilio_took_the_message_does_not_text_twice(
    migrated_url: str, tmp_path: Any, fake_twilio: FakeTwilio, clock: ManualClock
) -> None:
    """Twilio creates the message but answers after our timeout: the retry looks the alert
    up, finds it, and records its SID instead of sending again."""
    from tests.integration.alerts.conftest import client_for, sms_settings

    settings = sms_settings(migrated_url, tmp_path, fake_twilio,
                            twilio_request_timeout_ms=300)
    runtime = await Runtime.start(settings, clock=clock)
    try:
        async with client_for(runtime) as client:
            fake_twilio.stall_after_accept(1.5)
            lead_id = (await _post(client))["lead"]["id"]
            await _until(lambda: _alerts(migrated_url)[0][1] == "sent")
    finally:
        await runtime.stop()
    [message] = fake_twilio.messages
    assert fake_twilio.creates == 1 and fake_twilio.lookups >= 1
    assert _alerts(migrated_url) == [(lead_id, "sent", message.sid, 1, "lead")]


async def test_a_5xx_after_twilio_took_the_message_does_not_text_twice(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio, migrated_url: str
) -> None:
    """Twilio creates the message and then fails with 500: the retry finds it, one text."""
    fake_twilio.error_after_accept(500)
    lead_id = (await _post(sms_client))["lead"]["id"]
    await _until(lambda: _alerts(migrated_url)[0][1] == "sent")
    [message] = fake_twilio.messages
    assert fake_twilio.creates == 1
    assert _alerts(migrated_url) == [(lead_id, "sent", message.sid, 1, "lead")]


async def test_transient_errors_are_retried_and_the_text_goes_once(
    sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio, migrated_url: str
) -> None:
    """Two 503s, then success: the same logical send retries, looks before re-sending, and the
    owner gets one text."""
    fake_twilio.fail_next(503, 20503, "Service Unavailable", times=2)
    lead_id = (await _post(sms_client))["lead"]["id"]
    await _until(lambda: _alerts(migrated_url)[0][1] == "sent")
    assert len(fake_twilio.messages) == 1
    assert fake_twilio.creates == 3 and fake_twilio.lookups == 2
    assert _alerts(migrated_url)[0][:2] == (lead_id, "sent")


async def test_rejected_recipients_fail_at_once_and_never_open_the_circuit(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    migrated_url: str,
) -> None:
    """Six alerts to an unsubscribed owner (21610): each is one request, marked failed, not
    retried, and the circuit stays CLOSED with no failures counted."""
    fake_twilio.fail_next(400, 21610, "Attempt to send to unsubscribed recipient", times=6)
    for i in range(6):
        await _post(sms_client, f"{HOT}, unit {i}")
    await _until(lambda: [r[1] for r in _alerts(migrated_url)] == ["failed"] * 6)
    assert fake_twilio.creates == 6 and fake_twilio.messages == []
    status = sms_runtime.notifications.breaker.status()  # type: ignore[union-attr]
    assert status["state"] == "CLOSED" and status["recentFailures"] == 0
    with psycopg.connect(migrated_url) as conn:
        codes = {code for (code,) in conn.execute("SELECT error_code FROM alert_outbox")}
    assert codes == {21610}


async def test_waiting_alerts_go_out_critical_first_then_oldest_lead_first(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    clock: ManualClock,
) -> None:
    """With the rate limit spent, queued alerts are delivered by priority then age as tokens
    return: the critical alert first, then the leads in the order they arrived."""
    service = sms_runtime.notifications
    assert service is not None and sms_runtime.notifier is service
    await service.listener.stop()  # this test drives delivery itself
    for _ in range(10):
        await service.limiter.try_acquire()
    lead_ids = [(await _post(sms_client, f"{HOT}, unit {i}"))["lead"]["id"] for i in range(3)]
    # The AI slice raises this through the Notifier seam when Claude's circuit opens.
    await sms_runtime.notifier.send_critical_alert(
        "Claude API circuit breaker OPEN - AI analysis unavailable")
    assert await service.deliver_pending() == 0
    for _ in range(4):
        clock.advance(6)  # one token back every 6 s at 10 per minute
        assert await service.deliver_pending() == 1
    bodies = fake_twilio.bodies()
    assert bodies[0] == ("PipelineOS ALERT: Claude API circuit breaker OPEN - "
                         "AI analysis unavailable")
    assert [f"Lead #{i} " in body for i, body in zip(lead_ids, bodies[1:], strict=True)] == [
        True] * 3


async def test_an_alert_stuck_in_sending_after_a_crash_is_not_sent_twice(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    clock: ManualClock, migrated_url: str,
) -> None:
    """A worker died after Twilio took its message but before recording it: recovery hands the
    alert back, delivery finds the message at Twilio, records its SID, and sends nothing."""
    from pipelineos.integrations.twilio.gateway import TwilioGateway
    from tests.fakes.twilio_server import AUTH_TOKEN

    service = sms_runtime.notifications
    assert service is not None
    await service.listener.stop()
    lead_id = (await _post(sms_client))["lead"]["id"]
    body = f'HOT LEAD: plumbing in Dallas (needed soon).\n"{HOT}"\nLead #{lead_id} - {GROUP}'
    # The dead worker's state: claimed, text fixed, request sent, outcome never recorded.
    with psycopg.connect(migrated_url) as conn:
        conn.execute("UPDATE alert_outbox SET status = 'sending', claim_id = gen_random_uuid(),"
                     " claimed_at = %s, body = %s, send_started_at = now()",
                     (clock.now(), body))
    gateway = TwilioGateway(account_sid=fake_twilio.account_sid, auth_token=AUTH_TOKEN,
                            from_number=fake_twilio.from_number,
                            api_base_url=fake_twilio.base_url)
    try:
        delivered_before_crash = await gateway.send(OWNER_NUMBER, body)
    finally:
        await gateway.close()

    assert await service.recover_stuck() == 0, "a fresh claim may still be alive"
    clock.advance(service.delivery.claim_timeout + 1)
    assert await service.recover_stuck() == 1
    assert await service.deliver_pending() == 1
    assert [m.sid for m in fake_twilio.messages] == [delivered_before_crash.sid]
    assert _alerts(migrated_url) == [(lead_id, "sent", delivered_before_crash.sid, 0, "lead")]


async def test_an_alert_stuck_before_its_request_left_is_sent_once_after_recovery(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    clock: ManualClock, migrated_url: str,
) -> None:
    """A worker died after claiming but before anything reached Twilio: the alert is sent
    once after recovery."""
    service = sms_runtime.notifications
    assert service is not None
    await service.listener.stop()
    lead_id = (await _post(sms_client))["lead"]["id"]
    with psycopg.connect(migrated_url) as conn:
        conn.execute("UPDATE alert_outbox SET status = 'sending', claim_id = gen_random_uuid(),"
                     " claimed_at = %s", (clock.now() - timedelta(hours=1),))
    assert await service.recover_stuck() == 1
    assert await service.deliver_pending() == 1
    [message] = fake_twilio.messages
    assert f"Lead #{lead_id} " in message.body
    assert fake_twilio.lookups == 0, "nothing could have been sent, so nothing to look for"


async def test_a_lead_dealt_with_before_its_text_is_not_texted(
    sms_client: httpx.AsyncClient, sms_runtime: Runtime, fake_twilio: FakeTwilio,
    migrated_url: str,
) -> None:
    """An alert whose lead was marked spam while it waited is suppressed, not sent."""
    service = sms_runtime.notifications
    assert service is not None
    await service.listener.stop()
    lead_id = (await _post(sms_client))["lead"]["id"]
    with psycopg.connect(migrated_url) as conn:
        conn.execute("UPDATE leads SET status = 'spam' WHERE id = %s", (lead_id,))
    assert await service.deliver_pending() == 1
    assert fake_twilio.messages == []
    assert _alerts(migrated_url)[0][:2] == (lead_id, "suppressed")


@pytest.mark.parametrize("repeat", [2])
async def test_critical_alerts_are_not_repeated_and_digests_are_once_per_day(
    sms_runtime: Runtime, sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio,
    clock: ManualClock, repeat: int,
) -> None:
    """The same critical alert within ten minutes is one text; the day's digest is one text
    however often it is requested, and counts the day's leads."""
    service = sms_runtime.notifications
    assert service is not None
    await _post(sms_client)
    await _post(sms_client, MEDIUM)
    for _ in range(repeat):
        await service.send_critical_alert("Database failover in progress")
    day = clock.now().date()
    first = await service.send_daily_digest(day)
    assert first is not None and await service.send_daily_digest(day) is None
    await fake_twilio.arrival(3)
    await asyncio.sleep(0.1)
    bodies = fake_twilio.bodies()
    assert len(bodies) == 3
    assert bodies.count("PipelineOS ALERT: Database failover in progress") == 1
    [digest] = [b for b in bodies if b.startswith(f"PipelineOS {day.isoformat()}")]
    assert "2 leads (1 hot, 1 medium, 0 low)" in digest
