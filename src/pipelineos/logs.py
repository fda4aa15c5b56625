"""Logging: JSON lines in ``LOG_DIR/combined.log`` and readable lines on the console.

Code logs with the standard library, an event name as the message and context in
``extra={"fields": {...}}``::

    log.info("Circuit breaker state changed", extra={"fields": {"name": "claude-api",
                                                               "from": "CLOSED", "to": "OPEN"}})

becomes ``{"timestamp": ..., "level": "info", "event": "Circuit breaker state changed",
"name": "claude-api", "from": "CLOSED", "to": "OPEN", ...}`` in the file and
``Circuit breaker state changed - name: claude-api, from: CLOSED, to: OPEN`` on the console.
Every secret the settings know is scrubbed from both before a line is written.

The file rotates by size (``LOG_MAX_BYTES``): ``combined.log`` becomes ``combined.log.1`` and
so on, ``LOG_BACKUP_COUNT`` files kept. Every process (server, workers, CLI commands) writes the
same file, so the size is the file's, not one process's stream; a process that finds the file
rotated by another reopens it, and rotating takes a lock so two processes never both rotate.

Under a supervisor that keeps logs itself (systemd's journal, a container runtime),
``LOG_TO=console`` writes nothing under ``LOG_DIR``: the same JSON lines go to stderr instead,
where the supervisor stores and rotates them and log shippers can still read the fields.
Commands other than ``serve`` and ``worker`` then write only their warnings and errors there,
so their own output stays readable.
"""

from __future__ import annotations

import fcntl
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

LogTarget = Literal["file", "console"]

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


class _RotatingFile(_QuietErrors, logging.handlers.RotatingFileHandler):
    """Rotation by the size of the file at the path, safe across processes (see above)."""

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802 (stdlib name)
        # Called with the handler's lock held, before each record is written.
        size = self._size_at_path()
        return self.maxBytes > 0 and size is not None and size >= self.maxBytes

    def doRollover(self) -> None:  # noqa: N802 (stdlib name)
        head, name = os.path.split(self.baseFilename)
        with open(os.path.join(head, f".{name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            size = self._size_at_path()  # another process may have rotated meanwhile
            if size is not None and size >= self.maxBytes:
                super().doRollover()

    def _size_at_path(self) -> int | None:
        """The size of the file at the path, after reopening if it is not the one we hold."""
        try:
            at_path = os.stat(self.baseFilename)
        except FileNotFoundError:
            at_path = None
        if self.stream is not None and at_path is not None:
            held = os.fstat(self.stream.fileno())
            if (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino):
                return at_path.st_size
        if self.stream is not None:
            self.stream.close()
        self.stream = self._open()
        return os.fstat(self.stream.fileno()).st_size


class _ConsoleHandler(_QuietErrors, logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the moment, so redirection is respected."""

    @property  # type: ignore[override, unused-ignore]  # an attribute upstream; mypy < 2 objects
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(
    log_dir: Path, level: str = "INFO", secrets: Iterable[str] = (), console: bool = True,
    *, max_bytes: int = 10_000_000, backup_count: int = 5, to: LogTarget = "file",
) -> Path | None:
    """Install our handlers on the root logger (idempotent). ``to="file"``: JSON lines in
    ``log_dir/combined.log``, rotated at ``max_bytes`` with ``backup_count`` old files kept,
    and with ``console`` readable lines on stderr; returns the file. ``to="console"``: JSON
    lines on stderr only (warnings and up unless ``console``); returns None."""
    scrub = _Scrubber(secrets)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
        handler.close()

    handlers: list[logging.Handler] = []
    path: Path | None = None
    if to == "console":
        lines = _ConsoleHandler()
        lines.setFormatter(JsonFormatter(scrub))
        if not console:
            lines.setLevel(logging.WARNING)
        handlers.append(lines)
    else:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "combined.log"
        file_handler = _RotatingFile(path, maxBytes=max_bytes, backupCount=backup_count,
                                     encoding="utf-8")
        file_handler.setFormatter(JsonFormatter(scrub))
        handlers.append(file_handler)
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
