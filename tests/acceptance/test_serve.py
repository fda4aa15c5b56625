"""`pipelineos serve` on embedded defaults: the seed's curl flow, graceful stop, reuse on restart."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.acceptance.service import postgres_processes, running_service

SEED_POST = {"post_text": "Need a plumber in Dallas for leaking water heater",
             "group_name": "Dallas Home Services"}

pytestmark = pytest.mark.slow


def embedded_url(workdir: Path) -> str:
    return f"host={workdir / 'data' / 'postgres'} dbname=pipelineos user=postgres"


def test_embedded_service_answers_the_seed_requests_and_stops_cleanly(service_dir: Path) -> None:
    """Fresh machine: serve starts its own PostgreSQL, analyzes the seed post, reports health,
    finishes an in-flight request after SIGTERM, exits 0 and leaves no PostgreSQL behind."""
    pgdata = service_dir / "data" / "postgres"
    with running_service(service_dir) as service:
        response = httpx.post(f"{service.base_url}/api/leads/analyze", json=SEED_POST)
        assert response.status_code == 200
        assert response.json()["lead"]["priority"] == "high"

        health = httpx.get(f"{service.base_url}/health")
        assert health.status_code == 200
        body = health.json()
        assert set(body) >= {"timestamp", "services"}
        assert body["services"]["notifications"] == {
            "enabled": False, "circuitState": "CLOSED", "healthy": True}
        assert body["services"]["ai"]["circuitState"] == "CLOSED"
        assert postgres_processes(pgdata), "the embedded server runs under the data directory"

        # Hold a lock so the next request is in flight when SIGTERM arrives.
        blocker = psycopg.connect(embedded_url(service_dir))
        blocker.execute("LOCK TABLE posts IN EXCLUSIVE MODE")
        result: dict[str, object] = {}

        def in_flight() -> None:
            reply = httpx.post(f"{service.base_url}/api/leads/analyze", timeout=30,
                               json={**SEED_POST, "post_text": "Need an electrician in Plano"})
            result["status"] = reply.status_code

        sender = threading.Thread(target=in_flight)
        sender.start()
        _wait_for_lock_waiter(blocker)
        service.proc.send_signal(15)
        time.sleep(1.0)
        assert service.proc.poll() is None, "the service waits for the in-flight request"
        blocker.commit()
        blocker.close()
        sender.join(timeout=30)
        assert result.get("status") == 200
        assert service.proc.wait(timeout=30) == 0

    assert postgres_processes(pgdata) == [], "no orphaned PostgreSQL after exit"
    log = (service_dir / "logs" / "combined.log").read_text()
    assert '"event": "PipelineOS stopped"' in log


def test_second_start_reuses_the_embedded_database(service_dir: Path) -> None:
    """Data survives a restart: the same data directory is reused, not re-initialised."""
    with running_service(service_dir) as service:
        lead = httpx.post(f"{service.base_url}/api/leads/analyze", json=SEED_POST).json()["lead"]
    version_file = service_dir / "data" / "postgres" / "PG_VERSION"
    created = version_file.stat().st_mtime_ns
    with running_service(service_dir) as service:
        leads = httpx.get(f"{service.base_url}/api/leads").json()["leads"]
    assert [item["id"] for item in leads] == [lead["id"]]
    assert version_file.stat().st_mtime_ns == created


def _wait_for_lock_waiter(conn: psycopg.Connection[object]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        waiting = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pipelineos' "
            "AND wait_event_type = 'Lock'").fetchone()
        if waiting and waiting[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the request never reached the database")
