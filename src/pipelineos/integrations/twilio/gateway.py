"""Sending and finding SMS through the official ``twilio`` SDK's async client, and a check that
Twilio answers (fetching our account, which sends nothing).

One :class:`TwilioGateway` per process holds one aiohttp session. Each call is one HTTP
request (the SDK's own retries are off: retry policy belongs to the caller, outside which sits
the circuit breaker), bounded by ``timeout``, and every failure leaves as an
:mod:`~pipelineos.integrations.twilio.errors` error, raised ``from None`` so no SDK or aiohttp
object, whose repr can carry the ``Authorization`` header, travels up with it.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
# The SDK ships no type information.
from twilio.base.exceptions import (  # type: ignore[import-untyped]
    TwilioException,
    TwilioRestException,
)
from twilio.http.async_http_client import AsyncTwilioHttpClient  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from pipelineos.integrations.twilio import errors
from pipelineos.integrations.twilio.model import SentMessage

log = logging.getLogger(__name__)
# The SDK logs every request and response at INFO; ours are logged as events by the caller.
_sdk_log = logging.getLogger("pipelineos.integrations.twilio.sdk")
_sdk_log.setLevel(logging.WARNING)

# How far back, before our first request, a message of ours may be dated by Twilio's clock.
CLOCK_SKEW = timedelta(minutes=5)
# Most messages read from the owner's recent history when looking for one of ours.
LOOKUP_LIMIT = 1000


class TwilioGateway:
    """Sends from ``from_number`` with the account's credentials, at ``api_base_url``."""

    def __init__(self, *, account_sid: str, auth_token: str, from_number: str,
                 api_base_url: str = "https://api.twilio.com", timeout: float = 10.0) -> None:
        self.from_number = from_number
        self.timeout = timeout
        self._account_sid = account_sid
        basic = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._secrets = (auth_token, basic)
        # The SDK's retries stay off (max_retries=None): one call here is one request.
        self._http = AsyncTwilioHttpClient(timeout=timeout, logger=_sdk_log)
        # A non-empty environment keeps the SDK from reading TWILIO_EDGE/REGION from ours.
        self._client = Client(account_sid, auth_token, http_client=self._http,
                              environment={"PIPELINEOS": "1"})
        # The SDK builds every URL from its domain's base URL; pointing it elsewhere is how
        # tests and staging talk to a loopback Twilio through the real client.
        self._client.api.base_url = api_base_url.rstrip("/")

    async def close(self) -> None:
        await self._http.close()

    async def send(self, to: str, body: str, *, status_callback: str | None = None) -> SentMessage:
        """Create one message. Raises an ``errors.SmsError``; ``maybe_sent`` says whether the
        request may have reached Twilio (a timeout or 5xx after the request was written)."""
        kwargs: dict[str, Any] = {"to": to, "from_": self.from_number, "body": body}
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            async with asyncio.timeout(self.timeout):
                message = await self._client.messages.create_async(**kwargs)
        except Exception as error:  # noqa: BLE001 (translated below, nothing else escapes)
            raise self._translate(error, sending=True) from None
        segments = _int(getattr(message, "num_segments", None))
        return SentMessage(sid=str(message.sid), status=str(message.status or "queued"),
                           segments=segments)

    async def find(self, to: str, body: str, *, since: datetime) -> SentMessage | None:
        """Our message to ``to`` whose text contains ``body``, created at or after ``since``
        (minus clock skew), if Twilio holds one. Twilio lists newest first (unsent first)."""
        window_start = since - CLOCK_SKEW
        try:
            async with asyncio.timeout(self.timeout * 2):
                stream = await self._client.messages.stream_async(
                    to=to, from_=self.from_number, page_size=50, limit=LOOKUP_LIMIT)
                async for message in stream:
                    created = message.date_created
                    if created is not None and body in (message.body or ""):
                        if created.astimezone(UTC) >= window_start:
                            return SentMessage(sid=str(message.sid),
                                               status=str(message.status or "queued"),
                                               segments=_int(message.num_segments),
                                               found_by_lookup=True)
                    if (created is not None and message.date_sent is not None
                            and created.astimezone(UTC) < window_start):
                        break  # everything further down is older still
        except Exception as error:  # noqa: BLE001
            raise self._translate(error, sending=False) from None
        return None

    async def check(self) -> None:
        """Fetch our account: a request that sends and costs nothing, answered only when
        Twilio is up and takes our credentials (the circuit probe's trial). Raises an
        ``errors.SmsError``; ``TwilioAuthError`` also for a suspended or closed account, which
        could not send either."""
        try:
            async with asyncio.timeout(self.timeout):
                account = await self._client.api.v2010.accounts(self._account_sid).fetch_async()
        except Exception as error:  # noqa: BLE001 (translated below, nothing else escapes)
            raise self._translate(error, sending=False) from None
        status = getattr(account, "status", None)
        if status not in (None, "active"):
            raise errors.TwilioAuthError(f"Twilio account is {status}")

    def _translate(self, error: BaseException, *, sending: bool) -> errors.SmsError:
        """An ``errors.SmsError`` for anything the SDK or the network raised."""
        if isinstance(error, TimeoutError):
            return errors.TwilioUnavailable(
                f"Twilio did not answer within {self.timeout:g} s", maybe_sent=sending)
        if isinstance(error, aiohttp.ClientConnectorError):
            # The connection was never made: nothing was sent.
            return errors.TwilioUnavailable("Could not connect to Twilio", maybe_sent=False)
        if isinstance(error, aiohttp.ClientError):
            # Connected, then lost: the request may have been read.
            return errors.TwilioUnavailable(
                f"Connection to Twilio failed ({type(error).__name__})", maybe_sent=sending)
        if isinstance(error, TwilioRestException):
            message = errors.scrub(str(error.msg or ""), self._secrets)
            return errors.from_response(int(error.status), _int(error.code), message)
        status = _int(getattr(error, "status", None))
        if status is not None:  # TwilioServiceException (RFC 9457 bodies)
            detail = getattr(error, "detail", None) or getattr(error, "title", "") or ""
            return errors.from_response(status, _int(getattr(error, "code", None)),
                                        errors.scrub(str(detail), self._secrets))
        if isinstance(error, TwilioException) and len(error.args) > 1:
            # A list page that was not 200: the SDK passes the raw response along.
            response = error.args[1]
            code, message = _error_body(getattr(response, "text", ""))
            return errors.from_response(int(getattr(response, "status_code", 500)), code,
                                        errors.scrub(message, self._secrets))
        log.warning("Unexpected error from the Twilio client",
                    extra={"fields": {"error": type(error).__name__}})
        return errors.TwilioUnavailable(f"Twilio client error ({type(error).__name__})",
                                        maybe_sent=sending)


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]
    except (TypeError, ValueError):
        return None


def _error_body(text: str) -> tuple[int | None, str]:
    import json

    try:
        payload = json.loads(text)
    except ValueError:
        return None, "unreadable error body"
    if not isinstance(payload, dict):
        return None, "unreadable error body"
    return _int(payload.get("code")), str(payload.get("message", ""))
