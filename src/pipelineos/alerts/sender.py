"""One logical send to the owner: breaker outside retry, a rate-limit token per request, and a
look at Twilio before any re-send whose predecessor may have arrived.

    breaker("twilio-api")                 one logical send = one breaker outcome
      └─ retry (transient errors only)    attempts, exponential backoff with jitter
           └─ look-up, if an earlier request's outcome is unknown
           └─ limiter("twilio-sms")       each request to create a message costs a token
           └─ gateway.send               one HTTP request, bounded by a timeout

Guarantee: at most one create request per attempt, and no attempt after one whose outcome is
unknown (timeout, 5xx, connection lost after writing) until a look-up at Twilio has found no
message with this text since the first request. See docs/alerts.md for what that covers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from pipelineos.integrations.twilio import errors
from pipelineos.integrations.twilio.errors import SmsError
from pipelineos.integrations.twilio.model import SentMessage
from pipelineos.resilience import CallRejected, CircuitBreaker, RateLimiter, Retry


class Gateway(Protocol):
    """What delivery needs from an SMS vendor (``integrations.twilio.gateway`` implements it)."""

    async def send(self, to: str, body: str, *, status_callback: str | None = None
                   ) -> SentMessage: ...

    async def find(self, to: str, body: str, *, since: datetime) -> SentMessage | None: ...

    async def check(self) -> None:
        """Raise an ``SmsError`` unless the vendor answers a request that sends nothing."""
        ...

    async def close(self) -> None: ...


@dataclass
class Attempts:
    """What happened during one logical send, for the outbox row."""

    requests: int = 0  # create requests that were made (whatever their outcome)
    maybe_sent: bool = False  # some request's outcome is unknown and no look-up settled it


@dataclass
class Counters:
    """The seed's sentCount/failedCount, per process, over logical sends."""

    sent: int = 0
    failed: int = 0
    rejected: int = 0

    def as_status(self) -> dict[str, object]:
        done = self.sent + self.failed
        rate = f"{self.failed / done * 100:.2f}%" if done else "0.00%"
        return {"sentCount": self.sent, "failedCount": self.failed, "failureRate": rate,
                "rejectedCount": self.rejected}


def longest_send(*, request_timeout: float, attempts: int, initial_backoff: float,
                 max_backoff: float) -> float:
    """The longest one logical send can run, in seconds, so that a claim older than this (plus
    a margin) is known to belong to a dead worker: every attempt a look-up (the gateway bounds
    it by twice the request timeout) and one create request, and between attempts the largest
    wait full-jitter backoff can draw. Twilio's errors carry no retry-after hint (the gateway
    sets none), so no wait is longer."""
    waits = sum(min(max_backoff, initial_backoff * 2.0 ** k) for k in range(attempts - 1))
    return attempts * 3 * request_timeout + waits


def is_transient(error: BaseException) -> bool:
    """Retried: Twilio unreachable or failing (5xx, timeouts, connection) or throttling us."""
    return isinstance(error, (errors.TwilioUnavailable, errors.TwilioThrottled))


def ignored_by_breaker(error: BaseException) -> bool:
    """Neither success nor failure: the recipient's problem, or Twilio asking us to slow down."""
    return isinstance(error, (errors.RecipientRejected, errors.TwilioThrottled))


class Sender:
    """Sends to the one number it was built for; nothing else can be addressed."""

    def __init__(self, gateway: Gateway, *, to: str, breaker: CircuitBreaker,
                 limiter: RateLimiter, retry: Retry, counters: Counters) -> None:
        self.gateway = gateway
        self.to = to
        self.breaker = breaker
        self.limiter = limiter
        self.retry = retry
        self.counters = counters

    async def send(self, body: str, *, attempts: Attempts | None = None,
                   since: datetime | None = None,
                   status_callback: str | None = None) -> SentMessage:
        """Send ``body`` once. Raises ``CircuitOpenError``/``RateLimitExceeded`` (nothing was
        sent) or an ``SmsError`` after the retry budget; ``attempts`` tells what was tried.

        ``attempts.maybe_sent`` on entry says an earlier logical send may have reached Twilio
        (from ``since``), so the first attempt looks before sending.
        """
        track = attempts if attempts is not None else Attempts()
        window = since or datetime.now(UTC)

        async def attempt() -> SentMessage:
            if track.maybe_sent:
                found = await self.gateway.find(self.to, body, since=window)
                if found is not None:
                    track.maybe_sent = False
                    return found
                # Looked and it is not there: the earlier request did not create it.
                track.maybe_sent = False
            await self.limiter.try_acquire()
            track.requests += 1
            try:
                return await self.gateway.send(self.to, body, status_callback=status_callback)
            except SmsError as error:
                if error.maybe_sent:
                    track.maybe_sent = True
                raise

        call: Callable[[], Awaitable[SentMessage]] = attempt
        try:
            sent = await self.breaker.call_async(self.retry.call_async, call)
        except SmsError:
            self.counters.failed += 1
            raise
        except Exception as error:
            if isinstance(error, CallRejected):
                self.counters.rejected += 1
            raise
        self.counters.sent += 1
        return sent

    async def probe(self) -> None:
        """One request that sends nothing (``gateway.check``) through the breaker alone: a trial
        for a half-open circuit when no alert is waiting to be one. Not retried and takes no
        SMS token (it is not a message). Raises ``CallRejected`` or an ``SmsError``."""
        await self.breaker.call_async(self.gateway.check)

