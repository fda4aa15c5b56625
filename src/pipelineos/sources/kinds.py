"""The fetcher of each polled kind, over its adapter in ``integrations/``."""

from __future__ import annotations

from pipelineos.integrations.imap import Mailbox, MailboxAddress
from pipelineos.integrations.reddit import RedditClient
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


class RedditFetcher:
    def __init__(self, client: RedditClient) -> None:
        self.client = client

    async def fetch(self, source: Source, *, trial: bool = False) -> Fetched:
        client_id = source.config.get("client_id")
        secret = source.secrets.get("client_secret")
        credentials = (str(client_id), secret) if client_id and secret else None
        return await self.client.new_posts([str(n) for n in source.config["subreddits"]],
                                           {} if trial else source.cursor,
                                           credentials=credentials)

    async def aclose(self) -> None:
        await self.client.aclose()
