"""Building the notification service from settings: the one function bootstrap calls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from psycopg_pool import AsyncConnectionPool

from pipelineos.alerts import channels as channel_delivery
from pipelineos.alerts import sender as sending
from pipelineos.alerts import webhook as lead_webhook
from pipelineos.alerts.delivery import Delivery, TextStyle
from pipelineos.alerts.listener import DeliveryListener
from pipelineos.alerts.service import NotificationService
from pipelineos.clock import Clock
from pipelineos.config import Settings
from pipelineos.integrations import apprise as apprise_channels
from pipelineos.integrations import webhook as webhook_http
from pipelineos.resilience import BreakerListener, CircuitBreaker, Registry, Retry, State

log = logging.getLogger(__name__)

BREAKER_NAME = "twilio-api"
LIMITER_NAME = "twilio-sms"
BREAKER_WINDOW_SECONDS = 120.0  # the seed: 5 failures in 2 minutes
SUCCESS_THRESHOLD = 2
MAX_BACKOFF_SECONDS = 8.0
# Beyond the longest send: the database writes around it (a pool wait each), the clocks of two
# workers that disagree a little, a request still on the wire when its timeout fired.
RECOVERY_MARGIN_SECONDS = 15.0
# Channels: attempts per notification (Apprise waits up to its own socket timeouts, ~4 s each),
# and how long a claim may be held before it is taken as a dead worker's.
CHANNEL_ATTEMPTS = 2
CHANNEL_CLAIM_TIMEOUT_SECONDS = 120.0


TWILIO_OPEN = "Twilio circuit breaker OPEN - SMS notifications unavailable"


class _OpenAlarm(BreakerListener):
    """The seed: when the Twilio circuit opens, an error log (SMS itself is what is down), and
    (DESIGN.md) the ``critical`` channels, once per ten minutes."""

    def __init__(self) -> None:
        self.service: NotificationService | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def transitioned(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        if new in (State.OPEN, State.FORCED_OPEN):
            log.error("Twilio circuit breaker OPEN - SMS notifications unavailable",
                      extra={"fields": {"name": breaker.name, "from": str(old)}})
            service = self.service
            if service is None or service.channels is None or not service.channels.configured:
                return
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # opened outside the event loop (an admin call in a thread)
                return
            task = loop.create_task(service.send_channel_alert(TWILIO_OPEN))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


def build(settings: Settings, *, pool: AsyncConnectionPool, registry: Registry, clock: Clock,
          sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> NotificationService:
    """The service, with breaker ``twilio-api`` and limiter ``twilio-sms`` in ``registry``
    (created even when Twilio is not configured, so health and metrics always find them).
    Call inside the event loop (the Twilio client opens an aiohttp session)."""
    breaker = registry.breaker(
        BREAKER_NAME,
        failure_threshold=settings.twilio_circuit_threshold,
        window=BREAKER_WINDOW_SECONDS,
        reset_timeout=settings.twilio_circuit_reset_timeout / 1000,
        success_threshold=SUCCESS_THRESHOLD,
        ignore=sending.ignored_by_breaker,
    )
    alarm = _OpenAlarm()
    breaker.add_listener(alarm)
    limiter = registry.limiter(LIMITER_NAME, per_minute=settings.twilio_rate_limit)
    counters = sending.Counters()
    timeout = settings.twilio_request_timeout_ms / 1000
    retry = Retry(
        attempts=settings.twilio_retry_attempts,
        initial_delay=settings.twilio_retry_base_delay_ms / 1000,
        max_backoff=MAX_BACKOFF_SECONDS,
        jitter="full",
        retry_on=sending.is_transient,
        clock=clock,
        async_sleep=sleep,
    )
    gateway = None
    sender = None
    if settings.twilio_configured:
        from pipelineos.integrations.twilio.gateway import TwilioGateway

        assert settings.twilio_account_sid and settings.twilio_auth_token
        assert settings.twilio_phone_number and settings.your_phone_number
        gateway = TwilioGateway(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token.get_secret_value(),
            from_number=settings.twilio_phone_number,
            api_base_url=settings.twilio_api_base_url,
            timeout=timeout,
        )
        sender = sending.Sender(gateway, to=settings.your_phone_number, breaker=breaker,
                                limiter=limiter, retry=retry, counters=counters)
    # A claim older than the longest a logical send can take, plus a margin, belongs to a
    # dead worker: its alert is handed back then (and looked up at Twilio before any re-send).
    longest = sending.longest_send(
        request_timeout=timeout, attempts=settings.twilio_retry_attempts,
        initial_backoff=settings.twilio_retry_base_delay_ms / 1000,
        max_backoff=MAX_BACKOFF_SECONDS)
    delivery = Delivery(
        pool, sender=sender, clock=clock,
        style=TextStyle(max_segments=settings.twilio_max_segments,
                        link_base_url=settings.alert_link_base_url,
                        webhook_base_url=settings.twilio_webhook_base_url),
        claim_timeout=longest + RECOVERY_MARGIN_SECONDS,
    )
    channels = build_channels(settings, pool=pool, registry=registry, clock=clock, sleep=sleep)
    webhook = build_webhook(settings, pool=pool, registry=registry, clock=clock, sleep=sleep)
    service = NotificationService(
        pool=pool, clock=clock, breaker=breaker, limiter=limiter, counters=counters,
        # Two sweeps side by side when texts go to Twilio (a slow request does not hold up the
        # next alert); one when they only go to the log. Each sweep may grow the pool by one.
        delivery=delivery, listener=DeliveryListener(pool, delivery,
                                                     concurrency=2 if sender else 1),
        sender=sender,
        gateway=gateway, max_segments=settings.twilio_max_segments,
        owner_number=settings.your_phone_number, channels=channels, webhook=webhook,
        link_base_url=settings.alert_link_base_url,
    )
    alarm.service = service
    return service


WEBHOOK_NAME = "lead-webhook"
WEBHOOK_RATE_PER_MINUTE = 600.0


def build_webhook(settings: Settings, *, pool: AsyncConnectionPool, registry: Registry,
                  clock: Clock, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
                  ) -> lead_webhook.LeadWebhook | None:
    """The outbound lead webhook, when LEAD_WEBHOOK_URL is set: breaker and limiter
    ``lead-webhook`` in ``registry``."""
    if settings.lead_webhook_url is None or settings.lead_webhook_secret is None:
        return None
    poster = webhook_http.WebhookClient(
        settings.lead_webhook_url.get_secret_value(),
        settings.lead_webhook_secret.get_secret_value(),
        timeout=settings.lead_webhook_timeout_seconds)
    breaker = registry.breaker(WEBHOOK_NAME, failure_threshold=5, window=BREAKER_WINDOW_SECONDS,
                               reset_timeout=60.0, success_threshold=1)
    limiter = registry.limiter(WEBHOOK_NAME, per_minute=WEBHOOK_RATE_PER_MINUTE)
    retry = Retry(attempts=2, initial_delay=0.5, max_backoff=2.0, jitter="full",
                  retry_on=lambda error: isinstance(error, webhook_http.WebhookFailed),
                  clock=clock, async_sleep=sleep)
    delivery = lead_webhook.WebhookDelivery(
        pool, poster, clock=clock, breaker=breaker, limiter=limiter, retry=retry,
        claim_timeout=4 * settings.lead_webhook_timeout_seconds + RECOVERY_MARGIN_SECONDS)
    listener = DeliveryListener(pool, delivery, channel="webhook_outbox",
                                name="webhook-delivery")
    return lead_webhook.LeadWebhook(delivery, listener)


def channel_routes(settings: Settings, *, registry: Registry, clock: Clock,
                   sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
                   ) -> list[channel_delivery.Route]:
    """The configured channels, each with its own breaker, limiter and retry from
    ``registry`` (so shared breaker state, when the registry has it, applies to channels too).
    Raises ``ChannelConfigError`` for a URL or config file Apprise cannot use."""
    channels = apprise_channels.load_channels(
        settings.alert_channels.get_secret_value() if settings.alert_channels else None,
        settings.alert_channels_config)
    routes = []
    for channel in channels:
        breaker = registry.breaker(
            channel.breaker_name,
            failure_threshold=settings.alert_channel_circuit_threshold,
            window=BREAKER_WINDOW_SECONDS,
            reset_timeout=settings.alert_channel_circuit_reset_seconds,
            success_threshold=1,
        )
        breaker.add_listener(_ChannelAlarm(channel.label))
        limiter = registry.limiter(channel.breaker_name,
                                   per_minute=settings.alert_channel_rate_limit)
        retry = Retry(attempts=CHANNEL_ATTEMPTS, initial_delay=0.5, max_backoff=2.0,
                      jitter="full",
                      retry_on=lambda error: isinstance(error, apprise_channels.ChannelFailed),
                      clock=clock, async_sleep=sleep)
        routes.append(channel_delivery.Route(channel, breaker, limiter, retry))
    return routes


def build_channels(settings: Settings, *, pool: AsyncConnectionPool, registry: Registry,
                   clock: Clock, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
                   ) -> channel_delivery.ChannelService:
    routes = channel_routes(settings, registry=registry, clock=clock, sleep=sleep)
    delivery = channel_delivery.ChannelDelivery(
        pool, routes, clock=clock, link_base_url=settings.alert_link_base_url,
        claim_timeout=CHANNEL_CLAIM_TIMEOUT_SECONDS)
    listener = DeliveryListener(pool, delivery, channel="channel_outbox",
                                name="channel-delivery")
    return channel_delivery.ChannelService(pool, routes, delivery=delivery, listener=listener)


class _ChannelAlarm(BreakerListener):
    def __init__(self, label: str) -> None:
        self.label = label

    def state_changed(self, breaker: CircuitBreaker, old: State, new: State) -> None:
        if new in (State.OPEN, State.FORCED_OPEN):
            log.error("Channel circuit breaker OPEN - notifications to it wait",
                      extra={"fields": {"name": breaker.name, "channel": self.label}})
