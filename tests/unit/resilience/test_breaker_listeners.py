"""Listeners see every state change and outcome; the logging listener writes the seed's events."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from pipelineos.resilience import (
    BreakerListener,
    CircuitBreaker,
    CircuitOpenError,
    LoggingListener,
    ManualClock,
    State,
)


class VendorError(Exception):
    """What a failing vendor raises."""


class Recorder(BreakerListener):
    """Writes down every hook call."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def initialized(self, breaker: CircuitBreaker) -> None:
        self.events.append(("initialized", breaker.name))

    def state_changed(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        self.events.append(("state", str(old), str(new)))

    def succeeded(self, breaker: CircuitBreaker, elapsed: float) -> None:
        self.events.append(("succeeded", elapsed))

    def failed(self, breaker: CircuitBreaker, error: BaseException, recent_failures: int) -> None:
        self.events.append(("failed", type(error).__name__, recent_failures))

    def ignored(self, breaker: CircuitBreaker, error: BaseException) -> None:
        self.events.append(("ignored", type(error).__name__))

    def rejected(self, breaker: CircuitBreaker, error: CircuitOpenError) -> None:
        self.events.append(("rejected", error.retry_after))


def fail() -> None:
    raise VendorError("401")


def outage_and_recovery(breaker: CircuitBreaker, clock: ManualClock) -> None:
    """Five failures, one rejection, a minute, two successes."""
    for _ in range(5):
        with pytest.raises(VendorError):
            breaker.call(fail)
    with pytest.raises(CircuitOpenError):
        breaker.call(lambda: None)
    clock.advance(60.0)
    breaker.call(lambda: clock.advance(0.25))
    breaker.call(lambda: None)


def test_listener_sees_the_whole_outage_in_order(clock: ManualClock) -> None:
    """Hooks fire in the order a reader of the log expects, with exact counts and times."""
    recorder = Recorder()
    breaker = CircuitBreaker("twilio-api", clock=clock, listeners=[recorder])
    outage_and_recovery(breaker, clock)
    assert recorder.events == [
        ("initialized", "twilio-api"),
        ("failed", "VendorError", 1),
        ("failed", "VendorError", 2),
        ("failed", "VendorError", 3),
        ("failed", "VendorError", 4),
        ("failed", "VendorError", 5),
        ("state", "CLOSED", "OPEN"),
        ("rejected", 60.0),
        ("state", "OPEN", "HALF_OPEN"),
        ("succeeded", 0.25),
        ("succeeded", 0.0),
        ("state", "HALF_OPEN", "CLOSED"),
    ]


def test_ignored_errors_reach_the_ignored_hook(clock: ManualClock) -> None:
    """An ignored error is reported as ignored, never as a failure."""
    recorder = Recorder()
    breaker = CircuitBreaker("x", clock=clock, ignore=KeyError, listeners=[recorder])

    def missing() -> None:
        raise KeyError("phone")

    with pytest.raises(KeyError):
        breaker.call(missing)
    assert recorder.events[1:] == [("ignored", "KeyError")]


def test_listener_added_later_gets_events_but_no_initialized(clock: ManualClock) -> None:
    """add_listener attaches at run time; 'initialized' belongs to construction only."""
    breaker = CircuitBreaker("x", clock=clock, failure_threshold=1)
    recorder = Recorder()
    breaker.add_listener(recorder)
    with pytest.raises(VendorError):
        breaker.call(fail)
    assert recorder.events == [("failed", "VendorError", 1), ("state", "CLOSED", "OPEN")]


def test_duck_typed_listener_with_one_hook_works(clock: ManualClock) -> None:
    """Any object with some of the hook methods can listen; missing hooks are skipped."""
    changes: list[tuple[str, str]] = []

    class Alerts:
        def state_changed(self, breaker: CircuitBreaker, old: State, new: State) -> None:
            changes.append((old, new))

    breaker = CircuitBreaker("claude-api", clock=clock, failure_threshold=1, listeners=[Alerts()])
    with pytest.raises(VendorError):
        breaker.call(fail)
    assert changes == [("CLOSED", "OPEN")]


def test_a_broken_listener_never_breaks_the_call(clock: ManualClock, caplog: pytest.LogCaptureFixture) -> None:
    """A listener that raises is logged and skipped; the caller gets the real outcome."""

    class Broken(BreakerListener):
        def failed(self, breaker: CircuitBreaker, error: BaseException, recent_failures: int) -> None:
            raise RuntimeError("alerting is down")

    breaker = CircuitBreaker("x", clock=clock, listeners=[Broken()])
    with caplog.at_level(logging.ERROR, logger="pipelineos.resilience"):
        with pytest.raises(VendorError):
            breaker.call(fail)
    assert breaker.status()["metrics"]["failedRequests"] == 1
    assert [r.getMessage() for r in caplog.records] == ["Circuit breaker listener failed"]


def test_logging_listener_emits_the_seed_events_with_structured_fields(
    clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The log reads like the seed's: initialized, recorded failure x5, state changed, rejected."""
    with caplog.at_level(logging.DEBUG, logger="pipelineos.resilience"):
        breaker = CircuitBreaker("claude-api", clock=clock, listeners=[LoggingListener()])
        outage_and_recovery(breaker, clock)

    records = [r for r in caplog.records if r.name == "pipelineos.resilience"]
    messages = [r.getMessage() for r in records]
    assert messages == [
        "Circuit breaker initialized",
        *["Circuit breaker recorded failure"] * 5,
        "Circuit breaker state changed",
        "Circuit breaker is OPEN, request rejected",
        "Circuit breaker state changed",
        "Circuit breaker state changed",
    ]
    fields = [r.fields for r in records]  # type: ignore[attr-defined]
    assert all(f["component"] == "circuit breaker" and f["name"] == "claude-api" for f in fields)
    assert [f["recentFailures"] for f in fields[1:6]] == [1, 2, 3, 4, 5]
    assert [(f["from"], f["to"]) for f in (fields[6], fields[8], fields[9])] == [
        ("CLOSED", "OPEN"), ("OPEN", "HALF_OPEN"), ("HALF_OPEN", "CLOSED"),
    ]
    assert fields[7]["retryAfter"] == 60.0
    assert records[6].levelno == logging.WARNING and records[9].levelno == logging.INFO
    assert fields[1]["error"] == "VendorError"
    assert "401" not in repr(fields), "vendor error text (it may echo credentials) stays out"
