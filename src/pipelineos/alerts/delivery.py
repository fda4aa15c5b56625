"""Delivering the outbox: claim the most urgent due alert, send it once, record the outcome.

:meth:`Delivery.sweep` sends until nothing is due, the circuit is open or the rate limit is
spent, and says when it is worth looking again. It is safe to run in any number of tasks and
processes at once (claims use ``FOR UPDATE SKIP LOCKED``), which is how the in-process fast path
(:mod:`pipelineos.alerts.listener`) and the job engine's scheduled sweeps share the work.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts import outbox, text
from pipelineos.alerts.fallback import fall_back
from pipelineos.alerts.outbox import Claimed
from pipelineos.alerts import sender as sending
from pipelineos.alerts.sender import Attempts, Sender
from pipelineos.clock import Clock
from pipelineos.integrations.twilio import errors
from pipelineos.resilience import CallRejected, CircuitOpenError, RateLimitExceeded, State

log = logging.getLogger(__name__)

# A failed alert waits this long before its next attempt, doubling per attempt up to the cap.
RETRY_BASE_SECONDS = 5.0
RETRY_CAP_SECONDS = 600.0
# Only a lead nobody has acted on yet is worth a text.
ALERTABLE_LEAD_STATES = frozenset({"new"})


@dataclass(frozen=True)
class SweepResult:
    """How many alerts reached a final state, and when to look again (None: only when told)."""

    delivered: int
    wait: float | None


@dataclass(frozen=True)
class TextStyle:
    max_segments: int
    link_base_url: str | None
    webhook_base_url: str | None

    def callback_url(self, alert_id: int) -> str | None:
        if not self.webhook_base_url:
            return None
        return f"{self.webhook_base_url}/api/webhooks/twilio/status?alert={alert_id}"


def retry_delay(attempts: int) -> float:
    """Seconds before the next try of an alert that has failed ``attempts`` times."""
    return min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2.0 ** max(0, attempts - 1))


class Delivery:
    """Moves outbox rows to a final state. ``sender`` is None when Twilio is not configured:
    alerts are then written to the log and stored as 'logged'."""

    def __init__(self, pool: AsyncConnectionPool, *, sender: Sender | None, clock: Clock,
                 style: TextStyle, claim_timeout: float) -> None:
        self.pool = pool
        self.sender = sender
        self.clock = clock
        self.style = style
        self.claim_timeout = claim_timeout

    # -- sweeping ---------------------------------------------------------------------------

    async def sweep(self, limit: int = 100, stop: Callable[[], bool] = lambda: False, *,
                    report_next: bool = True) -> SweepResult:
        """Deliver due alerts, most urgent first, until ``limit`` are done, nothing more can
        go now, or ``stop()`` says so (checked between alerts). ``report_next=False`` skips
        the query for when deferred alerts fall due (a helper sweep beside a main one)."""
        delivered, recovered = 0, False
        while delivered < limit and not stop():
            blocked = await self._blocked_for()
            if blocked is not None:
                if self._circuit_open():
                    await self._fall_back(None)  # no text can go: the critical channels hear
                return SweepResult(delivered, blocked)
            now = self.clock.now()
            async with self.pool.connection() as conn:
                claimed = await outbox.claim_next(conn, now=now)
            if claimed is None:
                if not report_next:
                    return SweepResult(delivered, None)
                wait, handed_back = await self._next_look(recover=not recovered)
                if handed_back:
                    recovered = True
                    continue  # a dead worker's alerts are due again: deliver them now
                return SweepResult(delivered, wait)
            outcome = await self._deliver(claimed)
            if outcome is _REJECTED:
                return SweepResult(delivered, await self._blocked_for() or 0.05)
            if outcome is _DONE:
                delivered += 1
        return SweepResult(delivered, 0.0)

    async def _blocked_for(self) -> float | None:
        """Seconds until the breaker or the limiter would let a send through; None if now."""
        if self.sender is None:
            return None
        breaker = self.sender.breaker
        state = breaker.state  # reading it moves OPEN to HALF_OPEN once the reset time passed
        if state in (State.OPEN, State.FORCED_OPEN):
            retry_after = breaker.status().get("retryAfterSeconds")
            return float(retry_after) if isinstance(retry_after, (int, float)) else 60.0
        limiter = self.sender.limiter
        tokens = await limiter.tokens_remaining()
        if tokens < 1:
            return max(0.05, (1 - tokens) / limiter.refill_per_second)
        return None

    def _circuit_open(self) -> bool:
        return self.sender is not None and self.sender.breaker.state in (State.OPEN,
                                                                         State.FORCED_OPEN)

    async def _fall_back(self, alert_id: int | None) -> None:
        """The text of ``alert_id`` (None: of every lead alert waiting) cannot go out now: queue
        it for the ``critical`` channels too (once per pair; nothing when there are none)."""
        try:
            async with self.pool.connection() as conn:
                added = await fall_back(conn, alert_id)
        except Exception as error:  # the text itself is still queued; only the copy is late
            log.error("Fallback to critical channels failed",
                      extra={"fields": {"alert_id": alert_id, "error": type(error).__name__}})
            return
        if added:
            log.warning("SMS alert sent to critical channels instead",
                        extra={"fields": {"alert_id": alert_id, "deliveries": added}})

    async def _next_look(self, *, recover: bool) -> tuple[float | None, int]:
        """Seconds until an alert falls due or the oldest claim is old enough to be a dead
        worker's (None: nothing waiting or in flight); with ``recover``, claims already that
        old are handed back first, and how many were is the second value."""
        async with self.pool.connection() as conn:
            due_now, deferred, oldest_claim = await outbox.next_due(conn)
        if due_now:
            return 0.05, 0  # another worker holds it locked this very moment
        now = self.clock.now()
        waits = [] if deferred is None else [(deferred - now).total_seconds()]
        if oldest_claim is not None:
            recoverable_in = (oldest_claim - now).total_seconds() + self.claim_timeout
            if recoverable_in >= 0:
                waits.append(recoverable_in + 0.05)  # strictly older than the claim timeout
            elif recover and (handed_back := await self.recover_stuck()):
                return 0.0, handed_back
            else:
                waits.append(1.0)  # the claim moved on meanwhile: look again soon
        return (max(0.05, min(waits)) if waits else None), 0

    async def recover_stuck(self) -> int:
        """Put claims older than the claim timeout (their worker died) back in the queue. A
        sweep that finds nothing due does this too, once the oldest claim is old enough."""
        cutoff = self.clock.now() - timedelta(seconds=self.claim_timeout)
        async with self.pool.connection() as conn:
            recovered = await outbox.recover_stuck(conn, cutoff=cutoff)
        if recovered:
            log.warning("Recovered interrupted alert deliveries",
                        extra={"fields": {"alerts": recovered}})
        return len(recovered)

    # -- one alert --------------------------------------------------------------------------

    async def _deliver(self, claimed: Claimed) -> object:
        if claimed.kind == "lead" and claimed.lead_status not in ALERTABLE_LEAD_STATES:
            async with self.pool.connection() as conn:
                await outbox.mark_done(conn, claimed, "suppressed",
                                       error=f"lead is {claimed.lead_status}")
            return _DONE
        body = claimed.body or self.compose(claimed)
        if self.sender is None:
            async with self.pool.connection() as conn:
                await outbox.mark_done(conn, claimed, "logged", body=body)
            log.warning("SMS alert (notifications disabled)",
                        extra={"fields": {"alert_id": claimed.id, "kind": claimed.kind,
                                          "lead_id": claimed.lead_id, "text": body}})
            if claimed.kind == "lead":
                await self._fall_back(claimed.id)
            return _DONE
        async with self.pool.connection() as conn:
            started = await outbox.begin_send(conn, claimed, body)
        if started is None:
            return _LOST
        body, since = started
        attempts = Attempts(maybe_sent=claimed.maybe_sent)
        try:
            sent = await self.sender.send(body, attempts=attempts, since=since,
                                          status_callback=self.style.callback_url(claimed.id))
        except asyncio.CancelledError:
            # Stopped mid-send (shutdown): hand the alert back now rather than leave it for
            # recovery, flagged so the next delivery looks at Twilio before sending.
            attempts.maybe_sent = attempts.maybe_sent or attempts.requests > 0
            await asyncio.shield(self._retry(claimed, attempts, None, RuntimeError("stopped")))
            raise
        except CallRejected as rejection:
            # Nothing left this time: back in the queue, due as soon as sending is possible.
            await self._retry(claimed, attempts, None, rejection)
            if claimed.kind == "lead" and isinstance(rejection, CircuitOpenError):
                await self._fall_back(claimed.id)
            return _REJECTED
        except errors.RecipientRejected as error:
            async with self.pool.connection() as conn:
                await outbox.mark_done(conn, claimed, "failed", attempted=attempts.requests,
                                       error_code=error.code, error=str(error))
            log.error("SMS alert rejected by Twilio",
                      extra={"fields": {"alert_id": claimed.id, "code": error.code}})
            if claimed.kind == "lead":
                await self._fall_back(claimed.id)
            return _DONE
        except Exception as error:
            delay = retry_delay(claimed.attempts + max(1, attempts.requests))
            hint = getattr(error, "retry_after", None)
            if isinstance(hint, (int, float)):
                delay = max(delay, float(hint))
            await self._retry(claimed, attempts, self.clock.now() + timedelta(seconds=delay),
                              error)
            log.warning("SMS alert not sent; will retry",
                        extra={"fields": {"alert_id": claimed.id, "error": type(error).__name__,
                                          "code": getattr(error, "code", None),
                                          "retryInSeconds": round(delay, 1),
                                          "maybeSent": attempts.maybe_sent}})
            if claimed.kind == "lead" and not sending.is_transient(error):
                # Refused for good until someone fixes the account: the owner hears elsewhere.
                await self._fall_back(claimed.id)
            return _RETRY
        async with self.pool.connection() as conn:
            recorded = await outbox.mark_sent(conn, claimed, sid=sent.sid,
                                              twilio_status=sent.status,
                                              attempted=attempts.requests, now=self.clock.now())
        if not recorded:
            # Our claim was recovered as dead while we sent: the row is pending and flagged,
            # so whoever picks it up finds this message at Twilio instead of sending again.
            log.warning("SMS alert sent after its claim was recovered",
                        extra={"fields": {"alert_id": claimed.id, "sid": sent.sid}})
        log.info("SMS alert sent",
                 extra={"fields": {"alert_id": claimed.id, "kind": claimed.kind,
                                   "lead_id": claimed.lead_id, "sid": sent.sid,
                                   "foundByLookup": sent.found_by_lookup}})
        return _DONE

    async def _retry(self, claimed: Claimed, attempts: Attempts, at: datetime | None,
                     error: BaseException) -> None:
        code = getattr(error, "code", None)
        message = str(error) if not isinstance(error, (CircuitOpenError, RateLimitExceeded)) \
            else type(error).__name__
        async with self.pool.connection() as conn:
            await outbox.mark_retry(conn, claimed, next_attempt_at=at,
                                    attempted=attempts.requests, maybe_sent=attempts.maybe_sent,
                                    error_code=code if isinstance(code, int) else None,
                                    error=message[:300])

    def compose(self, claimed: Claimed) -> str:
        if claimed.kind == "lead" and claimed.lead_id is not None:
            facts = text.LeadFacts(
                lead_id=claimed.lead_id, category=claimed.category, location=claimed.location,
                urgency=claimed.urgency, group_name=claimed.group_name,
                post_text=claimed.post_text or "")
            return text.lead_alert(facts, max_segments=self.style.max_segments,
                                   link_base_url=self.style.link_base_url)
        return text.fit(f"PipelineOS alert #{claimed.id}", self.style.max_segments)


_DONE, _RETRY, _REJECTED, _LOST = object(), object(), object(), object()
