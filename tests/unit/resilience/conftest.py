"""Fixtures for the resilience unit tests: a manual clock, so no test waits for a timeout."""

import pytest

from pipelineos.resilience import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when a test advances it."""
    return ManualClock(start=1000.0)
