"""The registry: health, metrics and admin code find breakers and limiters by name."""

from __future__ import annotations

import logging

import pytest

from pipelineos.resilience import (
    CircuitOpenError,
    LoggingListener,
    ManualClock,
    PostgresTokenBucket,
    Registry,
    State,
    TokenBucket,
)


def test_create_or_get_returns_the_same_breaker(clock: ManualClock) -> None:
    """Asking twice for 'twilio-api' gives one breaker, so every caller shares its state."""
    registry = Registry(clock=clock)
    first = registry.breaker("twilio-api", failure_threshold=5, reset_timeout=60.0)
    assert registry.breaker("twilio-api") is first
    assert registry.breaker("twilio-api", failure_threshold=5, reset_timeout=60.0) is first
    with pytest.raises(ValueError, match="other options"):
        registry.breaker("twilio-api", failure_threshold=3)


def test_admin_code_drives_a_breaker_by_name(clock: ManualClock) -> None:
    """force_open / reset by name act on the breaker the services use."""
    registry = Registry(clock=clock)
    breaker = registry.breaker("claude-api")
    registry.get_breaker("claude-api").force_open()
    with pytest.raises(CircuitOpenError):
        breaker.call(lambda: "lead")
    registry.get_breaker("claude-api").reset()
    assert breaker.call(lambda: "lead") == "lead"
    with pytest.raises(KeyError):
        registry.get_breaker("nope")


def test_health_code_lists_every_breaker_and_limiter(clock: ManualClock) -> None:
    """breakers() and limiters() list what was registered, in order, with their status."""
    registry = Registry(clock=clock)
    registry.breaker("twilio-api")
    registry.breaker("claude-api").force_open()
    sms = registry.limiter("twilio-sms", per_minute=10)
    shared = PostgresTokenBucket.per_minute(object(), "claude", 50)  # type: ignore[arg-type]
    registry.add(shared)
    assert [(b.name, b.state) for b in registry.breakers()] == [
        ("twilio-api", State.CLOSED), ("claude-api", State.FORCED_OPEN),
    ]
    assert registry.limiters() == [sms, shared]
    assert registry.limiter("twilio-sms", per_minute=10) is sms
    assert registry.get_limiter("claude") is shared
    assert isinstance(sms, TokenBucket)
    with pytest.raises(ValueError):
        registry.limiter("twilio-sms", per_minute=20)
    with pytest.raises(ValueError):
        registry.add(PostgresTokenBucket.per_minute(object(), "claude", 50))  # type: ignore[arg-type]


def test_fresh_registries_share_nothing() -> None:
    """Two registries (two tests, two apps) never see each other's breakers."""
    one, two = Registry(), Registry()
    one.breaker("twilio-api").force_open()
    assert two.breaker("twilio-api").state is State.CLOSED
    assert len(one.breakers()) == len(two.breakers()) == 1


def test_registry_listeners_log_initialized_once_per_breaker(caplog: pytest.LogCaptureFixture) -> None:
    """A registry with a LoggingListener logs 'Circuit breaker initialized' once per name."""
    registry = Registry(listeners=[LoggingListener()])
    with caplog.at_level(logging.INFO, logger="pipelineos.resilience"):
        registry.breaker("twilio-api")
        registry.breaker("twilio-api")
        registry.breaker("claude-api")
    assert [(r.getMessage(), r.fields["name"]) for r in caplog.records] == [  # type: ignore[attr-defined]
        ("Circuit breaker initialized", "twilio-api"),
        ("Circuit breaker initialized", "claude-api"),
    ]
