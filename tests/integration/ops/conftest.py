"""Runtimes for the operations tests: Twilio is the loopback fake; clients can come from any
address (the ASGI transport sets the peer the access rule judges)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from pipelineos.web.app import create_app
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.alerts.conftest import (  # noqa: F401  (fixtures)
    clock,
    fake_twilio,
    sms_runtime,
    sms_settings,
)

API_KEY = "ops-test-key-7d1f0c9b2e4a"
REMOTE = "203.0.113.7"  # TEST-NET-3: a client on another machine


def client_at(runtime: Runtime, address: str = "127.0.0.1",
              headers: dict[str, str] | None = None, app: FastAPI | None = None
              ) -> httpx.AsyncClient:
    """A client whose TCP peer address is ``address``, of ``app`` or a new app."""
    app = app or create_app(runtime.settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://pipelineos.test",
                             headers=headers)


@pytest.fixture
def ops_runtime(sms_runtime: Runtime) -> Runtime:
    """Twilio configured (the fake), no API key: /api is for loopback clients."""
    return sms_runtime


@pytest.fixture
async def keyed_runtime(migrated_url: str, tmp_path: Path, fake_twilio: FakeTwilio,
                        clock: ManualClock) -> AsyncIterator[Runtime]:
    """Twilio configured and PIPELINEOS_API_KEY set."""
    settings = sms_settings(migrated_url, tmp_path, fake_twilio, pipelineos_api_key=API_KEY)
    started = await Runtime.start(settings, clock=clock)
    try:
        yield started
    finally:
        await started.stop()
