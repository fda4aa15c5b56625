"""Run the real `pipelineos` command as a subprocess, as a user would."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    proc: subprocess.Popen[str]
    base_url: str
    workdir: Path

    def terminate(self, timeout: float = 30) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def output(self) -> str:
        return (self.workdir / "service.out").read_text()


def service_env(workdir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE"))}
    env.update({"PORT": str(port), "LOG_DIR": str(workdir / "logs"),
                "PIPELINEOS_DATA_DIR": str(workdir / "data"),
                # Where processes record the embedded database they use: this test's own,
                # so commands never find another test's (or a developer's) running server.
                "PIPELINEOS_RUNTIME_DIR": str(workdir / "run"),
                # The digest is texted on a wall-clock schedule; a worker starting within ten
                # minutes of it sends it at once, which would make these tests depend on the
                # time of day.
                "JOB_SCHEDULES": "daily-digest=off"})
    env.update(extra)
    return env


@contextlib.contextmanager
def running_service(workdir: Path, **extra_env: str) -> Iterator[Service]:
    """Start `pipelineos serve` in ``workdir``, wait until ready, and stop it afterwards."""
    port = free_port()
    out = (workdir / "service.out").open("a")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelineos.cli", "serve"],
        cwd=workdir, env=service_env(workdir, port, **extra_env),
        stdout=out, stderr=subprocess.STDOUT, text=True,
    )
    service = Service(proc, f"http://127.0.0.1:{port}", workdir)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"service exited with {proc.returncode}:\n{service.output()}")
            try:
                if httpx.get(f"{service.base_url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"service not ready:\n{service.output()}")
            time.sleep(0.1)
        yield service
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        out.close()


def postgres_processes(pgdata: Path) -> list[int]:
    """PIDs of PostgreSQL server processes running on ``pgdata``."""
    import psutil

    found = []
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if proc.info.get("name") == "postgres" and str(pgdata) in " ".join(cmdline):
            found.append(proc.pid)
    return found


def grep_circuit_breaker(log: Path) -> list[str]:
    """`grep "circuit breaker" logs/combined.log`, as the seed's guide reads the log (the JSON
    lines carry ``"component": "circuit breaker"`` so the lower-case grep finds them)."""
    import shutil

    if shutil.which("grep"):
        found = subprocess.run(["grep", "circuit breaker", str(log)], capture_output=True,
                               text=True, check=True)
        return found.stdout.splitlines()
    return [line for line in log.read_text().splitlines() if "circuit breaker" in line]


# The seed's circuit-breaker log for one outage and recovery, as (event, recentFailures, from,
# to): initialized, five failures, opened, one request rejected, half-open, closed again.
SEED_BREAKER_CYCLE: list[tuple[str, int | None, str | None, str | None]] = [
    ("Circuit breaker initialized", None, None, None),
    *[("Circuit breaker recorded failure", n, None, None) for n in range(1, 6)],
    ("Circuit breaker state changed", None, "CLOSED", "OPEN"),
    ("Circuit breaker is OPEN, request rejected", None, None, None),
    ("Circuit breaker state changed", None, "OPEN", "HALF_OPEN"),
    ("Circuit breaker state changed", None, "HALF_OPEN", "CLOSED"),
]
