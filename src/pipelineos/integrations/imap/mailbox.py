"""Reading a mailbox: the messages after the cursor, each as a post; then marking them seen.

- The cursor is the folder's ``UIDVALIDITY`` and the last UID taken. A poll asks for
  ``UID last+1:*`` (at most ``batch`` messages, oldest first) with ``BODY.PEEK[]``, so reading
  marks nothing; once the posts are stored the service acknowledges, which sets ``\\Seen`` on
  them. A changed ``UIDVALIDITY`` (the folder was rebuilt) starts again from the first
  message; items are keyed by their ``Message-ID`` where they have one, so the seen-set still
  recognises them.
- A message becomes a post: its plain-text part (or its HTML part without markup), the group
  and author from the subject of a notification ("Jane Doe posted in Dallas Homeowners",
  "New post in Frisco Moms"), the first link in the body, the ``Date`` header.
- Errors are translated at the seam: a refused login, an unknown folder, a server that does
  not answer are :class:`SourceFetchError` with a message that never holds the password.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import email.utils
import hashlib
import html
import imaplib
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.message import EmailMessage
from typing import Any

from pipelineos.integrations.sources import Entry, Fetched, SourceFetchError

MAX_TEXT = 10_000
_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"https?://[^\s<>\"')\]]+")
_SUBJECTS = (
    re.compile(r"^(?P<author>.+?) (?:posted|shared a post|wrote|commented) in (?P<group>.+)$",
               re.IGNORECASE),
    re.compile(r"^new (?:post|activity|posts|message)s? (?:in|on|from) (?P<group>.+)$",
               re.IGNORECASE),
    re.compile(r"^\[(?P<group>[^\]]+)\]\s*(?P<rest>.*)$"),  # mailing lists: "[Group] subject"
)
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


@dataclass(frozen=True)
class MailboxAddress:
    host: str
    port: int
    username: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    tls: bool = True
    mark_seen: bool = True


def _plain(message: EmailMessage) -> str:
    """The text of the plain part, or of the HTML part when the plain one is empty."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        text = _part_text(part) if isinstance(part, EmailMessage) else ""
        if text:
            return text
    return ""


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    text = str(content)
    if part.get_content_subtype() == "html":
        text = html.unescape(_TAG.sub(" ", re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)))
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def read_message(raw: bytes, key: str) -> Entry:
    """A notification e-mail as an :class:`Entry` (a problem when it holds no text)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    subject = " ".join(str(message.get("subject", "")).split())
    group = author = None
    for pattern in _SUBJECTS:
        found = pattern.match(subject)
        if found:
            group = found.group("group").strip(" .:-") or None
            author = found.groupdict().get("author")
            break
    if author is None:
        name, _ = email.utils.parseaddr(str(message.get("from", "")))
        author = name or None
    body = _plain(message)
    text = (body or subject)[:MAX_TEXT].replace("\x00", "")
    link = _LINK.search(body)
    posted_at = None
    with_date = message.get("date")
    if with_date:
        try:
            parsed = email.utils.parsedate_to_datetime(str(with_date))
            posted_at = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except (TypeError, ValueError, IndexError):
            posted_at = None
    message_id = str(message.get("message-id", "")).strip()
    if message_id:
        key = "msgid:" + (message_id if len(message_id) <= 250
                          else hashlib.sha256(message_id.encode()).hexdigest())
    return Entry(key=key, text=text, group_name=group, author=author[:200] if author else None,
                 url=link.group() if link else None, posted_at=posted_at,
                 problem=None if text.strip() else "the message has no text")


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One IMAP mailbox folder, read in a worker thread (imaplib blocks)."""

    def __init__(self, address: MailboxAddress, *, timeout: float = 30.0,
                 batch: int = 200) -> None:
        self.address = address
        self.timeout = timeout
        self.batch = batch

    def _connect(self) -> imaplib.IMAP4:
        a = self.address
        try:
            if a.tls:
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    a.host, a.port, ssl_context=ssl.create_default_context(),
                    timeout=self.timeout)
            else:
                imap = imaplib.IMAP4(a.host, a.port, timeout=self.timeout)
        except (OSError, imaplib.IMAP4.error) as error:
            raise SourceFetchError(f"cannot reach {a.host}:{a.port} "
                                   f"({type(error).__name__})") from None
        try:
            imap.login(a.username, a.password)
        except imaplib.IMAP4.error:
            _close(imap)
            raise SourceFetchError(f"the server refused the login of {a.username}") from None
        except OSError as error:
            _close(imap)
            raise SourceFetchError(f"the connection failed ({type(error).__name__})") from None
        return imap

    def _select(self, imap: imaplib.IMAP4, *, readonly: bool) -> int:
        status, _ = imap.select(_quote(self.address.folder), readonly=readonly)
        if status != "OK":
            raise SourceFetchError(f"no folder {self.address.folder!r} in the mailbox")
        _, data = imap.response("UIDVALIDITY")
        for item in data or []:
            if isinstance(item, bytes) and item.strip().isdigit():
                return int(item)
        return 0

    def _fetch(self, cursor: Mapping[str, Any], trial: bool) -> tuple[list[Entry], dict[str, int],
                                                                      list[int]]:
        imap = self._connect()
        try:
            validity = self._select(imap, readonly=True)
            last = int(cursor.get("last_uid", 0)) if cursor.get("uidvalidity") == validity else 0
            status, data = imap.uid("SEARCH", f"UID {last + 1}:*")
            if status != "OK":
                raise SourceFetchError("the server refused the search")
            found = sorted(int(x) for x in (data[0] or b"").split() if int(x) > last)
            uids = found[:self.batch]
            entries = []
            for uid in uids:
                status, parts = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next((p[1] for p in parts or [] if isinstance(p, tuple)), None)
                if status != "OK" or not isinstance(raw, bytes):
                    entries.append(Entry(key=f"uid:{validity}:{uid}", text="",
                                         problem="the server did not return the message"))
                    continue
                try:
                    entries.append(read_message(raw, f"uid:{validity}:{uid}"))
                except Exception as error:  # a message the parser cannot read is skipped
                    entries.append(Entry(key=f"uid:{validity}:{uid}", text="",
                                         problem=f"unreadable message ({type(error).__name__})"))
            return entries, {"uidvalidity": validity, "last_uid": uids[-1] if uids else last}, uids
        except (TimeoutError, imaplib.IMAP4.error, OSError) as error:
            raise SourceFetchError(f"the mailbox failed ({type(error).__name__})") from None
        finally:
            _close(imap)

    def _mark_seen(self, uids: list[int]) -> None:
        imap = self._connect()
        try:
            self._select(imap, readonly=False)
            for start in range(0, len(uids), 500):
                chunk = ",".join(str(u) for u in uids[start:start + 500])
                imap.uid("STORE", chunk, "+FLAGS.SILENT", "(\\Seen)")
        except (imaplib.IMAP4.error, OSError) as error:
            raise SourceFetchError(f"could not mark messages seen ({type(error).__name__})") \
                from None
        finally:
            _close(imap)

    async def fetch(self, cursor: Mapping[str, Any], *, trial: bool = False) -> Fetched:
        entries, kept, uids = await asyncio.to_thread(self._fetch, cursor, trial)

        async def acknowledge() -> None:
            if uids and self.address.mark_seen and not trial:
                await asyncio.to_thread(self._mark_seen, uids)

        return Fetched(entries, kept, acknowledge=acknowledge)


def _close(imap: imaplib.IMAP4) -> None:
    try:
        imap.logout()
    except Exception:  # the connection is going away regardless
        pass

