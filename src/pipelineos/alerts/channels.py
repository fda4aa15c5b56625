"""Channels beside SMS (issue 16): e-mail, push, chat, JSON webhooks, through one outbox.

Every alert_outbox row fans out to ``channel_outbox`` in its own transaction (a trigger routes
kind ``lead`` to the ``hot`` channels, ``critical`` and ``digest`` to theirs); when a lead's text
cannot go out, ``alerts.fallback`` adds the ``critical`` channels. Each (alert, channel) pair is
one row, ever, so a fallback never doubles what a route already queued.

Delivery sweeps each channel on its own, side by side, with that channel's breaker, limiter and
retry (the same parts as SMS)::

    breaker("channel-<scheme>-<key>")     one notification = one breaker outcome
      └─ retry (ChannelFailed)            attempts with backoff
           └─ limiter("channel-<scheme>-<key>")
                └─ channel.send           Apprise, one service

A channel that is down opens its own breaker and waits; the others go on. After an outage,
every waiting row goes out once. Apprise cannot look up whether a notification arrived, so a
process that dies after a service took a notification and before the row was marked sent sends
it again once its claim is recovered (at most one repeat, only then).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts import text
from pipelineos.alerts.delivery import SweepResult
from pipelineos.clock import Clock
from pipelineos.db import sql
from pipelineos.resilience import CallRejected, CircuitBreaker, RateLimiter, Retry, State

log = logging.getLogger(__name__)

QUERIES = sql.load(__package__, "channels.sql")
Conn = psycopg.AsyncConnection[Any]

RETRY_BASE_SECONDS = 5.0
RETRY_CAP_SECONDS = 600.0
# A notification still not taken this long after it was queued is given up ('failed').
GIVE_UP_AFTER = timedelta(hours=24)
# Lead alerts on a channel are longer than a text: up to this many SMS segments' worth.
CHANNEL_SEGMENTS = 6
ALERTABLE_LEAD_STATES = frozenset({"new"})


class Transport(Protocol):
    """One configured service (``integrations.apprise.Channel`` implements it)."""

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def scheme(self) -> str: ...

    @property
    def kinds(self) -> frozenset[str]: ...

    @property
    def breaker_name(self) -> str: ...

    async def send(self, title: str, body: str, *, html: bool = False) -> None:
        """Raise ``ChannelFailed`` unless the service took it; ``html``: ``body`` is HTML
        (e-mail gets an HTML and a text part; other services get it as text)."""
        ...


@dataclass
class Route:
    """A channel with the resilience parts that guard it."""

    channel: Transport
    breaker: CircuitBreaker
    limiter: RateLimiter
    retry: Retry

    async def send(self, title: str, body: str, *, html: bool = False) -> None:
        async def attempt() -> None:
            await self.limiter.try_acquire()
            await self.channel.send(title, body, html=html)

        await self.breaker.call_async(self.retry.call_async, attempt)

    async def blocked_for(self) -> float | None:
        state = self.breaker.state
        if state in (State.OPEN, State.FORCED_OPEN):
            retry_after = self.breaker.status().get("retryAfterSeconds")
            return float(retry_after) if isinstance(retry_after, (int, float)) else 60.0
        tokens = await self.limiter.tokens_remaining()
        if tokens < 1:
            return max(0.05, (1 - tokens) / self.limiter.refill_per_second)
        return None


@dataclass(frozen=True)
class Claimed:
    id: int
    claim_id: uuid.UUID
    alert_id: int
    channel: str
    kind: str
    lead_id: int | None
    reason: str
    title: str | None
    body: str | None
    body_format: str
    attempts: int
    created_at: datetime
    category: str | None
    location: str | None
    urgency: str | None
    lead_status: str | None
    group_name: str | None
    post_text: str | None


# -- statements ----------------------------------------------------------------------------------

async def _one(conn: Conn, name: str, params: dict[str, Any]) -> Any:
    cur = await conn.execute(QUERIES[name], params)
    row = await cur.fetchone()
    return row[0] if row else None


async def sync_channels(conn: Conn, channels: Sequence[Transport]) -> None:
    """Record the configured channels (key, redacted label, kinds); others stop getting rows."""
    async with conn.transaction():
        await conn.execute(QUERIES["deactivate_channels"], {"keys": [c.key for c in channels]})
        for channel in channels:
            await conn.execute(QUERIES["upsert_channel"], {
                "channel": channel.key, "label": channel.label, "scheme": channel.scheme,
                "kinds": sorted(channel.kinds)})


async def counts(conn: Conn) -> dict[str, dict[str, int]]:
    """Rows by channel key, then status."""
    cur = await conn.execute(QUERIES["counts"])
    found: dict[str, dict[str, int]] = {}
    for channel, status, n in await cur.fetchall():
        found.setdefault(channel, {})[status] = int(n)
    return found


async def deliveries_of_lead(conn: Conn, lead_id: int) -> list[dict[str, Any]]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["deliveries_of_lead"], {"lead_id": lead_id})
        return list(await cur.fetchall())


def retry_delay(attempts: int) -> float:
    return min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2.0 ** max(0, attempts - 1))


# -- delivery ------------------------------------------------------------------------------------

class ChannelDelivery:
    """Sweeps ``channel_outbox``, each channel side by side; the listener's ``Sweeper``."""

    def __init__(self, pool: AsyncConnectionPool, routes: Sequence[Route], *, clock: Clock,
                 link_base_url: str | None, claim_timeout: float) -> None:
        self.pool = pool
        self.routes = {route.channel.key: route for route in routes}
        self.clock = clock
        self.link_base_url = link_base_url
        self.claim_timeout = claim_timeout

    async def sweep(self, limit: int = 100, stop: Callable[[], bool] = lambda: False, *,
                    report_next: bool = True) -> SweepResult:
        if not self.routes:
            return SweepResult(0, None)
        results = await asyncio.gather(*(self._sweep_channel(route, limit, stop)
                                         for route in self.routes.values()))
        waits = [r.wait for r in results if r.wait is not None]
        return SweepResult(sum(r.delivered for r in results), min(waits) if waits else None)

    async def _sweep_channel(self, route: Route, limit: int,
                             stop: Callable[[], bool]) -> SweepResult:
        delivered = 0
        while delivered < limit and not stop():
            blocked = await route.blocked_for()
            if blocked is not None:
                return SweepResult(delivered, blocked)
            now = self.clock.now()
            async with self.pool.connection() as conn:
                async with conn.cursor(row_factory=dict_row) as cur:
                    claim_id = uuid.uuid4()
                    await cur.execute(QUERIES["claim_next"], {
                        "channel": route.channel.key, "now": now, "claim_id": claim_id})
                    row = await cur.fetchone()
            if row is None:
                return SweepResult(delivered, await self._next_look(route))
            outcome = await self._deliver(route, Claimed(claim_id=claim_id, **row))
            if outcome is _REJECTED:
                return SweepResult(delivered, await route.blocked_for() or 0.05)
            if outcome is _DONE:
                delivered += 1
        return SweepResult(delivered, 0.0)

    async def _next_look(self, route: Route) -> float | None:
        now = self.clock.now()
        async with self.pool.connection() as conn:
            cur = await conn.execute(QUERIES["next_due"],
                                     {"channel": route.channel.key, "now": now})
            row = await cur.fetchone()
        if row is None:
            return None
        due_now, deferred, oldest_claim = row
        if due_now:
            return 0.05  # another worker holds it this very moment
        waits = [] if deferred is None else [(deferred - now).total_seconds()]
        if oldest_claim is not None:
            waits.append(max(0.05, (oldest_claim - now).total_seconds()
                             + self.claim_timeout + 0.05))
        return max(0.05, min(waits)) if waits else None

    async def recover_stuck(self) -> int:
        cutoff = self.clock.now() - timedelta(seconds=self.claim_timeout)
        async with self.pool.connection() as conn:
            cur = await conn.execute(QUERIES["recover_stuck"], {"cutoff": cutoff})
            recovered = [row[0] for row in await cur.fetchall()]
        if recovered:
            log.warning("Recovered interrupted channel deliveries",
                        extra={"fields": {"deliveries": recovered}})
        return len(recovered)

    async def _record(self, name: str, claimed: Claimed, **params: Any) -> bool:
        async with self.pool.connection() as conn:
            return await _one(conn, name, {"id": claimed.id, "claim_id": claimed.claim_id,
                                           **params}) is not None

    async def _deliver(self, route: Route, claimed: Claimed) -> object:
        label = route.channel.label
        fields: dict[str, Any] = {"channel": label, "kind": claimed.kind,
                                  "lead_id": claimed.lead_id, "delivery_id": claimed.id,
                                  "reason": claimed.reason}
        if claimed.kind == "lead" and claimed.lead_status not in ALERTABLE_LEAD_STATES:
            await self._record("mark_done", claimed, status="suppressed", attempted=0,
                               error=f"lead is {claimed.lead_status}")
            return _DONE
        title, body = self.compose(claimed)
        try:
            await route.send(title, body, html=claimed.body_format == "html")
        except asyncio.CancelledError:
            await asyncio.shield(self._record("mark_retry", claimed, attempted=1,
                                              next_attempt_at=None, error="stopped"))
            raise
        except CallRejected as rejection:
            await self._record("mark_retry", claimed, attempted=0, next_attempt_at=None,
                               error=type(rejection).__name__)
            return _REJECTED
        except Exception as error:
            now = self.clock.now()
            message = str(error)[:300] or type(error).__name__
            if now - claimed.created_at >= GIVE_UP_AFTER:
                await self._record("mark_done", claimed, status="failed", attempted=1,
                                   error=message)
                log.error("Channel notification given up",
                          extra={"fields": {**fields, "error": message}})
                return _DONE
            delay = retry_delay(claimed.attempts + 1)
            await self._record("mark_retry", claimed, attempted=1,
                               next_attempt_at=now + timedelta(seconds=delay), error=message)
            log.warning("Channel notification not sent; will retry",
                        extra={"fields": {**fields, "error": message,
                                          "retryInSeconds": round(delay, 1)}})
            return _RETRY
        recorded = await self._record("mark_sent", claimed, now=self.clock.now(), title=title,
                                      body=body)
        if not recorded:
            log.warning("Channel notification sent after its claim was recovered",
                        extra={"fields": fields})
        log.info("Channel notification sent", extra={"fields": fields})
        return _DONE

    def compose(self, claimed: Claimed) -> tuple[str, str]:
        """The title and text for a row: a lead's from its facts; others' as queued."""
        if claimed.kind == "lead" and claimed.lead_id is not None:
            what = claimed.category or "lead"
            where = f" in {claimed.location}" if claimed.location else ""
            prefix = "SMS down - " if claimed.reason == "fallback" else ""
            title = f"{prefix}Hot lead #{claimed.lead_id}: {what}{where}"
            body = text.lead_alert(
                text.LeadFacts(lead_id=claimed.lead_id, category=claimed.category,
                               location=claimed.location, urgency=claimed.urgency,
                               group_name=claimed.group_name,
                               post_text=claimed.post_text or ""),
                max_segments=CHANNEL_SEGMENTS, link_base_url=self.link_base_url)
            return claimed.title or title, body
        titles = {"critical": "PipelineOS critical alert", "digest": "PipelineOS daily digest"}
        return (claimed.title or titles.get(claimed.kind, "PipelineOS"),
                claimed.body or f"PipelineOS alert #{claimed.alert_id}")


_DONE, _RETRY, _REJECTED = object(), object(), object()


# -- the service ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TestOutcome:
    """What one channel did with a test notification (``error`` is redacted)."""

    label: str
    sent: bool
    error: str | None


class ChannelService:
    """The channels this process has: delivery task, listing, test notifications."""

    def __init__(self, pool: AsyncConnectionPool, routes: Sequence[Route], *,
                 delivery: ChannelDelivery, listener: Sweeping) -> None:
        self.pool = pool
        self.routes = list(routes)
        self.delivery = delivery
        self.listener = listener

    @property
    def configured(self) -> bool:
        return bool(self.routes)

    async def start(self) -> None:
        """Record the configured channels (so new alerts fan out to them) and start delivery.
        With no channel configured, channels recorded by an earlier run stop getting rows."""
        async with self.pool.connection() as conn:
            await sync_channels(conn, [route.channel for route in self.routes])
        if self.routes:
            self.listener.start()

    async def stop(self, grace: float = 10.0) -> None:
        await self.listener.stop(grace)

    async def listing(self) -> list[dict[str, Any]]:
        """Each channel, redacted: label, scheme, kinds, circuit state, rows by status."""
        async with self.pool.connection() as conn:
            by_channel = await counts(conn)
        return [{"label": route.channel.label, "scheme": route.channel.scheme,
                 "kinds": sorted(route.channel.kinds), "breaker": route.breaker.name,
                 "circuit": str(route.breaker.state),
                 "outbox": by_channel.get(route.channel.key, {})}
                for route in self.routes]

    def select(self, wanted: str | None) -> list[Route]:
        return select_routes(self.routes, wanted)

    async def send_test(self, routes: Sequence[Route], message: str) -> list[TestOutcome]:
        return await send_test(routes, message)


def select_routes(routes: Sequence[Route], wanted: str | None) -> list[Route]:
    """Every channel, or those whose number (1-based), scheme, label or breaker name is
    ``wanted``."""
    if not wanted:
        return list(routes)
    return [route for number, route in enumerate(routes, start=1)
            if wanted in (str(number), route.channel.scheme, route.channel.label,
                          route.breaker.name)]


async def send_test(routes: Sequence[Route], message: str) -> list[TestOutcome]:
    """Send ``message`` to each of ``routes`` now (through its breaker, retry and limiter)."""
    async def one(route: Route) -> TestOutcome:
        try:
            await route.send("PipelineOS test", message)
        except Exception as error:
            return TestOutcome(route.channel.label, False, str(error) or type(error).__name__)
        return TestOutcome(route.channel.label, True, None)

    return list(await asyncio.gather(*(one(route) for route in routes)))


class Sweeping(Protocol):
    """The delivery task (``listener.DeliveryListener``)."""

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    async def stop(self, grace: float = 10.0) -> None: ...
