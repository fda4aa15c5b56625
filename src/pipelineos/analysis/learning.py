"""The learning service: what routes, the CLI, jobs and the dashboard call to teach the
analyzer (a verdict on a post, mutes) and to retrain it. It holds the pool and reads the
business profile when it needs it; the work is in :mod:`~pipelineos.analysis.labels`,
:mod:`~pipelineos.analysis.noise` and :mod:`~pipelineos.analysis.installed`."""

from __future__ import annotations

from collections.abc import Callable

from psycopg_pool import AsyncConnectionPool

from pipelineos.analysis import installed, labels, noise, train
from pipelineos.analysis.model import BusinessProfile


class LearningService:
    def __init__(self, pool: AsyncConnectionPool, profile: Callable[[], BusinessProfile]) -> None:
        self._pool = pool
        self._profile = profile

    async def verdict(self, post_id: int, verdict: str, *, category: str | None = None,
                      urgency: str | None = None, actor: str = "api") -> labels.VerdictOutcome:
        """The owner's verdict on a post (``lead``, ``not_lead``, ``spam``): a label, and the
        post's lead put where the verdict says; see :func:`labels.record_verdict`."""
        async with self._pool.connection() as conn:
            return await labels.record_verdict(conn, post_id, verdict, profile=self._profile(),
                                               category=category, urgency=urgency, actor=actor)

    async def label_counts(self) -> dict[str, int]:
        async with self._pool.connection() as conn:
            return await labels.counts(conn)

    async def mutes(self) -> list[noise.NoiseRule]:
        async with self._pool.connection() as conn:
            return await noise.list_rules(conn)

    async def mute(self, kind: str, value: str) -> noise.NoiseRule:
        async with self._pool.connection() as conn:
            return await noise.add(conn, kind, value)

    async def unmute(self, rule_id: int) -> None:
        async with self._pool.connection() as conn:
            await noise.remove(conn, rule_id)

    async def retrain(self, *, seed: int = train.SEED) -> installed.RetrainResult:
        return await installed.retrain(self._pool, seed=seed)

    async def last_retrain(self) -> installed.Retrain | None:
        return await installed.last_retrain(self._pool)
