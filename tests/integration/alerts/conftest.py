"""A PipelineOS runtime whose Twilio is the loopback fake, on a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.config import Settings
from tests.conftest import make_settings
from tests.fakes.twilio_server import FakeTwilio, serve_twilio, twilio_settings


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """Twilio's Messages API on 127.0.0.1, reached through the official SDK."""
    with serve_twilio() as fake:
        yield fake


@pytest.fixture
def clock() -> ManualClock:
    """Wall time starts now (Twilio dates messages in real time); moves only when told."""
    return ManualClock(start=datetime.now(UTC))


def sms_settings(url: str, tmp_path: Path, fake: FakeTwilio, **overrides: object) -> Settings:
    """Twilio pointed at ``fake``; retries wait a millisecond instead of half a second; only
    exact repeats count as duplicates (these tests post "<hot lead>, unit N" as separate
    leads; duplicate detection has its own tests)."""
    values = twilio_settings(fake, twilio_retry_base_delay_ms=1,
                             twilio_request_timeout_ms=2000, near_duplicates=False)
    values.update(overrides)
    return make_settings(url, tmp_path, **values)


@pytest.fixture
async def sms_runtime(migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
                      clock: ManualClock) -> AsyncIterator[Runtime]:
    started = await Runtime.start(sms_settings(migrated_url, tmp_path, fake_twilio), clock=clock)
    try:
        yield started
    finally:
        await started.stop()


def client_for(runtime: Runtime) -> httpx.AsyncClient:
    from pipelineos.web.app import create_app

    app = create_app(runtime.settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://pipelineos.test")


@pytest.fixture
async def sms_client(sms_runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(sms_runtime) as client:
        yield client
