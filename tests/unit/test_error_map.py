"""web/errors.py is the one map from errors to HTTP: the SMS route's refusals included, and no
route builds an error response of its own."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

import pipelineos.web.routes as routes_package
from pipelineos.errors import Forbidden, MalformedBody
from pipelineos.integrations.twilio.errors import RecipientRejected
from pipelineos.resilience import CircuitOpenError, RateLimitExceeded
from pipelineos.web import errors

RAISED: dict[str, Exception] = {
    "circuit": CircuitOpenError("twilio-api", 12.4),
    "circuit-no-wait": CircuitOpenError("twilio-api", None),
    "limit": RateLimitExceeded("twilio-rate", 0.2),
    "sms": RecipientRejected("Twilio error 21608: unverified", status=400, code=21608),
    "forbidden": Forbidden("Signature not accepted"),
    "malformed": MalformedBody("MessageSid and MessageStatus are required"),
}


def _app() -> FastAPI:
    app = FastAPI()
    errors.install(app)

    @app.get("/raise/{kind}")
    async def _raise(kind: str) -> None:
        raise RAISED[kind]

    return app


@pytest.mark.parametrize(("kind", "status", "retry_after"), [
    ("circuit", 503, "12"), ("circuit-no-wait", 503, None), ("limit", 429, "1"),
    ("forbidden", 403, None), ("malformed", 400, None)])
async def test_refusals_become_their_status_with_the_wait(
        kind: str, status: int, retry_after: str | None) -> None:
    """An open circuit is 503, a spent rate limit 429, each saying when to retry (whole
    seconds, at least 1); a refused signature 403; a callback without its fields 400."""
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get(f"/raise/{kind}")
    assert response.status_code == status
    assert response.json() == {"error": str(RAISED[kind])}
    assert response.headers.get("Retry-After") == retry_after


async def test_an_sms_twilio_refused_is_502_with_its_code_and_status() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/raise/sms")
    assert response.status_code == 502
    assert response.json() == {"error": "Twilio error 21608: unverified", "code": 21608,
                               "status": 400}


def test_no_route_maps_errors_itself() -> None:
    """Route modules raise; they do not build error responses or catch the errors the map
    handles."""
    pattern = re.compile(r"error_response|except (CircuitOpenError|RateLimitExceeded|SmsError)")
    for path in Path(routes_package.__file__).parent.glob("*.py"):
        assert not pattern.search(path.read_text()), path.name
