"""A PostgreSQL restart between requests costs no failed request."""

from __future__ import annotations

import os
import shutil
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
        shutil.rmtree(root, ignore_errors=True)


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
    trades = ["plumber", "electrician", "roofer", "painter", "handyman", "locksmith",
              "exterminator", "landscaper", "house cleaner", "pool service"]
    posts = [{"post_text": f"Need a {trade} in Dallas this week, please send recommendations",
              "group_name": "Dallas Home Services"} for trade in trades]
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            replies = [await client.post("/api/leads/analyze", json=posts[i]) for i in range(5)]
            _restart(private_server)
            replies += [await client.post("/api/leads/analyze", json=posts[i])
                        for i in range(5, 10)]
            listed = (await client.get("/api/leads")).json()["leads"]
    finally:
        await runtime.stop()
    assert [(r.status_code, r.json().get("error")) for r in replies] == [(200, None)] * 10
    assert len(listed) == 10
