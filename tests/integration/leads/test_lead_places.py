"""Listing leads by place and by fit, and reading everything about one lead."""

from __future__ import annotations

import asyncio

import httpx

from pipelineos.bootstrap import Runtime
from pipelineos.leads import store

POSTS = {
    "dallas": "Need a plumber in Dallas for leaking water heater",
    "dfw": "Need a plumber in DFW, kitchen sink clogged",
    "denver": "Need a plumber in Denver, leaking water heater",
    "roofer": "Need a roofer in Dallas, hail damage on the roof",
}


async def _leads(client: httpx.AsyncClient, runtime: Runtime) -> dict[str, int]:
    await client.post("/api/areas", json={"name": "Dallas", "aliases": ["DFW", "Big D"]})
    await client.put("/api/services", json={"services": ["plumbing"]})
    for _ in range(100):
        if runtime.profile.services and runtime.profile.areas:
            break
        await asyncio.sleep(0.02)
    ids = {}
    for key, text in POSTS.items():
        reply = await client.post("/api/leads/analyze", json={"post_text": text,
                                                              "group_name": "g"})
        ids[key] = reply.json()["lead"]["id"]
    return ids


async def _listed(client: httpx.AsyncClient, query: str) -> set[int]:
    reply = await client.get(f"/api/leads?{query}")
    assert reply.status_code == 200, reply.text
    return {lead["id"] for lead in reply.json()["leads"]}


async def test_area_matches_the_place_of_any_lead(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    """?area=Dallas (or its alias, in any case) finds the leads in Dallas and the roofing
    lead in Dallas the business does not serve; ?area=denver finds the lead outside."""
    ids = await _leads(client, runtime)
    in_dallas = {ids["dallas"], ids["dfw"], ids["roofer"]}
    assert await _listed(client, "area=Dallas") == in_dallas
    assert await _listed(client, "area=big%20d") == in_dallas
    assert await _listed(client, "area=dfw") == in_dallas
    assert await _listed(client, "area=denver") == {ids["denver"]}
    assert await _listed(client, "area=Austin") == set()


async def test_fit_filters_leads(client: httpx.AsyncClient, runtime: Runtime) -> None:
    """?fit= lists the leads with that fit, alone or with a place; an unknown fit is a 422."""
    ids = await _leads(client, runtime)
    assert await _listed(client, "fit=in_area") == {ids["dallas"], ids["dfw"]}
    assert await _listed(client, "fit=outside_area") == {ids["denver"]}
    assert await _listed(client, "fit=outside_services&area=DALLAS") == {ids["roofer"]}
    assert (await client.get("/api/leads?fit=nearby")).status_code == 422


async def test_place_and_fit_filters_are_served_by_indexes(runtime: Runtime) -> None:
    """With sequential scans priced out, listing leads by place reads the area and location
    indexes, and by fit the fit index, never the whole leads table."""
    cases = [(store.LeadFilter(area="Dallas"), {"leads_area_idx", "leads_location_idx"}),
             (store.LeadFilter(fit="outside_area"), {"leads_fit_idx"})]
    async with runtime.pool.connection() as conn:
        await conn.execute("SET enable_seqscan = off")
        for filters, indexes in cases:
            query, params = await store.list_query(conn, filters, before_id=None, limit=50)
            plan = "\n".join(row[0] for row in await (
                await conn.execute(b"EXPLAIN " + query.as_bytes(conn), params)).fetchall())
            assert "Seq Scan on leads" not in plan and all(i in plan for i in indexes), plan
        await conn.execute("RESET enable_seqscan")


async def test_a_lead_in_full(client: httpx.AsyncClient, runtime: Runtime) -> None:
    """lead_detail: the lead, its post's origin, its analysis, its sightings, its history."""
    ids = await _leads(client, runtime)
    await client.post("/api/leads/analyze", json={"post_text": POSTS["denver"] + "!!",
                                                  "group_name": "Denver Homes"})
    await client.patch(f"/api/leads/{ids['denver']}",
                       json={"status": "contacted", "note": "Called", "actor": "maria"})
    async with runtime.pool.connection() as conn:
        detail = await store.lead_detail(conn, ids["denver"])
        missing = await store.lead_detail(conn, 10**9)
    assert detail is not None and missing is None
    assert (detail.lead.location, detail.lead.fit) == ("Denver", "outside_area")
    assert detail.origin.source == "api"
    assert detail.analysis.analyzer == "local" and detail.analysis.reasons
    assert [s.group_name for s in detail.seen] == ["g", "Denver Homes"]
    assert [(e.actor, e.from_status, e.to_status, e.note) for e in detail.events] == [
        ("maria", "new", "contacted", "Called")]
