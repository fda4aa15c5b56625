"""The fetcher of each polled kind, over its adapter in ``integrations/``."""

from __future__ import annotations

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
