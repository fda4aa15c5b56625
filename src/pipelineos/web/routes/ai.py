"""AI status: the seed's ``AIService.getHealth()``, plus the usage every process recorded."""

from __future__ import annotations

from typing import Any

from pipelineos.ingest import ai_usage
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep

router = routing.router(prefix="/api/ai", tags=["ai"])


@router.get("/status")
async def status(runtime: RuntimeDep) -> dict[str, Any]:
    """``initialized``, ``requestCount``, ``successCount``, ``errorCount``, ``totalTokensUsed``,
    ``circuitBreaker`` and ``rateLimiter`` for this process (null breaker and limiter when no
    API key is configured and the local analyzer serves), and ``recorded``: requests and
    tokens stored by every process."""
    claude = runtime.claude
    if claude is None:
        body: dict[str, Any] = {
            "initialized": False, "analyzer": "local", "requestCount": 0, "successCount": 0,
            "errorCount": 0, "totalTokensUsed": 0, "circuitBreaker": None, "rateLimiter": None,
        }
    else:
        body = {**await claude.service.status(), "analyzer": "claude",
                "prefilter": claude.routing.prefilter,
                "prefilterConfidence": claude.routing.prefilter_confidence,
                "batchSize": claude.routing.batch_size,
                "fallbackDelaySeconds": claude.routing.fallback_delay.total_seconds()}
    async with runtime.pool.connection() as conn:
        body["recorded"] = await ai_usage.totals(conn)
    return body
