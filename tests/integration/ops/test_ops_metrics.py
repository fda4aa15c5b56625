"""GET /metrics: Prometheus text read from the live breakers, limiters, pool, vendors and the
database, with HTTP latency by route template; no secret in it; one registry per app."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.fakes.twilio_server import FakeTwilio
from tests.integration.ops.conftest import API_KEY, client_at

HOT = {"post_text": "Need a plumber in Dallas for leaking water heater",
       "group_name": "Dallas Home Services"}


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by (sample name, labels)."""
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, frozenset[tuple[str, str]]], float], sample: str,
          **labels: str) -> float:
    return found[(sample, frozenset(labels.items()))]


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]],
                                                   float]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(response.text)


async def test_breaker_metrics_follow_resilience4j_names(
    ops_runtime: Runtime, fake_twilio: FakeTwilio
) -> None:
    """One SMS sent, two refused by Twilio (bad token) and one ignored validation error show
    as calls by kind; the forced-open state is 1 and every other state 0; a rejected call is
    a not-permitted call; the failure rate is a percentage of recorded calls."""
    async with client_at(ops_runtime) as client:
        assert (await client.post("/api/test/sms", json={"message": "ok"})).status_code == 200
        fake_twilio.fail_next(400, 21211, "The 'To' number is not a valid phone number.")
        assert (await client.post("/api/test/sms", json={"message": "bad"})).status_code == 502
        fake_twilio.auth_token = "rotated"
        for _ in range(2):
            assert (await client.post("/api/test/sms", json={"message": "x"})).status_code == 502
        await client.post("/api/admin/circuits/twilio-api/force-open")
        assert (await client.post("/api/test/sms", json={"message": "x"})).status_code == 503
        found = await scrape(client)
    name = {"name": "twilio-api"}
    assert value(found, "resilience4j_circuitbreaker_state", state="forced_open", **name) == 1
    for state in ("closed", "open", "half_open", "disabled"):
        assert value(found, "resilience4j_circuitbreaker_state", state=state, **name) == 0
    assert value(found, "resilience4j_circuitbreaker_calls_total", kind="successful", **name) == 1
    assert value(found, "resilience4j_circuitbreaker_calls_total", kind="failed", **name) == 2
    assert value(found, "resilience4j_circuitbreaker_calls_total", kind="ignored", **name) == 1
    assert value(found, "resilience4j_circuitbreaker_not_permitted_calls_total", **name) == 1
    assert round(value(found, "resilience4j_circuitbreaker_failure_rate", **name), 2) == 66.67
    assert value(found, "pipelineos_sms_sent_total") == 1
    assert value(found, "pipelineos_sms_failed_total") == 3
    # Three requests reached Twilio's create endpoint through the limiter (10 a minute).
    tokens = value(found, "resilience4j_ratelimiter_available_permissions", name="twilio-sms")
    assert 6 <= tokens < 7.5
    assert value(found, "pipelineos_ratelimiter_capacity", name="twilio-sms") == 10


async def test_pool_jobs_posts_leads_and_ai_are_exposed(ops_runtime: Runtime) -> None:
    """After a hot lead is analyzed, the database-wide gauges count one analyzed post and one
    high-priority lead; pool, job queue and AI families are there (AI at zero: no Claude)."""
    async with client_at(ops_runtime) as client:
        assert (await client.post("/api/leads/analyze", json=HOT)).status_code == 200
        found = await scrape(client)
    assert value(found, "pipelineos_posts", status="analyzed") == 1
    assert value(found, "pipelineos_posts", status="received") == 0
    assert value(found, "pipelineos_leads", priority="high") == 1
    assert value(found, "pipelineos_alerts", status="pending") + value(
        found, "pipelineos_alerts", status="sent") + value(
        found, "pipelineos_alerts", status="sending") == 1
    assert value(found, "pipelineos_db_pool_max") == ops_runtime.settings.db_pool_max
    assert value(found, "pipelineos_db_pool_size") >= 1
    assert value(found, "pipelineos_db_pool_requests_total") >= 1
    assert ("pipelineos_db_pool_waiting", frozenset()) in found
    assert value(found, "pipelineos_jobs", status="todo") >= 0
    assert value(found, "pipelineos_jobs_stalled") == 0
    assert value(found, "pipelineos_ai_requests_total", outcome="success") == 0
    assert value(found, "pipelineos_ai_tokens_total", kind="input") == 0
    assert value(found, "pipelineos_database_reachable") == 1
    assert value(found, "pipelineos_ready") == 1


async def test_http_latency_is_labelled_by_route_template(ops_runtime: Runtime) -> None:
    """Requests are timed by method, route template and status: lead ids do not become
    labels, refusals before routing are labelled with their route, unknown paths as one."""
    app = create_app(ops_runtime.settings, runtime=ops_runtime)
    async with client_at(ops_runtime, app=app) as client, \
            client_at(ops_runtime, "203.0.113.7", app=app) as other:
        for lead_id in (101, 102):
            assert (await client.get(f"/api/leads/{lead_id}")).status_code == 404
        assert (await other.get("/api/leads/5")).status_code == 403
        assert (await client.get("/no/such/thing/123")).status_code == 404
        found = await scrape(client)
    count = "pipelineos_http_request_duration_seconds_count"
    assert value(found, count, method="GET", route="/api/leads/{lead_id}", status="404") == 2
    assert value(found, count, method="GET", route="/api/leads/{lead_id}", status="403") == 1
    assert value(found, count, method="GET", route="unmatched", status="404") == 1
    assert not any("101" in str(labels) for _, labels in found)


async def test_metrics_hold_no_secret(keyed_runtime: Runtime) -> None:
    """Neither the API key nor the Twilio token nor the database password is in /metrics."""
    settings = keyed_runtime.settings
    async with client_at(keyed_runtime, headers={"X-API-Key": API_KEY}) as client:
        await client.post("/api/test/sms", json={"message": "hi"})
        text = (await client.get("/metrics")).text
    assert settings.secrets() and all(secret not in text for secret in settings.secrets())
    assert "resilience4j_circuitbreaker_state" in text


async def test_each_app_has_its_own_registry(ops_runtime: Runtime) -> None:
    """Two apps in one process both serve metrics (no collision on a global registry), and
    one app's HTTP counts are not the other's."""
    async with client_at(ops_runtime) as first, client_at(ops_runtime) as second:
        await first.get("/health/live")
        one, two = await scrape(first), await scrape(second)
    count = "pipelineos_http_request_duration_seconds_count"
    assert value(one, count, method="GET", route="/health/live", status="200") == 1
    assert (count, frozenset({"method": "GET", "route": "/health/live",
                              "status": "200"}.items())) not in two
