"""Scale-out: several `pipelineos worker` processes against one database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
OFF = ("retry-pending-analyses=off;deliver-pending-alerts=off;daily-digest=off;"
       "retention-cleanup=off")

pytestmark = pytest.mark.slow


def start_worker(url: str, workdir: Path, name: str, **env: str) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "ANTHROPIC_", "YOUR_PHONE", "JOB_"))}
    base.update({
        "DATABASE_URL": url, "LOG_DIR": str(workdir / name), "PYTHONPATH": str(ROOT),
        "EXTRA_JOBS": "tests.jobs_fixture:register", "JOB_POLLING_SECONDS": "0.2",
        "JOB_HEARTBEAT_SECONDS": "0.3", "JOB_STALLED_AFTER_SECONDS": "1.5",
    })
    base.update(env)
    return subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "worker"], cwd=workdir,
                            env=base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            text=True)


def stop(proc: subprocess.Popen[str]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=30)


def runs(url: str, job: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT outcome, started_at, finished_at, scheduled_for, worker, error"
            " FROM job_runs WHERE job_name = %s ORDER BY started_at", (job,)).fetchall()


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_workers_run_each_tick_once_and_never_overlap_a_job(
    migrated_url: str, tmp_path: Path
) -> None:
    """Two worker processes, two cron jobs every second: each tick of the short job runs once
    in total, and the 2-second job never runs twice at the same time across processes."""
    env = {"JOB_SCHEDULES": f"{OFF};recover-stalled-work=off;test-tick=* * * * * *",
           "TEST_SLOW_SECONDS": "2.0", "TEST_TICK_SECONDS": "0.05"}
    workers = [start_worker(migrated_url, tmp_path, f"w{i}", **env) for i in range(2)]
    try:
        wait_for(lambda: len([r for r in runs(migrated_url, "test-tick")
                              if r[0] == "succeeded"]) >= 5, 40, "ticks")
        time.sleep(3.0)
    finally:
        assert [stop(w) for w in workers] == [0, 0]

    ticks = [r for r in runs(migrated_url, "test-tick") if r[0] == "succeeded"]
    tick_times = [r[3] for r in ticks]
    assert len(tick_times) == len(set(tick_times)), "a tick ran twice"
    slow = runs(migrated_url, "test-slow")
    done = [r for r in slow if r[0] == "succeeded"]
    assert done and any(r[0] == "skipped" for r in slow)
    for earlier, later in zip(done, done[1:], strict=False):
        assert earlier[2] <= later[1], "two runs of test-slow overlapped"
    assert len({r[4] for r in runs(migrated_url, "test-tick") + slow}) == 2, \
        "both processes took part"


def test_a_job_held_by_a_killed_worker_is_finished_by_another(
    migrated_url: str, tmp_path: Path
) -> None:
    """SIGKILL a worker in the middle of a job: another worker notices the stopped heartbeat,
    puts the job back, runs it to the end; the killed run is recorded as interrupted."""
    env = {"JOB_SCHEDULES": f"{OFF};recover-stalled-work=* * * * * *;test-slow=off",
           "TEST_LONG_SECONDS": "2.0"}
    doomed = start_worker(migrated_url, tmp_path, "doomed", **env)
    survivor = None
    try:
        queued = subprocess.run(
            [sys.executable, "-m", "pipelineos.cli", "jobs", "defer", "test-long"],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env={**os.environ, "DATABASE_URL": migrated_url, "PYTHONPATH": str(ROOT),
                 "EXTRA_JOBS": "tests.jobs_fixture:register", "LOG_DIR": str(tmp_path)})
        assert queued.returncode == 0 and "queued as job" in queued.stdout, queued.stderr
        wait_for(lambda: [r for r in runs(migrated_url, "test-long") if r[0] == "running"],
                 30, "the long job to start")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        survivor = start_worker(migrated_url, tmp_path, "survivor", **env)
        wait_for(lambda: any(r[0] == "succeeded" for r in runs(migrated_url, "test-long")),
                 40, "another worker to finish the job")
    finally:
        if doomed.poll() is None:
            doomed.kill()
        if survivor is not None:
            assert stop(survivor) == 0
    recorded = runs(migrated_url, "test-long")
    assert [r[0] for r in recorded] == ["failed", "succeeded"]
    assert "interrupted" in recorded[0][5]
    assert recorded[0][4] != recorded[1][4], "a different worker finished it"
