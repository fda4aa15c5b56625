"""The outbound lead webhook (issue 16): ``lead.created`` and ``lead.status_changed`` events,
POSTed as JSON to LEAD_WEBHOOK_URL, signed with LEAD_WEBHOOK_SECRET.

Triggers on ``leads`` write one ``webhook_outbox`` row per event in the transaction that made
the change (0019), so an event is never lost; delivery sends rows oldest first through the
breaker ``lead-webhook`` (retry inside it, limiter inside that), the same parts as SMS. A row the
receiver does not take (not 2xx, or unreachable) is tried again with backoff (5 s doubling to
10 minutes) until 24 hours after the event, then marked ``failed``. Each event carries an id
(``X-PipelineOS-Event-Id`` and ``id`` in the body) for the receiver's idempotency: a process
that dies after the receiver answered and before the row was marked sends it again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts.delivery import SweepResult
from pipelineos.clock import Clock
from pipelineos.db import sql
from pipelineos.resilience import CallRejected, CircuitBreaker, RateLimiter, Retry, State

log = logging.getLogger(__name__)

QUERIES = sql.load(__package__, "webhook.sql")

GIVE_UP_AFTER = timedelta(hours=24)
RETRY_BASE_SECONDS = 5.0
RETRY_CAP_SECONDS = 600.0


class Poster(Protocol):
    """``integrations.webhook.WebhookClient``."""

    @property
    def url(self) -> str: ...

    @property
    def label(self) -> str: ...

    async def post(self, body: str, *, event_type: str, event_id: str,
                   timestamp: int) -> int: ...

    async def close(self) -> None: ...


def target_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def retry_delay(attempts: int) -> float:
    return min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2.0 ** max(0, attempts - 1))


class WebhookDelivery:
    """Sweeps one target's events; the listener's ``Sweeper``."""

    def __init__(self, pool: AsyncConnectionPool, poster: Poster, *, clock: Clock,
                 breaker: CircuitBreaker, limiter: RateLimiter, retry: Retry,
                 claim_timeout: float) -> None:
        self.pool = pool
        self.poster = poster
        self.target = target_key(poster.url)
        self.clock = clock
        self.breaker = breaker
        self.limiter = limiter
        self.retry = retry
        self.claim_timeout = claim_timeout

    async def sync(self) -> None:
        """Record this target (so leads' triggers write its events); others stop."""
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(QUERIES["deactivate_targets"], {"targets": [self.target]})
            await conn.execute(QUERIES["upsert_target"],
                               {"target": self.target, "label": self.poster.label})

    async def _blocked_for(self) -> float | None:
        if self.breaker.state in (State.OPEN, State.FORCED_OPEN):
            retry_after = self.breaker.status().get("retryAfterSeconds")
            return float(retry_after) if isinstance(retry_after, (int, float)) else 60.0
        tokens = await self.limiter.tokens_remaining()
        if tokens < 1:
            return max(0.05, (1 - tokens) / self.limiter.refill_per_second)
        return None

    async def sweep(self, limit: int = 100, stop: Callable[[], bool] = lambda: False, *,
                    report_next: bool = True) -> SweepResult:
        delivered = 0
        while delivered < limit and not stop():
            blocked = await self._blocked_for()
            if blocked is not None:
                return SweepResult(delivered, blocked)
            now = self.clock.now()
            claim_id = uuid.uuid4()
            async with self.pool.connection() as conn:
                async with conn.cursor(row_factory=dict_row) as cur:
                    await cur.execute(QUERIES["claim_next"], {
                        "target": self.target, "now": now, "claim_id": claim_id})
                    row = await cur.fetchone()
            if row is None:
                return SweepResult(delivered, await self._next_look() if report_next else None)
            outcome = await self._deliver(claim_id, row)
            if outcome == "rejected":
                return SweepResult(delivered, await self._blocked_for() or 0.05)
            if outcome == "done":
                delivered += 1
        return SweepResult(delivered, 0.0)

    async def _next_look(self) -> float | None:
        now = self.clock.now()
        async with self.pool.connection() as conn:
            cur = await conn.execute(QUERIES["next_due"], {"target": self.target, "now": now})
            row = await cur.fetchone()
        if row is None:
            return None
        due_now, deferred, oldest_claim = row
        if due_now:
            return 0.05
        waits = [] if deferred is None else [(deferred - now).total_seconds()]
        if oldest_claim is not None:
            waits.append((oldest_claim - now).total_seconds() + self.claim_timeout + 0.05)
        return max(0.05, min(waits)) if waits else None

    async def recover_stuck(self) -> int:
        cutoff = self.clock.now() - timedelta(seconds=self.claim_timeout)
        async with self.pool.connection() as conn:
            cur = await conn.execute(QUERIES["recover_stuck"], {"cutoff": cutoff})
            recovered = [row[0] for row in await cur.fetchall()]
        if recovered:
            log.warning("Recovered interrupted webhook deliveries",
                        extra={"fields": {"deliveries": recovered}})
        return len(recovered)

    async def _record(self, name: str, row_id: int, claim_id: uuid.UUID, **params: Any) -> None:
        async with self.pool.connection() as conn:
            await conn.execute(QUERIES[name], {"id": row_id, "claim_id": claim_id, **params})

    async def _deliver(self, claim_id: uuid.UUID, row: dict[str, Any]) -> str:
        fields = {"event_id": str(row["event_id"]), "type": row["event_type"],
                  "lead_id": row["lead_id"], "target": self.poster.label}

        async def attempt() -> int:
            await self.limiter.try_acquire()
            return await self.poster.post(row["body"], event_type=row["event_type"],
                                          event_id=str(row["event_id"]),
                                          timestamp=int(self.clock.now().timestamp()))

        try:
            status = await self.breaker.call_async(self.retry.call_async, attempt)
        except asyncio.CancelledError:
            await asyncio.shield(self._record(
                "mark_retry", row["id"], claim_id, attempted=1, next_attempt_at=None,
                response_status=None, error="stopped"))
            raise
        except CallRejected as rejection:
            await self._record("mark_retry", row["id"], claim_id, attempted=0,
                               next_attempt_at=None, response_status=None,
                               error=type(rejection).__name__)
            return "rejected"
        except Exception as error:
            now = self.clock.now()
            code = getattr(error, "status", None)
            message = (str(error) or type(error).__name__)[:300]
            if now - row["created_at"] >= GIVE_UP_AFTER:
                await self._record("mark_failed", row["id"], claim_id,
                                   response_status=code, error=message)
                log.error("Webhook event given up", extra={"fields": {**fields,
                                                                      "error": message}})
                return "done"
            delay = retry_delay(row["attempts"] + 1)
            await self._record("mark_retry", row["id"], claim_id, attempted=1,
                               next_attempt_at=now + timedelta(seconds=delay),
                               response_status=code, error=message)
            log.warning("Webhook event not delivered; will retry",
                        extra={"fields": {**fields, "error": message,
                                          "retryInSeconds": round(delay, 1)}})
            return "retry"
        await self._record("mark_sent", row["id"], claim_id, now=self.clock.now(),
                           response_status=status)
        log.info("Webhook event delivered", extra={"fields": {**fields, "status": status}})
        return "done"


async def deliveries(pool: AsyncConnectionPool, *, limit: int, status: str | None,
                     lead_id: int | None) -> list[dict[str, Any]]:
    """The delivery log, newest first."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["deliveries"],
                          {"limit": limit, "status": status, "lead_id": lead_id})
        rows = await cur.fetchall()
    return [{key: (value.isoformat() if isinstance(value, datetime) else value)
             for key, value in row.items()} for row in rows]


class Sweeping(Protocol):
    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    async def stop(self, grace: float = 10.0) -> None: ...


class LeadWebhook:
    """The configured webhook's delivery task; :meth:`start` records the target."""

    def __init__(self, delivery: WebhookDelivery, listener: Sweeping) -> None:
        self.delivery = delivery
        self.listener = listener

    @property
    def label(self) -> str:
        return self.delivery.poster.label

    async def start(self) -> None:
        await self.delivery.sync()
        self.listener.start()

    async def stop(self, grace: float = 10.0) -> None:
        await self.listener.stop(grace)
        await self.delivery.poster.close()

    def status(self) -> dict[str, Any]:
        return {"target": self.label, "circuit": str(self.delivery.breaker.state),
                "deliveryTask": "running" if self.listener.running else "stopped"}


async def forget_targets(pool: AsyncConnectionPool) -> None:
    """No webhook configured: triggers stop writing events for an earlier run's target."""
    async with pool.connection() as conn:
        await conn.execute(QUERIES["deactivate_targets"], {"targets": []})
