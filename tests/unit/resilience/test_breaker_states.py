"""The breaker's state machine on a virtual clock: every transition and the seed's scenarios."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from pipelineos.resilience import (
    CircuitBreaker,
    CircuitOpenError,
    ManualClock,
    RateLimitExceeded,
    SlowCallError,
    State,
)


class VendorError(Exception):
    """What a failing vendor raises (an auth error, a 500)."""


class ValidationError(Exception):
    """A bad request of ours, not the vendor's fault."""


class Service:
    """A stand-in vendor that counts how often it is really reached."""

    def __init__(self) -> None:
        self.calls = 0

    def ok(self) -> str:
        self.calls += 1
        return "ok"

    def fail(self) -> str:
        self.calls += 1
        raise VendorError("401 Unauthorized")

    def invalid(self) -> str:
        self.calls += 1
        raise ValidationError("message too long")


def twilio(clock: ManualClock, **options: Any) -> CircuitBreaker:
    """The seed's Twilio breaker: 5 failures in 2 minutes, 1 minute open, 2 successes close."""
    settings: dict[str, Any] = dict(
        failure_threshold=5, window=120.0, reset_timeout=60.0, success_threshold=2, clock=clock
    )
    settings.update(options)
    return CircuitBreaker("twilio-api", **settings)


def fail_times(breaker: CircuitBreaker, service: Service, times: int) -> None:
    for _ in range(times):
        with pytest.raises(VendorError):
            breaker.call(service.fail)


def test_fifth_failure_opens_and_sixth_call_is_rejected_without_reaching_the_vendor(
    clock: ManualClock,
) -> None:
    """The seed's curl test: failures 1-5 reach Twilio, the 5th opens, the 6th fails fast."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 4)
    assert breaker.state is State.CLOSED
    fail_times(breaker, service, 1)
    assert breaker.state is State.OPEN

    with pytest.raises(CircuitOpenError) as rejected:
        breaker.call(service.ok)

    assert service.calls == 5
    assert "Circuit breaker is OPEN" in str(rejected.value)
    assert "will try again in 60.0 s" in str(rejected.value)
    assert rejected.value.breaker_name == "twilio-api"
    assert rejected.value.retry_after == pytest.approx(60.0)
    status = breaker.status()
    assert status["state"] == "OPEN" and status["isOpen"] is True
    assert status["recentFailures"] == 5
    assert status["metrics"]["rejectedRequests"] == 1


def test_failures_spread_wider_than_the_window_do_not_open(clock: ManualClock) -> None:
    """Five failures over more than two minutes leave the circuit closed."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 4)
    clock.advance(120.0)
    fail_times(breaker, service, 1)
    assert breaker.state is State.CLOSED
    assert breaker.recent_failures == 1
    fail_times(breaker, service, 3)
    assert breaker.state is State.CLOSED
    fail_times(breaker, service, 1)
    assert breaker.state is State.OPEN


def test_rejection_tells_how_long_until_the_next_try(clock: ManualClock) -> None:
    """While OPEN, each rejection's retry_after counts down to the reset timeout."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    clock.advance(45.5)
    with pytest.raises(CircuitOpenError) as rejected:
        breaker.call(service.ok)
    assert rejected.value.retry_after == pytest.approx(14.5)
    assert "will try again in 14.5 s" in str(rejected.value)
    assert breaker.status()["retryAfterSeconds"] == pytest.approx(14.5)


def test_every_rejection_is_a_fresh_exception_with_a_short_traceback(clock: ManualClock) -> None:
    """Rejections never re-raise one shared object, so tracebacks do not grow."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    seen = []
    for _ in range(3):
        with pytest.raises(CircuitOpenError) as rejected:
            breaker.call(service.ok)
        seen.append(rejected.value)
    assert len({id(error) for error in seen}) == 3
    depth = [len(list(_frames(error.__traceback__))) for error in seen]
    assert depth[0] == depth[1] == depth[2] <= 2


def _frames(tb: Any) -> Any:
    while tb is not None:
        yield tb
        tb = tb.tb_next


def test_rejection_survives_pickling(clock: ManualClock) -> None:
    """A rejection can cross a process boundary (job queues pickle errors) intact."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    with pytest.raises(CircuitOpenError) as rejected:
        breaker.call(service.ok)
    copy = pickle.loads(pickle.dumps(rejected.value))
    assert (copy.breaker_name, copy.retry_after, str(copy)) == (
        "twilio-api", rejected.value.retry_after, str(rejected.value),
    )


def test_recovery_goes_half_open_after_reset_timeout_and_closes_after_two_successes(
    clock: ManualClock,
) -> None:
    """Seed test 3: after a minute the next call is a trial; two successes close the circuit."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    clock.advance(59.9)
    with pytest.raises(CircuitOpenError):
        breaker.call(service.ok)
    clock.advance(0.1)

    assert breaker.call(service.ok) == "ok"
    assert breaker.state is State.HALF_OPEN
    assert breaker.call(service.ok) == "ok"
    assert breaker.state is State.CLOSED
    assert breaker.status()["recentFailures"] == 0
    fail_times(breaker, service, 4)
    assert breaker.state is State.CLOSED, "the window restarts empty after recovery"


def test_expired_open_reads_as_half_open_before_any_call(clock: ManualClock) -> None:
    """Health checks see HALF_OPEN once the reset timeout has passed, without a call."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    clock.advance(60.0)
    status = breaker.status()
    assert status["state"] == "HALF_OPEN" and status["isOpen"] is False
    assert status["halfOpen"] == {"inFlight": 0, "successes": 0}


def test_any_failure_in_half_open_reopens_for_a_full_reset_timeout(clock: ManualClock) -> None:
    """A failed trial call re-opens the circuit and restarts the one-minute wait."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    clock.advance(60.0)
    assert breaker.call(service.ok) == "ok"
    fail_times(breaker, service, 1)
    assert breaker.state is State.OPEN
    with pytest.raises(CircuitOpenError) as rejected:
        breaker.call(service.ok)
    assert rejected.value.retry_after == pytest.approx(60.0)


def test_half_open_admits_only_its_permits_and_rejects_the_rest(clock: ManualClock) -> None:
    """With one trial permit, a second call during the trial is rejected without running."""
    breaker, service = twilio(clock, half_open_max_calls=1), Service()
    fail_times(breaker, service, 5)
    clock.advance(60.0)
    inner: list[CircuitOpenError] = []

    def trial() -> str:
        try:
            breaker.call(service.ok)
        except CircuitOpenError as error:
            inner.append(error)
        return "trial ok"

    assert breaker.call(trial) == "trial ok"
    assert service.calls == 5
    assert len(inner) == 1
    assert inner[0].state == "HALF_OPEN" and inner[0].retry_after == 0.0
    assert "Circuit breaker is OPEN" in str(inner[0])
    assert breaker.call(service.ok) == "ok", "the permit is free again after the trial"
    assert breaker.state is State.CLOSED


def test_outcome_of_a_call_admitted_before_opening_does_not_count_as_a_trial(
    clock: ManualClock,
) -> None:
    """A slow call started while CLOSED that returns during HALF_OPEN cannot close the circuit."""
    breaker, service = twilio(clock, success_threshold=1), Service()

    def slow_call_overtaken_by_an_outage() -> str:
        fail_times(breaker, service, 5)
        clock.advance(60.0)
        assert breaker.state is State.HALF_OPEN
        return "late"

    assert breaker.call(slow_call_overtaken_by_an_outage) == "late"
    status = breaker.status()
    assert status["state"] == "HALF_OPEN"
    assert status["halfOpen"] == {"inFlight": 0, "successes": 0}
    assert status["metrics"]["successfulRequests"] == 1


def test_force_open_rejects_until_reset_whatever_the_clock(clock: ManualClock) -> None:
    """An operator's force_open holds through any timeout; reset() closes it."""
    breaker, service = twilio(clock), Service()
    breaker.force_open()
    clock.advance(3600.0)
    with pytest.raises(CircuitOpenError) as rejected:
        breaker.call(service.ok)
    assert service.calls == 0
    assert rejected.value.retry_after is None
    assert "Circuit breaker is OPEN" in str(rejected.value)
    assert "until it is reset" in str(rejected.value)
    assert breaker.status()["isOpen"] is True
    breaker.reset()
    assert breaker.call(service.ok) == "ok"
    assert breaker.state is State.CLOSED


def test_disabled_breaker_lets_everything_through_and_never_opens(clock: ManualClock) -> None:
    """A disabled breaker passes every call, counts it, and never changes state by itself."""
    breaker, service = twilio(clock), Service()
    breaker.disable()
    fail_times(breaker, service, 20)
    assert breaker.call(service.ok) == "ok"
    status = breaker.status()
    assert status["state"] == "DISABLED"
    assert status["metrics"]["failedRequests"] == 20
    assert service.calls == 21
    breaker.reset()
    assert breaker.state is State.CLOSED


def test_reset_closes_an_open_breaker_and_forgets_the_window(clock: ManualClock) -> None:
    """After reset(), it takes five fresh failures to open again; totals are kept."""
    breaker, service = twilio(clock), Service()
    fail_times(breaker, service, 5)
    breaker.reset()
    assert breaker.call(service.ok) == "ok"
    fail_times(breaker, service, 4)
    assert breaker.state is State.CLOSED
    assert breaker.status()["metrics"]["failedRequests"] == 9


def test_ignored_errors_count_as_neither_success_nor_failure(clock: ManualClock) -> None:
    """Validation errors pass through to the caller and never open the circuit."""
    breaker, service = twilio(clock, ignore=ValidationError), Service()
    for _ in range(10):
        with pytest.raises(ValidationError):
            breaker.call(service.invalid)
    metrics = breaker.status()["metrics"]
    assert breaker.state is State.CLOSED
    assert (metrics["ignoredRequests"], metrics["failedRequests"], metrics["successfulRequests"]) == (10, 0, 0)
    assert metrics["totalRequests"] == 10


def test_ignored_error_in_half_open_frees_the_permit_without_deciding(clock: ManualClock) -> None:
    """A trial call that fails validation neither closes nor re-opens the circuit."""
    breaker, service = twilio(clock, ignore=ValidationError), Service()
    fail_times(breaker, service, 5)
    clock.advance(60.0)
    with pytest.raises(ValidationError):
        breaker.call(service.invalid)
    assert breaker.state is State.HALF_OPEN
    assert breaker.call(service.ok) == "ok"
    assert breaker.call(service.ok) == "ok"
    assert breaker.state is State.CLOSED


def test_errors_outside_the_record_filter_count_as_success(clock: ManualClock) -> None:
    """With record=ConnectionError, a ValueError means the service answered: not a failure."""
    breaker = twilio(clock, record=ConnectionError, failure_threshold=1)

    def bad_input() -> None:
        raise ValueError("no such phone number")

    with pytest.raises(ValueError):
        breaker.call(bad_input)
    assert breaker.state is State.CLOSED
    assert breaker.status()["metrics"]["successfulRequests"] == 1


def test_a_limiter_refusal_inside_the_breaker_is_not_a_vendor_failure(clock: ManualClock) -> None:
    """RateLimitExceeded (a local refusal) never counts toward opening the circuit."""
    breaker = twilio(clock, failure_threshold=1)

    def over_limit() -> None:
        raise RateLimitExceeded("twilio-sms", 6.0, 1)

    for _ in range(3):
        with pytest.raises(RateLimitExceeded):
            breaker.call(over_limit)
    assert breaker.state is State.CLOSED
    assert breaker.status()["metrics"]["ignoredRequests"] == 3


def test_failure_rate_threshold_opens_only_after_minimum_calls(clock: ManualClock) -> None:
    """50% failures open the circuit, but not before ten calls are in the window."""
    breaker = CircuitBreaker(
        "claude-api", failure_threshold=None, failure_rate_threshold=0.5, minimum_calls=10,
        window=180.0, clock=clock,
    )
    service = Service()
    fail_times(breaker, service, 4)
    for _ in range(5):
        breaker.call(service.ok)
    assert breaker.state is State.CLOSED, "9 calls, below the minimum"
    assert breaker.recent_failures == 4
    fail_times(breaker, service, 1)
    assert breaker.state is State.OPEN, "5 of 10 calls failed"


def test_failure_rate_forgets_calls_that_left_the_window(clock: ManualClock) -> None:
    """Old successes expire, so a later burst of failures is judged on recent calls only."""
    breaker = CircuitBreaker(
        "claude-api", failure_threshold=None, failure_rate_threshold=0.5, minimum_calls=4,
        window=60.0, clock=clock,
    )
    service = Service()
    for _ in range(20):
        breaker.call(service.ok)
    fail_times(breaker, service, 4)
    assert breaker.state is State.CLOSED, "4 of 24 failed"
    clock.advance(61.0)
    fail_times(breaker, service, 3)
    assert breaker.state is State.CLOSED, "3 calls, below the minimum"
    fail_times(breaker, service, 1)
    assert breaker.state is State.OPEN


def test_slow_call_returns_its_result_but_counts_as_a_failure(clock: ManualClock) -> None:
    """A call over the slow-call threshold still answers the caller; five of them open it."""
    recorded: list[BaseException] = []

    class Recorder:
        def failed(self, breaker: CircuitBreaker, error: BaseException, recent: int) -> None:
            recorded.append(error)

    breaker = twilio(clock, slow_call_duration=2.0, listeners=[Recorder()])

    def slow() -> str:
        clock.advance(3.0)
        return "late but fine"

    for _ in range(5):
        assert breaker.call(slow) == "late but fine"
    status = breaker.status()
    assert status["state"] == "OPEN"
    assert status["metrics"]["slowRequests"] == 5
    assert status["metrics"]["failedRequests"] == 5
    assert all(isinstance(e, SlowCallError) and e.duration == 3.0 for e in recorded)
    assert "took 3.000 s (slow-call threshold 2 s)" in str(recorded[0])


def test_fallback_answers_failures_and_rejections_but_not_ignored_errors(clock: ManualClock) -> None:
    """fallback(error) supplies the result when the vendor fails or the circuit is open."""
    seen: list[BaseException] = []

    def cached(error: BaseException) -> str:
        seen.append(error)
        return "cached"

    breaker, service = twilio(clock, fallback=cached, ignore=ValidationError), Service()
    for _ in range(5):
        assert breaker.call(service.fail) == "cached"
    assert breaker.call(service.ok) == "cached"
    assert service.calls == 5
    assert [type(error) for error in seen] == [VendorError] * 5 + [CircuitOpenError]
    assert breaker.status()["metrics"]["failedRequests"] == 5
    breaker.reset()
    with pytest.raises(ValidationError):
        breaker.call(service.invalid)


def test_status_has_the_seed_shape_and_percentages(clock: ManualClock) -> None:
    """148 successes and 2 failures read as the seed's '98.67%' and '1.33%'."""
    breaker, service = twilio(clock), Service()
    for _ in range(148):
        breaker.call(service.ok)
    fail_times(breaker, service, 2)
    status = breaker.status()
    assert status["name"] == "twilio-api"
    assert status["state"] == "CLOSED" and status["isOpen"] is False
    assert status["recentFailures"] == 2
    assert status["metrics"] == {
        "totalRequests": 150,
        "successfulRequests": 148,
        "failedRequests": 2,
        "rejectedRequests": 0,
        "ignoredRequests": 0,
        "slowRequests": 0,
        "successRate": "98.67%",
        "failureRate": "1.33%",
    }
    assert status["config"]["failureThreshold"] == 5
    assert status["config"]["resetTimeoutSeconds"] == 60.0


def test_decorated_function_goes_through_the_breaker(clock: ManualClock) -> None:
    """@breaker protects a plain function and keeps its name and arguments."""
    breaker = twilio(clock)

    @breaker
    def send(to: str, body: str = "hi") -> str:
        return f"{to}:{body}"

    assert send("+15550100", body="lead!") == "+15550100:lead!"
    assert send.__name__ == "send"
    breaker.force_open()
    with pytest.raises(CircuitOpenError):
        send("+15550100")


def test_breaker_rejects_nonsense_settings() -> None:
    """Impossible settings fail at construction, not on the first outage."""
    bad: dict[str, Any]
    for bad in (
        dict(failure_threshold=0),
        dict(failure_threshold=None),
        dict(failure_rate_threshold=1.5),
        dict(success_threshold=0),
        dict(half_open_max_calls=0),
        dict(timeout=0),
        dict(window=0),
    ):
        with pytest.raises(ValueError):
            CircuitBreaker("x", **bad)
