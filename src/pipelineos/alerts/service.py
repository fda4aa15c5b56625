"""The notification service: the seed's ``NotificationService``, on an outbox.

    send_high_priority_alert(lead_id)   queue a lead's alert (idempotent: one per lead, ever)
    send_critical_alert(message)        the ``Notifier`` seam: queue a top-priority text now
    send_test(message)                  ``POST /api/test/sms``: one text, outcome reported
    deliver_pending() / recover_stuck() / send_daily_digest(day)   for the job engine
    record_status_callback(...)         Twilio's delivery reports
    status()                            the seed's shape

Every alert is a row first; delivery (the in-process listener, or a scheduled sweep) sends it.
When Twilio is not configured there is no sender: alerts are logged and stored as 'logged'.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts import outbox, text
from pipelineos.alerts import webhook as lead_webhook
from pipelineos.alerts import digest_rows
from pipelineos.alerts.channels import ChannelService
from pipelineos.alerts.delivery import Delivery, SweepResult
from pipelineos.alerts.listener import DeliveryListener
from pipelineos.alerts.sender import Counters, Gateway, Sender
from pipelineos.clock import Clock
from pipelineos.errors import InvalidInput
from pipelineos.integrations.twilio.model import SentMessage
from pipelineos.resilience import CircuitBreaker, RateLimiter

log = logging.getLogger(__name__)

# The same critical text is not queued again within this window (an alarm that keeps firing).
CRITICAL_REPEAT_WINDOW = timedelta(minutes=10)


class NotificationService:
    """Implements ``alerts.notifier.Notifier``; built by :func:`pipelineos.alerts.wiring.build`."""

    def __init__(self, *, pool: AsyncConnectionPool, clock: Clock, breaker: CircuitBreaker,
                 limiter: RateLimiter, counters: Counters, delivery: Delivery,
                 listener: DeliveryListener, sender: Sender | None, gateway: Gateway | None,
                 max_segments: int, owner_number: str | None,
                 channels: ChannelService | None = None,
                 webhook: lead_webhook.LeadWebhook | None = None,
                 link_base_url: str | None = None) -> None:
        self.pool = pool
        self.clock = clock
        self.breaker = breaker
        self.limiter = limiter
        self.counters = counters
        self.delivery = delivery
        self.listener = listener
        self.sender = sender
        self.gateway = gateway
        self.max_segments = max_segments
        self.owner_number = owner_number
        self.channels = channels
        self.webhook = webhook
        self.link_base_url = link_base_url

    @property
    def enabled(self) -> bool:
        return self.sender is not None

    # -- lifetime ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Record the configured channels and start the in-process delivery tasks."""
        if self.channels is not None:
            await self.channels.start()
        if self.webhook is not None:
            await self.webhook.start()
        else:
            await lead_webhook.forget_targets(self.pool)
        self.listener.start()

    async def stop(self, grace: float = 10.0) -> None:
        await self.listener.stop(grace)
        if self.channels is not None:
            await self.channels.stop(grace)
        if self.webhook is not None:
            await self.webhook.stop(grace)
        if self.gateway is not None:
            await self.gateway.close()

    # -- queueing ---------------------------------------------------------------------------

    async def send_high_priority_alert(self, lead_id: int) -> int | None:
        """Queue the alert for a lead; its id, or None when the lead already has one (or does
        not exist). Delivery starts as soon as this commits."""
        async with self.pool.connection() as conn:
            return await outbox.enqueue_lead(conn, lead_id)

    async def send_critical_alert(self, message: str) -> None:
        """Queue a critical text ahead of everything else. Never raises: a failure to queue is
        logged, and an identical alert queued in the last ten minutes is not repeated."""
        body = text.critical_alert(message, max_segments=self.max_segments)
        fields: dict[str, Any] = {"message": message,
                                  "channel": "sms" if self.enabled else "log"}
        log.error("Critical alert", extra={"fields": fields})
        try:
            async with self.pool.connection() as conn:
                alert_id = await outbox.enqueue_message(
                    conn, kind="critical", rank=outbox.RANK_CRITICAL, body=body,
                    dedupe_key=None, repeat_after=self.clock.now() - CRITICAL_REPEAT_WINDOW)
        except Exception as error:
            log.error("Critical alert could not be queued",
                      extra={"fields": {"error": type(error).__name__}})
            await self._send_unqueued(body)
            return
        if alert_id is None:
            log.info("Critical alert already sent recently; not repeated",
                     extra={"fields": {"message": message}})

    async def send_channel_alert(self, message: str) -> None:
        """Tell the ``critical`` channels (not SMS: it is what is down); once per ten minutes
        for the same text. Never raises."""
        body = text.critical_alert(message, max_segments=self.max_segments)
        try:
            async with self.pool.connection() as conn:
                await outbox.enqueue_channel_only(
                    conn, body=body, repeat_after=self.clock.now() - CRITICAL_REPEAT_WINDOW)
        except Exception as error:
            log.error("Critical alert could not be queued",
                      extra={"fields": {"error": type(error).__name__}})

    async def _send_unqueued(self, body: str) -> None:
        """The database is unreachable: try the text directly, once, best effort."""
        if self.sender is None:
            return
        try:
            await self.sender.send(body)
        except Exception as error:
            log.error("Critical alert could not be sent",
                      extra={"fields": {"error": type(error).__name__}})

    async def send_daily_digest(self, day: date) -> int | None:
        """Queue the summary of ``day`` (UTC); idempotent per day. The alert's id, or None when
        that day's digest was already queued."""
        start = datetime.combine(day, time.min, tzinfo=UTC)
        async with self.pool.connection() as conn:
            by_priority, categories, alerts = await outbox.digest_facts(
                conn, start=start, end=start + timedelta(days=1))
            body = text.digest(day.isoformat(), by_priority, categories, alerts,
                               max_segments=self.max_segments)
            async with conn.transaction():
                alert_id = await outbox.enqueue_message(
                    conn, kind="digest", rank=outbox.RANK_DIGEST, body=body,
                    dedupe_key=f"digest:{day.isoformat()}", repeat_after=start)
                if alert_id is not None and self.channels is not None \
                        and self.channels.configured:
                    # The digest channels get the long form, in the same transaction.
                    await digest_rows.set_rich_body(conn, alert_id, day,
                                                    link_base_url=self.link_base_url)
            return alert_id

    # -- delivery, for the job engine -------------------------------------------------------

    async def deliver_pending(self, limit: int = 100) -> int:
        """Send due alerts, most urgent then oldest first; how many reached a final state."""
        result: SweepResult = await self.delivery.sweep(limit)
        delivered = result.delivered
        # The channels' and the webhook's rows too (their listeners are the fast path).
        if self.channels is not None and self.channels.configured:
            delivered += (await self.channels.delivery.sweep(limit)).delivered
        if self.webhook is not None:
            delivered += (await self.webhook.delivery.sweep(limit)).delivered
        return delivered

    async def recover_stuck(self) -> int:
        """Return alerts whose sender died mid-send to the queue (they are looked up at Twilio
        before any re-send); how many."""
        recovered = await self.delivery.recover_stuck()
        if self.channels is not None and self.channels.configured:
            recovered += await self.channels.delivery.recover_stuck()
        if self.webhook is not None:
            recovered += await self.webhook.delivery.recover_stuck()
        return recovered

    # -- the test endpoint ------------------------------------------------------------------

    async def send_test(self, message: str) -> SentMessage | None:
        """Text ``message`` to the owner now, through the breaker and the limiter. None when
        notifications are disabled (the text is logged). Raises ``CircuitOpenError``,
        ``RateLimitExceeded`` or an ``SmsError``."""
        body = text.fit(message, self.max_segments)
        if not body:
            raise InvalidInput("The message is empty")
        if self.sender is None:
            log.warning("Test SMS (notifications disabled)", extra={"fields": {"text": body}})
            return None
        return await self.sender.send(body)

    # -- status callbacks -------------------------------------------------------------------

    async def record_status_callback(self, *, alert_id: int | None, sid: str, status: str,
                                     error_code: int | None) -> bool:
        """Record Twilio's report for a message; False when it is unknown or out of date."""
        async with self.pool.connection() as conn:
            found = await outbox.record_delivery(conn, alert_id=alert_id, sid=sid,
                                                 status=status, error_code=error_code,
                                                 now=self.clock.now())
        level = logging.WARNING if status in ("undelivered", "failed") else logging.INFO
        log.log(level, "SMS delivery status",
                extra={"fields": {"alert_id": found, "sid": sid, "status": status,
                                  "errorCode": error_code}})
        return found is not None

    # -- status -----------------------------------------------------------------------------

    async def status(self) -> dict[str, Any]:
        """The seed's shape: enabled, sentCount, failedCount, failureRate, circuitBreaker,
        rateLimiter; plus the outbox by status."""
        async with self.pool.connection() as conn:
            queued = await outbox.counts(conn)
        return {
            "enabled": self.enabled,
            **self.counters.as_status(),
            "circuitBreaker": self.breaker.status(),
            "rateLimiter": {"tokensRemaining": round(await self.limiter.tokens_remaining(), 2),
                            "perMinute": round(self.limiter.refill_per_second * 60, 2)},
            "outbox": queued,
            "deliveryTask": "running" if self.listener.running else "stopped",
            "channels": await self.channels.listing() if self.channels is not None else [],
            "leadWebhook": self.webhook.status() if self.webhook is not None else None,
        }

    async def webhook_deliveries(self, *, limit: int, status: str | None,
                                 lead_id: int | None) -> list[dict[str, Any]]:
        """The lead webhook's delivery log, newest first (kept after the URL is unset)."""
        return await lead_webhook.deliveries(self.pool, limit=limit, status=status,
                                             lead_id=lead_id)
