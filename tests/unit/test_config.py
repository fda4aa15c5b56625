"""Configuration: the DESIGN.md names, seed defaults, and one clear line per problem."""

from __future__ import annotations

import pytest

from pipelineos.config import ConfigurationError, Settings, load_settings

SECRET = "sk-live-very-secret-value-123"


def test_seed_defaults() -> None:
    """With nothing set, the seed's defaults apply and the optional vendors are off."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.host, settings.port, str(settings.log_dir)) == ("127.0.0.1", 3000, "logs")
    assert settings.twilio_circuit_threshold == 5
    assert settings.twilio_circuit_reset_timeout == 60_000
    assert settings.claude_circuit_threshold == 5
    assert settings.claude_circuit_reset_timeout == 120_000
    assert (settings.twilio_rate_limit, settings.claude_rate_limit) == (10, 50)
    assert settings.twilio_api_base_url == "https://api.twilio.com"
    assert (settings.db_pool_max, settings.db_pool_max_idle_seconds,
            settings.db_pool_timeout_seconds) == (20, 30.0, 2.0)
    assert settings.database_url is None
    assert not settings.twilio_configured and not settings.claude_configured


def test_environment_names_from_design(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every contract variable is read under its DESIGN.md name."""
    env = {
        "DATABASE_URL": "postgresql://u:pw@db.example:5433/leads",
        "ANTHROPIC_API_KEY": "sk-ant-x",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": "tok",
        "TWILIO_PHONE_NUMBER": "+12145550100",
        "YOUR_PHONE_NUMBER": "+12145550101",
        "TWILIO_API_BASE_URL": "http://127.0.0.1:8",
        "TWILIO_CIRCUIT_THRESHOLD": "7",
        "TWILIO_CIRCUIT_RESET_TIMEOUT": "30000",
        "CLAUDE_CIRCUIT_THRESHOLD": "9",
        "CLAUDE_CIRCUIT_RESET_TIMEOUT": "5000",
        "TWILIO_RATE_LIMIT": "3",
        "CLAUDE_RATE_LIMIT": "4",
        "PORT": "8080",
        "HOST": "0.0.0.0",
        "LOG_DIR": "/tmp/x",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s = load_settings(_env_file=None)
    assert s.database_url is not None and s.database_url.get_secret_value() == env["DATABASE_URL"]
    assert s.claude_configured and s.twilio_configured
    assert (s.twilio_circuit_threshold, s.twilio_circuit_reset_timeout) == (7, 30000)
    assert (s.claude_circuit_threshold, s.claude_circuit_reset_timeout) == (9, 5000)
    assert (s.twilio_rate_limit, s.claude_rate_limit, s.port, s.host) == (3, 4, 8080, "0.0.0.0")
    assert s.twilio_api_base_url == "http://127.0.0.1:8"


def test_dotenv_file_is_read(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `.env` file in the working directory configures the service."""
    from pathlib import Path

    Path(".env").write_text("PORT=4567\nBUSINESS_SERVICES=plumbing, water heaters\n")
    s = load_settings()
    assert s.port == 4567
    assert s.business_services == ["plumbing", "water_heaters"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL: must be a postgresql:// URL"),
        ({"DATABASE_URL": f"postgresql://u:{SECRET}@h:notaport/db"}, "DATABASE_URL: has an invalid port"),
        ({"YOUR_PHONE_NUMBER": "214-555-0100"}, "YOUR_PHONE_NUMBER: must be an E.164"),
        ({"TWILIO_CIRCUIT_THRESHOLD": "-1"}, "TWILIO_CIRCUIT_THRESHOLD: Input should be greater than 0"),
        ({"CLAUDE_RATE_LIMIT": "0"}, "CLAUDE_RATE_LIMIT: Input should be greater than 0"),
        ({"TWILIO_ACCOUNT_SID": "AC" + "1" * 32}, "TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set"),
        ({"TWILIO_AUTH_TOKEN": SECRET}, "TWILIO_ACCOUNT_SID: required when TWILIO_AUTH_TOKEN is set"),
        ({"PORT": "99999"}, "PORT: Input should be less than or equal to 65535"),
    ],
)
def test_each_bad_value_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    """A bad value produces exactly one line naming the variable, and never the secret."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(expected)
    assert SECRET not in str(caught.value)


def test_several_problems_are_all_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """Field errors and cross-field errors are reported together, one line each."""
    monkeypatch.setenv("DATABASE_URL", f"postgres://user:{SECRET}@host:xx/db")
    monkeypatch.setenv("YOUR_PHONE_NUMBER", "5550100")
    monkeypatch.setenv("TWILIO_CIRCUIT_THRESHOLD", "-3")
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "2" * 32)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(_env_file=None)
    names = [line.split(":")[0] for line in caught.value.problems]
    assert sorted(names) == sorted(["DATABASE_URL", "YOUR_PHONE_NUMBER",
                                    "TWILIO_CIRCUIT_THRESHOLD", "TWILIO_AUTH_TOKEN"])
    assert SECRET not in "\n".join(caught.value.problems)


def test_secrets_are_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Printing settings (as a careless log line would) shows no key, token or password."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://u:{SECRET}x@h/db")
    s = load_settings(_env_file=None)
    assert SECRET not in repr(s) and SECRET not in str(s)
    assert SECRET in s.secrets() and f"{SECRET}x" in s.secrets()
