"""A source as stored, and the fields each kind takes (checked before anything is stored).

Secrets (an IMAP password, a token) are held in :class:`Secrets`, whose ``repr`` and ``str``
show only the names: a source printed, logged or returned never shows one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipelineos.errors import InvalidInput
from pipelineos.inputs import TextRule

KINDS = ("rss", "reddit", "imap", "apify", "webhook")
# Kinds this release can run; the others are named by the API but refused with a clear 422.
AVAILABLE = KINDS
# Kinds whose items are pushed to a secret URL (the token is made at creation).
PUSHED = ("webhook", "apify")
POLLED = ("rss", "reddit", "imap")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
NAME_OR_ID = re.compile(r"[A-Za-z0-9]{1,64}")  # an Apify dataset or run id


class Secrets:
    """A source's credentials: the values for the adapter, the names for everyone else."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def names(self) -> list[str]:
        return sorted(self._values)

    def values(self) -> list[str]:
        return [v for v in self._values.values() if v]

    def scrub(self, text: str) -> str:
        """``text`` with every secret value replaced (for an error echoed by a server)."""
        for value in self.values():
            text = text.replace(value, "***")
        return text

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)

    def __repr__(self) -> str:
        return f"Secrets({self.names()})"

    __str__ = __repr__


@dataclass(frozen=True)
class Source:
    id: int
    name: str
    kind: str
    config: Mapping[str, Any]
    secrets: Secrets
    enabled: bool
    interval_seconds: int
    cursor: Mapping[str, Any]
    next_poll_at: datetime
    created_at: datetime
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_item_at: datetime | None = None
    last_error: str | None = None
    failing_since: datetime | None = None
    items_total: int = 0
    items_rejected: int = 0
    quiet_alerted_at: datetime | None = None
    token_hash: str | None = field(default=None, repr=False)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Source:
        values = {k: v for k, v in row.items() if k in cls.__dataclass_fields__}
        values["secrets"] = Secrets(row.get("secrets") or {})
        return cls(**values)

    @property
    def post_source(self) -> str:
        """The ``source`` of its posts (``rss:dallas-craigslist``): a post's source id is
        unique within it."""
        return f"{self.kind}:{self.name}"

    def state(self, now: datetime, quiet_intervals: float) -> str:
        """``disabled``, ``failing`` (the last poll failed), ``quiet`` (no new item for
        ``quiet_intervals`` intervals, or failing for five), ``new`` (never polled or
        called) or ``ok``."""
        if not self.enabled:
            return "disabled"
        interval = timedelta(seconds=self.interval_seconds)
        if self.failing_since is not None and self.failing_since < now - 5 * interval:
            return "quiet"
        if self.failing_since is not None:
            return "failing"
        if (self.last_item_at or self.created_at) < now - quiet_intervals * interval:
            return "quiet"
        if self.last_success_at is None and self.last_item_at is None:
            return "new"
        return "ok"

    def public(self, now: datetime, quiet_intervals: float) -> dict[str, Any]:
        """What the API and the CLI show: never a secret's value."""
        return {
            "name": self.name, "kind": self.kind, "enabled": self.enabled,
            "interval_seconds": self.interval_seconds, "config": dict(self.config),
            "credentials": self.secrets.names(),
            "state": self.state(now, quiet_intervals),
            "last_polled_at": self.last_polled_at, "last_success_at": self.last_success_at,
            "last_item_at": self.last_item_at, "last_error": self.last_error,
            "items_total": self.items_total, "items_rejected": self.items_rejected,
            "created_at": self.created_at,
        }


# --- what each kind takes ---------------------------------------------------------------------

Line = TextRule  # one-line text: no NUL, control characters or lone surrogates


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    group_name: Annotated[str, Line(200)] | None = None


class RssFields(_Fields):
    url: Annotated[str, Line(2000)]

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
            raise ValueError("must be an http:// or https:// URL")
        return value


class ImapFields(_Fields):
    host: Annotated[str, Line(255)]
    port: int = Field(993, ge=1, le=65535)
    username: Annotated[str, Line(320)]
    password: Annotated[str, TextRule(1000, one_line=False)]
    folder: Annotated[str, Line(200)] = "INBOX"
    tls: bool = True
    # What happens to a message once its post is stored: marked \Seen (default) or moved
    # nowhere; the cursor (UIDVALIDITY, last UID) is what keeps it from being taken twice.
    mark_seen: bool = True


SUBREDDIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,20}")


class RedditFields(_Fields):
    # Names without "r/"; a list, or one string with "+" or "," between names.
    subreddits: list[Annotated[str, Line(30)]] | Annotated[str, Line(700)]
    client_id: Annotated[str, Line(100)] | None = None
    client_secret: Annotated[str, Line(200)] | None = None

    @field_validator("subreddits")
    @classmethod
    def _names(cls, value: list[str] | str) -> list[str]:
        names = ([n.strip().removeprefix("r/") for n in re.split(r"[+,\s]+", value)]
                 if isinstance(value, str) else [n.removeprefix("r/") for n in value])
        names = [n for n in names if n]
        if not names or len(names) > 20:
            raise ValueError("1 to 20 subreddit names")
        bad = [n for n in names if not SUBREDDIT.fullmatch(n)]
        if bad:
            raise ValueError(f"not a subreddit name: {bad[0][:30]!r}")
        return names

    def model_post_init(self, context: Any) -> None:
        if (self.client_id is None) != (self.client_secret is None):
            raise ValueError("client_id and client_secret go together")


class WebhookFields(_Fields):
    pass


class ApifyFields(_Fields):
    token: Annotated[str, Line(200)]  # the Apify API token that reads the run's dataset


FIELDS: dict[str, type[_Fields]] = {"rss": RssFields, "reddit": RedditFields,
                                    "imap": ImapFields, "webhook": WebhookFields, "apify": ApifyFields}
SECRET_FIELDS = frozenset({"password", "token", "client_secret", "secret"})


@dataclass(frozen=True)
class NewSource:
    name: str
    kind: str
    interval_seconds: int
    config: dict[str, Any]
    secrets: dict[str, str]
    enabled: bool = True


def check_name(name: object) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise InvalidInput("name: 1 to 40 characters of a-z, 0-9, '-' and '_', starting with a "
                           "letter or digit")
    return name


def check_interval(value: object, *, minimum: int, maximum: int = 86_400) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InvalidInput(f"interval_seconds: a whole number from {minimum} to {maximum}")
    return value


def new_source(body: Mapping[str, Any], *, default_interval: int,
               min_interval: int) -> NewSource:
    """A source to add, from the API's (or the CLI's) fields; :class:`InvalidInput` names
    the first field that is wrong and why (never echoing a secret)."""
    kind = body.get("kind")
    if kind not in KINDS:
        raise InvalidInput(f"kind: one of {', '.join(KINDS)}")
    assert isinstance(kind, str)
    if kind not in AVAILABLE:
        raise InvalidInput(f"kind: {kind!r} sources are not available in this release; "
                           f"available: {', '.join(AVAILABLE)}")
    name = check_name(body.get("name"))
    interval = check_interval(body.get("interval_seconds", default_interval),
                              minimum=min_interval)
    enabled = body.get("enabled", True)
    if not isinstance(enabled, bool):
        raise InvalidInput("enabled: true or false")
    fields = {k: v for k, v in body.items()
              if k not in ("kind", "name", "interval_seconds", "enabled")}
    try:
        checked = FIELDS[kind].model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        kind_of = first.get("type")
        message = ("not a field of this kind" if kind_of == "extra_forbidden"
                   else "required" if kind_of == "missing"
                   else str(first.get("msg")).removeprefix("Value error, "))
        raise InvalidInput(f"{where}: {message}") from None
    values = checked.model_dump(exclude_none=True)
    secrets = {k: str(v) for k, v in values.items() if k in SECRET_FIELDS}
    config = {k: v for k, v in values.items() if k not in SECRET_FIELDS}
    return NewSource(name, kind, interval, config, secrets, enabled)


Change = Literal["enable", "disable"]
