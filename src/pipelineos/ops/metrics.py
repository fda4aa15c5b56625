"""Prometheus metrics, read from the live objects at scrape time.

Each app has its own ``CollectorRegistry`` (never the global default), so several runtimes in
one process (tests, benchmarks) do not collide. Nothing is counted twice: the breakers, limiters,
pool and vendor services already count what happened, and :class:`RuntimeCollector` turns their
numbers into metric families when Prometheus asks. Only HTTP latency is observed as it happens
(``web.middleware.HttpMetrics`` feeds ``Metrics.http``), and so are /api requests by API key
name (``web.access.ApiAccess``), since nothing else records them.

Two scopes, named in each metric's help:

- **this process**: breakers, limiters, pool, SMS and AI counters, HTTP latency. With several
  processes, sum them (``sum by (name) (...)``).
- **all processes**: jobs, posts, leads and alerts, counted in the database (at most once per
  ``CachedFacts.max_age`` seconds). Every process reports the same numbers: take ``max``.

Breaker metrics follow Resilience4j's names (``resilience4j_circuitbreaker_state`` ...), so
dashboards and alerts written for it apply. Counters are exposed with the ``_total`` suffix the
Prometheus text format gives them (``resilience4j_circuitbreaker_calls_total{kind=...}``).
No label or value holds a secret: labels are breaker and limiter names, statuses and route
templates (never raw paths, which could carry anything).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from pipelineos import __version__
from pipelineos.db.pool import pool_stats
from pipelineos.ops.facts import CachedFacts, DatabaseFacts

if TYPE_CHECKING:
    from pipelineos.bootstrap import Runtime

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Resilience4j's state label values, lower case as it exposes them.
BREAKER_STATES = ("closed", "open", "half_open", "disabled", "forced_open")
POST_STATUSES = ("received", "analyzed", "failed")
LEAD_PRIORITIES = ("high", "medium", "low")
ALERT_STATUSES = ("pending", "sending", "sent", "failed", "suppressed", "logged")
JOB_STATUSES = ("todo", "doing", "succeeded", "failed", "cancelled", "aborting", "aborted")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

THIS = "(this process)"
ALL = "(all processes, counted in the database)"


class Snapshot:
    """What needs an ``await`` to read, taken just before the synchronous collect."""

    def __init__(self, limiters: list[dict[str, Any]], facts: DatabaseFacts | None) -> None:
        self.limiters = limiters
        self.facts = facts


class RuntimeCollector(Collector):
    """Builds every metric family from the runtime ``get_runtime()`` returns at scrape time."""

    def __init__(self, get_runtime: Callable[[], Runtime | None]) -> None:
        self.get_runtime = get_runtime
        self.snapshot = Snapshot([], None)

    def collect(self) -> Iterator[Metric]:
        runtime = self.get_runtime()
        if runtime is None:
            return
        yield from _info(runtime)
        yield from _breakers(runtime)
        yield from _limiters(self.snapshot.limiters)
        yield from _pool(runtime)
        yield from _vendors(runtime)
        yield from _database(self.snapshot.facts)


def _info(runtime: Runtime) -> Iterator[Metric]:
    info = GaugeMetricFamily("pipelineos_info", f"Version and configuration {THIS}",
                             labels=["version", "analyzer", "database", "notifications"])
    info.add_metric([__version__, "claude" if runtime.claude is not None else "local",
                     "embedded" if runtime.embedded is not None else "external",
                     "twilio" if runtime.notifications.enabled else "log"], 1)
    yield info
    ready = GaugeMetricFamily("pipelineos_ready", f"1 when ready for traffic {THIS}")
    ready.add_metric([], 1 if runtime.ready and not runtime.shutting_down else 0)
    yield ready


def _breakers(runtime: Runtime) -> Iterator[Metric]:
    state = GaugeMetricFamily("resilience4j_circuitbreaker_state",
                              f"1 for the breaker's current state, 0 for the others {THIS}",
                              labels=["name", "state"])
    calls = CounterMetricFamily("resilience4j_circuitbreaker_calls",
                                f"Calls through the breaker by outcome {THIS}",
                                labels=["name", "kind"])
    not_permitted = CounterMetricFamily("resilience4j_circuitbreaker_not_permitted_calls",
                                        f"Calls rejected while the breaker was open {THIS}",
                                        labels=["name"])
    failure_rate = GaugeMetricFamily(
        "resilience4j_circuitbreaker_failure_rate",
        f"Failed calls as a percentage of recorded calls, -1 before any call {THIS}",
        labels=["name"])
    recent = GaugeMetricFamily("pipelineos_circuitbreaker_recent_failures",
                               f"Failures within the breaker's rolling window {THIS}",
                               labels=["name"])
    cluster = GaugeMetricFamily(
        "pipelineos_circuitbreaker_cluster_failures",
        "Failures within the window across every process sharing the breaker, as this process "
        "last read them (only for shared breakers)", labels=["name"])
    generation = GaugeMetricFamily(
        "pipelineos_circuitbreaker_shared_generation",
        "Shared moves of the breaker this process has applied: equal on every process once "
        "each has heard of the last move (only for shared breakers)", labels=["name"])
    for breaker in runtime.registry.breakers():
        status = breaker.status()
        name, counts = breaker.name, status["metrics"]
        shared = status.get("shared")
        if shared is not None:
            cluster.add_metric([name], shared["clusterFailures"])
            generation.add_metric([name], shared["generation"])
        current = status["state"].lower()
        for value in BREAKER_STATES:
            state.add_metric([name, value], 1 if value == current else 0)
        successes, failures = counts["successfulRequests"], counts["failedRequests"]
        calls.add_metric([name, "successful"], successes)
        calls.add_metric([name, "failed"], failures)
        calls.add_metric([name, "ignored"], counts["ignoredRequests"])
        not_permitted.add_metric([name], counts["rejectedRequests"])
        recorded = successes + failures
        failure_rate.add_metric([name], failures / recorded * 100 if recorded else -1.0)
        recent.add_metric([name], status["recentFailures"])
    yield from (state, calls, not_permitted, failure_rate, recent, cluster, generation)


def _limiters(statuses: list[dict[str, Any]]) -> Iterator[Metric]:
    available = GaugeMetricFamily("resilience4j_ratelimiter_available_permissions",
                                  f"Tokens left in the rate limiter's bucket {THIS}",
                                  labels=["name"])
    capacity = GaugeMetricFamily("pipelineos_ratelimiter_capacity",
                                 f"The bucket's size: calls allowed in a burst {THIS}",
                                 labels=["name"])
    for status in statuses:
        available.add_metric([status["name"]], float(status["tokensRemaining"]))
        capacity.add_metric([status["name"]], float(status["capacity"]))
    yield from (available, capacity)


def _pool(runtime: Runtime) -> Iterator[Metric]:
    stats = pool_stats(runtime.pool)
    for key, name, text in (
        ("size", "pipelineos_db_pool_size", "Connections open"),
        ("available", "pipelineos_db_pool_available", "Connections idle in the pool"),
        ("waiting", "pipelineos_db_pool_waiting", "Requests waiting for a connection"),
        ("max", "pipelineos_db_pool_max", "The pool's maximum size (DB_POOL_MAX)"),
    ):
        gauge = GaugeMetricFamily(name, f"{text} {THIS}")
        gauge.add_metric([], stats[key])
        yield gauge
    for key, name, text in (
        ("requests", "pipelineos_db_pool_requests", "Connections lent"),
        ("requestErrors", "pipelineos_db_pool_request_errors",
         "Requests for a connection that failed (timeout, pool closed)"),
        ("connectionErrors", "pipelineos_db_pool_connection_errors",
         "Failed attempts to open a connection"),
        ("connectionsLost", "pipelineos_db_pool_connections_lost",
         "Connections found broken when checked"),
    ):
        counter = CounterMetricFamily(name, f"{text} {THIS}")
        counter.add_metric([], stats[key])
        yield counter


def _vendors(runtime: Runtime) -> Iterator[Metric]:
    counters = runtime.notifications.counters
    for value, name, text in (
        (counters.sent, "pipelineos_sms_sent", "SMS Twilio accepted"),
        (counters.failed, "pipelineos_sms_failed", "SMS sends that failed after retries"),
        (counters.rejected, "pipelineos_sms_rejected",
         "SMS sends refused by the open breaker or the rate limit"),
    ):
        counter = CounterMetricFamily(name, f"{text} {THIS}")
        counter.add_metric([], value)
        yield counter
    requests = CounterMetricFamily("pipelineos_ai_requests",
                                   f"Requests sent to Claude, by outcome {THIS}",
                                   labels=["outcome"])
    tokens = CounterMetricFamily("pipelineos_ai_tokens", f"Claude tokens used, by kind {THIS}",
                                 labels=["kind"])
    claude = runtime.claude
    service = claude.service if claude is not None else None
    requests.add_metric(["success"], service.success_count if service else 0)
    requests.add_metric(["error"], service.error_count if service else 0)
    usage = service.usage if service else None
    for kind, attribute in (("input", "input_tokens"), ("output", "output_tokens"),
                            ("cache_read", "cache_read_tokens"),
                            ("cache_write", "cache_write_tokens")):
        tokens.add_metric([kind], getattr(usage, attribute) if usage else 0)
    yield from (requests, tokens)


def _database(facts: DatabaseFacts | None) -> Iterator[Metric]:
    reachable = GaugeMetricFamily("pipelineos_database_reachable",
                                  "1 when the latest database reading succeeded")
    reachable.add_metric([], 0 if facts is None else 1)
    yield reachable
    if facts is None:
        return
    for name, text, label, known, counts in (
        ("pipelineos_jobs", f"Jobs in the queue by status {ALL}", "status", JOB_STATUSES,
         facts.jobs.by_status),
        ("pipelineos_posts", f"Posts stored, by status {ALL}", "status", POST_STATUSES,
         facts.posts),
        ("pipelineos_leads", f"Leads stored, by priority {ALL}", "priority", LEAD_PRIORITIES,
         facts.leads),
        ("pipelineos_alerts", f"Alerts in the outbox, by status {ALL}", "status", ALERT_STATUSES,
         facts.alerts),
    ):
        gauge = GaugeMetricFamily(name, text, labels=[label])
        for key in sorted({*known, *counts}):
            gauge.add_metric([key], counts.get(key, 0))
        yield gauge
    stalled = GaugeMetricFamily("pipelineos_jobs_stalled",
                                f"Jobs held by a worker that stopped sending heartbeats {ALL}")
    stalled.add_metric([], facts.jobs.stalled)
    yield stalled


class Metrics:
    """One app's metrics: its registry, the runtime collector and the HTTP histogram."""

    def __init__(self, get_runtime: Callable[[], Runtime | None], *,
                 facts_max_age: float = 5.0) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.collector = RuntimeCollector(get_runtime)
        self.registry.register(self.collector)
        self.facts = CachedFacts(facts_max_age)
        self.http = Histogram(
            "pipelineos_http_request_duration_seconds",
            f"HTTP request latency by route template and status {THIS}",
            labelnames=["method", "route", "status"], buckets=LATENCY_BUCKETS,
            registry=self.registry)
        # By the key's configured name (never its value): while rotating, the old key's count
        # stops growing once every client has moved to the new one.
        self.api_key_requests = Counter(
            "pipelineos_api_key_requests", f"/api requests let in by each API key {THIS}",
            labelnames=["key"], registry=self.registry)

    async def render(self) -> bytes:
        """The exposition text, with the parts that need an ``await`` read first."""
        runtime = self.collector.get_runtime()
        if runtime is not None:
            limiters = []
            for limiter in runtime.registry.limiters():
                try:
                    limiters.append(await limiter.status())
                except Exception:  # a shared bucket whose database is down: skip it
                    continue
            self.collector.snapshot = Snapshot(limiters, await self.facts.get(runtime))
        return generate_latest(self.registry)
