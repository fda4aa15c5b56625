"""Claude behind the resilience toolkit: the seed's AIService.

One logical call goes through, from the outside in::

    breaker "claude-api"  (5 failures in 180 s open it for 120 s; 3 trial successes close it;
     │                     60 s bound on the whole call, retries included)
     └─ retry             (transient errors and Claude's 429s, backoff, retry-after honoured)
         └─ limiter "claude-requests" (one token per attempt: each attempt is a vendor request)
             └─ client    (the SDK, its own retries off)

Claude's 429s and invalid replies are ignored by the breaker; refusals by our own limiter are
too (they never reached Claude). :meth:`ClaudeService.probe` is the breaker over one token-free
request, for trials no post is there to make (:mod:`pipelineos.integrations.probe`). When the circuit opens after being closed, the owner gets one
critical alert; a failed trial that re-opens it is the same outage and sends none.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from pipelineos.integrations.claude import errors
from pipelineos.integrations.claude.client import ClaudeClient, RawReply, ToolRequest
from pipelineos.integrations.claude.usage import Usage
from pipelineos.resilience import (
    BreakerListener,
    CircuitBreaker,
    Clock,
    RateLimiter,
    RateLimitExceeded,
    Registry,
    Retry,
    State,
)

log = logging.getLogger(__name__)

BREAKER_NAME = "claude-api"
LIMITER_NAME = "claude-requests"
ALERT_MESSAGE = "Claude API circuit breaker OPEN - AI analysis unavailable"
# How long the call that opened the circuit waits for the alert to be handed over.
ALERT_WAIT_SECONDS = 5.0

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Protection:
    """The numbers that guard Claude (seconds; seed defaults)."""

    timeout: float = 60.0  # one logical call, retries included
    attempt_timeout: float = 25.0  # one HTTP attempt
    retry_attempts: int = 3
    retry_initial_delay: float = 1.0
    retry_max_backoff: float = 10.0
    # Waits between attempts (backoff, retry-after) end within this many seconds of the first
    # attempt; a longer retry-after is not waited for, the caller falls back instead.
    retry_budget: float = 20.0
    failure_threshold: int = 5
    window: float = 180.0
    reset_timeout: float = 120.0
    success_threshold: int = 3
    rate_limit_per_minute: float = 50.0


@dataclass(frozen=True)
class ToolReply(Generic[M]):
    """A validated answer and what it cost."""

    value: M
    request_id: str | None
    message_id: str
    model: str
    usage: Usage


class OpenCircuitAlert(BreakerListener):
    """Sends the critical alert when the breaker opens from CLOSED: once per outage."""

    def __init__(self, send: Callable[[str], Awaitable[None]]) -> None:
        self._send = send
        self.pending: set[asyncio.Task[None]] = set()

    def transitioned(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        if new is not State.OPEN or old is not State.CLOSED:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.error("Critical alert not sent: no event loop", extra={"fields": {
                "name": breaker.name, "message": ALERT_MESSAGE}})
            return
        task = loop.create_task(self._deliver())
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def _deliver(self) -> None:
        try:
            await self._send(ALERT_MESSAGE)
        except Exception:  # a notifier should not raise; if it does, say so and go on
            log.exception("Critical alert failed", extra={"fields": {"message": ALERT_MESSAGE}})

    async def drain(self, timeout: float) -> None:
        """Wait (up to ``timeout``) for alerts being handed to the notifier; never cancels them."""
        if self.pending:
            await asyncio.wait(set(self.pending), timeout=timeout)


class ClaudeService:
    """Structured calls to Claude through breaker, retry and limiter, with the seed's counters:
    ``requestCount`` requests sent (every attempt), ``successCount`` answered with a reply that
    validated, ``errorCount`` the rest (errors, timeouts and invalid replies)."""

    def __init__(self, client: ClaudeClient, *, model: str, breaker: CircuitBreaker, retry: Retry,
                 limiter: RateLimiter, alert: OpenCircuitAlert) -> None:
        self.client = client
        self.model = model
        self.breaker = breaker
        self.retry = retry
        self.limiter = limiter
        self.alert = alert
        self.request_count = 0
        self.success_count = 0
        self.error_count = 0
        self.invalid_reply_count = 0
        self.usage = Usage()

    @classmethod
    def build(cls, client: ClaudeClient, *, model: str, registry: Registry, clock: Clock,
              protection: Protection, send_alert: Callable[[str], Awaitable[None]]) -> ClaudeService:
        """A service whose breaker and limiter are registered under the seed's names."""
        p = protection
        breaker = registry.breaker(
            BREAKER_NAME, failure_threshold=p.failure_threshold, window=p.window,
            reset_timeout=p.reset_timeout, success_threshold=p.success_threshold,
            timeout=p.timeout, ignore=(errors.ClaudeRateLimited, errors.ClaudeInvalidReply),
        )
        alert = OpenCircuitAlert(send_alert)
        breaker.add_listener(alert)
        retry = Retry(
            attempts=p.retry_attempts, max_delay=min(p.retry_budget, p.timeout),
            initial_delay=p.retry_initial_delay,
            max_backoff=p.retry_max_backoff, jitter="full",
            retry_on=(errors.ClaudeTransientError, errors.ClaudeRateLimited),
            on_retry=_log_retry, clock=clock,
        )
        limiter = registry.limiter(LIMITER_NAME, per_minute=p.rate_limit_per_minute)
        return cls(client, model=model, breaker=breaker, retry=retry, limiter=limiter, alert=alert)

    async def call_tool(self, request: ToolRequest, output: type[M], *,
                        rate_limit_wait: float = 0.0) -> ToolReply[M]:
        """One logical call. Raises ``CircuitOpenError`` or ``RateLimitExceeded`` (refused
        before reaching Claude), a ``ClaudeError`` (Claude failed, after any retries), or
        ``CallTimeoutError`` (the whole call outlived its timeout)."""
        earlier = set(self.alert.pending)
        try:
            return await self.breaker.call_async(
                self.retry.call_async, self._attempt, request, output, rate_limit_wait
            )
        finally:
            # Only the call that opened the circuit waits for the alert's hand-over; calls
            # rejected meanwhile answer at once.
            opened = self.alert.pending - earlier
            if opened:
                await asyncio.wait(opened, timeout=ALERT_WAIT_SECONDS)

    async def probe(self) -> None:
        """One token-free request (the model's entry in the Models API) through the breaker
        alone: a trial for a half-open circuit when no post is waiting to be one. Not retried
        (one request, one outcome) and takes no rate-limit token: those budget billed requests.
        Raises like :meth:`call_tool`."""
        await self.breaker.call_async(self.client.check, self.model)

    async def _attempt(self, request: ToolRequest, output: type[M],
                       rate_limit_wait: float) -> ToolReply[M]:
        await self._take_token(rate_limit_wait)
        self.request_count += 1
        try:
            raw = await self.client.create(request)
        except BaseException:
            self.error_count += 1
            raise
        self.usage += raw.usage
        try:
            value = _validate(raw, output)
        except errors.ClaudeInvalidReply:
            self.error_count += 1
            self.invalid_reply_count += 1
            raise
        self.success_count += 1
        return ToolReply(value=value, request_id=raw.request_id, message_id=raw.message_id,
                         model=raw.model, usage=raw.usage)

    async def _take_token(self, wait: float) -> None:
        if wait <= 0:
            await self.limiter.try_acquire()
            return
        # The limiter's own deadline runs on the injected clock; this one bounds real time too.
        try:
            async with asyncio.timeout(wait + 0.5):
                await self.limiter.acquire(timeout=wait)
        except TimeoutError:
            raise RateLimitExceeded(LIMITER_NAME, wait) from None

    async def status(self) -> dict[str, Any]:
        """The seed's ``getHealth()`` shape, plus token detail."""
        limiter = await self.limiter.status()
        return {
            "initialized": True,
            "model": self.model,
            "requestCount": self.request_count,
            "successCount": self.success_count,
            "errorCount": self.error_count,
            "invalidReplyCount": self.invalid_reply_count,
            "totalTokensUsed": self.usage.total,
            "tokens": self.usage.as_dict(),
            "circuitBreaker": self.breaker.status(),
            "rateLimiter": {**limiter, "tokensRemaining": round(limiter["tokensRemaining"], 2)},
        }

    async def aclose(self) -> None:
        await self.alert.drain(ALERT_WAIT_SECONDS)
        await self.client.aclose()


def _validate(raw: RawReply, output: type[M]) -> M:
    if raw.tool_input is None:
        problem = "no tool call" if raw.stop_reason != "max_tokens" else "cut off at max_tokens"
        raise errors.ClaudeInvalidReply(f"Claude's reply is not usable: {problem}",
                                        request_id=raw.request_id, usage=raw.usage, model=raw.model)
    try:
        return output.model_validate(raw.tool_input)
    except ValidationError as error:
        where = "; ".join(
            f"{'.'.join(str(p) for p in item['loc']) or 'input'}: {item['type']}"
            for item in error.errors(include_input=False, include_url=False)[:5]
        )
        raise errors.ClaudeInvalidReply(f"Claude's reply did not validate ({where})",
                                        request_id=raw.request_id, usage=raw.usage,
                                        model=raw.model) from None


def _log_retry(error: BaseException, attempt: int, wait: float) -> None:
    log.warning("Claude call retried", extra={"fields": {
        "attempt": attempt, "waitSeconds": round(wait, 3), "error": type(error).__name__,
        "status": getattr(error, "status", None), "requestId": getattr(error, "request_id", None)}})
