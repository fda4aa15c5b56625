"""Noise controls by API (a muted post is stored with the reason, never a lead, never alerted)
and the installation's active model, picked up by a running process when it changes."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx

from pipelineos.analysis.learned import LearnedModel, shipped
from pipelineos.bootstrap import Runtime

HOT = "URGENT need a plumber in Dallas, pipe burst and water everywhere"


async def test_mutes_by_api(client: httpx.AsyncClient, runtime: Runtime) -> None:
    added = await client.post("/api/noise", json={"kind": "phrase", "value": "Pipe Burst"})
    assert added.status_code == 201, added.text
    again = await client.post("/api/noise", json={"kind": "phrase", "value": "pipe burst"})
    assert again.json()["id"] == added.json()["id"]  # the same rule, in any case
    for _ in range(100):  # every process reloads its mutes when they change
        if runtime.installed.mutes.rules:
            break
        await asyncio.sleep(0.05)
    body = (await client.post("/api/leads/analyze",
                              json={"post_text": HOT, "group_name": "DFW Homes"})).json()
    assert body["lead"] is None and body["analysis"]["is_lead"] is False
    assert "muted: negative phrase 'pipe burst'" in body["analysis"]["reasons"]
    bulk = (await client.post("/api/posts", json=[
        {"text": "Need a roofer in Dallas, hail damage", "group_name": "g", "author": "Bob"},
        {"text": "Need an electrician in Plano, breaker sparks", "group_name": "g",
         "source": "craigslist"}])).json()
    assert [r["lead_id"] is not None for r in bulk["results"]] == [True, True]
    await client.post("/api/noise", json={"kind": "author", "value": "bob"})
    await client.post("/api/noise", json={"kind": "source", "value": "Craigslist"})
    for _ in range(100):
        if len(runtime.installed.mutes.rules) == 3:
            break
        await asyncio.sleep(0.05)
    bulk = (await client.post("/api/posts", json=[
        {"text": "Need a roofer in Frisco, shingles gone", "group_name": "g", "author": "BOB"},
        {"text": "Need an electrician in Allen, lights out", "group_name": "g",
         "source": "craigslist"}])).json()
    assert [r["lead_id"] for r in bulk["results"]] == [None, None]
    async with runtime.pool.connection() as conn:
        alerts = await (await conn.execute(
            "SELECT count(*) FROM alert_outbox a JOIN leads l ON l.id = a.lead_id"
            " JOIN posts p ON p.id = l.post_id WHERE p.body = %s", (HOT,))).fetchone()
    assert alerts == (0,)
    rules = (await client.get("/api/noise")).json()["rules"]
    assert sorted((r["kind"], r["value"]) for r in rules) == [
        ("author", "bob"), ("phrase", "Pipe Burst"), ("source", "Craigslist")]

    for payload, words in (({"kind": "colour", "value": "red"}, "kind"),
                           ({"kind": "phrase", "value": "   "}, "value"),
                           ({"kind": "phrase", "value": "x" * 201}, "value"),
                           ({"kind": "phrase"}, "value"),
                           ({"kind": "phrase", "value": "!!!"}, "letter or digit")):
        response = await client.post("/api/noise", json=payload)
        assert response.status_code == 422 and words in response.text, (payload, response.text)
    rule = rules[0]["id"]
    assert (await client.delete(f"/api/noise/{rule}")).status_code == 204
    missing = await client.delete(f"/api/noise/{rule}")
    assert missing.status_code == 404 and missing.json()["error"] == f"No noise rule {rule}"


async def test_a_running_process_picks_up_the_active_model(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    base = shipped()
    assert base is not None and runtime.local_analyzer.model is base
    strict = replace(base, threshold=0.999, meta={**base.meta, "id": "lr-strict"})
    async with runtime.pool.connection() as conn:
        await conn.execute(
            "INSERT INTO analyzer_models (model_id, labels, scores, file, active)"
            " VALUES ('lr-strict', 0, '{}', %s, true)", (strict.to_bytes(),))
    for _ in range(100):
        if runtime.local_analyzer.model is not None and runtime.local_analyzer.model.id == \
                "lr-strict":
            break
        await asyncio.sleep(0.05)
    body = (await client.post("/api/leads/analyze",
                              json={"post_text": HOT, "group_name": "DFW Homes"})).json()
    assert body["analysis"]["model"] == "lr-strict" and body["lead"] is None
    bulk = (await client.post("/api/posts", json=[
        {"text": "Need a roofer in Dallas, hail damage", "group_name": "g"}])).json()
    assert bulk["results"][0]["lead_id"] is None
    assert LearnedModel.from_bytes(strict.to_bytes()).threshold == 0.999
