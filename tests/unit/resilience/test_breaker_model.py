"""Hypothesis drives the breaker and a plain reference model through random histories."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pipelineos.resilience import CircuitBreaker, CircuitOpenError, ManualClock


class VendorError(Exception):
    """A recorded failure."""


class Invalid(Exception):
    """An ignored error."""


@dataclass
class Model:
    """The seed's rules written as plainly as possible, one call at a time."""

    threshold: int
    window: float
    reset_timeout: float
    success_threshold: int
    state: str = "CLOSED"
    failure_times: list[float] = field(default_factory=list)
    open_until: float = 0.0
    trial_successes: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: {"ok": 0, "failed": 0, "ignored": 0, "rejected": 0}
    )

    def enter(self, state: str, now: float) -> None:
        self.state = state
        self.trial_successes = 0
        if state == "OPEN":
            self.open_until = now + self.reset_timeout
        if state == "CLOSED":
            self.failure_times.clear()

    def observe(self, now: float) -> None:
        if self.state == "OPEN" and now >= self.open_until:
            self.enter("HALF_OPEN", now)

    def recent(self, now: float) -> int:
        return min(self.threshold, sum(1 for t in self.failure_times if now - t < self.window))

    def call(self, outcome: str, now: float) -> str:
        self.observe(now)
        if self.state in ("OPEN", "FORCED_OPEN"):
            self.counts["rejected"] += 1
            return "rejected"
        self.counts[outcome] += 1
        if self.state == "DISABLED" or outcome == "ignored":
            return outcome
        if outcome == "ok" and self.state == "HALF_OPEN":
            self.trial_successes += 1
            if self.trial_successes >= self.success_threshold:
                self.enter("CLOSED", now)
        elif outcome == "failed":
            self.failure_times.append(now)
            if self.state == "HALF_OPEN" or self.recent(now) >= self.threshold:
                self.enter("OPEN", now)
        return outcome


class BreakerVersusModel(RuleBasedStateMachine):
    """Every step does the same thing to both and compares what a user could observe."""

    @initialize(
        threshold=st.integers(1, 5),
        window=st.sampled_from([10.0, 120.0]),
        reset_timeout=st.sampled_from([5.0, 60.0]),
        success_threshold=st.integers(1, 3),
    )
    def build(self, threshold: int, window: float, reset_timeout: float, success_threshold: int) -> None:
        self.clock = ManualClock()
        self.model = Model(threshold, window, reset_timeout, success_threshold)
        self.breaker = CircuitBreaker(
            "modelled", failure_threshold=threshold, window=window, reset_timeout=reset_timeout,
            success_threshold=success_threshold, ignore=Invalid, clock=self.clock,
        )

    def _call(self, outcome: str) -> None:
        def service() -> str:
            if outcome == "failed":
                raise VendorError()
            if outcome == "ignored":
                raise Invalid()
            return "ok"

        try:
            self.breaker.call(service)
            seen = "ok"
        except VendorError:
            seen = "failed"
        except Invalid:
            seen = "ignored"
        except CircuitOpenError:
            seen = "rejected"
        assert seen == self.model.call(outcome, self.clock.monotonic())

    @rule()
    def succeed(self) -> None:
        self._call("ok")

    @rule()
    def fail(self) -> None:
        self._call("failed")

    @rule()
    def ignored(self) -> None:
        self._call("ignored")

    @rule(fraction=st.sampled_from([0.25, 0.999, 1.0]), of=st.sampled_from(["window", "reset"]))
    def advance(self, fraction: float, of: str) -> None:
        """Move time by a fraction of a setting, so histories land on its exact boundary."""
        span = self.model.window if of == "window" else self.model.reset_timeout
        self.clock.advance(fraction * span)

    @rule(action=st.sampled_from(["reset", "force_open", "disable"]))
    def operator(self, action: str) -> None:
        getattr(self.breaker, action)()
        target = {"reset": "CLOSED", "force_open": "FORCED_OPEN", "disable": "DISABLED"}[action]
        self.model.enter(target, self.clock.monotonic())

    @invariant()
    def same_view(self) -> None:
        if not hasattr(self, "model"):
            return
        now = self.clock.monotonic()
        self.model.observe(now)
        status = self.breaker.status()
        assert status["state"] == self.model.state
        assert status["recentFailures"] == self.model.recent(now)
        metrics = status["metrics"]
        counts = self.model.counts
        assert (
            metrics["successfulRequests"], metrics["failedRequests"],
            metrics["ignoredRequests"], metrics["rejectedRequests"],
        ) == (counts["ok"], counts["failed"], counts["ignored"], counts["rejected"])
        if self.model.state == "OPEN":
            assert status["retryAfterSeconds"] == pytest.approx(self.model.open_until - now)


BreakerVersusModel.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
TestBreakerAgainstModel = BreakerVersusModel.TestCase
TestBreakerAgainstModel.__doc__ = "Random call/clock/operator histories: breaker and model never disagree."
