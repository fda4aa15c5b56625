"""Intake: a post becomes a stored post, an analysis and, when it is one, a lead."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from psycopg_pool import AsyncConnectionPool

from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import Analysis
from pipelineos.errors import ServiceUnavailable
from pipelineos.ingest import posts
from pipelineos.ingest.posts import StoredPost

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalyzeOutcome:
    post: StoredPost
    analysis: Analysis
    fit: str = "unknown"
    area: str | None = None


class Intake:
    """Takes posts in. With the local analyzer, analysis happens before the single write, so
    the post, its analysis and its lead are stored by one atomic statement."""

    def __init__(self, pool: AsyncConnectionPool, analyzer: LocalAnalyzer) -> None:
        self.pool = pool
        self.analyzer = analyzer

    async def analyze(self, text: str, group_name: str, *, source: str = "api") -> AnalyzeOutcome:
        try:
            analysis = self.analyzer.analyze_sync(text, group_name)
        except Exception:
            # A bug in the analyzer must not lose the post: keep it for the retry sweep.
            log.exception("Local analysis failed", extra={"fields": {"group": group_name}})
            async with self.pool.connection() as conn:
                stored = await posts.insert_received(
                    conn, body=text, group_name=group_name, source=source
                )
            raise ServiceUnavailable(
                f"Analysis failed; post {stored.post_id} is stored and will be analyzed later"
            ) from None
        async with self.pool.connection() as conn:
            stored = await posts.record_analyzed(
                conn, body=text, group_name=group_name, source=source, analysis=analysis,
                profile=self.analyzer.profile,
            )
        _log_lead(stored, analysis)
        fit, area = self.analyzer.profile.fit(analysis.category, analysis.location)
        return AnalyzeOutcome(post=stored, analysis=analysis, fit=fit.value, area=area)

    async def analyze_pending(self, *, older_than: timedelta = timedelta(0), limit: int = 100,
                              now: datetime | None = None) -> int:
        """Analyze stored posts still waiting (received more than ``older_than`` ago) with the
        local analyzer; return how many were recorded. Safe to run from several workers: a
        post is recorded once (see ``record_analysis``)."""
        cutoff = (now or datetime.now(UTC)) - older_than
        async with self.pool.connection() as conn:
            waiting = await posts.pending(conn, before=cutoff, limit=limit)
        recorded = 0
        for post in waiting:
            try:
                analysis = self.analyzer.analyze_sync(post.body, post.group_name)
            except Exception as error:
                log.exception("Local analysis failed", extra={"fields": {"post_id": post.id}})
                async with self.pool.connection() as conn:
                    await posts.record_failure(conn, post.id, type(error).__name__,
                                               max_attempts=MAX_ATTEMPTS)
                continue
            async with self.pool.connection() as conn:
                stored = await posts.record_analysis(conn, post.id, analysis,
                                                     self.analyzer.profile)
            if stored is not None:
                recorded += 1
                _log_lead(stored, analysis)
        return recorded


MAX_ATTEMPTS = 5


def _log_lead(stored: StoredPost, analysis: Analysis) -> None:
    if stored.lead_id is not None:
        log.info(
            "Lead created",
            extra={"fields": {"lead_id": stored.lead_id, "post_id": stored.post_id,
                              "priority": analysis.priority, "category": analysis.category,
                              "analyzer": analysis.analyzer}},
        )
