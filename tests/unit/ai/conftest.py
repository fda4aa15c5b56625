"""Fixtures for the AI unit tests: the loopback Claude and a manual clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipelineos.resilience import ManualClock
from tests.fakes.claude_server import FakeClaude


@pytest.fixture
def fake_claude() -> Iterator[FakeClaude]:
    """The fake Messages API on a free loopback port."""
    with FakeClaude() as fake:
        yield fake


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when a test advances it."""
    return ManualClock(start=1000.0)
