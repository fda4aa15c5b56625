"""Reading subreddits' new posts.

- Without credentials: ``GET {www}/r/a+b/new.json?limit=100&raw_json=1``. With a client id and
  secret (a "script" or "web" app): an app-only token from ``POST {www}/api/v1/access_token``
  (``grant_type=client_credentials``, HTTP Basic), kept until a minute before it expires, and
  ``GET {oauth}/r/a+b/new?limit=100&raw_json=1`` with ``Authorization: bearer``. A 401 drops
  the token and asks once more.
- A descriptive ``User-Agent`` on every request, as Reddit's API rules ask.
- Rate limits: ``X-Ratelimit-Remaining`` and ``X-Ratelimit-Reset`` are read from every answer;
  with nothing remaining, no request is made until the window resets (the poll fails saying
  when), and a 429 does the same with ``Retry-After``.
- Pages: newest first; the next page (``after``) is read while the whole page is newer than
  the newest post taken before (at most ``max_pages``), so a burst between polls is not
  skipped. Posts are keyed by their fullname (``t3_...``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from pipelineos.integrations.sources import Entry, Fetched, SourceFetchError


@dataclass(frozen=True)
class RedditEndpoints:
    www: str = "https://www.reddit.com"
    oauth: str = "https://oauth.reddit.com"


class RedditClient:
    def __init__(self, endpoints: RedditEndpoints, *, user_agent: str, timeout: float = 30.0,
                 max_pages: int = 5) -> None:
        self.endpoints = endpoints
        self.max_pages = max_pages
        self._client = httpx.AsyncClient(timeout=timeout, headers={"User-Agent": user_agent})
        # client id -> (token, monotonic expiry)
        self._tokens: dict[str, tuple[str, float]] = {}
        self._wait_until = 0.0  # monotonic: no request before this (rate limit)

    async def aclose(self) -> None:
        await self._client.aclose()

    def _note_limits(self, response: httpx.Response) -> None:
        remaining = response.headers.get("x-ratelimit-remaining")
        reset = response.headers.get("x-ratelimit-reset")
        try:
            if remaining is not None and reset is not None and float(remaining) < 1:
                self._wait_until = time.monotonic() + float(reset)
        except ValueError:
            pass

    async def _token(self, client_id: str, secret: str) -> str:
        held = self._tokens.get(client_id)
        if held is not None and held[1] > time.monotonic():
            return held[0]
        response = await self._request(
            "POST", f"{self.endpoints.www}/api/v1/access_token",
            data={"grant_type": "client_credentials"}, auth=(client_id, secret))
        if response.status_code in (400, 401, 403):
            raise SourceFetchError("Reddit refused the client id and secret")
        if response.status_code != 200:
            raise SourceFetchError(f"Reddit's token endpoint answered HTTP "
                                   f"{response.status_code}")
        try:
            body = response.json()
            token = str(body["access_token"])
            expires = float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise SourceFetchError("Reddit's token endpoint answered without a token") from None
        self._tokens[client_id] = (token, time.monotonic() + max(0.0, expires - 60))
        return token

    async def _request(self, method: str, url: str, **options: Any) -> httpx.Response:
        wait = self._wait_until - time.monotonic()
        if wait > 0:
            raise SourceFetchError(f"waiting for Reddit's rate limit window ({wait:.0f} s)")
        try:
            response = await self._client.request(method, url, **options)
        except httpx.TimeoutException:
            raise SourceFetchError("Reddit did not answer in time") from None
        except httpx.HTTPError as error:
            raise SourceFetchError(f"Reddit cannot be reached ({type(error).__name__})") \
                from None
        self._note_limits(response)
        if response.status_code == 429:
            try:
                retry = float(response.headers.get("retry-after", "60"))
            except ValueError:
                retry = 60.0
            self._wait_until = max(self._wait_until, time.monotonic() + retry)
            raise SourceFetchError(f"Reddit's rate limit (429); next try in {retry:.0f} s")
        return response

    async def _page(self, subreddits: str, after: str | None, credentials: tuple[str, str] |
                    None) -> Mapping[str, Any]:
        params = {"limit": "100", "raw_json": "1", **({"after": after} if after else {})}
        for attempt in (1, 2):
            if credentials is None:
                url, headers = f"{self.endpoints.www}/r/{subreddits}/new.json", {}
            else:
                token = await self._token(*credentials)
                url = f"{self.endpoints.oauth}/r/{subreddits}/new"
                headers = {"Authorization": f"bearer {token}"}
            response = await self._request("GET", url, params=params, headers=headers)
            if response.status_code == 401 and credentials is not None and attempt == 1:
                self._tokens.pop(credentials[0], None)
                continue
            if response.status_code in (403, 404):
                raise SourceFetchError(f"r/{subreddits}: not found, private or banned "
                                       f"(HTTP {response.status_code})")
            if response.status_code != 200:
                raise SourceFetchError(f"Reddit answered HTTP {response.status_code}")
            try:
                body = response.json()
                data = body["data"]
                assert isinstance(data, dict) and isinstance(data.get("children"), list)
                return data
            except (ValueError, KeyError, TypeError, AssertionError):
                raise SourceFetchError("Reddit answered with something that is not a "
                                       "listing") from None
        raise SourceFetchError("Reddit refused the token")

    async def new_posts(self, subreddits: Sequence[str], cursor: Mapping[str, Any], *,
                        credentials: tuple[str, str] | None = None) -> Fetched:
        joined = "+".join(subreddits)
        newest_before = float(cursor.get("newest", 0) or 0)
        entries: list[Entry] = []
        newest = newest_before
        after: str | None = None
        for _ in range(self.max_pages):
            data = await self._page(joined, after, credentials)
            page: list[Mapping[str, Any]] = []
            for child in data["children"]:
                if isinstance(child, Mapping) and isinstance(child.get("data"), Mapping):
                    page.append(child["data"])
            older = False
            for post in page:
                created = _number(post.get("created_utc"))
                older = older or created <= newest_before
                newest = max(newest, created)
                entries.append(_entry(post))
            after = data.get("after") if isinstance(data.get("after"), str) else None
            if older or not after or not newest_before:
                break  # reached what was taken before (a first poll reads one page)
        return Fetched(entries, {"newest": newest})


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _entry(post: Mapping[str, Any]) -> Entry:
    name = post.get("name")
    key = name if isinstance(name, str) and name else f"t3_{post.get('id')}"
    title = str(post.get("title") or "").strip()
    body = str(post.get("selftext") or "").strip()
    text = f"{title}\n\n{body}" if title and body else (title or body)
    subreddit = post.get("subreddit")
    permalink = post.get("permalink")
    created = _number(post.get("created_utc"))
    author = post.get("author")
    return Entry(
        key=key, text=text,
        group_name=f"r/{subreddit}" if isinstance(subreddit, str) and subreddit else None,
        url=f"https://www.reddit.com{permalink}" if isinstance(permalink, str)
        and permalink.startswith("/") else None,
        author=author if isinstance(author, str) and author not in ("", "[deleted]") else None,
        posted_at=datetime.fromtimestamp(created, UTC) if created else None,
        problem=None if text else "the post has no title or text")
