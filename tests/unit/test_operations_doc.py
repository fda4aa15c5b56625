"""docs/operations.md's log table names every event the code logs, and only those.

Events are the fixed messages of logging calls in src/pipelineos (``log.info("Job started",
extra={"fields": ...})``, ``log.log(level, "SMS delivery status", ...)``) and of the resilience
listeners' ``_log(level, "Circuit breaker ...", ...)``; the table's first column names them in
backticks (a name ending in ``…`` stands for every event that starts with it).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "pipelineos"
DOC = ROOT / "docs" / "operations.md"
SECTION = "## Logs, alerts and what to do"

LEVELS = {"debug", "info", "warning", "error", "critical", "exception"}
LOGGER = re.compile(r"(^|\.)_?(log|logger)$")
# Helpers that forward a message given by their caller (their callers are collected instead).
FORWARDERS = {"_log"}


@dataclass(frozen=True)
class Event:
    message: str
    where: str  # path:line, for the failure message


def _message_argument(call: ast.Call) -> ast.expr | None:
    """The message argument of a logging call, or None if ``call`` is not one."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    receiver = ast.unparse(func.value)
    if func.attr in LEVELS and LOGGER.search(receiver):
        return call.args[0] if call.args else None
    if (func.attr == "log" and LOGGER.search(receiver)) or func.attr in FORWARDERS:
        return call.args[1] if len(call.args) > 1 else None
    return None


def logged_events() -> tuple[list[Event], list[str]]:
    """Every fixed log message in the source, and the places that log a message built at run
    time (each should be a fixed event name with its details in ``fields``)."""
    events: list[Event] = []
    dynamic: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        forwarding = {id(node) for fn in ast.walk(tree)
                      if isinstance(fn, ast.FunctionDef) and fn.name in FORWARDERS
                      for node in ast.walk(fn)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in forwarding:
                continue
            argument = _message_argument(node)
            if argument is None:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                events.append(Event(argument.value, where))
            else:
                dynamic.append(where)
    return events, dynamic


def documented_events() -> list[str]:
    """The backticked names in the first column of the log table."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.find("\n## ", 1)] if "\n## " in section[1:] else section
    names: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split(" | ")[0]
            names.extend(re.findall(r"`([^`]+)`", first_cell))
    return names


def _documents(name: str, message: str) -> bool:
    if name.endswith("…"):
        return message.startswith(name.rstrip("…").rstrip())
    return name == message


def test_every_logged_event_is_in_the_operations_table() -> None:
    """Each event the code logs has a row (meaning, what to do) in docs/operations.md."""
    events, _ = logged_events()
    assert len(events) > 40, "the collector found too few logging calls: is it still working?"
    names = documented_events()
    missing = sorted({f"{e.message!r} (logged at {e.where})" for e in events
                      if not any(_documents(name, e.message) for name in names)})
    assert missing == [], (
        "log events missing from the table under "
        f"'{SECTION}' in docs/operations.md (add a row: event, level, fields, meaning, what to "
        "do):\n  " + "\n  ".join(missing))


def test_the_operations_table_names_only_events_the_code_logs() -> None:
    """No row describes an event that nothing logs any more."""
    messages = {e.message for e in logged_events()[0]}
    stale = [name for name in documented_events()
             if not any(_documents(name, message) for message in messages)]
    assert stale == [], ("rows in docs/operations.md's log table for events no code logs "
                         f"(renamed or removed?): {stale}")


def test_log_messages_are_fixed_event_names() -> None:
    """Messages are fixed strings, so they can be documented and grepped; what varies goes in
    ``extra={"fields": ...}``."""
    assert logged_events()[1] == []
