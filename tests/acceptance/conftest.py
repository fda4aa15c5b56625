"""Fixtures for tests that run the real command."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def service_dir() -> Iterator[Path]:
    """A working directory for a service with an embedded PostgreSQL.

    Not under pytest's tmp_path: as root, the embedded server runs as a `pgserver` user that
    must traverse the path, and pytest resets its own base directory to mode 0700 whenever
    another pytest session starts, which would lock that user out mid-test.
    """
    path = Path(tempfile.mkdtemp(prefix="pipelineos-service-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
