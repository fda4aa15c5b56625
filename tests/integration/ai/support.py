"""Helpers shared by the AI integration tests (fixtures are in conftest.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from pipelineos.bootstrap import Runtime
from pipelineos.config import Settings
from pipelineos.web.app import create_app
from tests.conftest import make_settings
from tests.fakes.claude_server import FakeClaude

StartRuntime = Callable[..., Awaitable[Runtime]]


def claude_settings(url: str, tmp_path: Path, fake: FakeClaude, **overrides: object) -> Settings:
    """Test settings with Claude pointed at the fake and no real backoff waits."""
    values: dict[str, object] = {
        "anthropic_api_key": "sk-test", "anthropic_base_url": fake.url,
        "claude_retry_initial_delay_seconds": 0.0,
    }
    values.update(overrides)
    return make_settings(url, tmp_path, **values)


def http_client(runtime: Runtime) -> httpx.AsyncClient:
    """An HTTP client speaking to the app in-process, on ``runtime``."""
    app = create_app(runtime.settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://pipelineos.test")
