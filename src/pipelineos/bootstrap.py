"""The composition root: settings in, a running set of services out.

:class:`Runtime` owns everything with a lifetime (the embedded database, the one pool) and
builds the services on top of them. The web app, the CLI and the tests all start one the same
way, so what is tested is what runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts import wiring as alerts_wiring
from pipelineos.alerts.notifier import Notifier
from pipelineos.alerts.service import NotificationService
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile
from pipelineos.clock import Clock, SystemClock
from pipelineos.config import Settings
from pipelineos.db import migrations
from pipelineos.db.embedded import EmbeddedPostgres
from pipelineos.db.pool import create_pool
from pipelineos.ingest.service import Intake
from pipelineos.resilience import LoggingListener, Registry

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    pool: AsyncConnectionPool
    profile: BusinessProfile
    local_analyzer: LocalAnalyzer
    intake: Intake
    registry: Registry
    notifier: Notifier
    embedded: EmbeddedPostgres | None = None
    notifications: NotificationService | None = None
    started_at: float = field(default_factory=time.monotonic)
    ready: bool = False
    shutting_down: bool = False

    @classmethod
    async def start(cls, settings: Settings, *, clock: Clock | None = None,
                    migrate: bool = True) -> Runtime:
        """Open the database (starting the embedded one if needed), migrate, build services."""
        embedded, url = await open_database(settings)
        pool = create_pool(
            url,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            max_idle=settings.db_pool_max_idle_seconds,
            timeout=settings.db_pool_timeout_seconds,
        )
        try:
            await pool.open(wait=True, timeout=max(10.0, settings.db_pool_timeout_seconds))
            if migrate:
                applied = await migrations.migrate(pool)
                if applied:
                    log.info("Database migrated", extra={"fields": {"applied": applied}})
        except BaseException:
            await pool.close()
            if embedded is not None:
                await asyncio.to_thread(embedded.stop)
            raise
        profile = BusinessProfile.build(
            settings.business_name, settings.business_services, settings.business_areas
        )
        analyzer = LocalAnalyzer(profile)
        clock = clock or SystemClock()
        # Every breaker and limiter, by name, for health, metrics and admin; breakers made
        # here log the seed's events.
        registry = Registry(clock=clock, listeners=[LoggingListener()])
        notifications = alerts_wiring.build(settings, pool=pool, registry=registry, clock=clock)
        runtime = cls(
            settings=settings,
            clock=clock,
            pool=pool,
            profile=profile,
            local_analyzer=analyzer,
            intake=Intake(pool, analyzer),
            registry=registry,
            notifier=notifications,
            embedded=embedded,
            notifications=notifications,
        )
        await notifications.start()
        runtime.ready = True
        log.info(
            "PipelineOS started",
            extra={"fields": {"database": "embedded" if embedded else "external",
                              "pool_max": settings.db_pool_max,
                              "analyzer": "claude" if settings.claude_configured else "local",
                              "notifications": settings.twilio_configured}},
        )
        return runtime

    async def stop(self) -> None:
        """Close the pool (waiting for borrowed connections) and release the embedded server."""
        self.shutting_down = True
        self.ready = False
        if self.notifications is not None:
            await self.notifications.stop(self.settings.shutdown_grace_seconds)
        await self.pool.close(timeout=self.settings.shutdown_grace_seconds)
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
        log.info("PipelineOS stopped")


async def open_database(settings: Settings) -> tuple[EmbeddedPostgres | None, str]:
    """The database URL to use: ``DATABASE_URL``, or a started embedded server's."""
    if settings.database_url is not None:
        return None, settings.database_url.get_secret_value()
    embedded = EmbeddedPostgres(settings.pipelineos_data_dir)
    url = await asyncio.to_thread(embedded.start)
    return embedded, url
