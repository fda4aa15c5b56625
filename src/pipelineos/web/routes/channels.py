"""Alert channels beside SMS and the lead webhook's delivery log (issue 16).

    GET  /api/channels                   each channel, redacted, with kinds, circuit, outbox
    POST /api/channels/test              a test notification to all channels or one
    GET  /api/webhooks/deliveries        the lead webhook's delivery log, newest first

Channel URLs hold passwords and tokens: only the redacted labels ever leave the server.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from pipelineos.alerts.channels import select_routes, send_test
from pipelineos.alerts.service import NotificationService
from pipelineos.errors import NotFound, ServiceUnavailable
from pipelineos.inputs import TextRule
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

router = routing.router(tags=["channels"])

MAX_ID = 2**63 - 1


def _service(runtime: RuntimeDep) -> NotificationService:
    if runtime.notifications is None:
        raise ServiceUnavailable("Notifications are not running")
    return runtime.notifications


class ChannelTestRequest(BaseModel):
    """``POST /api/channels/test``: what to send, and to which channel (its number in
    ``GET /api/channels``, 1-based, or its scheme); all channels when omitted."""

    model_config = ConfigDict(extra="forbid", strict=True)

    message: Annotated[str, TextRule(1000)] = "PipelineOS test notification: this channel works."
    channel: Annotated[str, TextRule(200)] | None = None


class ChannelTestOutcome(BaseModel):
    channel: str
    sent: bool
    error: str | None = None


@router.get("/api/channels")
async def list_channels(runtime: RuntimeDep) -> list[dict[str, Any]]:
    """Each configured channel, redacted: label, scheme, kinds, breaker, circuit, outbox."""
    channels = _service(runtime).channels
    return await channels.listing() if channels is not None else []


@router.post("/api/channels/test", responses={
    404: {"model": ErrorBody, "description": "No such channel, or none configured"},
    422: {"model": ErrorBody}})
async def test_channels(body: ChannelTestRequest,
                        runtime: RuntimeDep) -> list[ChannelTestOutcome]:
    """Send a test notification now, through each channel's breaker and limiter."""
    channels = _service(runtime).channels
    routes = select_routes(channels.routes if channels is not None else [], body.channel)
    if not routes:
        raise NotFound("No such alert channel" if body.channel
                       else "No alert channels configured")
    outcomes = await send_test(routes, body.message)
    return [ChannelTestOutcome(channel=o.label, sent=o.sent, error=o.error) for o in outcomes]


@router.get("/api/webhooks/deliveries")
async def webhook_deliveries(
    runtime: RuntimeDep,
    status: Annotated[Literal["pending", "sending", "sent", "failed"] | None, Query()] = None,
    lead_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """The lead webhook's events, newest first: type, lead, status, attempts, the receiver's
    last HTTP status and error, when sent."""
    return await _service(runtime).webhook_deliveries(limit=limit, status=status,
                                                      lead_id=lead_id)
