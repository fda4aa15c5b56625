"""The embedded PostgreSQL's lifetime: shared by every process using it, stopped by the last
one out, however the others ended."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.acceptance.service import free_port, postgres_processes, running_service, service_env

pytestmark = pytest.mark.slow


def _wait_for_log(path: Path, event: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists() and f'"event": "{event}"' in path.read_text():
            return
        assert proc.poll() is None, f"exited with {proc.returncode}"
        time.sleep(0.1)
    raise AssertionError(f"no {event!r} in {path}")


def test_a_killed_cli_does_not_keep_the_embedded_server_alive(service_dir: Path) -> None:
    """kill -9 a `pipelineos worker` while it uses the embedded server; serve then starts on
    the same data, and when serve stops no PostgreSQL is left running on it."""
    pgdata = service_dir / "data" / "postgres"
    env = service_env(service_dir, free_port())
    with (service_dir / "worker.out").open("w") as out:
        worker = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "worker"],
                                  cwd=service_dir, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, text=True)
        try:
            _wait_for_log(service_dir / "logs" / "combined.log", "PipelineOS started", worker)
        finally:
            worker.kill()
            worker.wait(timeout=10)
    assert postgres_processes(pgdata), "the killed worker left the server running"

    with running_service(service_dir) as service:
        assert httpx.get(f"{service.base_url}/api/leads").status_code == 200
        assert service.terminate() == 0
    assert postgres_processes(pgdata) == []


def test_a_cli_command_shares_a_running_servers_database(service_dir: Path) -> None:
    """While serve runs, a CLI command uses the same embedded server and leaves it running;
    the area it adds is what serve lists; serve's stop then stops PostgreSQL."""
    pgdata = service_dir / "data" / "postgres"
    with running_service(service_dir) as service:
        env = service_env(service_dir, int(service.base_url.rsplit(":", 1)[1]))
        done = subprocess.run([sys.executable, "-m", "pipelineos.cli", "areas", "add", "Dallas",
                               "--alias", "DFW"], cwd=service_dir, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert postgres_processes(pgdata), "the command left the server running for serve"
        areas = httpx.get(f"{service.base_url}/api/areas").json()["areas"]
        assert [(a["name"], a["aliases"]) for a in areas] == [("Dallas", ["DFW"])]
        assert service.terminate() == 0
    assert postgres_processes(pgdata) == []
