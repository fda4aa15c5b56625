"""Settings: every knob of the service, read once from the environment and `.env`.

Names follow the contracts in DESIGN.md (``DATABASE_URL``, ``TWILIO_RATE_LIMIT``...). Settings are
built once in :mod:`pipelineos.bootstrap` and passed down; nothing reads the environment elsewhere.
Bad values stop start-up with one line per problem (:func:`describe_errors`), never echoing a value,
so a secret pasted into the wrong variable is not printed either.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (Field, SecretStr, ValidationError, ValidationInfo, field_validator,
                      model_validator)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from pipelineos.integrations import apprise as apprise_channels

E164 = re.compile(r"^\+[1-9]\d{6,14}$")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

PositiveInt = Annotated[int, Field(gt=0)]
PositiveFloat = Annotated[float, Field(gt=0)]

MIN_API_KEY_LENGTH = 16
DEFAULT_KEY_NAME = "default"  # the name PIPELINEOS_API_KEY goes by in logs and metrics
_KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def _split_list(value: Any) -> Any:
    """Accept ``a, b; c`` as well as a JSON-style list for list settings."""
    if isinstance(value, str):
        return [item.strip() for item in re.split(r"[,;\n]", value) if item.strip()]
    return value


def _key_problem(key: str) -> str | None:
    """What is wrong with an API key, or None."""
    if len(key) < MIN_API_KEY_LENGTH:
        return f"must be at least {MIN_API_KEY_LENGTH} characters (e.g. `openssl rand -hex 32`)"
    if not key.isascii() or not key.isprintable():
        return "must be printable ASCII (it travels in an HTTP header)"
    return None


def parse_api_keys(text: str, taken: dict[str, str]) -> dict[str, str]:
    """``name:key`` pairs separated by commas, ``;`` or newlines, as a dict; ``taken`` holds
    keys configured elsewhere (PIPELINEOS_API_KEY as ``default``), which names and keys must
    not repeat. Errors name the item's position and name, never a key."""
    named: dict[str, str] = {}
    seen = dict(taken)
    for position, item in enumerate(_split_list(text), start=1):
        name, colon, key = item.partition(":")
        name, key = name.strip(), key.strip()
        if not colon or not _KEY_NAME.match(name):
            raise ValueError(f"item {position}: expected name:key, the name being 1-40 "
                             "letters, digits, '.', '_' or '-'")
        if name in seen:
            raise ValueError(f"the name {name!r} is given twice"
                             + (" (PIPELINEOS_API_KEY is named 'default')"
                                if name == DEFAULT_KEY_NAME and taken else ""))
        problem = _key_problem(key)
        if problem:
            raise ValueError(f"key {name!r}: {problem}")
        if key in seen.values():
            raise ValueError(f"key {name!r} is the same key as "
                             f"{next(n for n, k in seen.items() if k == key)!r}")
        seen[name] = named[name] = key
    return named


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s,]+")


def channel_url_secrets(urls: SecretStr | None, config_path: Path | None) -> list[str]:
    """What to scrub from logs for the channel URLs: each URL, its password, and each long
    host or path piece (the tokens of slack://, tgram://, ...). A rough cut without Apprise,
    for the log scrubber; the channels' own redaction is in integrations/apprise."""
    texts = [urls.get_secret_value()] if urls is not None else []
    if config_path is not None:
        try:
            texts.append(config_path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            pass
    found: list[str] = []
    for text in texts:
        for url in _URL_IN_TEXT.findall(text):
            found.append(url)
            rest = url.split("://", 1)[1].split("?", 1)[0]
            userinfo, at, _ = rest.partition("@")
            if at and ":" in userinfo:
                found.append(userinfo.split(":", 1)[1])
            found.extend(piece for piece in re.split(r"[/:@]", rest) if len(piece) >= 12)
    return found


def _http_url(value: str | None) -> str | None:
    """An http(s) base URL without its trailing slash; None when blank."""
    if value is None or not value.strip():
        return None
    cleaned = value.strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", cleaned):
        raise ValueError("must be an http:// or https:// URL")
    return cleaned


class Settings(BaseSettings):
    """All configuration. Field names are the environment variable names, lower-cased."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        hide_input_in_errors=True,
    )

    # --- server -----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(3000, ge=1, le=65535)
    log_dir: Path = Path("logs")
    log_level: LogLevel = "INFO"
    max_body_bytes: PositiveInt = 1_000_000
    max_bulk_body_bytes: PositiveInt = 20_000_000  # POST /api/posts
    bulk_workers: int = Field(0, ge=0)  # processes analyzing bulk posts; 0 = one per core (≤4)
    shutdown_grace_seconds: PositiveFloat = 10.0

    # --- access -----------------------------------------------------------------------------
    # Set: every /api route requires it (``Authorization: Bearer`` or ``X-API-Key``). Unset:
    # /api answers loopback clients only (see web/access.py).
    pipelineos_api_key: SecretStr | None = None
    # More keys accepted at once, as ``name:key`` pairs, so a key changes without a gap (old
    # and new both work while clients move); requests are logged with the key's name only.
    # PIPELINEOS_API_KEY, when set too, is the key named ``default``.
    pipelineos_api_keys: SecretStr | None = None
    # Reverse proxies (IPs or CIDR networks) whose X-Forwarded-For/-Proto are believed; none by
    # default, so a client cannot claim another address with a header.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # --- what one client can cost the server (web/server.py, middleware.py, access.py) ------
    max_header_bytes: int = Field(32_768, ge=1024)  # request line and headers, all together
    max_header_count: PositiveInt = 100
    header_timeout_seconds: PositiveFloat = 10.0  # a request's headers, from connect or last reply
    body_timeout_seconds: PositiveFloat = 60.0  # a request's whole body, from its headers
    keep_alive_seconds: PositiveInt = 5  # an idle connection between requests is closed after
    max_connections: PositiveInt = 1000  # open connections (or requests) beyond: 503
    api_key_max_failures: PositiveInt = 10  # wrong keys from one address in the window: 429
    api_key_failure_window_seconds: PositiveFloat = 300.0
    dashboard_session_hours: PositiveFloat = 168.0  # a dashboard sign-in lasts this long

    # --- log files (logs.py) ----------------------------------------------------------------
    log_max_bytes: int = Field(10_000_000, ge=10_000)  # combined.log rotates at this size
    log_backup_count: int = Field(5, ge=1)  # rotated files kept: combined.log.1 ... .N
    # "console": JSON lines on stderr and no file, for a supervisor that keeps logs itself
    # (the systemd journal, a container runtime); "file": combined.log in LOG_DIR.
    log_to: Literal["file", "console"] = "file"

    # --- database ---------------------------------------------------------------------------
    database_url: SecretStr | None = None
    pipelineos_data_dir: Path = Path("data")
    # Where processes using an embedded database record its data directory, so commands run
    # from another directory find it (pipelineos.db.locate); unset: see ``runtime_dir``.
    pipelineos_runtime_dir: Path | None = None
    db_pool_min: int = Field(2, ge=0)
    db_pool_max: PositiveInt = 20
    db_pool_max_idle_seconds: PositiveFloat = 30.0
    db_pool_timeout_seconds: PositiveFloat = 2.0

    # --- backups (db/backup.py) -------------------------------------------------------------
    # Where pg_dump and pg_restore of the server's major version are; unset: the embedded
    # server's own, PATH, and the usual install directories are searched.
    pg_bin_dir: Path | None = None

    # --- the business the leads are for ------------------------------------------------------
    business_name: str = "PipelineOS"
    business_services: Annotated[list[str], NoDecode] = Field(default_factory=list)
    business_areas: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # --- Claude -----------------------------------------------------------------------------
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    claude_circuit_threshold: PositiveInt = 5
    claude_circuit_reset_timeout: PositiveInt = 120_000  # milliseconds, as in the seed
    claude_rate_limit: PositiveInt = 50  # requests per minute
    claude_model: str = Field("claude-haiku-4-5", min_length=1)
    claude_timeout_seconds: PositiveFloat = 60.0  # one logical call, retries included
    claude_attempt_timeout_seconds: PositiveFloat = 25.0  # one HTTP attempt
    claude_retry_attempts: int = Field(3, ge=1, le=5)
    claude_retry_initial_delay_seconds: float = Field(1.0, ge=0)
    claude_circuit_window_seconds: PositiveFloat = 180.0
    claude_circuit_success_threshold: PositiveInt = 3
    claude_prefilter: bool = True  # local analyzer settles confident non-leads
    claude_prefilter_confidence: float = Field(0.75, gt=0.5, le=1.0)
    claude_fallback_delay_seconds: float = Field(120.0, ge=0)  # then local analyzes a waiting post
    claude_batch_size: int = Field(10, ge=1, le=50)  # posts per request when sweeping a backlog
    claude_rate_limit_wait_seconds: float = Field(5.0, ge=0)  # a request waits this for a token

    # --- Twilio -----------------------------------------------------------------------------
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_phone_number: str | None = None
    your_phone_number: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_circuit_threshold: PositiveInt = 5
    twilio_circuit_reset_timeout: PositiveInt = 60_000  # milliseconds, as in the seed
    twilio_rate_limit: PositiveInt = 10  # messages per minute
    # Public base URL of this service as Twilio reaches it (behind a proxy it differs from the
    # URL a request arrives on): status callbacks are requested at, and signatures checked
    # against, ``<base>/api/webhooks/twilio/status``. Unset: no callbacks are requested.
    twilio_webhook_base_url: str | None = None
    twilio_request_timeout_ms: PositiveInt = 10_000  # one HTTP request to Twilio
    twilio_retry_attempts: int = Field(3, ge=1, le=5)  # attempts per logical send
    twilio_retry_base_delay_ms: int = Field(500, ge=0)  # first backoff; doubles, capped at 8 s
    twilio_max_segments: int = Field(2, ge=1, le=10)  # an alert is cut to fit this many SMS
    # Where the owner opens a lead from a text: ``<base>/leads/<id>``; unset: "Lead #<id>".
    alert_link_base_url: str | None = None

    @field_validator("twilio_api_base_url", mode="after")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return _http_url(value) or "https://api.twilio.com"

    @field_validator("twilio_webhook_base_url", "alert_link_base_url", mode="after")
    @classmethod
    def _optional_url(cls, value: str | None) -> str | None:
        return _http_url(value)

    # --- channels beside SMS (alerts/channels.py, integrations/apprise) ----------------------
    # Apprise URLs, separated by spaces or commas; an untagged URL gets every kind of alert.
    alert_channels: SecretStr | None = None
    # An Apprise config file (text or YAML) whose tags route kinds: hot, critical, digest.
    alert_channels_config: Path | None = None
    alert_channel_rate_limit: PositiveInt = 30  # notifications per minute, per channel
    alert_channel_circuit_threshold: PositiveInt = 5  # failures in 2 minutes open a channel
    alert_channel_circuit_reset_seconds: PositiveFloat = 60.0

    # The outbound lead webhook (alerts/webhook.py): lead.created and lead.status_changed
    # events, POSTed as JSON and signed (X-PipelineOS-Signature) with the secret.
    lead_webhook_url: SecretStr | None = None
    lead_webhook_secret: SecretStr | None = None
    lead_webhook_timeout_seconds: PositiveFloat = 10.0

    @field_validator("lead_webhook_url", mode="after")
    @classmethod
    def _webhook_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not re.match(r"^https?://[^/\s]+", value.get_secret_value().strip()):
            raise ValueError("must be an http:// or https:// URL")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("alert_channels", mode="after")
    @classmethod
    def _channel_urls(cls, value: SecretStr | None) -> SecretStr | None:
        # Apprise must know each URL's service: a typo stops start-up, redacted (scheme only).
        if value is None or not value.get_secret_value().strip():
            return None
        try:
            apprise_channels.load_channels(value.get_secret_value(), None)
        except apprise_channels.ChannelConfigError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("alert_channels_config", mode="after")
    @classmethod
    def _channel_config(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        try:
            apprise_channels.load_channels(None, value)
        except apprise_channels.ChannelConfigError as error:
            raise ValueError(str(error).removeprefix("ALERT_CHANNELS_CONFIG: ")) from None
        return value

    # --- duplicates -------------------------------------------------------------------------
    duplicate_window_days: PositiveInt = 30  # a repeat of a post older than this is a new post
    duplicate_similarity: float = Field(0.65, ge=0.3, le=1.0)  # how alike a near-repeat must be
    near_duplicates: bool = True  # false: only exact repeats (after normalisation) are merged
    alert_max_post_age_hours: PositiveInt = 24  # an older post (by posted_at) is never texted

    # --- jobs -------------------------------------------------------------------------------
    jobs_in_serve: bool = True  # `pipelineos serve` also runs a worker and the scheduler
    worker_concurrency: PositiveInt = 4
    job_schedules: Annotated[list[str], NoDecode] = Field(default_factory=list)  # name=cron;...
    job_heartbeat_seconds: PositiveFloat = 10.0
    job_stalled_after_seconds: PositiveFloat = 30.0
    job_polling_seconds: PositiveFloat = 5.0
    job_max_attempts: PositiveInt = 5
    extra_jobs: Annotated[list[str], NoDecode] = Field(default_factory=list)  # module:function
    retention_days: PositiveInt = 90
    job_runs_retention_days: PositiveInt = 30

    # --- sources (pipelineos/sources): feeds and mailboxes polled, webhooks received ---------
    source_default_interval_seconds: PositiveInt = 300  # a new source's interval when not given
    source_min_interval_seconds: PositiveInt = 10  # the shortest interval a source may have
    source_quiet_intervals: PositiveFloat = 24.0  # no new item for this many intervals: quiet
    source_poll_timeout_seconds: PositiveFloat = 60.0  # one poll's whole fetch
    source_max_feed_bytes: PositiveInt = 10_000_000  # a larger feed answer is refused
    source_concurrency: PositiveInt = 4  # sources polled at once by one poll-sources run
    # Reddit's hosts (tests and proxies point them elsewhere): tokens and public listings,
    # and the OAuth API.
    reddit_www_url: str = "https://www.reddit.com"
    reddit_oauth_url: str = "https://oauth.reddit.com"
    apify_api_url: str = "https://api.apify.com"  # Apify's API (tests point it at a fake)

    # --- vendor circuits: trials without traffic (integrations/probe.py) -----------------------
    # A vendor circuit past its reset timeout for this many seconds with nothing calling gets
    # trial calls of its own (looked at this often); 0: only posts and alerts try a circuit.
    circuit_probe_seconds: float = Field(5.0, ge=0)
    # --- several processes on one database (docs/reliability.md) ------------------------------
    # Vendor circuits and rate limits held in PostgreSQL, so every process sharing the database
    # counts failures, opens, takes tokens and obeys an operator's switch as one; false: each
    # process keeps its own (as before).
    cluster_shared_state: bool = True
    # A half-open trial's lease: a process that dies mid-trial holds it no longer than this.
    circuit_trial_lease_seconds: PositiveFloat = 75.0

    # --- validation -------------------------------------------------------------------------
    @field_validator("business_services", "business_areas", "extra_jobs", "trusted_proxies",
                     mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("job_schedules", mode="before")
    @classmethod
    def _schedules(cls, value: Any) -> Any:
        # Cron expressions contain commas, so only ";" and newlines separate items here.
        if isinstance(value, str):
            return [item.strip() for item in re.split(r"[;\n]", value) if item.strip()]
        return value

    @field_validator("job_schedules", mode="after")
    @classmethod
    def _valid_schedules(cls, value: list[str]) -> list[str]:
        import croniter

        for item in value:
            name, _, cron = item.partition("=")
            if not name.strip() or not cron.strip():
                raise ValueError(f"expected name=cron items separated by ';', got {item!r}")
            if cron.strip().lower() != "off" and not croniter.croniter.is_valid(cron.strip()):
                raise ValueError(f"{name.strip()}: not a valid cron expression")
        return value

    @field_validator("trusted_proxies", mode="after")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
        return value

    @field_validator("pipelineos_api_key", mode="after")
    @classmethod
    def _api_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        key = value.get_secret_value().strip()
        problem = _key_problem(key)
        if problem:
            raise ValueError(problem)
        return SecretStr(key)

    @field_validator("pipelineos_api_keys", mode="after")
    @classmethod
    def _api_keys(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        single = info.data.get("pipelineos_api_key")
        taken = {DEFAULT_KEY_NAME: single.get_secret_value()} if single is not None else {}
        named = parse_api_keys(value.get_secret_value(), taken)
        return SecretStr("\n".join(f"{name}:{key}" for name, key in named.items()))

    @field_validator("business_services", mode="after")
    @classmethod
    def _normalise_services(cls, value: list[str]) -> list[str]:
        return [item.strip().lower().replace(" ", "_").replace("-", "_") for item in value]

    @field_validator("database_url", mode="after")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        from psycopg import conninfo

        raw = value.get_secret_value().strip()
        if "://" in raw and not raw.startswith(("postgres://", "postgresql://")):
            raise ValueError("must be a postgresql:// URL")
        try:
            params = conninfo.conninfo_to_dict(raw)
        except Exception:
            # The parser's message may quote the URL (and its password): say only what is wrong.
            raise ValueError("is not a valid PostgreSQL connection URL") from None
        if "://" not in raw and not params:
            raise ValueError("is not a valid PostgreSQL connection URL")
        port = str(params.get("port") or "5432")
        if not all(part.isdigit() and 0 < int(part) < 65536 for part in port.split(",")):
            raise ValueError("has an invalid port")
        return SecretStr(raw)

    @field_validator("anthropic_base_url", mode="after")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        cleaned = value.strip()
        if not re.match(r"^https?://[^\s/]+", cleaned):
            raise ValueError("must be an http:// or https:// URL")
        return cleaned

    @field_validator("twilio_phone_number", "your_phone_number", mode="after")
    @classmethod
    def _e164(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        cleaned = value.strip()
        if not E164.match(cleaned):
            raise ValueError("must be an E.164 phone number such as +12145550123")
        return cleaned

    @field_validator("twilio_account_sid", mode="after")
    @classmethod
    def _sid(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.fullmatch(r"AC[0-9a-fA-F]{32}", value.strip()):
            raise ValueError("must look like AC followed by 32 hex digits")
        return value.strip()

    @field_validator("anthropic_api_key", "twilio_auth_token", mode="after")
    @classmethod
    def _blank_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(value.get_secret_value().strip())

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        problems = _cross_field_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    # --- derived ----------------------------------------------------------------------------
    @property
    def twilio_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def claude_configured(self) -> bool:
        return self.anthropic_api_key is not None

    @property
    def api_keys(self) -> dict[str, SecretStr]:
        """Every accepted API key by name: ``default`` for PIPELINEOS_API_KEY, then
        PIPELINEOS_API_KEYS in the order given; empty when /api is loopback-only."""
        keys: dict[str, SecretStr] = {}
        if self.pipelineos_api_key is not None:
            keys[DEFAULT_KEY_NAME] = self.pipelineos_api_key
        if self.pipelineos_api_keys is not None:
            for line in self.pipelineos_api_keys.get_secret_value().splitlines():
                name, _, key = line.partition(":")
                keys[name] = SecretStr(key)
        return keys

    @property
    def runtime_dir(self) -> Path:
        """PIPELINEOS_RUNTIME_DIR, else ``$XDG_RUNTIME_DIR/pipelineos``, else
        ``~/.local/state/pipelineos``: per user, like the processes it describes."""
        if self.pipelineos_runtime_dir is not None:
            return self.pipelineos_runtime_dir
        xdg = os.environ.get("XDG_RUNTIME_DIR", "").strip()
        return (Path(xdg) if xdg else Path.home() / ".local" / "state") / "pipelineos"

    def explicitly_set(self, name: str) -> bool:
        """True when setting ``name`` came from the environment, `.env` or the caller, not
        from its default."""
        return name in self.model_fields_set

    def secrets(self) -> list[str]:
        """Every secret value, so log output can be scrubbed of them."""
        values = [self.anthropic_api_key, self.twilio_auth_token, *self.api_keys.values(),
                  self.lead_webhook_url, self.lead_webhook_secret]
        found = [v.get_secret_value() for v in values if v is not None]
        found.extend(channel_url_secrets(self.alert_channels, self.alert_channels_config))
        if self.database_url is not None:
            from psycopg import conninfo

            password = conninfo.conninfo_to_dict(self.database_url.get_secret_value()).get(
                "password"
            )
            if password:
                found.append(str(password))
        return [s for s in found if len(s) >= 4]


def _cross_field_problems(values: Any) -> list[str]:
    """Problems that involve more than one setting (read from any object with the fields)."""

    def present(name: str) -> bool:
        value = getattr(values, name, None)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return bool(value and str(value).strip())

    problems: list[str] = []
    sid, token = present("twilio_account_sid"), present("twilio_auth_token")
    if sid and not token:
        problems.append("TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set")
    if token and not sid:
        problems.append("TWILIO_ACCOUNT_SID: required when TWILIO_AUTH_TOKEN is set")
    if sid and token:
        for name in ("twilio_phone_number", "your_phone_number"):
            if not present(name):
                problems.append(f"{name.upper()}: required when Twilio is configured")
    if present("lead_webhook_url") and not present("lead_webhook_secret"):
        problems.append("LEAD_WEBHOOK_SECRET: required when LEAD_WEBHOOK_URL is set "
                        "(receivers check the signature with it)")
    secret = getattr(values, "lead_webhook_secret", None)
    if isinstance(secret, SecretStr) and 0 < len(secret.get_secret_value().strip()) < 16:
        problems.append("LEAD_WEBHOOK_SECRET: must be at least 16 characters")
    pool_min, pool_max = (_integer(values, "db_pool_min"), _integer(values, "db_pool_max"))
    if pool_min is not None and pool_max is not None and pool_min > pool_max:
        problems.append("DB_POOL_MIN: must not exceed DB_POOL_MAX")
    return problems


def _integer(values: Any, name: str) -> int | None:
    """The setting as an integer (its default when unset); None when it is not one (its own
    error says so)."""
    value = getattr(values, name, None)
    if value is None:
        value = Settings.model_fields[name].default
    try:
        return int(str(value).strip())
    except ValueError:
        return None


class _RawCrossField(BaseSettings):
    """The settings that cross-field rules read, without validation, so their problems are
    reported alongside every other (pydantic skips model checks once a field is invalid)."""

    model_config = Settings.model_config
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_phone_number: str | None = None
    your_phone_number: str | None = None
    db_pool_min: str | None = None
    db_pool_max: str | None = None


class ConfigurationError(Exception):
    """The configuration is invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def describe_errors(error: ValidationError) -> list[str]:
    """One line per problem, naming the environment variable and never its value."""
    lines: list[str] = []
    for item in error.errors(include_input=False, include_url=False):
        location = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"])
        message = message.removeprefix("Value error, ")
        if not location:
            lines.extend(message.splitlines())
        else:
            lines.append(f"{location.upper()}: {message}")
    return lines


def load_settings(**overrides: Any) -> Settings:
    """Build settings from the environment (and `.env`), raising :class:`ConfigurationError`."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = describe_errors(error)
        known = {line.split(":", 1)[0] for line in problems}
        env_file = overrides.get("_env_file", Settings.model_config.get("env_file"))
        # _env_file is pydantic-settings' init-only argument, not a field the plugin knows.
        raw = _RawCrossField(_env_file=env_file, **{k: str(v) for k, v in overrides.items()  # type: ignore[call-arg, unused-ignore]
                                                  if k in _RawCrossField.model_fields})
        problems += [p for p in _cross_field_problems(raw) if p.split(":", 1)[0] not in known]
        raise ConfigurationError(problems) from None
