"""Source protocols stay in their adapters; feeds and notification e-mails read as a user
expects; a source's credentials never show in its repr or its public view."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

import pipelineos
from pipelineos.errors import InvalidInput
from pipelineos.integrations.imap import read_message
from pipelineos.integrations.rss.feed import parse
from pipelineos.integrations.sources import SourceFetchError
from pipelineos.sources.model import Secrets, Source, new_source

SRC = Path(pipelineos.__file__).parent


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize(("module", "home"), [("feedparser", "rss"), ("imaplib", "imap"),
                                             ("apify_client", "apify")])
def test_protocol_libraries_stay_in_their_adapter(module: str, home: str) -> None:
    """feedparser is imported only in integrations/rss, imaplib only in integrations/imap,
    apify_client only in integrations/apify."""
    adapter = SRC / "integrations" / home
    offenders = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                 if adapter not in p.parents and module in _imports(p)]
    assert offenders == []
    assert any(module in _imports(p) for p in adapter.glob("*.py"))


def test_rss_item_text_key_and_link() -> None:
    """Title and description without markup; guid as key; a guid that is not a URL is no
    link."""
    title, entries = parse(
        b'<rss version="2.0"><channel><title>Dallas &amp; Co</title><item>'
        b"<title>Need a plumber</title><description>&lt;p&gt;Leak in &lt;b&gt;Dallas"
        b"&lt;/b&gt;&lt;/p&gt;</description><guid>abc-1</guid>"
        b"<pubDate>Mon, 30 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>")
    assert title == "Dallas & Co"
    entry = entries[0]
    assert (entry.key, entry.text, entry.url) == ("abc-1", "Need a plumber\n\nLeak in Dallas",
                                                  None)
    assert entry.posted_at == datetime(2026, 11, 30, 10, tzinfo=UTC)


def test_not_a_feed() -> None:
    """An HTML page is not a feed: a clear error, not an empty success."""
    with pytest.raises(SourceFetchError, match="no RSS or Atom feed"):
        parse(b"<!doctype html><html><body>Log in to continue</body></html>")


def test_notification_email() -> None:
    """Author and group from the subject, the first link, the Date header; Message-ID keys."""
    raw = (b"From: Facebook <n@facebookmail.com>\r\nSubject: Jane Doe posted in Dallas Homeowners"
           b"\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <x1@fb>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
           b"Anyone know a good roofer in Dallas?\r\nhttps://facebook.com/groups/1/posts/2\r\n")
    entry = read_message(raw, "uid:1:1")
    assert (entry.group_name, entry.author, entry.url, entry.key) == (
        "Dallas Homeowners", "Jane Doe", "https://facebook.com/groups/1/posts/2", "msgid:<x1@fb>")
    assert entry.text.startswith("Anyone know a good roofer in Dallas?")


def test_secrets_hidden() -> None:
    """A source's repr and public view name its credentials, never their values."""
    new = new_source({"kind": "imap", "name": "m", "host": "h", "username": "u",
                      "password": "s3cr3t-value"}, default_interval=300, min_interval=10)
    assert "s3cr3t-value" not in repr(new.config) and new.secrets == {"password": "s3cr3t-value"}
    now = datetime.now(UTC)
    source = Source(id=1, name="m", kind="imap", config=new.config,
                    secrets=Secrets(new.secrets), enabled=True, interval_seconds=300, cursor={},
                    next_poll_at=now, created_at=now)
    assert "s3cr3t-value" not in repr(source)
    assert "s3cr3t-value" not in repr(source.public(now, 24))
    assert source.secrets.scrub("login s3cr3t-value refused") == "login *** refused"


@pytest.mark.parametrize(("body", "message"), [
    ({"kind": "rss", "name": "a", "url": "http://x", "interval_seconds": True},
     "interval_seconds"),
    ({"kind": "rss", "name": "a" * 41, "url": "http://x"}, "name: 1 to 40"),
    ({"kind": "imap", "name": "a", "host": "h", "username": "u", "password": "p",
      "port": 70000}, "port:"),
    ({"kind": "rss", "name": "a", "url": "http://x y"}, "url: must be an http"),
])
def test_bad_fields_named(body: dict[str, object], message: str) -> None:
    """Each bad field is named in the error."""
    with pytest.raises(InvalidInput, match=message):
        new_source(body, default_interval=300, min_interval=10)
