"""While PostgreSQL is stopped, answers and logs say the database is unreachable, not that the
pool is busy; once it is back, requests succeed again."""

from __future__ import annotations

import logging
import os

import httpx
import pytest
from pgserver._commands import pg_ctl

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.acceptance.test_postgres_restart import private_server  # noqa: F401 (a fixture)
from tests.conftest import make_settings

pytestmark = pytest.mark.slow


def _pg_ctl(server: object, *args: str) -> None:
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", *args], pgdata=server.pgdata, user=user)  # type: ignore[attr-defined]


async def test_stopped_postgres_is_reported_unreachable_in_bodies_logs_and_health(
    private_server: object, tmp_path: object, caplog: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    """`pg_ctl stop`: every request answers 503 `Database unreachable; retry shortly` and logs
    `Database unreachable` with libpq's reason; nothing says busy or exhausted; /health and
    /health/ready report the database unreachable."""
    caplog.set_level(logging.WARNING)
    settings = make_settings(private_server.get_uri(), tmp_path,  # type: ignore[attr-defined]
                             db_pool_timeout_seconds=0.5)
    runtime = await Runtime.start(settings)
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            before = await client.get("/api/leads")
            _pg_ctl(private_server, "-m", "fast", "stop")
            during = [await client.get("/api/leads"), await client.post(
                "/api/leads/analyze", json={"post_text": "Need a plumber in Dallas",
                                            "group_name": "Dallas Home Services"})]
            health = await client.get("/health")
            ready = await client.get("/health/ready")
    finally:
        await runtime.stop()
    assert before.status_code == 200
    assert [(r.status_code, r.json()["error"]) for r in during] == [
        (503, "Database unreachable; retry shortly")] * 2
    logged = [r for r in caplog.records if r.name == "pipelineos.web.errors"]
    assert [r.getMessage() for r in logged] == ["Database unreachable"] * 2
    assert all(r.fields["reason"] for r in logged)  # type: ignore[attr-defined]
    assert "busy" not in caplog.text and "exhausted" not in caplog.text
    assert (health.json()["database"]["status"], health.json()["database"]["reachable"]) == (
        "unreachable", False)
    assert health.json()["jobs"] == {"error": "database unreachable"}
    assert ready.status_code == 503 and ready.json()["database"]["status"] == "unreachable"
