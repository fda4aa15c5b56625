"""A PostgreSQL restart between requests costs no failed request."""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.conftest import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def private_server() -> Iterator[object]:
    """A PostgreSQL of this test's own, so restarting it disturbs no other test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    root = Path(tempfile.mkdtemp(prefix="pipelineos-restart-"))
    server = pgserver.get_server(root / "pgdata", cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()


def _restart(server: object) -> None:
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=user)  # type: ignore[attr-defined]


async def test_requests_after_a_postgres_restart_all_succeed(
    private_server: object, tmp_path: Path
) -> None:
    """Requests before and after `pg_ctl restart` all get 200: the pool replaces dead
    connections when it checks them, instead of handing them to a request."""
    settings = make_settings(private_server.get_uri(), tmp_path)  # type: ignore[attr-defined]
    runtime = await Runtime.start(settings)
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    post = {"post_text": "Need a plumber in Dallas for a leaking water heater",
            "group_name": "Dallas Home Services"}
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            statuses = [(await client.post("/api/leads/analyze", json=post)).status_code
                        for _ in range(5)]
            _restart(private_server)
            statuses += [(await client.post("/api/leads/analyze", json=post)).status_code
                         for _ in range(5)]
            listed = (await client.get("/api/leads")).json()["leads"]
    finally:
        await runtime.stop()
    assert statuses == [200] * 10
    assert len(listed) == 10
