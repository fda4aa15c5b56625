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
