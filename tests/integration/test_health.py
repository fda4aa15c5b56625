"""GET /health keeps the seed's body and codes; the probes do not depend on vendors."""

from __future__ import annotations

import httpx

from pipelineos.bootstrap import Runtime


async def test_health_is_200_with_the_seed_body_when_all_circuits_are_closed(
    client: httpx.AsyncClient,
) -> None:
    """Nothing open: 200 and the seed's fields, plus database details."""
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["timestamp"].endswith("Z")
    assert body["services"]["notifications"] == {"enabled": False, "circuitState": "CLOSED",
                                                  "healthy": True}
    # No ANTHROPIC_API_KEY: Claude is not initialized; the local analyzer serves, healthy.
    assert body["services"]["ai"] == {"initialized": False, "circuitState": "CLOSED",
                                      "healthy": True}
    assert body["database"]["reachable"] is True


async def test_open_circuit_makes_health_503_but_not_the_probes(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    """An open vendor circuit is unhealthy for /health, yet /health/live and /health/ready stay
    200 so an orchestrator does not restart a service that is only waiting for a vendor."""
    runtime.registry.breaker("claude-api").force_open()
    health = await client.get("/health")
    assert health.status_code == 503
    assert health.json()["services"]["ai"]["circuitState"] == "FORCED_OPEN"
    assert health.json()["services"]["ai"]["healthy"] is False
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/health/ready")).status_code == 200


async def test_health_details_cover_database_jobs_breakers_and_limiters(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    """Beside the seed's fields: database latency and pool stats, the job queue (waiting,
    running, failed, stalled), each breaker's status and each limiter's tokens."""
    await runtime.jobs.defer("daily-digest")
    body = (await client.get("/health")).json()
    database = body["database"]
    assert database["latencyMs"] >= 0
    assert {"size", "available", "waiting", "max", "requestErrors"} <= database["pool"].keys()
    jobs = body["jobs"]
    assert (jobs["waiting"], jobs["running"], jobs["failed"], jobs["stalled"]) == (1, 0, 0, 0)
    assert jobs["workerInThisProcess"] is False
    twilio = body["circuitBreakers"]["twilio-api"]
    assert (twilio["state"], twilio["recentFailures"]) == ("CLOSED", 0)
    assert twilio["config"]["failureThreshold"] == 5
    assert body["rateLimiters"]["twilio-sms"]["tokensRemaining"] == 10


async def test_probes_during_shutdown(settings: object) -> None:
    """Once the runtime stops, /health/ready is 503 (take it out of the load balancer) while
    /health/live still answers 200 (do not restart a process that is draining)."""
    from pipelineos.web.app import create_app

    started = await Runtime.start(settings)  # type: ignore[arg-type]
    app = create_app(settings, runtime=started)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/health/ready")).status_code == 200
        await started.stop()
        ready = await client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["status"] == "not ready" and ready.json()["shuttingDown"] is True
        assert (await client.get("/health/live")).status_code == 200
