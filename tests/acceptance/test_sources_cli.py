"""`pipelineos sources add|list|test|poll|remove`, run as a user runs them (subprocesses), on a
migrated database and a loopback feed server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.acceptance.test_cli_commands import ok, pipelineos
from tests.fakes.feed_server import FeedItem, FeedServer

pytestmark = pytest.mark.slow

SECRET = "imap-Pass-word-4471"


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


def test_sources_commands(migrated_url: str, tmp_path: Path, feeds: FeedServer) -> None:
    """A feed added, tried (nothing stored), polled (posts stored), listed, removed; mistakes
    exit 2 or 1 with the reason; a password read from stdin is never printed."""
    feeds.items["d"] = [
        FeedItem("1", "Need a plumber in Dallas ASAP", "water heater leaking in the garage"),
        FeedItem("2", "Lost cat near White Rock Lake", "orange tabby")]
    env = {"DATABASE_URL": migrated_url}

    def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return pipelineos("sources", *args, cwd=tmp_path, stdin=stdin, **env)

    added = ok(run("add", "rss", "--name", "dallas", "--url", feeds.url("d"), "--interval", "60",
                   "--group", "Dallas Craigslist"))
    assert "Added rss source dallas (every 60 s)" in added
    again = run("add", "rss", "--name", "dallas", "--url", feeds.url("d"))
    assert again.returncode == 2 and "already exists" in again.stderr
    bad = run("add", "gopher", "--name", "x")
    assert bad.returncode == 2 and "kind: one of" in bad.stderr
    short = run("add", "rss", "--name", "fast", "--url", feeds.url("d"), "--interval", "1")
    assert short.returncode == 2 and "interval_seconds" in short.stderr

    tried = ok(run("test", "dallas"))
    assert "2 items, 2 would be taken (nothing stored)" in tried and "Need a plumber" in tried
    with psycopg.connect(migrated_url) as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (0,)

    assert "2 fetched, 2 new, 2 taken" in ok(run("poll", "dallas"))
    assert "not modified" in ok(run("poll", "dallas"))
    with psycopg.connect(migrated_url) as conn:
        assert conn.execute("SELECT group_name FROM posts ORDER BY id").fetchall() == [
            ("Dallas Craigslist",), ("Dallas Craigslist",)]

    ok(run("add", "imap", "--name", "mail", "--host", "127.0.0.1", "--port", "9",
           "--username", "leads", "--password-stdin", "--no-tls", stdin=SECRET + "\n"))
    assert "Added reddit source dfw-reddit" in ok(run(
        "add", "reddit", "--name", "dfw-reddit", "--subreddits", "Dallas+Plano",
        "--client-id", "abc", "--client-secret-stdin", stdin="reddit-" + SECRET + "\n"))
    odd = run("add", "reddit", "--name", "odd", "--subreddits", "not a sub!")
    assert odd.returncode == 2 and "subreddits: not a subreddit name" in odd.stderr
    hook = ok(run("add", "webhook", "--name", "zap"))
    assert "/api/webhooks/sources/zap/" in hook
    failed = run("poll", "mail")
    assert failed.returncode == 1 and "cannot reach 127.0.0.1:9" in failed.stderr
    assert SECRET not in failed.stdout + failed.stderr

    listed = ok(run("list"))
    for expected in ("dallas", "mail", "zap", "dfw-reddit", "ok", "failing", "new"):
        assert expected in listed
    assert SECRET not in listed and hook.rsplit("/", 1)[1].strip() not in listed

    webhook_poll = run("poll", "zap")
    assert webhook_poll.returncode == 2 and "not polled" in webhook_poll.stderr
    missing = run("poll", "nope")
    assert missing.returncode == 1 and "no source named 'nope'" in missing.stderr
    assert "Removed source dallas." in ok(run("remove", "dallas"))
    assert run("remove", "dallas").returncode == 1
