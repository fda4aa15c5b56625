"""``GET /metrics``: Prometheus text, open like /health (it holds no secret)."""

from __future__ import annotations

from fastapi import Request, Response

from pipelineos.ops.metrics import CONTENT_TYPE, Metrics
from pipelineos.web import routing

router = routing.router(tags=["health"])


@router.get("/metrics", response_class=Response, responses={
    200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}},
          "description": "Prometheus text exposition format 0.0.4"}})
async def metrics(request: Request) -> Response:
    """Breakers, limiters, pool, jobs, SMS, AI, posts, leads and HTTP latency; see
    docs/operations.md for every metric."""
    collected: Metrics = request.app.state.metrics
    return Response(await collected.render(), media_type=CONTENT_TYPE)
