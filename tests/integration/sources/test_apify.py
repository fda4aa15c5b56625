"""Apify sources: the run-succeeded webhook at the source's secret URL makes PipelineOS read
the run's dataset from a loopback Apify with the official client; Facebook Groups Scraper
items become posts once; a wrong token is a 404; Apify failures answer 503 so Apify retries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.conftest import make_settings
from tests.fakes.apify_server import FakeApify, serve_apify

ITEMS = [
    {"text": "Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage",
     "groupTitle": "Dallas Homeowners", "postId": "111", "url":
     "https://www.facebook.com/groups/1/posts/111", "user": {"name": "Ann"},
     "time": "2026-11-30T10:00:00Z"},
    {"text": "Looking for an electrician in Plano to install an EV charger next week",
     "groupTitle": "Plano Neighbors", "postId": "222", "user": {"name": "Bo"}},
    {"groupTitle": "No text here", "postId": "333"},
]


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


def succeeded(dataset: str) -> dict[str, Any]:
    return {"userId": "u1", "createdAt": "2026-11-30T10:05:00.000Z",
            "eventType": "ACTOR.RUN.SUCCEEDED",
            "eventData": {"actorId": "a1", "actorRunId": "run1"},
            "resource": {"id": "run1", "status": "SUCCEEDED", "defaultDatasetId": dataset}}


@pytest.fixture
def apify() -> Iterator[FakeApify]:
    with serve_apify() as fake:
        yield fake


@pytest.fixture
async def http(migrated_url: str, tmp_path: Path,
               apify: FakeApify) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    settings = make_settings(migrated_url, tmp_path, apify_api_url=apify.base_url)
    runtime = await Runtime.start(settings)
    transport = httpx.ASGITransport(app=create_app(settings, runtime=runtime),
                                    client=("127.0.0.1", 4000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://p.test") as client:
            yield client, runtime
    finally:
        await runtime.stop()


async def test_run_succeeded_reads_the_dataset(http: tuple[httpx.AsyncClient, Runtime],
                                               apify: FakeApify, migrated_url: str,
                                               caplog: pytest.LogCaptureFixture) -> None:
    """The webhook's dataset is read with the token; items become posts; a retried webhook
    takes nothing twice; the token appears in no answer or log."""
    client, _ = http
    apify.datasets["ds1"] = ITEMS
    created = await client.post("/api/sources", json={"kind": "apify", "name": "fb",
                                                      "token": apify.token})
    assert created.status_code == 201 and created.json()["credentials"] == ["token"]
    url = created.json()["webhook_url"]
    first = await client.post(url, json=succeeded("ds1"))
    assert first.status_code == 200, first.text
    assert first.json() == {"items": 3, "new": 3, "accepted": 2, "duplicates": 0, "rejected": 1}
    assert apify.requests[0][0] == "/v2/datasets/ds1/items"
    assert rows(migrated_url, "SELECT source, source_id, group_name, author FROM posts "
                              "ORDER BY source_id") == [
        ("apify:fb", "111", "Dallas Homeowners", "Ann"),
        ("apify:fb", "222", "Plano Neighbors", "Bo")]
    again = await client.post(url, json=succeeded("ds1"))
    assert again.json()["new"] == 0
    other = await client.post(url, json={"eventType": "ACTOR.RUN.FAILED",
                                         "resource": {"id": "r2"}})
    assert other.status_code == 200 and other.json()["items"] == 0
    listed = (await client.get("/api/sources")).text
    assert apify.token not in listed and apify.token not in created.text
    assert not any(apify.token in repr(r.__dict__) for r in caplog.records)


async def test_failures(http: tuple[httpx.AsyncClient, Runtime], apify: FakeApify) -> None:
    """A wrong URL token is 404; a bad payload 422/400; Apify refusing the API token or
    failing is a 503 (Apify retries its webhook) and the source shows the error."""
    client, _ = http
    apify.datasets["ds1"] = ITEMS
    created = await client.post("/api/sources", json={"kind": "apify", "name": "fb",
                                                      "token": "wrong-token-9"})
    url = created.json()["webhook_url"]
    assert (await client.post(url + "x", json=succeeded("ds1"))).status_code == 404
    assert (await client.post(url, json={"eventType": "ACTOR.RUN.SUCCEEDED"})).status_code \
        == 422
    assert (await client.post(url, json=[1, 2])).status_code == 422
    assert (await client.post(url, content=b"{", headers={
        "content-type": "application/json"})).status_code == 400
    refused = await client.post(url, json=succeeded("ds1"))
    assert refused.status_code == 503 and "Apify refused the token" in refused.json()["error"]
    source = (await client.get("/api/sources/fb")).json()
    assert source["state"] == "failing" and source["last_error"] == "Apify refused the token"
    assert "wrong-token-9" not in refused.text

    good = await client.post("/api/sources", json={"kind": "apify", "name": "fb2",
                                                   "token": apify.token})
    url2 = good.json()["webhook_url"]
    missing = await client.post(url2, json=succeeded("nope"))
    assert missing.status_code == 503 and "no dataset nope" in missing.json()["error"]
    assert (await client.post("/api/sources/fb2/poll")).status_code == 422
