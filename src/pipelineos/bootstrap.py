"""The composition root: settings in, a running set of services out.

:class:`Runtime` owns everything with a lifetime (the embedded database, the one pool) and
builds the services on top of them. The web app, the CLI and the tests all start one the same
way, so what is tested is what runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from psycopg_pool import AsyncConnectionPool, PoolTimeout

from pipelineos.alerts import wiring as alerts_wiring
from pipelineos.alerts.notifier import Notifier
from pipelineos.alerts.service import NotificationService
from pipelineos.analysis.claude import ClaudeAnalyzer, build_claude_analyzer
from pipelineos.analysis.installed import Installed
from pipelineos.analysis.learning import LearningService
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile
from pipelineos.leads import areas
from pipelineos.leads.areas import ProfileCache
from pipelineos.leads.service import LeadService
from pipelineos.clock import Clock, SystemClock
from pipelineos.config import Settings
from pipelineos.errors import ServiceUnavailable
from pipelineos.db import locate, migrations
from pipelineos.db.embedded import EmbeddedPostgres
from pipelineos.db.pool import create_pool
from pipelineos.ingest.bulk import BulkIntake
from pipelineos.ingest.posts import DuplicatePolicy
from pipelineos.ingest.service import Intake
from pipelineos.integrations.probe import CircuitProbe, ProbeTarget
from pipelineos.ops.circuits import CircuitNotifications
from pipelineos.jobs import wiring as jobs_wiring
from pipelineos.jobs import schema as jobs_schema
from pipelineos.jobs.engine import JobEngine
from pipelineos.resilience import (
    LoggingListener,
    PostgresCircuits,
    PostgresTokenBucket,
    RateLimiter,
    Registry,
)
from pipelineos.resilience import postgres as resilience_postgres
from pipelineos.sources import wiring as sources_wiring
from pipelineos.sources.service import SourceService

log = logging.getLogger(__name__)

# The database schema: the files in db/versions/ and what components hand in (db/ imports none
# of them). Everything that migrates a database (start-up, `pipelineos migrate`, the tests)
# uses this.
SCHEMA = migrations.Schema(
    components=(migrations.Migration(2, "rate_limit_buckets", resilience_postgres.SCHEMA_SQL),
                migrations.Migration(20, "circuit_breakers",
                                     resilience_postgres.CIRCUIT_SCHEMA_SQL)),
    upgraders=(jobs_schema.upgrade,),
)


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    pool: AsyncConnectionPool
    profiles: ProfileCache
    local_analyzer: LocalAnalyzer
    intake: Intake
    registry: Registry
    notifier: Notifier
    jobs: JobEngine
    database: Database
    notifications: NotificationService
    bulk: BulkIntake
    installed: Installed
    learning: LearningService
    leads: LeadService
    sources: SourceService
    probe: CircuitProbe | None = None  # None: CIRCUIT_PROBE_SECONDS=0
    circuits: CircuitNotifications | None = None  # None: CLUSTER_SHARED_STATE=false
    claude: ClaudeAnalyzer | None = None  # None: no ANTHROPIC_API_KEY, the local analyzer serves
    started_at: float = field(default_factory=time.monotonic)
    ready: bool = False
    shutting_down: bool = False

    @classmethod
    async def start(cls, settings: Settings, *, clock: Clock | None = None,
                    migrate: bool = True, worker: bool = False) -> Runtime:
        """Open the database (starting the embedded one if needed), migrate, build services;
        with ``worker``, also run a job worker and the scheduler in this process."""
        database = await Database.open(settings)
        pool = database.pool
        clock = clock or SystemClock()
        analyzer = LocalAnalyzer()
        installed = Installed(pool, analyzer)
        profiles = ProfileCache(pool, settings.business_name)
        jobs = jobs_wiring.build(settings, pool)
        # Every breaker and limiter, by name, for health, metrics and admin; breakers made
        # here log the seed's events. Shared (the default), their state is in PostgreSQL.
        circuits = _shared_circuits(settings, pool, clock)
        registry = Registry(
            clock=clock, listeners=[LoggingListener()],
            circuits=None if circuits is None else circuits.store,
            limiters=None if circuits is None else _shared_limiters(pool, clock))
        runtime: Runtime | None = None

        async def send_alert(message: str) -> None:
            # Looked up when sent, so the notifier the runtime holds then is the one used.
            if runtime is not None:
                await runtime.notifier.send_critical_alert(message)

        claude = build_claude_analyzer(settings, profiles.profile, registry=registry,
                                       clock=clock, send_alert=send_alert)
        notifications = alerts_wiring.build(settings, pool=pool, registry=registry, clock=clock)
        try:
            if migrate:
                applied = await SCHEMA.migrate(pool)
                if applied:
                    log.info("Database migrated", extra={"fields": {"applied": applied}})
            async with pool.connection() as conn:
                await areas.seed(conn, settings.business_areas, settings.business_services)
            await profiles.start()
            profiles.subscribe(analyzer.use_profile)
            # The active model and the mutes change on the same channel as the profile.
            await installed.refresh()
            profiles.subscribe(installed.changed)
            if claude is not None:
                profiles.subscribe(claude.use_profile)
            if circuits is not None:
                # Every process starts from the shared state: LISTEN, then read every row.
                circuits.start()
                await circuits.ready(max(10.0, settings.db_pool_timeout_seconds))
            await jobs.open()
            await notifications.start()
        except BaseException:
            await notifications.stop(0)
            if circuits is not None:
                await circuits.stop()
            await jobs.close()
            await profiles.stop()
            await installed.stop()
            if claude is not None:
                await claude.aclose()
            await database.close(settings.shutdown_grace_seconds)
            raise
        intake = Intake(pool, analyzer, claude=claude, clock=clock, duplicates=DuplicatePolicy(
            window=timedelta(days=settings.duplicate_window_days),
            min_similarity=settings.duplicate_similarity,
            near=settings.near_duplicates,
            alert_max_age=timedelta(hours=settings.alert_max_post_age_hours)),
            installed=installed)
        bulk = BulkIntake(intake, workers=settings.bulk_workers or None)
        runtime = cls(
            settings=settings,
            clock=clock,
            pool=pool,
            profiles=profiles,
            local_analyzer=analyzer,
            intake=intake,
            bulk=bulk,
            sources=sources_wiring.build(settings, pool, bulk, notifier=notifications,
                                         clock=clock),
            installed=installed,
            learning=LearningService(pool, lambda: profiles.profile),
            leads=LeadService(pool),
            registry=registry,
            notifier=notifications,
            jobs=jobs,
            database=database,
            notifications=notifications,
            claude=claude,
            circuits=circuits,
        )
        jobs.services = runtime
        if worker:
            jobs.start_worker()
        runtime.probe = _circuit_probe(settings, clock, claude, notifications)
        if runtime.probe is not None:
            runtime.probe.start()
        runtime.ready = True
        log.info(
            "PipelineOS started",
            extra={"fields": {"database": "embedded" if database.embedded else "external",
                              "pool_max": settings.db_pool_max,
                              "analyzer": "claude" if settings.claude_configured else "local",
                              "notifications": settings.twilio_configured,
                              "worker": worker}},
        )
        return runtime

    @property
    def embedded(self) -> EmbeddedPostgres | None:
        return self.database.embedded

    @property
    def profile(self) -> BusinessProfile:
        """The business's services and areas as this process currently knows them."""
        return self.profiles.profile

    async def stop(self) -> None:
        """Close the pool (waiting for borrowed connections) and release the embedded server."""
        self.shutting_down = True
        self.ready = False
        if self.probe is not None:
            await self.probe.stop()
        await self.jobs.close()
        await self.sources.aclose()
        await self.bulk.close()
        await self.notifications.stop(self.settings.shutdown_grace_seconds)
        await self.profiles.stop()
        await self.installed.stop()
        if self.circuits is not None:
            await self.circuits.stop()
        if self.claude is not None:
            await self.claude.aclose()
        await self.database.close(self.settings.shutdown_grace_seconds)
        log.info("PipelineOS stopped")


def _store_clock(clock: Clock) -> Clock | None:
    """Shared rows keep time on the database's clock (the one every process shares), unless a
    test hands in its own clock."""
    return None if isinstance(clock, SystemClock) else clock


def _shared_circuits(settings: Settings, pool: AsyncConnectionPool,
                     clock: Clock) -> CircuitNotifications | None:
    if not settings.cluster_shared_state:
        return None
    store = PostgresCircuits(pool, lease_seconds=settings.circuit_trial_lease_seconds,
                             clock=_store_clock(clock))
    return CircuitNotifications(pool, store)


def _shared_limiters(pool: AsyncConnectionPool, clock: Clock) -> Callable[[str, float], RateLimiter]:
    def make(name: str, per_minute: float) -> RateLimiter:
        return PostgresTokenBucket.per_minute(pool, name, per_minute, clock=_store_clock(clock))
    return make


def _circuit_probe(settings: Settings, clock: Clock, claude: ClaudeAnalyzer | None,
                   notifications: NotificationService) -> CircuitProbe | None:
    """Trials for the vendor circuits this process has, made when no traffic makes them."""
    if not settings.circuit_probe_seconds:
        return None
    targets = []
    if claude is not None:
        targets.append(ProbeTarget(claude.service.breaker, claude.service.probe))
    if notifications.sender is not None:
        targets.append(ProbeTarget(notifications.breaker, notifications.sender.probe))
    return CircuitProbe(targets, clock=clock, interval=settings.circuit_probe_seconds)


class DatabaseUnreachable(ServiceUnavailable):
    """The database cannot be reached."""


@dataclass
class Database:
    """The one pool, and the embedded server behind it when there is no DATABASE_URL."""

    pool: AsyncConnectionPool
    embedded: EmbeddedPostgres | None

    @classmethod
    async def open(cls, settings: Settings) -> Database:
        embedded, url = await open_database(settings)
        pool = create_pool(
            url,
            min_size=settings.db_pool_min,
            max_size=settings.db_pool_max,
            max_idle=settings.db_pool_max_idle_seconds,
            timeout=settings.db_pool_timeout_seconds,
        )
        database = cls(pool, embedded)
        timeout = max(10.0, settings.db_pool_timeout_seconds)
        try:
            await pool.open(wait=True, timeout=timeout)
        except PoolTimeout:
            await database.close(0)
            raise DatabaseUnreachable(f"no connection to the database {locate.describe(url)} "
                                      f"within {timeout:g} s") from None
        except BaseException:
            await database.close(0)
            raise
        return database

    async def close(self, timeout: float) -> None:
        """Close the pool (waiting up to ``timeout`` for borrowed connections), then release
        the embedded server."""
        await self.pool.close(timeout=timeout)
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)


@asynccontextmanager
async def database_url(settings: Settings) -> AsyncIterator[str]:
    """The URL of the settings' database, for tools that connect on their own (pg_dump): the
    embedded server is started for the block (creating it if needed) and released after."""
    embedded, url = await open_database(settings)
    try:
        yield url
    finally:
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


async def open_database(settings: Settings) -> tuple[EmbeddedPostgres | None, str]:
    """The database URL to use: ``DATABASE_URL``, or a started embedded server's."""
    if settings.database_url is not None:
        return None, settings.database_url.get_secret_value()
    embedded = EmbeddedPostgres(settings.pipelineos_data_dir, records=locate.records(settings),
                                log_dir=settings.log_dir)
    url = await asyncio.to_thread(embedded.start)
    return embedded, url
