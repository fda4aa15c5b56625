"""Building the source service from settings: one fetcher per polled kind."""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool

from pipelineos import __version__
from pipelineos.alerts.notifier import Notifier
from pipelineos.clock import Clock
from pipelineos.config import Settings
from pipelineos.ingest.bulk import BulkIntake
from pipelineos.integrations.apify import DatasetReader
from pipelineos.integrations.reddit import RedditClient, RedditEndpoints
from pipelineos.integrations.rss import FeedReader
from pipelineos.sources.kinds import ImapFetcher, RedditFetcher, RssFetcher
from pipelineos.sources.service import Fetcher, SourceService

USER_AGENT = f"PipelineOS/{__version__} (source poller)"
# Reddit asks for "<platform>:<app id>:<version> (by /u/<user>)"; there is no user here.
REDDIT_USER_AGENT = f"python:pipelineos:{__version__} (lead finder for local businesses)"


def build(settings: Settings, pool: AsyncConnectionPool, bulk: BulkIntake, *,
          notifier: Notifier, clock: Clock) -> SourceService:
    fetchers: dict[str, Fetcher] = {
        "rss": RssFetcher(FeedReader(timeout=settings.source_poll_timeout_seconds,
                                     max_bytes=settings.source_max_feed_bytes,
                                     user_agent=USER_AGENT)),
        "reddit": RedditFetcher(RedditClient(
            RedditEndpoints(www=settings.reddit_www_url.rstrip("/"),
                            oauth=settings.reddit_oauth_url.rstrip("/")),
            user_agent=REDDIT_USER_AGENT, timeout=settings.source_poll_timeout_seconds)),
        "imap": ImapFetcher(timeout=settings.source_poll_timeout_seconds),
    }
    return SourceService(
        pool, bulk, fetchers=fetchers, notifier=notifier, clock=clock,
        apify=DatasetReader(api_url=settings.apify_api_url.rstrip("/"),
                            timeout=settings.source_poll_timeout_seconds),
        default_interval=settings.source_default_interval_seconds,
        min_interval=settings.source_min_interval_seconds,
        quiet_intervals=settings.source_quiet_intervals,
        poll_timeout=settings.source_poll_timeout_seconds,
        concurrency=settings.source_concurrency)
