"""Health: the seed's ``/health`` body with details, plus probes that do not flap with a vendor
outage.

``/health`` answers 200 while every circuit is CLOSED, else 503 (the seed's contract); the
database, job queue, breakers and limiters are details that do not change the code. The
probes are for orchestrators: ``/health/live`` (the process answers) and ``/health/ready``
(start-up done, not shutting down, database reachable). None of them needs a key and none
shows a secret: breaker and limiter status hold names, counts and timings only.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from pydantic import BaseModel, ConfigDict, Field

from pipelineos.db.pool import pool_stats, shortage
from pipelineos.ops import facts
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep

router = routing.router(tags=["health"])


async def _database(runtime: RuntimeDep) -> dict[str, Any]:
    """``status`` ``ok``, ``unreachable`` (the server refuses or ignores connections), ``busy``
    (every connection lent out) or ``error`` (it answered with an error)."""
    started = time.perf_counter()
    try:
        async with runtime.pool.connection(timeout=2.0) as conn:
            await conn.execute("SELECT 1")
        status = "ok"
    except Exception as error:
        found = shortage(runtime.pool)
        status = ("unreachable" if found.unreachable
                  else "busy" if isinstance(error, PoolTimeout) else "error")
    return {
        "reachable": status == "ok",
        "status": status,
        "latencyMs": round((time.perf_counter() - started) * 1000, 2),
        "embedded": runtime.embedded is not None,
        "pool": pool_stats(runtime.pool),
    }


# The seed's breaker names, as the health body reports them.
NOTIFICATIONS_BREAKER = "twilio-api"
AI_BREAKER = "claude-api"


def _circuit_state(runtime: RuntimeDep, name: str) -> str:
    try:
        return str(runtime.registry.get_breaker(name).state)
    except KeyError:
        return "CLOSED"  # no breaker yet: nothing has ever failed


class ServiceHealth(BaseModel):
    model_config = ConfigDict(extra="allow")
    circuitState: str  # noqa: N815 (the seed's names)
    healthy: bool


class HealthBody(BaseModel):
    """The seed's body (``timestamp``, ``services``) and the details PipelineOS adds."""

    timestamp: str
    services: dict[str, ServiceHealth] = Field(
        description="`notifications` {enabled, circuitState, healthy} and `ai` {initialized, "
                    "circuitState, healthy}, as in the seed")
    database: dict[str, Any] = Field(
        description="reachable, status (ok, unreachable, busy, error), latencyMs, embedded, "
                    "pool stats")
    jobs: dict[str, Any] = Field(description="waiting, running, failed, stalled (all processes)")
    circuitBreakers: dict[str, dict[str, Any]]  # noqa: N815
    rateLimiters: dict[str, dict[str, Any]]  # noqa: N815
    sources: dict[str, Any] = Field(
        default_factory=dict,
        description="total, enabled, and the names of sources failing or quiet (no new item "
                    "for SOURCE_QUIET_INTERVALS intervals, or failing for five); they do not "
                    "change the status code")


class ProbeBody(BaseModel):
    model_config = ConfigDict(extra="allow")
    status: str


async def _jobs(runtime: RuntimeDep) -> dict[str, Any]:
    try:
        counts = await facts.job_counts(runtime)
    except Exception as error:
        return {"error": f"unavailable ({type(error).__name__})"}
    return {**counts.as_dict(), "workerInThisProcess": runtime.jobs.worker_running}


async def _sources(runtime: RuntimeDep) -> dict[str, Any]:
    try:
        return await runtime.sources.health()
    except Exception as error:
        return {"error": f"unavailable ({type(error).__name__})"}


async def _limiters(runtime: RuntimeDep) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for limiter in runtime.registry.limiters():
        try:
            found[limiter.name] = await limiter.status()
        except Exception as error:  # a bucket shared through an unreachable database
            found[limiter.name] = {"name": limiter.name,
                                   "error": f"unavailable ({type(error).__name__})"}
    return found


@router.get("/health", response_model=HealthBody, responses={
    503: {"model": HealthBody, "description": "A circuit is not CLOSED"}})
async def health(runtime: RuntimeDep) -> JSONResponse:
    """200 when every circuit is CLOSED, else 503 (the seed's contract), with details."""
    notifications = _circuit_state(runtime, NOTIFICATIONS_BREAKER)
    ai = _circuit_state(runtime, AI_BREAKER)
    services = {
        "notifications": {"enabled": runtime.settings.twilio_configured,
                          "circuitState": notifications, "healthy": notifications == "CLOSED"},
        "ai": {"initialized": runtime.claude is not None, "circuitState": ai,
               "healthy": ai == "CLOSED"},
    }
    database = await _database(runtime)
    body = {
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "services": services,
        "database": database,
        # A database that did not answer already cost one pool timeout: do not wait for another.
        "jobs": await _jobs(runtime) if database["reachable"] else {
            "error": f"database {database['status']}"},
        "circuitBreakers": {b.name: b.status() for b in runtime.registry.breakers()},
        "rateLimiters": await _limiters(runtime),
        "sources": await _sources(runtime) if database["reachable"] else {
            "error": f"database {database['status']}"},
    }
    healthy = all(breaker.state == "CLOSED" for breaker in runtime.registry.breakers()) and all(
        service["healthy"] for service in services.values())
    return JSONResponse(body, status_code=200 if healthy else 503)


@router.get("/health/live", response_model=ProbeBody)
async def live() -> dict[str, str]:
    """The process answers. Nothing else is checked, so a vendor outage never restarts us."""
    return {"status": "ok"}


@router.get("/health/ready", response_model=ProbeBody, responses={
    503: {"model": ProbeBody, "description": "Starting, stopping, or the database is down"}})
async def ready(runtime: RuntimeDep) -> JSONResponse:
    """Ready for traffic: start-up done, not shutting down, database reachable."""
    database = await _database(runtime)
    ok = runtime.ready and not runtime.shutting_down and database["reachable"]
    body = {"status": "ready" if ok else "not ready", "startupComplete": runtime.ready,
            "shuttingDown": runtime.shutting_down, "database": database}
    return JSONResponse(body, status_code=200 if ok else 503)
