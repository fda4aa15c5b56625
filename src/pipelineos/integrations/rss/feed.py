"""Reading a feed: one conditional GET, then feedparser on the bytes.

- The request carries ``If-None-Match`` / ``If-Modified-Since`` from the previous answer's
  ``ETag`` / ``Last-Modified``; a 304 is "nothing new" and costs no parsing.
- The body is read up to ``max_bytes`` and refused beyond it (a huge or endless answer never
  fills memory); redirects are followed (at most 5).
- feedparser reads RSS 0.9x/1.0/2.0 and Atom; it is lenient with broken XML (its ``bozo``
  flag). A body it finds no feed in (an HTML page, garbage) is a :class:`SourceFetchError`;
  a feed with some broken entries gives the entries it could read.
- An entry is keyed by its ``id``/``guid``, else its link, else a hash of its title and text,
  so an edited item keeps its key. Its text is the title and the summary (or content) with
  markup removed.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser  # type: ignore[import-untyped]  # ships no type information
import httpx

from pipelineos.integrations.sources import Entry, Fetched, SourceFetchError

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")
MAX_KEY = 300


def _plain(markup: str) -> str:
    text = _TAG.sub(" ", markup.replace("<br>", "\n").replace("<br/>", "\n")
                    .replace("<br />", "\n").replace("</p>", "\n\n"))
    text = html.unescape(text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _LINES.sub("\n\n", "\n".join(lines)).strip()


def _time(entry: Mapping[str, Any]) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _key(entry: Mapping[str, Any], title: str, body: str) -> str:
    for name in ("id", "guid", "link"):
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            key = value.strip()
            return key if len(key) <= MAX_KEY else "sha256:" + hashlib.sha256(
                key.encode()).hexdigest()
    return "sha256:" + hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def _entry(entry: Mapping[str, Any], feed_title: str | None) -> Entry:
    title = _plain(str(entry.get("title") or ""))
    content = entry.get("content")
    raw = ""
    if isinstance(content, list) and content and isinstance(content[0], Mapping):
        raw = str(content[0].get("value") or "")
    raw = raw or str(entry.get("summary") or entry.get("description") or "")
    body = _plain(raw)
    text = title if not body or body == title else (f"{title}\n\n{body}" if title else body)
    link = entry.get("link")
    author = entry.get("author")
    return Entry(
        key=_key(entry, title, body),
        text=text,
        group_name=feed_title,
        url=link if isinstance(link, str) and link.startswith(("http://", "https://")) else None,
        author=author if isinstance(author, str) and author else None,
        posted_at=_time(entry),
        problem=None if text else "the entry has no title or text",
    )


def parse(body: bytes, *, content_type: str | None = None) -> tuple[str | None, list[Entry]]:
    """The feed's title and its entries; raises :class:`SourceFetchError` when ``body`` holds
    no feed."""
    headers = {"content-type": content_type} if content_type else None
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=False)
    except Exception as error:  # feedparser is lenient; anything it raises is a broken feed
        raise SourceFetchError(f"unreadable feed ({type(error).__name__})") from None
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f": {type(problem).__name__}" if problem is not None else ""
        raise SourceFetchError(f"no RSS or Atom feed in the answer{why}")
    feed = parsed.get("feed") or {}
    title = _plain(str(feed.get("title") or "")) or None
    return title, [_entry(e, title) for e in parsed.entries]


class FeedReader:
    """Fetches feeds over one shared HTTP client."""

    def __init__(self, *, timeout: float = 30.0, max_bytes: int = 10_000_000,
                 user_agent: str = "PipelineOS feed reader") -> None:
        self.max_bytes = max_bytes
        self._client = httpx.AsyncClient(
            timeout=timeout, follow_redirects=True, max_redirects=5,
            headers={"User-Agent": user_agent,
                     "Accept": "application/rss+xml, application/atom+xml, "
                               "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"})

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, cursor: Mapping[str, Any], *,
                    conditional: bool = True) -> Fetched:
        """The feed's entries and the cursor (ETag, Last-Modified) to keep for the next GET."""
        headers: dict[str, str] = {}
        if conditional:
            if isinstance(cursor.get("etag"), str):
                headers["If-None-Match"] = cursor["etag"]
            if isinstance(cursor.get("last_modified"), str):
                headers["If-Modified-Since"] = cursor["last_modified"]
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched([], dict(cursor), not_modified=True)
                if response.status_code >= 400:
                    raise SourceFetchError(f"the feed answered HTTP {response.status_code}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise SourceFetchError(
                            f"the feed is larger than {self.max_bytes} bytes")
                content_type = response.headers.get("content-type")
                kept = {"etag": response.headers.get("etag"),
                        "last_modified": response.headers.get("last-modified")}
        except httpx.TimeoutException:
            raise SourceFetchError("the feed did not answer in time") from None
        except httpx.HTTPError as error:
            raise SourceFetchError(f"the feed cannot be reached ({type(error).__name__})") from None
        _, entries = parse(bytes(body), content_type=content_type)
        return Fetched(entries, {k: v for k, v in kept.items() if v})
