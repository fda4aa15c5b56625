"""The lead pipeline: status changes with history, notes, and filters over leads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx


async def make_lead(client: httpx.AsyncClient, text: str) -> int:
    body = (await client.post("/api/leads/analyze",
                              json={"post_text": text, "group_name": "DFW Homes"})).json()
    return int(body["lead"]["id"])


async def test_status_changes_and_notes_are_kept_in_order(client: httpx.AsyncClient) -> None:
    """contacted → quoted → won, with notes and who did it; the lead shows its history."""
    lead = await make_lead(client, "Need a plumber in Dallas ASAP, water heater leaking")
    first = await client.patch(f"/api/leads/{lead}",
                               json={"status": "contacted", "note": "Left a voicemail",
                                     "actor": "maria"})
    assert first.status_code == 200 and first.json()["status"] == "contacted"
    await client.patch(f"/api/leads/{lead}", json={"note": "Sent photos of similar jobs"})
    await client.patch(f"/api/leads/{lead}", json={"status": "quoted"})
    final = (await client.patch(f"/api/leads/{lead}", json={"status": "won"})).json()
    assert final["status"] == "won"
    assert [(e["from_status"], e["to_status"], e["note"], e["actor"]) for e in final["events"]] == [
        ("new", "contacted", "Left a voicemail", "maria"),
        (None, None, "Sent photos of similar jobs", "api"),
        ("contacted", "quoted", None, "api"),
        ("quoted", "won", None, "api"),
    ]
    assert final["status_changed_at"] >= final["created_at"]
    assert (await client.get(f"/api/leads/{lead}")).json()["events"] == final["events"]


async def test_bad_updates_are_client_errors(client: httpx.AsyncClient) -> None:
    """Unknown status, empty update, overlong note, unknown lead: 422/422/422/404."""
    lead = await make_lead(client, "Need an electrician in Plano to fix sparking outlet")
    assert (await client.patch(f"/api/leads/{lead}", json={"status": "closed"})).status_code == 422
    assert (await client.patch(f"/api/leads/{lead}", json={})).status_code == 422
    assert (await client.patch(f"/api/leads/{lead}", json={"note": "x" * 2001})).status_code == 422
    assert (await client.patch("/api/leads/999999", json={"status": "won"})).status_code == 404


async def test_filter_by_status_area_and_date(client: httpx.AsyncClient) -> None:
    """Leads filter by pipeline status, service area and creation time."""
    await client.post("/api/areas", json={"name": "Garland"})
    import asyncio

    await asyncio.sleep(0.3)  # the area reaches the cache
    garland = await make_lead(client, "Need a plumber in Garland, toilet overflowing, help!")
    other = await make_lead(client, "Looking for a roofer in Denver for hail damage")
    await client.patch(f"/api/leads/{other}", json={"status": "lost"})
    by_area = (await client.get("/api/leads", params={"area": "garland"})).json()["leads"]
    assert [lead["id"] for lead in by_area] == [garland]
    lost = (await client.get("/api/leads", params={"status": "lost"})).json()["leads"]
    assert [lead["id"] for lead in lost] == [other]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert (await client.get("/api/leads", params={"since": future})).json()["leads"] == []
    everything = (await client.get("/api/leads", params={"until": future})).json()["leads"]
    assert {lead["id"] for lead in everything} == {garland, other}
    assert (await client.get("/api/leads", params={"since": "yesterday"})).status_code == 422
    assert (await client.get("/api/leads", params={"since": "2026-01-01T00:00:00"})).status_code == 422
