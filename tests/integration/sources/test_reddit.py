"""Reddit sources against a loopback Reddit: public listings and app-only OAuth, paging so a
burst is not skipped, rate-limit headers and 429 honoured, errors clear, secrets hidden."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from tests.conftest import make_settings
from tests.fakes.reddit_server import FakeReddit, serve_reddit

HOT = "Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage"


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


@pytest.fixture
def reddit() -> Iterator[FakeReddit]:
    with serve_reddit() as fake:
        yield fake


@pytest.fixture
async def app(migrated_url: str, tmp_path: Path, reddit: FakeReddit) -> AsyncIterator[Runtime]:
    settings = make_settings(migrated_url, tmp_path, reddit_www_url=reddit.base_url,
                             reddit_oauth_url=reddit.base_url)
    runtime = await Runtime.start(settings)
    try:
        yield runtime
    finally:
        await runtime.stop()


async def test_public_listing(app: Runtime, reddit: FakeReddit, migrated_url: str) -> None:
    """New posts of two subreddits become posts (group r/name, author, permalink) once."""
    reddit.post("Dallas", "t3_a1", HOT, "Water everywhere", author="ann")
    reddit.post("Plano", "t3_b1", "Anyone know a good electrician in Plano?", author="bo")
    reddit.post("Austin", "t3_c1", "Not watched")
    await app.sources.add({"kind": "reddit", "name": "dfw", "subreddits": "Dallas+Plano",
                           "interval_seconds": 60})
    first = await app.sources.poll("dfw")
    assert (first.outcome, first.fetched, first.accepted) == ("polled", 2, 2)
    assert rows(migrated_url, "SELECT source_id, group_name, author, url FROM posts "
                              "ORDER BY source_id") == [
        ("t3_a1", "r/Dallas", "ann", "https://www.reddit.com/r/Dallas/comments/a1/x/"),
        ("t3_b1", "r/Plano", "bo", "https://www.reddit.com/r/Plano/comments/b1/x/")]
    assert rows(migrated_url, "SELECT count(*) FROM leads") >= [(1,)]
    again = await app.sources.poll("dfw")
    assert (again.fetched, again.new) == (2, 0)
    assert reddit.listings[0][0] == "/r/Dallas+Plano/new.json"
    assert reddit.user_agents[0].startswith("python:pipelineos:")


async def test_oauth_and_secret_hidden(app: Runtime, reddit: FakeReddit) -> None:
    """With a client id and secret: one token, bearer listings; a 401 gets a new token; the
    secret shows nowhere."""
    reddit.post("Dallas", "t3_a1", HOT)
    await app.sources.add({"kind": "reddit", "name": "dfw", "subreddits": ["Dallas"],
                           "client_id": "app-id", "client_secret": "app-secret-55"})
    assert (await app.sources.poll("dfw")).accepted == 1
    assert reddit.listings[-1] == ("/r/Dallas/new", "bearer token-1")
    reddit.tokens.clear()  # the token was revoked
    reddit.post("Dallas", "t3_a2", "Need a roofer in Dallas after the hail")
    assert (await app.sources.poll("dfw")).accepted == 1
    assert reddit.tokens_issued == 2
    public = app.sources.public(await app.sources.get("dfw"))
    assert public["credentials"] == ["client_secret"]
    assert "app-secret-55" not in repr(public)


async def test_wrong_credentials(app: Runtime, reddit: FakeReddit) -> None:
    """A refused client id and secret is a clear failed poll."""
    await app.sources.add({"kind": "reddit", "name": "dfw", "subreddits": "Dallas",
                           "client_id": "app-id", "client_secret": "wrong"})
    result = await app.sources.poll("dfw")
    assert result.error == "Reddit refused the client id and secret"


async def test_burst_is_paged_not_skipped(app: Runtime, reddit: FakeReddit,
                                          migrated_url: str) -> None:
    """250 posts between two polls: the next poll pages back to what it took before."""
    now = time.time()
    reddit.post("Dallas", "t3_first", HOT, created=now - 1000)
    await app.sources.add({"kind": "reddit", "name": "dfw", "subreddits": "Dallas"})
    await app.sources.poll("dfw")
    for i in range(250):
        reddit.post("Dallas", f"t3_n{i}", f"Need a handyman in Dallas for job number {i}",
                    author=f"user{i}", created=now - 900 + i)
    result = await app.sources.poll("dfw")
    assert result.new == 250
    assert rows(migrated_url, "SELECT count(*) FROM source_items") == [(251,)]


async def test_rate_limits_and_errors(app: Runtime, reddit: FakeReddit) -> None:
    """5xx and 403 are clear failures; a 429 waits its Retry-After; no request is made while
    X-Ratelimit-Remaining says nothing is left."""
    reddit.post("Dallas", "t3_a1", HOT)
    await app.sources.add({"kind": "reddit", "name": "dfw", "subreddits": "Dallas"})
    await app.sources.add({"kind": "reddit", "name": "priv", "subreddits": "private"})
    reddit.fail_next = [503]
    assert (await app.sources.poll("dfw")).error == "Reddit answered HTTP 503"
    assert "not found, private or banned" in ((await app.sources.poll("priv")).error or "")
    reddit.fail_next = [429]
    assert (await app.sources.poll("dfw")).error == "Reddit's rate limit (429); next try in 7 s"
    asked = len(reddit.listings)
    assert "waiting for Reddit's rate limit window" in ((await app.sources.poll("dfw")).error
                                                        or "")
    assert len(reddit.listings) == asked  # nothing sent while waiting


async def test_no_request_when_the_window_is_spent(app: Runtime, reddit: FakeReddit) -> None:
    """An answer saying no requests remain (X-Ratelimit-Remaining: 0) holds the next poll
    until X-Ratelimit-Reset has passed, without asking Reddit."""
    reddit.post("Dallas", "t3_a1", HOT)
    reddit.remaining, reddit.reset = 0, 30
    await app.sources.add({"kind": "reddit", "name": "dfw", "subreddits": "Dallas"})
    assert (await app.sources.poll("dfw")).accepted == 1
    asked = len(reddit.listings)
    held = await app.sources.poll("dfw")
    assert held.outcome == "failed" and "rate limit window (30 s)" in (held.error or "")
    assert len(reddit.listings) == asked
