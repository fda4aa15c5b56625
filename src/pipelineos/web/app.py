"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pipelineos import __version__
from pipelineos.bootstrap import Runtime
from pipelineos.config import Settings
from pipelineos.web import errors
from pipelineos.web.middleware import BodySizeLimit
from pipelineos.web.routes import ai, areas, health, jobs, leads, posts, sms


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastAPI:
    """An app that starts its own :class:`Runtime` on start-up, or serves a given one (tests)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime is not None:
            app.state.runtime = runtime
            yield
            return
        started = await Runtime.start(settings, worker=settings.jobs_in_serve)
        app.state.runtime = started
        try:
            yield
        finally:
            await started.stop()

    app = FastAPI(
        title="PipelineOS",
        version=__version__,
        description="Posts in, leads out; hot leads texted to the owner within seconds.",
        lifespan=lifespan,
    )
    if runtime is not None:
        app.state.runtime = runtime
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       per_path={"/api/posts": settings.max_bulk_body_bytes})
    app.include_router(health.router)
    app.include_router(leads.router)
    app.include_router(posts.router)
    app.include_router(jobs.router)
    app.include_router(areas.router)
    app.include_router(ai.router)
    app.include_router(sms.router)
    return app
