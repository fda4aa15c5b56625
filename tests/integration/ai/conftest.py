"""Fixtures for the AI integration tests: a runtime on a real database whose Claude is the
loopback fake, driven by a manual clock that starts at the real time (so the database's
``received_at`` and the clock agree)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.clock import ManualClock
from tests.fakes.claude_server import FakeClaude
from tests.integration.ai.support import StartRuntime, claude_settings, http_client


@pytest.fixture
def fake_claude() -> Iterator[FakeClaude]:
    """The fake Messages API on a free loopback port."""
    with FakeClaude() as fake:
        yield fake


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=datetime.now(UTC))


@pytest.fixture
async def start_runtime(migrated_url: str, tmp_path: Path, fake_claude: FakeClaude,
                        clock: ManualClock) -> AsyncIterator[StartRuntime]:
    """Start a runtime with Claude (settings overridable); stopped after the test."""
    started: list[Runtime] = []

    async def start(**overrides: object) -> Runtime:
        settings = claude_settings(migrated_url, tmp_path, fake_claude, **overrides)
        runtime = await Runtime.start(settings, clock=clock)
        started.append(runtime)
        return runtime

    yield start
    for runtime in started:
        await runtime.stop()


@pytest.fixture
async def ai_runtime(start_runtime: StartRuntime) -> Runtime:
    return await start_runtime()


@pytest.fixture
async def ai_client(ai_runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(ai_runtime) as client:
        yield client
