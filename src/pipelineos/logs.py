"""Logging: JSON lines in ``LOG_DIR/combined.log`` and readable lines on the console.

Code logs with the standard library, an event name as the message and context in
``extra={"fields": {...}}``::

    log.info("Circuit breaker state changed", extra={"fields": {"name": "claude-api",
                                                               "from": "CLOSED", "to": "OPEN"}})

becomes ``{"timestamp": ..., "level": "info", "event": "Circuit breaker state changed",
"name": "claude-api", "from": "CLOSED", "to": "OPEN", ...}`` in the file and
``Circuit breaker state changed - name: claude-api, from: CLOSED, to: OPEN`` on the console.
Every secret the settings know is scrubbed from both before a line is written.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_RESERVED = {"timestamp", "level", "event", "logger"}


def _fields(record: logging.LogRecord) -> Mapping[str, Any]:
    fields = getattr(record, "fields", None)
    return fields if isinstance(fields, Mapping) else {}


class _Scrubber:
    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, "[redacted]")
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, event, logger, then the context fields."""

    def __init__(self, scrub: _Scrubber) -> None:
        super().__init__()
        self.scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            "logger": record.name,
        }
        for key, value in _fields(record).items():
            line[f"{key}_" if key in _RESERVED else key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return self.scrub(json.dumps(line, default=str, ensure_ascii=False))


class ConsoleFormatter(logging.Formatter):
    """``10:35:21 INFO  event - key: value, key: value`` for people watching a terminal."""

    def __init__(self, scrub: _Scrubber) -> None:
        super().__init__()
        self.scrub = scrub

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        text = f"{stamp} {record.levelname:<7} {record.getMessage()}"
        fields = _fields(record)
        if fields:
            text += " - " + ", ".join(f"{key}: {value}" for key, value in fields.items())
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return self.scrub(text)


_HANDLER_MARK = "_pipelineos_handler"


class _QuietErrors:
    """A failing handler reports that it failed, not the record (which may hold a secret)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (stdlib name)
        if logging.raiseExceptions and sys.stderr:
            sys.stderr.write(f"pipelineos: could not write a log line from {record.name}\n")


class _FileHandler(_QuietErrors, logging.FileHandler):
    pass


class _ConsoleHandler(_QuietErrors, logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment, so redirection is respected."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(
    log_dir: Path, level: str = "INFO", secrets: Iterable[str] = (), console: bool = True
) -> Path:
    """Install the file and console handlers on the root logger (idempotent); return the file."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "combined.log"
    scrub = _Scrubber(secrets)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
        handler.close()

    file_handler = _FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(JsonFormatter(scrub))
    handlers: list[logging.Handler] = [file_handler]
    if console:
        stream = _ConsoleHandler()
        stream.setFormatter(ConsoleFormatter(scrub))
        handlers.append(stream)
    for handler in handlers:
        setattr(handler, _HANDLER_MARK, True)
        root.addHandler(handler)
    root.setLevel(level)
    # Quiet libraries whose routine chatter would bury our events.
    for noisy in (
        "httpx", "httpcore", "twilio.http_client", "psycopg.pool", "uvicorn.access", "pgserver"
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return path
