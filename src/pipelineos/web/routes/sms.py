"""SMS: the seed's test endpoint, the notification status, and Twilio's status callbacks.

The outcomes of a send are mapped to HTTP with every other error, in web/errors.py: an open
circuit is 503, a spent rate limit 429, anything Twilio refused 502 with Twilio's error code.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Header, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from pipelineos.alerts.service import NotificationService
from pipelineos.errors import Forbidden, MalformedBody, ServiceUnavailable
from pipelineos.inputs import TextRule
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

log = logging.getLogger(__name__)

router = routing.router(tags=["sms"])

WEBHOOK_PATH = "/api/webhooks/twilio/status"
MAX_FORM_BYTES = 16_384


class SmsTestRequest(BaseModel):
    """``POST /api/test/sms``: the text only. The recipient is always ``YOUR_PHONE_NUMBER``;
    any other field (``to``...) is refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    message: Annotated[str, TextRule(1600, one_line=False)] = Field(
        description="The text; cut at a sentence boundary to the configured segment count.")


class SmsTestResult(BaseModel):
    success: bool
    enabled: bool
    sid: str | None = None
    status: str | None = None
    segments: int | None = None
    circuitState: str  # noqa: N815 (the seed's field name)


def _service(runtime: RuntimeDep) -> NotificationService:
    if runtime.notifications is None:
        raise ServiceUnavailable("Notifications are not running")
    return runtime.notifications


@router.post("/api/test/sms", response_model=SmsTestResult, responses={
    422: {"model": ErrorBody}, 429: {"model": ErrorBody, "description": "Rate limit exceeded"},
    502: {"model": ErrorBody, "description": "Twilio refused or failed"},
    503: {"model": ErrorBody, "description": "Circuit breaker is OPEN"}})
async def send_test_sms(body: SmsTestRequest, runtime: RuntimeDep) -> SmsTestResult:
    """Text the owner (``YOUR_PHONE_NUMBER``, and no one else) through the breaker and limiter."""
    service = _service(runtime)
    sent = await service.send_test(body.message)
    state = str(service.breaker.state)
    if sent is None:
        return SmsTestResult(success=True, enabled=False, circuitState=state)
    return SmsTestResult(success=True, enabled=True, sid=sent.sid, status=sent.status,
                         segments=sent.segments, circuitState=state)


@router.get("/api/notifications/status")
async def notification_status(runtime: RuntimeDep) -> dict[str, Any]:
    """enabled, sentCount, failedCount, failureRate, circuitBreaker, rateLimiter (the seed)."""
    return await _service(runtime).status()


@router.post(WEBHOOK_PATH, status_code=204, responses={
    400: {"model": ErrorBody, "description": "MessageSid or MessageStatus missing"},
    403: {"model": ErrorBody, "description": "No valid X-Twilio-Signature"},
    503: {"model": ErrorBody, "description": "Notifications are not running"}})
async def twilio_status_callback(
    request: Request, runtime: RuntimeDep,
    signature: Annotated[Annotated[str, TextRule(1000)] | None,
                         Header(alias="X-Twilio-Signature")] = None,
) -> Response:
    """Twilio's delivery report for one message, accepted only with a valid signature.

    Outside the API-key rule (Twilio cannot send our key): the signature, an HMAC of the URL
    and form with TWILIO_AUTH_TOKEN, is this route's authentication."""
    service = _service(runtime)
    settings = runtime.settings
    raw = await request.body()
    if settings.twilio_auth_token is None or len(raw) > MAX_FORM_BYTES:
        raise Forbidden("Signature not accepted")
    params = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    # Behind a proxy Twilio signs the public URL, not the one this request arrived on.
    url = str(request.url)
    if settings.twilio_webhook_base_url:
        query = f"?{request.url.query}" if request.url.query else ""
        url = f"{settings.twilio_webhook_base_url}{WEBHOOK_PATH}{query}"
    # Imported here on purpose: the module loads the Twilio SDK, which a server without Twilio
    # configured never loads (tests/unit/alerts/test_sms_boundaries.py).
    from pipelineos.integrations.twilio import signature as twilio_signature

    if not twilio_signature.verify(settings.twilio_auth_token.get_secret_value(), url, params,
                                   signature):
        log.warning("Rejected a status callback with a bad signature",
                    extra={"fields": {"signed": signature is not None}})
        raise Forbidden("Signature not accepted")
    sid = params.get("MessageSid") or params.get("SmsSid")
    status = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
    if not sid or not status:
        raise MalformedBody("MessageSid and MessageStatus are required")
    alert = request.query_params.get("alert")
    await service.record_status_callback(
        alert_id=int(alert) if alert and alert.isdigit() and len(alert) < 19 else None,
        sid=sid[:64], status=status[:32], error_code=_int(params.get("ErrorCode")))
    return Response(status_code=204)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
