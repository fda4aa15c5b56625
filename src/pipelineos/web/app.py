"""The FastAPI application factory.

Middleware, outermost first: HTTP metrics (times everything, refusals included) → HEAD as
GET → access control for /api (web/access.py) → trusted proxy headers (only with
TRUSTED_PROXIES) → request limits (header count, body size and time) → routes, whose bodies are
read by web/routing.py. Errors become HTTP in one place (web/errors.py). How the server itself
bounds connections and headers is in web/server.py.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pipelineos import __version__
from pipelineos.bootstrap import Runtime
from pipelineos.clock import SystemClock
from pipelineos.config import Settings
from pipelineos.ops.metrics import Metrics
from pipelineos.web import access, dashboard, docs, errors, openapi
from pipelineos.web.middleware import HeadAsGet, HttpMetrics, RequestLimits
from pipelineos.web.routes import (admin, ai, areas, channels, export, health, jobs, leads,
                                   learning, metrics, posts, sms, sources)

log = logging.getLogger(__name__)


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """An app that starts its own :class:`Runtime` on start-up, or serves a given one (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        announce_access(settings)
        openapi.RouteTable.of(app)  # built now, not after the first request
        if runtime is not None:
            app.state.runtime = runtime
            try:
                yield
            finally:
                await dashboard.stop(app)
            return
        started = await Runtime.start(settings, worker=settings.jobs_in_serve)
        app.state.runtime = started
        try:
            yield
        finally:
            await dashboard.stop(app)
            await started.stop()

    app = FastAPI(
        title="PipelineOS",
        version=__version__,
        description="Posts in, leads out; hot leads texted to the owner within seconds.",
        lifespan=lifespan,
        docs_url=None,  # served from the package by web/docs.py
        redoc_url=None,
    )
    if runtime is not None:
        app.state.runtime = runtime
    app.state.metrics = collected = Metrics(lambda: getattr(app.state, "runtime", None))
    errors.install(app)
    openapi.install(app)
    docs.install(app)
    app.add_middleware(RequestLimits, max_bytes=settings.max_body_bytes,
                       per_path={"/api/posts": settings.max_bulk_body_bytes},
                       max_headers=settings.max_header_count,
                       body_seconds=settings.body_timeout_seconds)
    if settings.trusted_proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    keys = {name: key.get_secret_value() for name, key in settings.api_keys.items()}
    failures = access.KeyFailures(
        limit=settings.api_key_max_failures, window=settings.api_key_failure_window_seconds,
        clock=runtime.clock if runtime is not None else SystemClock())
    for name in keys:  # every key's count shows from the start, at 0 while unused
        collected.api_key_requests.labels(name)
    app.add_middleware(access.ApiAccess, keys=keys, failures=failures,
                       trusted_proxies=access.networks(settings.trusted_proxies),
                       on_key=lambda name: collected.api_key_requests.labels(name).inc())
    app.add_middleware(HeadAsGet)
    app.add_middleware(HttpMetrics, metrics=collected, routes=lambda: openapi.RouteTable.of(app))
    for module in (health, metrics, export, leads, posts, learning, jobs, areas, ai, sms,
                   channels, admin, sources):
        app.include_router(module.router)
    dashboard.install(app, dashboard.DashboardAccess(
        keys=keys, failures=failures, trusted_proxies=access.networks(settings.trusted_proxies),
        session_seconds=settings.dashboard_session_hours * 3600))
    return app


def announce_access(settings: Settings) -> None:
    """Say at start-up who may call /api, so an open or closed API is never a surprise."""
    if settings.api_keys:
        log.info("API key required for /api", extra={"fields": {
            "keys": list(settings.api_keys), "header": "Authorization: Bearer or X-API-Key"}})
        return
    log.warning(
        "PIPELINEOS_API_KEY is not set: /api answers requests from this machine only "
        "(loopback); others get 403. Set PIPELINEOS_API_KEY to serve other clients.",
        extra={"fields": {"host": settings.host, "trustedProxies": settings.trusted_proxies}})
