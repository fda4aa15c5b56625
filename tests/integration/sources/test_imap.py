"""IMAP sources against a real Debian dovecot-imapd on a loopback port: notification e-mails
become posts (group, author, link from the message), processed mail is marked seen, nothing
is taken twice across restarts, a wrong password is a clear failure that never shows it."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from tests.conftest import make_settings
from tests.fakes import dovecot

pytestmark = pytest.mark.skipif(not dovecot.available(), reason="dovecot-imapd not installed "
                                "(.ci/run installs it)")

PASSWORD = "mailbox-Pass-9931"


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def notification(subject: str, body: str, *, msgid: str, html: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = "Facebook <notification@facebookmail.com>"
    message["To"] = "leads@example.test"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<{msgid}@example.test>"
    if html:
        message.set_content("see the HTML part")
        message.add_alternative(body, subtype="html")
        message.get_body(("plain",)).set_content("")  # type: ignore[union-attr]
    else:
        message.set_content(body)
    return bytes(message)


@pytest.fixture
def imap() -> Iterator[dovecot.Dovecot]:
    with dovecot.Dovecot({"leads": PASSWORD}) as server:
        yield server


def _source(imap: dovecot.Dovecot, **extra: Any) -> dict[str, Any]:
    return {"kind": "imap", "name": "mail", "host": "127.0.0.1", "port": imap.port,
            "username": "leads", "password": PASSWORD, "tls": False, **extra}


async def test_notification_mail_becomes_a_lead(runtime: Runtime, imap: dovecot.Dovecot,
                                                migrated_url: str) -> None:
    """Group, author, text and link come from the message; the mail is marked seen; the next
    poll takes only what arrived since."""
    imap.append("leads", notification(
        "Jane Doe posted in Dallas Homeowners",
        "Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage\n\n"
        "View post: https://www.facebook.com/groups/123/posts/456\n", msgid="m1"))
    await runtime.sources.add(_source(imap))
    first = await runtime.sources.poll("mail")
    assert (first.outcome, first.accepted) == ("polled", 1), first
    assert rows(migrated_url, "SELECT group_name, author, url, source FROM posts") == [
        ("Dallas Homeowners", "Jane Doe", "https://www.facebook.com/groups/123/posts/456",
         "imap:mail")]
    assert rows(migrated_url, "SELECT count(*) FROM leads") == [(1,)]
    assert "\\Seen" in imap.flags("leads")[0]

    assert (await runtime.sources.poll("mail")).fetched == 0
    imap.append("leads", notification(
        "New post in Plano Neighbors",
        "<p>Looking for an <b>electrician</b> in Plano to install an EV charger next week</p>",
        msgid="m2", html=True))
    second = await runtime.sources.poll("mail")
    assert (second.fetched, second.accepted) == (1, 1)
    assert rows(migrated_url, "SELECT group_name, body FROM posts ORDER BY id")[1] == (
        "Plano Neighbors",
        "Looking for an electrician in Plano to install an EV charger next week")


async def test_restart_mid_poll_takes_nothing_twice(migrated_url: str, tmp_path: Path,
                                                    imap: dovecot.Dovecot) -> None:
    """A process that stored the posts and died before moving the cursor: the next process
    reads the same messages again and stores none twice."""
    for n in range(3):
        imap.append("leads", notification(f"Person {n} posted in Frisco Moms",
                                          f"Need a handyman in Frisco to fix fence panel {n}",
                                          msgid=f"r{n}"))
    settings = make_settings(migrated_url, tmp_path)
    first = await Runtime.start(settings)
    real = first.bulk.submit

    class Died(BaseException):
        pass

    async def submit_then_die(items: Any) -> Any:
        await real(items)
        raise Died()

    try:
        await first.sources.add(_source(imap))
        first.sources.bulk.submit = submit_then_die  # type: ignore[method-assign]
        with pytest.raises(Died):
            await first.sources.poll("mail")
    finally:
        first.sources.bulk.submit = real  # type: ignore[method-assign]
        await first.stop()
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(3,)]
    assert all("\\Seen" not in f for f in imap.flags("leads"))  # never acknowledged

    second = await Runtime.start(settings)
    try:
        result = await second.sources.poll("mail")
    finally:
        await second.stop()
    assert (result.fetched, result.accepted, result.duplicates) == (3, 0, 3)
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(3,)]
    assert all("\\Seen" in f for f in imap.flags("leads"))


async def test_wrong_password_is_a_clear_failure(runtime: Runtime, imap: dovecot.Dovecot,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """A refused login fails the poll with a message naming the user, never the password."""
    await runtime.sources.add(_source(imap, password="not-" + PASSWORD))
    result = await runtime.sources.poll("mail")
    assert result.outcome == "failed"
    assert result.error == "the server refused the login of leads"
    logged = [repr(record.__dict__) for record in caplog.records]
    assert any("Source poll failed" in line for line in logged)
    assert not any(PASSWORD in line for line in logged)


async def test_unknown_folder_and_bad_message(runtime: Runtime, imap: dovecot.Dovecot) -> None:
    """An unknown folder is a clear failure; a message with no text is skipped, not fatal."""
    await runtime.sources.add(_source(imap, folder="Nope"))
    failed = await runtime.sources.poll("mail")
    assert failed.error == "no folder 'Nope' in the mailbox"
    await runtime.sources.remove("mail")
    imap.append("leads", b"From: x@y\r\nMessage-ID: <e@x>\r\n\r\n")
    imap.append("leads", notification("Sam posted in Dallas Homeowners",
                                      "Need a roofer in Dallas after the hail storm",
                                      msgid="ok"))
    await runtime.sources.add(_source(imap))
    result = await runtime.sources.poll("mail")
    assert (result.accepted, result.rejected) == (1, 1)
