"""Logs: JSON lines in LOG_DIR/combined.log with context fields, readable console, no secrets."""

from __future__ import annotations

import json
import logging
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
