"""Claude's settings: the seed's defaults, clear problems, and the analyzer built from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pipelineos
from pipelineos.analysis.claude import build_claude_analyzer
from pipelineos.analysis.model import BusinessProfile
from pipelineos.config import ConfigurationError, Settings, load_settings
from pipelineos.resilience import ManualClock, Registry


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_claude_defaults_are_the_seeds() -> None:
    """5 failures in 180 s, open 120 s, 3 successes to close, 60 s per call, 50 a minute."""
    s = settings()
    assert (s.claude_circuit_threshold, s.claude_circuit_window_seconds,
            s.claude_circuit_reset_timeout, s.claude_circuit_success_threshold) == (
        5, 180.0, 120_000, 3)
    assert (s.claude_timeout_seconds, s.claude_rate_limit) == (60.0, 50)
    assert s.claude_prefilter and s.claude_batch_size == 10


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("ANTHROPIC_BASE_URL", "api.anthropic.com", "ANTHROPIC_BASE_URL: must be an http"),
    ("CLAUDE_PREFILTER_CONFIDENCE", "0.5", "CLAUDE_PREFILTER_CONFIDENCE:"),
    ("CLAUDE_BATCH_SIZE", "0", "CLAUDE_BATCH_SIZE:"),
    ("CLAUDE_RETRY_ATTEMPTS", "9", "CLAUDE_RETRY_ATTEMPTS:"),
])
def test_bad_claude_settings_stop_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, problem: str,
) -> None:
    """A bad value is one line naming the variable (a pre-filter confidence of 0.5 would
    settle the posts too short to judge, so it must be above)."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings(_env_file=None)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].startswith(problem)


async def _no_alert(message: str) -> None:
    """These tests open no circuit, so no alert is expected."""
    raise AssertionError(f"unexpected alert: {message}")


def test_no_key_means_no_claude_analyzer() -> None:
    """Without ANTHROPIC_API_KEY nothing is built and no breaker is registered."""
    registry = Registry(clock=ManualClock())
    assert build_claude_analyzer(settings(), BusinessProfile(), registry=registry,
                                 clock=ManualClock(), send_alert=_no_alert
                                 ) is None
    assert registry.breakers() == []


async def test_the_analyzer_registers_the_seed_breaker_and_limiter() -> None:
    """With a key: breaker `claude-api` and limiter `claude-requests` with the configured
    numbers (the reset timeout read in milliseconds, as in the seed)."""
    registry = Registry(clock=ManualClock())
    claude = build_claude_analyzer(
        settings(anthropic_api_key="sk-x", claude_circuit_reset_timeout=30_000,
                 claude_rate_limit=20),
        BusinessProfile(), registry=registry, clock=ManualClock(),
        send_alert=_no_alert)
    assert claude is not None
    try:
        config = registry.get_breaker("claude-api").config()
        assert (config["failureThreshold"], config["windowSeconds"], config["resetTimeoutSeconds"],
                config["successThreshold"], config["timeoutSeconds"]) == (5, 180.0, 30.0, 3, 60.0)
        assert registry.get_limiter("claude-requests").capacity == 20
    finally:
        await claude.aclose()


def test_starting_without_a_key_does_not_import_the_sdk() -> None:
    """The SDK takes seconds to import; a service without a key never loads it."""
    probe = ("import sys, pipelineos.web.app, pipelineos.bootstrap\n"
             "print([m for m in sys.modules if m.split('.')[0] == 'anthropic'])\n")
    src = str(Path(pipelineos.__file__).parent.parent)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": src, "PATH": ""})
    assert out.stdout.strip() == "[]"
