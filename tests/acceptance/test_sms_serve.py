"""`pipelineos serve` with TWILIO_* pointing at the loopback Twilio: a hot lead is texted over
real HTTP, a bad token never reaches the logs, and a process killed between "sent" and
"recorded" does not text the owner twice."""

from __future__ import annotations

import asyncio
import contextlib
import base64
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.acceptance.service import running_service
from tests.conftest import make_settings
from tests.fakes.twilio_server import FakeTwilio, serve_twilio, twilio_env, twilio_settings

pytestmark = pytest.mark.slow

HOT = {"post_text": "Need a plumber in Dallas for leaking water heater",
       "group_name": "Dallas Home Services"}


def test_served_hot_lead_is_texted_within_a_second(tmp_path: Path, migrated_url: str) -> None:
    """Over real HTTP, a hot lead's text reaches Twilio well within a second of the post."""
    with serve_twilio() as fake, running_service(
        tmp_path, DATABASE_URL=migrated_url, **twilio_env(fake)
    ) as service:
        started = time.perf_counter()
        lead = httpx.post(f"{service.base_url}/api/leads/analyze", json=HOT).json()["lead"]
        [message] = fake.wait_for_messages(1, timeout=5)
        assert message.received_at - started < 1.0
        assert f"Lead #{lead['id']} " in message.body
        health = httpx.get(f"{service.base_url}/health").json()
        assert health["services"]["notifications"]["enabled"] is True


def test_served_bad_token_opens_the_circuit_and_never_reaches_the_log(
    tmp_path: Path, migrated_url: str
) -> None:
    """The seed's curl loop against a live server with an invalid token: five 502s, then
    503 'Circuit breaker is OPEN'; combined.log has the breaker events and not the token."""
    token = "invalid_token_live_51c3"
    with serve_twilio() as fake, running_service(
        tmp_path, DATABASE_URL=migrated_url, **twilio_env(fake, twilio_auth_token=token)
    ) as service:
        codes = [httpx.post(f"{service.base_url}/api/test/sms",
                            json={"message": f"Test {i}"}).status_code for i in range(1, 7)]
        assert codes == [502] * 5 + [503]
        assert httpx.get(f"{service.base_url}/health").json()["services"]["notifications"][
            "circuitState"] == "OPEN"
    log = (tmp_path / "logs" / "combined.log").read_text()
    assert "Circuit breaker state changed" in log and "Circuit breaker is OPEN" in log
    basic = base64.b64encode(f"{fake.account_sid}:{token}".encode()).decode()
    for secret in (token, basic):
        assert secret not in log
        assert secret not in service.output()


def test_process_killed_between_sent_and_recorded_does_not_text_twice(
    tmp_path: Path, migrated_url: str
) -> None:
    """Twilio takes the message and the server is SIGKILLed before it records the outcome.
    Recovery later finds the message at Twilio: the alert is marked sent with that SID and
    the owner has exactly one text."""
    with serve_twilio() as fake:
        with running_service(tmp_path, DATABASE_URL=migrated_url, **twilio_env(fake)) as service:
            fake.on_create = lambda _message: os.kill(service.proc.pid, signal.SIGKILL)
            with contextlib.suppress(httpx.HTTPError):
                # The answer may or may not beat the kill; the alert row committed either way.
                httpx.post(f"{service.base_url}/api/leads/analyze", json=HOT, timeout=5)
            fake.wait_for_messages(1)
            assert service.proc.wait(timeout=10) == -signal.SIGKILL
        fake.on_create = None
        with psycopg.connect(migrated_url) as conn:
            [(status, sid)] = conn.execute("SELECT status, twilio_sid FROM alert_outbox")
        assert (status, sid) == ("sending", None), "the crash left the alert mid-send"

        asyncio.run(_recover(migrated_url, tmp_path, fake))

    [message] = fake.messages
    with psycopg.connect(migrated_url) as conn:
        assert conn.execute("SELECT status, twilio_sid FROM alert_outbox").fetchall() == [
            ("sent", message.sid)]


async def _recover(url: str, tmp_path: Path, fake: FakeTwilio) -> None:
    """A later process: once the dead claim is old enough, recover and deliver."""
    clock = ManualClock(start=datetime.now(UTC))
    settings = make_settings(url, tmp_path / "later", **twilio_settings(fake))
    runtime = await Runtime.start(settings, clock=clock)
    try:
        service = runtime.notifications
        assert service is not None
        await service.listener.stop()
        clock.advance(service.delivery.claim_timeout + 1)
        assert await service.recover_stuck() == 1
        assert await service.deliver_pending() == 1
    finally:
        await runtime.stop()
