"""Issue 18's proof: three `pipelineos serve` and two `pipelineos worker` processes on one
database behave as one towards a vendor that fails. The requests that reach it before the
cluster stops calling are at most the threshold plus the number of processes, one critical
alert goes out for the outage, and after recovery every hot lead is texted exactly once."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.integrations.claude.service import ALERT_MESSAGE
from tests.acceptance.service import Service, free_port, running_service, service_env
from tests.fakes.claude_server import FakeClaude, Reply
from tests.fakes.twilio_server import FakeTwilio, serve_twilio, twilio_env

pytestmark = pytest.mark.slow

SRC = str(Path(__file__).resolve().parents[2] / "src")
THRESHOLD = 3
PROCESSES = 5
LEADS = 6
TWILIO_ALARM = "Twilio circuit breaker OPEN - SMS notifications unavailable"

# Small numbers, so the proof takes seconds: a 3-failure threshold, one request per logical
# call (no retries: every failure is one request), reset after 4 s, no probe (traffic tries
# the circuit), limits high enough never to be what stops a call.
COMMON = {
    "TWILIO_CIRCUIT_THRESHOLD": str(THRESHOLD), "TWILIO_CIRCUIT_RESET_TIMEOUT": "4000",
    "TWILIO_RETRY_ATTEMPTS": "1", "TWILIO_RATE_LIMIT": "600",
    "CLAUDE_CIRCUIT_THRESHOLD": str(THRESHOLD), "CLAUDE_CIRCUIT_RESET_TIMEOUT": "4000",
    "CLAUDE_RETRY_ATTEMPTS": "1", "CLAUDE_RATE_LIMIT": "600",
    "CLAUDE_CIRCUIT_SUCCESS_THRESHOLD": "1",
    "CIRCUIT_PROBE_SECONDS": "0", "NEAR_DUPLICATES": "false", "PYTHONPATH": SRC,
    "JOB_POLLING_SECONDS": "0.5",
}


def hot_post(i: int) -> dict[str, str]:
    return {"post_text": f"Need a plumber in Dallas for leaking water heater, unit {100 + i}",
            "group_name": "Dallas Home Services"}


def start_worker(workdir: Path, **env: str) -> subprocess.Popen[str]:
    workdir.mkdir(parents=True, exist_ok=True)
    out = (workdir / "service.out").open("a")
    proc = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "worker"], cwd=workdir,
                            env=service_env(workdir, free_port(), **env), stdout=out,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    log = workdir / "logs" / "combined.log"
    while not (log.exists() and "PipelineOS started" in log.read_text()):
        assert proc.poll() is None, (workdir / "service.out").read_text()
        assert time.monotonic() < deadline, "worker not started"
        time.sleep(0.1)
    return proc


@contextlib.contextmanager
def cluster(tmp_path: Path, **env: str) -> Iterator[list[Service]]:
    """Three API processes and two workers, each with its own log directory."""
    with contextlib.ExitStack() as stack:
        for i in range(3):
            (tmp_path / f"api{i}").mkdir()
        services = [stack.enter_context(running_service(tmp_path / f"api{i}",
                                                        JOBS_IN_SERVE="false", **env))
                    for i in range(3)]
        workers = [start_worker(tmp_path / f"worker{i}", **env) for i in range(2)]
        try:
            yield services
        finally:
            for proc in workers:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in workers:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()


def logs(tmp_path: Path) -> list[dict[str, Any]]:
    """Every JSON log line of every process."""
    lines = []
    for path in tmp_path.glob("*/logs/combined.log"):
        lines += [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    return lines


def breaker_row(url: str, name: str) -> tuple[str, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT state, generation FROM circuit_breakers WHERE name = %s",
                           (name,)).fetchone()
    return (row[0], row[1]) if row else ("", 0)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < timeout, f"timed out waiting for {what}"
        time.sleep(0.05)
    return time.monotonic() - started


def lead_texts(fake: FakeTwilio, lead_ids: list[int]) -> dict[int, int]:
    bodies = fake.bodies()
    return {lead: sum(f"Lead #{lead} " in body for body in bodies) for lead in lead_ids}


def every_health(services: list[Service], service: str) -> list[str]:
    return [httpx.get(f"{s.base_url}/health", timeout=5).json()["services"][service][
        "circuitState"] for s in services]


def test_twilio_failing_opens_the_circuit_once_for_the_whole_cluster(
    tmp_path: Path, migrated_url: str
) -> None:
    with serve_twilio() as fake, cluster(tmp_path, DATABASE_URL=migrated_url,
                                         **twilio_env(fake), **COMMON) as services:
        fake.fail_next(500, 20500, "Internal Server Error", times=10_000)
        leads = []
        for i in range(LEADS):
            reply = httpx.post(f"{services[i % 3].base_url}/api/leads/analyze",
                               json=hot_post(i), timeout=30)
            assert reply.status_code == 200, reply.text
            lead = reply.json()["lead"]
            assert lead["priority"] == "high"
            leads.append(lead["id"])
        wait_for(lambda: breaker_row(migrated_url, "twilio-api")[0] == "OPEN", 30, "OPEN")
        opened = time.monotonic()
        wait_for(lambda: set(every_health(services, "notifications")) == {"OPEN"}, 1.0,
                 "every API process to reject")
        assert time.monotonic() - opened < 1.0
        time.sleep(1.0)  # anything still on the wire lands; the reset timeout is 4 s
        reached = fake.creates
        print(f"twilio: {reached} create requests reached it (bound {THRESHOLD + PROCESSES})")
        assert THRESHOLD <= reached <= THRESHOLD + PROCESSES, reached

        fake.clear_faults()  # Twilio recovers
        wait_for(lambda: all(n >= 1 for n in lead_texts(fake, leads).values()), 60,
                 "every lead's text")
        time.sleep(2.0)
        assert lead_texts(fake, leads) == {lead: 1 for lead in leads}
        assert breaker_row(migrated_url, "twilio-api")[0] == "CLOSED"

        alarms = [e for e in logs(tmp_path) if e.get("event") == TWILIO_ALARM]
        assert len(alarms) == 1, alarms  # one outage, one alarm, from five processes

        # An operator's switch, sent by the CLI to one API process, reaches all of them (and
        # forcing it open raises the alarm once more: that is what it is for).
        for action, state in (("force-open", "FORCED_OPEN"), ("reset", "CLOSED")):
            done = subprocess.run(
                [sys.executable, "-m", "pipelineos.cli", "breaker", action, "twilio-api",
                 "--url", services[0].base_url], capture_output=True, text=True, timeout=60,
                cwd=tmp_path, env=service_env(tmp_path, free_port(), DATABASE_URL=migrated_url))
            assert done.returncode == 0, done.stdout + done.stderr
            assert wait_for(lambda s=state: set(every_health(services, "notifications")) == {s},
                            1.0, f"every API process {state}") < 1.0

    alarms = [e for e in logs(tmp_path) if e.get("event") == TWILIO_ALARM]
    assert [e["from"] for e in alarms] == ["CLOSED", "CLOSED"], alarms
    moves = [e for e in logs(tmp_path) if e.get("event") == "Circuit breaker state changed"
             and e.get("name") == "twilio-api" and e.get("to") == "OPEN"
             and e.get("from") == "CLOSED"]
    assert len(moves) == PROCESSES, "every process heard of it"
    worker_logs = list(tmp_path.glob("worker*/logs/combined.log"))
    assert len(worker_logs) == 2
    for worker_log in worker_logs:  # the workers, which serve no HTTP, applied it too
        events = [json.loads(line) for line in worker_log.read_text().splitlines()
                  if line.startswith("{")]
        assert any(e.get("event") == "Circuit breaker state changed"
                   and e.get("to") == "FORCED_OPEN" for e in events), worker_log


def test_claude_failing_opens_the_circuit_once_and_one_critical_text_goes_out(
    tmp_path: Path, migrated_url: str
) -> None:
    with serve_twilio() as fake, FakeClaude() as claude, cluster(
        tmp_path, DATABASE_URL=migrated_url, ANTHROPIC_API_KEY="sk-test-cluster",
        ANTHROPIC_BASE_URL=claude.url, CLAUDE_RETRY_INITIAL_DELAY_SECONDS="0",
        **twilio_env(fake), **COMMON,
    ) as services:
        claude.default = Reply.status_error(500)
        leads = []
        for i in range(LEADS):
            reply = httpx.post(f"{services[i % 3].base_url}/api/leads/analyze",
                               json=hot_post(i), timeout=30)
            if reply.status_code == 200:  # analyzed locally while Claude is down
                assert reply.json()["lead"]["priority"] == "high"
                leads.append(reply.json()["lead"]["id"])
        wait_for(lambda: breaker_row(migrated_url, "claude-api")[0] == "OPEN", 30, "OPEN")
        wait_for(lambda: set(every_health(services, "ai")) == {"OPEN"}, 1.0,
                 "every API process to reject")
        time.sleep(1.0)
        reached = len([r for r in claude.requests if r.path.startswith("/v1/messages")])
        print(f"claude: {reached} requests reached it (bound {THRESHOLD + PROCESSES})")
        assert THRESHOLD <= reached <= THRESHOLD + PROCESSES, reached

        claude.default = Reply.ok()  # Claude recovers
        time.sleep(4.5)
        after = httpx.post(f"{services[0].base_url}/api/leads/analyze", json=hot_post(99),
                           timeout=30)
        assert after.json()["analysis"]["analyzer"] == "claude"
        leads.append(after.json()["lead"]["id"])
        wait_for(lambda: all(n >= 1 for n in lead_texts(fake, leads).values()), 60,
                 "every lead's text")
        wait_for(lambda: sum(ALERT_MESSAGE in b for b in fake.bodies()) >= 1, 30,
                 "the critical text")
        time.sleep(2.0)
        assert lead_texts(fake, leads) == {lead: 1 for lead in leads}
        assert sum(ALERT_MESSAGE in b for b in fake.bodies()) == 1

    critical = [e for e in logs(tmp_path) if e.get("event") == "Critical alert"]
    assert [e["message"] for e in critical] == [ALERT_MESSAGE]
