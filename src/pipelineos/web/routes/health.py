"""Health: the seed's ``/health`` body, plus probes that do not flap with a vendor outage."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from pipelineos.db.pool import pool_stats
from pipelineos.web.deps import RuntimeDep

router = APIRouter(tags=["health"])


async def _database(runtime: RuntimeDep) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with runtime.pool.connection(timeout=2.0) as conn:
            await conn.execute("SELECT 1")
        reachable = True
    except Exception:
        reachable = False
    return {
        "reachable": reachable,
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


@router.get("/health")
async def health(runtime: RuntimeDep) -> JSONResponse:
    """200 when every circuit is CLOSED, else 503 (the seed's contract)."""
    notifications = _circuit_state(runtime, NOTIFICATIONS_BREAKER)
    ai = _circuit_state(runtime, AI_BREAKER)
    services = {
        "notifications": {"enabled": runtime.settings.twilio_configured,
                          "circuitState": notifications, "healthy": notifications == "CLOSED"},
        "ai": {"initialized": runtime.claude is not None, "circuitState": ai,
               "healthy": ai == "CLOSED"},
    }
    body = {
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "services": services,
        "database": await _database(runtime),
    }
    healthy = all(breaker.state == "CLOSED" for breaker in runtime.registry.breakers()) and all(
        service["healthy"] for service in services.values())
    return JSONResponse(body, status_code=200 if healthy else 503)


@router.get("/health/live")
async def live() -> dict[str, str]:
    """The process answers. Nothing else is checked, so a vendor outage never restarts us."""
    return {"status": "ok"}


@router.get("/health/ready")
async def ready(runtime: RuntimeDep) -> JSONResponse:
    """Ready for traffic: start-up done, not shutting down, database reachable."""
    database = await _database(runtime)
    ok = runtime.ready and not runtime.shutting_down and database["reachable"]
    body = {"status": "ready" if ok else "not ready", "startupComplete": runtime.ready,
            "shuttingDown": runtime.shutting_down, "database": database}
    return JSONResponse(body, status_code=200 if ok else 503)
