"""Reading posts for bulk intake: a JSON array or NDJSON of items, in our shape or a scraper's.

Accepted keys (the first present wins):

| field | keys |
| --- | --- |
| text | `text`, `post_text`, `message`, `content`, `body` |
| group | `group_name`, `group`, `groupTitle`, `groupName`, `group_title` (or `group.name`) |
| source | `source` (default: the caller's) |
| source id | `source_id`, `postId`, `post_id`, `id`, `legacyId` |
| url | `url`, `postUrl`, `post_url`, `link`, `permalink` |
| author | `author`, `authorName`, `userName`, `user.name` |
| posted at | `posted_at`, `time`, `date`, `timestamp`, `createdAt`, `created_time` (ISO 8601, or epoch seconds/milliseconds) |

These cover the item shapes of common Facebook-group scrapers (`text`, `url`, `groupTitle`,
`time`, `user.name`, `postId`). An item that cannot be read becomes a :class:`Rejected` with
the reason; the others are read regardless.

Bodies are read with the one JSON reader (``pipelineos.inputs``: depth and number limits) and
every field with the text rule of the same field of ``POST /api/leads/analyze``
(``ingest/schemas.py``). An NDJSON line the reader refuses, not UTF-8 included, is that line's
:class:`Rejected`; a JSON array it refuses is an :class:`UnreadableBody` naming the line.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipelineos.errors import InvalidInput
from pipelineos.ingest import schemas
from pipelineos.ingest.posts import NewPost
from pipelineos.inputs import InvalidJson, TextRule, read_json

TEXT_KEYS = ("text", "post_text", "message", "content", "body")
GROUP_KEYS = ("group_name", "group", "groupTitle", "groupName", "group_title")
ID_KEYS = ("source_id", "postId", "post_id", "id", "legacyId")
URL_KEYS = ("url", "postUrl", "post_url", "link", "permalink")
AUTHOR_KEYS = ("author", "authorName", "userName")
TIME_KEYS = ("posted_at", "time", "date", "timestamp", "createdAt", "created_time")


@dataclass(frozen=True)
class Rejected:
    """An item that could not be read as a post, and why."""

    reason: str


class UnreadableBody(ValueError):
    """The body is neither a JSON array of items nor NDJSON."""


def split_items(body: bytes, *, ndjson: bool | None = None) -> list[Any]:
    """The items of a JSON array or NDJSON body; an unreadable NDJSON line becomes a
    :class:`Rejected`. Raises :class:`UnreadableBody` for anything else."""
    if ndjson is False or (ndjson is None and
                           body.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"[")):
        try:
            data = read_json(body)
        except InvalidJson as error:
            raise UnreadableBody(str(error)) from None
        if not isinstance(data, list):
            raise UnreadableBody("expected a JSON array of posts, or NDJSON")
        return data
    items: list[Any] = []
    # Lines end at "\n" only: JSON strings may hold U+2028 and other line breaks verbatim.
    for number, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            items.append(read_json(line, first_line=number))
        except InvalidJson as error:
            items.append(Rejected(f"line {number}: {error.problem}"))
    if not items:
        raise UnreadableBody("no posts in the body")
    return items


def _first(item: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = item.get(key)
        if value not in (None, ""):
            return value
    return None


def _string(value: Any, name: str, rule: TextRule, *, numbers_ok: bool = False) -> str | None:
    if value is None:
        return None
    allowed = (str, int) if numbers_ok else (str,)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise ValueError(f"{name} must be a string")
    text = str(value)
    return rule.clean(text, name) if text.strip() else None


def _time(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("posted_at must be a date-time or epoch seconds")
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value  # milliseconds from JS scrapers
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError("posted_at is out of range") from None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("posted_at must be an ISO 8601 date-time") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError("posted_at must be a date-time or epoch seconds")


def read_item(item: Any, *, default_group: str | None = None,
              default_source: str = "api") -> NewPost | Rejected:
    """One item as a post, or the reason it cannot be one."""
    if isinstance(item, Rejected):
        return item
    if not isinstance(item, Mapping):
        return Rejected("an item must be a JSON object")
    try:
        text = _string(_first(item, TEXT_KEYS), "text", schemas.POST_TEXT)
        if text is None:
            return Rejected("no post text (text, post_text, message, content or body)")
        group_value = _first(item, GROUP_KEYS)
        if isinstance(group_value, Mapping):
            group_value = group_value.get("name") or group_value.get("title")
        group = _string(group_value, "group", schemas.GROUP_NAME) or default_group
        if group is None:
            return Rejected("no group (group_name, groupTitle or group)")
        user = item.get("user")
        author_value = _first(item, AUTHOR_KEYS)
        if author_value is None and isinstance(user, Mapping):
            author_value = user.get("name")
        return NewPost(
            text=text,
            group_name=group,
            source=_string(item.get("source"), "source", schemas.SOURCE) or default_source,
            source_id=_string(_first(item, ID_KEYS), "source_id", schemas.SOURCE_ID,
                              numbers_ok=True),
            url=_string(_first(item, URL_KEYS), "url", schemas.URL),
            author=_string(author_value, "author", schemas.AUTHOR),
            posted_at=_time(_first(item, TIME_KEYS)),
        )
    except (ValueError, InvalidInput) as error:
        return Rejected(str(error))
