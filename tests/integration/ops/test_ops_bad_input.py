"""What schemathesis found, pinned: a 405 names every allowed method, a lead id is digits, and
a timestamp filter is an ISO 8601 date-time, not a number of seconds."""

from __future__ import annotations

from pipelineos.bootstrap import Runtime
from tests.integration.ops.conftest import client_at


async def test_wrong_method_is_405_with_every_allowed_method(ops_runtime: Runtime) -> None:
    """GET and PATCH on a lead are two routes; the Allow header lists both (and HEAD), and
    PATCH on /api/leads/analyze is a 405, not a complaint about a lead id 'analyze'."""
    async with client_at(ops_runtime) as client:
        response = await client.delete("/api/leads/7")
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, HEAD, PATCH"
        analyze = await client.patch("/api/leads/analyze", json={"status": "won"})
        assert analyze.status_code == 405 and analyze.headers["allow"] == "POST"
        assert (await client.get("/api/leads/abc")).status_code == 404


async def test_timestamp_filters_must_be_iso_dates(ops_runtime: Runtime) -> None:
    """`until=0.5` is refused (422) instead of being read as half a second after 1970."""
    async with client_at(ops_runtime) as client:
        refused = await client.get("/api/leads", params={"until": "0.5"})
        assert refused.status_code == 422
        assert refused.json()["details"][0]["field"] == "query.until"
        accepted = await client.get("/api/leads", params={"until": "2030-01-01T00:00:00Z"})
        assert accepted.status_code == 200
