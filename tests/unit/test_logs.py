"""Logs: JSON lines in LOG_DIR/combined.log with context fields, readable console, no secrets,
rotated by size."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelineos.logs import configure_logging

SECRET = "sk-ant-api03-abcdefghijklmnop"


@pytest.fixture
def log_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    # Depends on capsys so the console handler writes to the captured stderr.
    path = configure_logging(tmp_path / "logs", "INFO", secrets=[SECRET], console=True)
    yield path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_pipelineos_handler", False):
            root.removeHandler(handler)
            handler.close()


def test_events_are_json_lines_with_their_fields(log_file: Path) -> None:
    """An event logged with fields becomes one JSON object carrying event name and fields."""
    logging.getLogger("pipelineos.test").info(
        "Circuit breaker state changed",
        extra={"fields": {"component": "circuit breaker", "name": "claude-api",
                          "from": "CLOSED", "to": "OPEN"}},
    )
    line = json.loads(log_file.read_text().splitlines()[-1])
    assert line["event"] == "Circuit breaker state changed"
    assert (line["name"], line["from"], line["to"]) == ("claude-api", "CLOSED", "OPEN")
    assert line["level"] == "info" and line["timestamp"].endswith("+00:00")


def test_console_line_reads_like_the_seed(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The console shows `event - key: value, ...` as in the seed's expected output."""
    logging.getLogger("pipelineos.test").warning(
        "Circuit breaker recorded failure",
        extra={"fields": {"name": "claude-api", "recentFailures": 5}},
    )
    err = capsys.readouterr().err
    assert "Circuit breaker recorded failure - name: claude-api, recentFailures: 5" in err


def test_secrets_are_scrubbed_everywhere(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A secret in a message, a field or an exception never reaches the file or the console."""
    log = logging.getLogger("pipelineos.test")
    log.error(f"calling with key {SECRET}", extra={"fields": {"header": f"x-api-key: {SECRET}"}})
    try:
        raise RuntimeError(f"auth failed for {SECRET}")
    except RuntimeError:
        log.exception("boom")
    assert SECRET not in log_file.read_text()
    assert SECRET not in capsys.readouterr().err
    assert "[redacted]" in log_file.read_text()


WRITER = """
import logging, sys, time
from pathlib import Path
from pipelineos.logs import configure_logging
configure_logging(Path(sys.argv[1]), console=False, max_bytes=20_000, backup_count=3)
log = logging.getLogger("writer")
start = Path(sys.argv[1]) / "go"
while not start.exists():
    time.sleep(0.01)
for n in range(int(sys.argv[3])):
    log.info("line", extra={"fields": {"writer": sys.argv[2], "n": n, "pad": "x" * 80}})
"""


def test_the_log_file_rotates_with_a_bounded_number_of_files(tmp_path: Path) -> None:
    """Two processes writing the same log at once (a server and a CLI command) rotate it by
    size: LOG_BACKUP_COUNT old files, each about LOG_MAX_BYTES (none cut short by the other
    process's rotation), every line whole and written once, each process's lines in order."""
    logs = tmp_path / "logs"
    src = str(Path(__file__).resolve().parents[2] / "src")
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(logs), name, "20000"],
                                env={**os.environ, "PYTHONPATH": src})
               for name in ("a", "b")]
    while not (logs / "combined.log").exists():
        time.sleep(0.01)
    (logs / "go").touch()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    oldest_first = ["combined.log.3", "combined.log.2", "combined.log.1", "combined.log"]
    assert sorted(p.name for p in logs.glob("combined.log*")) == sorted(oldest_first)
    sizes = [(logs / name).stat().st_size for name in oldest_first]
    assert all(15_000 < size < 22_000 for size in sizes[:-1]), sizes
    lines = [json.loads(line) for name in oldest_first
             for line in (logs / name).read_text().splitlines()]
    for writer in ("a", "b"):
        numbers = [line["n"] for line in lines if line["writer"] == writer]
        assert numbers == sorted(set(numbers)), writer


def test_log_to_console_writes_json_lines_to_stderr_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """LOG_TO=console (the journal, a container): each event is one JSON line on stderr with
    its fields, secrets scrubbed, and nothing is created under LOG_DIR; a command that is not
    serve or worker writes only warnings and errors there."""
    log = logging.getLogger("pipelineos.test")
    try:
        assert configure_logging(tmp_path / "logs", "INFO", [SECRET], console=True,
                                 to="console") is None
        log.info("Circuit breaker state changed", extra={"fields": {"name": "claude-api",
                                                                    "key": SECRET}})
        [line] = capsys.readouterr().err.splitlines()
        assert json.loads(line) | {"timestamp": "t"} == {
            "timestamp": "t", "level": "info", "event": "Circuit breaker state changed",
            "logger": "pipelineos.test", "name": "claude-api", "key": "[redacted]"}
        configure_logging(tmp_path / "logs", "INFO", [SECRET], console=False, to="console")
        log.info("Lead created")
        log.warning("Database unreachable")
        assert [json.loads(line)["event"] for line in capsys.readouterr().err.splitlines()] == [
            "Database unreachable"]
        assert not (tmp_path / "logs").exists()
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_pipelineos_handler", False):
                root.removeHandler(handler)
                handler.close()
