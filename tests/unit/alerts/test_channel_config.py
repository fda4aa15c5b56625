"""Channel URLs as the owner writes them: split where a URL starts (a URL may hold commas),
routed by config-file tags, shown only redacted, their secrets known to the log scrubber."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelineos.config import Settings
from pipelineos.integrations.apprise import load_channels, redact, split_urls

TOKEN = "ABCdefGhIJKlmnOPQRstuvWXYz"
SLACK = "TIiajkdnlazkcOXrIdevi7FQ"


def test_urls_split_on_spaces_and_commas_but_not_inside_a_url() -> None:
    text = ("mailto://u:p@example.com?to=a@example.com,b@example.com, ntfys://topic\n"
            "json://127.0.0.1:8080/hook")
    assert split_urls(text) == ["mailto://u:p@example.com?to=a@example.com,b@example.com",
                                "ntfys://topic", "json://127.0.0.1:8080/hook"]
    assert split_urls("  ") == [] and split_urls(None) == []


def test_labels_hide_tokens_and_passwords_and_redact_masks_them() -> None:
    urls = (f"tgram://123456789:{TOKEN}/12345 slack://T1JJ3T3L2/A1BRTD4JD/{SLACK}/#general "
            "mailtos://bob:pw-4242@smtp.example.com?to=me@example.com")
    channels = load_channels(urls, None)
    labels = [c.label for c in channels]
    assert labels[0].startswith("tgram://") and TOKEN not in labels[0]
    assert SLACK not in labels[1]
    assert labels[2] == "mailtos://bob:****@smtp.example.com/me%40example.com"
    leaked = f"failed to post to tgram://123456789:{TOKEN}/12345 with {SLACK} and pw-4242"
    cleaned = redact(leaked, channels)
    assert TOKEN not in cleaned and SLACK not in cleaned and "pw-4242" not in cleaned
    assert len({c.key for c in channels}) == 3
    assert all(c.breaker_name.startswith(f"channel-{c.scheme}-") for c in channels)


def test_config_file_tags_route_kinds_and_a_url_named_twice_is_one_channel(
    tmp_path: Path,
) -> None:
    config = tmp_path / "apprise.txt"
    config.write_text("critical=json://127.0.0.1:9/a\n"
                      "hot,digest=json://127.0.0.1:9/b\n"
                      "json://127.0.0.1:9/c\n"
                      "other=json://127.0.0.1:9/d\n")
    channels = load_channels("json://127.0.0.1:9/a", config)
    kinds = {c.label: sorted(c.kinds) for c in channels}
    assert kinds == {
        "json://127.0.0.1:9/a": ["critical", "digest", "hot"],  # untagged in ALERT_CHANNELS
        "json://127.0.0.1:9/b": ["digest", "hot"],
        "json://127.0.0.1:9/c": ["critical", "digest", "hot"],
        "json://127.0.0.1:9/d": [],  # tagged, but with none of our kinds
    }


def test_settings_know_channel_secrets_for_the_log_scrubber(tmp_path: Path) -> None:
    config = tmp_path / "apprise.yml"
    config.write_text(f"urls:\n  - tgram://123456789:{TOKEN}/12345:\n      tag: critical\n")
    settings = Settings(_env_file=None,  # type: ignore[call-arg]
                        alert_channels="json://me:pass-for-hook@127.0.0.1:9/x",
                        alert_channels_config=config)
    secrets = settings.secrets()
    assert "pass-for-hook" in secrets
    assert any(TOKEN in secret for secret in secrets)
    assert "pass-for-hook" not in repr(settings)


@pytest.mark.parametrize("value, message", [
    ("slak://user:secret@host", "not a notification URL Apprise can use: slak://"),
    ("not a url", "not a notification URL Apprise can use"),
])
def test_unknown_urls_are_configuration_errors_without_the_url(value: str,
                                                                message: str) -> None:
    with pytest.raises(ValueError) as raised:
        Settings(_env_file=None, alert_channels=value)  # type: ignore[call-arg]
    assert message in str(raised.value) and "secret" not in str(raised.value)
