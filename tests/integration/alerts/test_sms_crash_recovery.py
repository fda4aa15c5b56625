"""A send cut by a crash is handed back as soon as its worker can no longer be sending (the
longest send plus a margin, not a fixed 120 s), and is looked up at Twilio before any re-send,
so the owner never gets it twice. The clock is moved instead of waiting."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.alerts import outbox
from pipelineos.alerts.sender import longest_send
from pipelineos.alerts.wiring import MAX_BACKOFF_SECONDS, RECOVERY_MARGIN_SECONDS
from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.fakes.twilio_server import OWNER_NUMBER, FakeTwilio

HOT = {"post_text": "Need a plumber in Dallas for leaking water heater",
       "group_name": "Dallas Home Services"}
# The test settings (alerts/conftest.py): 2 s per request, 3 attempts, 1 ms first backoff.
RECOVERY_AGE = 3 * (3 * 2.0) + (0.001 + 0.002) + RECOVERY_MARGIN_SECONDS


def _alerts(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT status, twilio_sid, maybe_sent FROM alert_outbox").fetchall()


async def _crash_mid_send(runtime: Runtime, client: httpx.AsyncClient, *,
                          reached_twilio: bool) -> None:
    """A worker claims the hot lead's alert, fixes its text, (maybe) has Twilio create the
    message, and dies before recording anything."""
    service = runtime.notifications
    await service.listener.stop()  # the test plays the workers
    assert (await client.post("/api/leads/analyze", json=HOT)).status_code == 200
    async with runtime.pool.connection() as conn:
        claimed = await outbox.claim_next(conn, now=runtime.clock.now())
        assert claimed is not None
        started = await outbox.begin_send(conn, claimed, service.delivery.compose(claimed))
        assert started is not None
    if reached_twilio:
        assert service.gateway is not None
        await service.gateway.send(OWNER_NUMBER, started[0])


def test_the_recovery_age_is_the_longest_send_plus_a_margin() -> None:
    """Defaults (10 s per request, 3 attempts, backoff from 0.5 s): 3 × 30 s of requests and
    look-ups, 1.5 s of backoff, 15 s of margin; no 120 s floor."""
    assert longest_send(request_timeout=10.0, attempts=3, initial_backoff=0.5,
                        max_backoff=MAX_BACKOFF_SECONDS) + RECOVERY_MARGIN_SECONDS == 106.5
    assert longest_send(request_timeout=2.0, attempts=3, initial_backoff=0.001,
                        max_backoff=MAX_BACKOFF_SECONDS) == pytest.approx(18.003)
    assert longest_send(request_timeout=1.0, attempts=5, initial_backoff=4.0,
                        max_backoff=MAX_BACKOFF_SECONDS) == 15 + 4 + 8 + 8 + 8


async def test_a_send_cut_after_twilio_took_it_is_recovered_after_the_send_timeout_plus_margin(
    sms_runtime: Runtime, sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio,
    clock: ManualClock, migrated_url: str,
) -> None:
    """While the dead worker could still be sending, nothing happens (a sweep says when to look
    again); a moment after the send timeout plus margin (33 s here, not 120 s) the next sweep
    hands the alert back, finds the message at Twilio and records its SID: one text."""
    await _crash_mid_send(sms_runtime, sms_client, reached_twilio=True)
    [message] = fake_twilio.messages
    service = sms_runtime.notifications
    assert service.delivery.claim_timeout == pytest.approx(RECOVERY_AGE)

    clock.advance(RECOVERY_AGE - 1)
    early = await service.delivery.sweep()
    assert (early.delivered, _alerts(migrated_url)) == (0, [("sending", None, False)])
    assert early.wait == pytest.approx(1.05), "the listener sleeps until recovery is due"

    clock.advance(1.1)
    assert await service.deliver_pending() == 1
    assert _alerts(migrated_url) == [("sent", message.sid, False)]
    assert [m.sid for m in fake_twilio.messages] == [message.sid], "never a second text"
    assert fake_twilio.lookups == 1 and fake_twilio.creates == 1


async def test_a_send_cut_before_its_request_left_is_sent_once_after_recovery(
    sms_runtime: Runtime, sms_client: httpx.AsyncClient, fake_twilio: FakeTwilio,
    clock: ManualClock, migrated_url: str,
) -> None:
    """The worker died with its text fixed but no message at Twilio: after the recovery age the
    look-up finds nothing and the alert is sent, once."""
    await _crash_mid_send(sms_runtime, sms_client, reached_twilio=False)
    clock.advance(RECOVERY_AGE + 0.1)
    assert await sms_runtime.notifications.deliver_pending() == 1
    [message] = fake_twilio.messages
    assert _alerts(migrated_url) == [("sent", message.sid, False)]
    assert "Lead #" in message.body
    assert fake_twilio.lookups == 1, "looked before sending: a request may have left"
