"""The SMS settings added for alerts: defaults, names, and one clear line per bad value."""

from __future__ import annotations

import pytest

from pipelineos.config import ConfigurationError, Settings, load_settings


def test_alert_settings_have_safe_defaults() -> None:
    """No callbacks, no link, 10 s per request, 3 attempts, two segments per alert."""
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (s.twilio_webhook_base_url, s.alert_link_base_url) == (None, None)
    assert (s.twilio_request_timeout_ms, s.twilio_retry_attempts,
            s.twilio_retry_base_delay_ms, s.twilio_max_segments) == (10_000, 3, 500, 2)


def test_alert_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each new knob has an environment name; URLs lose a trailing slash."""
    monkeypatch.setenv("TWILIO_WEBHOOK_BASE_URL", "https://leads.example.com/")
    monkeypatch.setenv("ALERT_LINK_BASE_URL", "https://app.example.com")
    monkeypatch.setenv("TWILIO_MAX_SEGMENTS", "3")
    monkeypatch.setenv("TWILIO_RETRY_ATTEMPTS", "2")
    s = load_settings(_env_file=None)
    assert s.twilio_webhook_base_url == "https://leads.example.com"
    assert s.alert_link_base_url == "https://app.example.com"
    assert (s.twilio_max_segments, s.twilio_retry_attempts) == (3, 2)


def test_bad_alert_settings_stop_start_up_with_one_line_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A webhook base that is not a URL and an attempt count over the cap are both named."""
    monkeypatch.setenv("TWILIO_WEBHOOK_BASE_URL", "leads.example.com")
    monkeypatch.setenv("TWILIO_RETRY_ATTEMPTS", "9")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None)
    fields = sorted(line.split(":")[0] for line in caught.value.problems)
    assert fields == ["TWILIO_RETRY_ATTEMPTS", "TWILIO_WEBHOOK_BASE_URL"]
