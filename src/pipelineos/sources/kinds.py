"""The fetcher of each polled kind, over its adapter in ``integrations/``."""

from __future__ import annotations

from pipelineos.integrations.imap import Mailbox, MailboxAddress
from pipelineos.integrations.rss import FeedReader
from pipelineos.integrations.sources import Fetched
from pipelineos.sources.model import Source


class RssFetcher:
    def __init__(self, reader: FeedReader) -> None:
        self.reader = reader

    async def fetch(self, source: Source, *, trial: bool = False) -> Fetched:
        return await self.reader.fetch(str(source.config["url"]), source.cursor,
                                       conditional=not trial)

    async def aclose(self) -> None:
        await self.reader.aclose()


class ImapFetcher:
    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout

    async def fetch(self, source: Source, *, trial: bool = False) -> Fetched:
        config = source.config
        mailbox = Mailbox(MailboxAddress(
            host=str(config["host"]), port=int(config["port"]),
            username=str(config["username"]), password=source.secrets.get("password") or "",
            folder=str(config.get("folder", "INBOX")), tls=bool(config.get("tls", True)),
            mark_seen=bool(config.get("mark_seen", True))), timeout=self.timeout)
        return await mailbox.fetch(source.cursor, trial=trial)

    async def aclose(self) -> None:
        return None
