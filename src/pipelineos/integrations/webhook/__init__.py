"""The outbound lead webhook's HTTP side: sign a body, POST it (httpx), say what happened.

Signature (header ``X-PipelineOS-Signature``): ``t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>" keyed with LEAD_WEBHOOK_SECRET>``; docs/alerts.md shows the receiver's check.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

import httpx

from pipelineos.errors import PipelineError

SIGNATURE_HEADER = "X-PipelineOS-Signature"
EVENT_HEADER = "X-PipelineOS-Event"
EVENT_ID_HEADER = "X-PipelineOS-Event-Id"


class WebhookFailed(PipelineError):
    """The receiver did not answer 2xx (``status``), or could not be reached (None)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def sign(secret: str, timestamp: int, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, header: str, body: str, *, now: int, tolerance: int = 300) -> bool:
    """The receiver's check (what docs/alerts.md shows), used by our own tests."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected,
                                                                     parts.get("v1", ""))


def label(url: str) -> str:
    """The URL as logs and the API show it: scheme, host and port; path, query and any
    credentials (which may be tokens) left out."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/…"


class WebhookClient:
    """POSTs signed events to one URL."""

    def __init__(self, url: str, secret: str, *, timeout: float) -> None:
        self.url = url
        self.secret = secret
        self.label = label(url)
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def post(self, body: str, *, event_type: str, event_id: str, timestamp: int) -> int:
        """Send; the receiver's status. Raises :class:`WebhookFailed` unless 2xx."""
        headers = {"Content-Type": "application/json", "User-Agent": "PipelineOS-Webhook/1",
                   SIGNATURE_HEADER: sign(self.secret, timestamp, body),
                   EVENT_HEADER: event_type, EVENT_ID_HEADER: event_id}
        try:
            response = await self._client.post(self.url, content=body.encode(),
                                               headers=headers)
        except httpx.HTTPError as error:
            raise WebhookFailed(f"{self.label} unreachable: {type(error).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise WebhookFailed(f"{self.label} answered {response.status_code}",
                                status=response.status_code)
        return response.status_code

    async def close(self) -> None:
        await self._client.aclose()
