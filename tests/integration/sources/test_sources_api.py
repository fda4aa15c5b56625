"""The sources API: add, list, change, remove, poll; webhook sources' secret URLs; credentials
never shown; precise 4xx for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.conftest import make_settings
from tests.fakes.feed_server import FeedItem, FeedServer

HOT = "Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage"
EV = "Looking for an electrician in Plano to install an EV charger next week"
PASSWORD = "hunter2-imap-Secret-77"


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


async def test_add_list_change_poll_remove(client: httpx.AsyncClient, feeds: FeedServer,
                                           migrated_url: str) -> None:
    """The whole life of a feed source through the API."""
    feeds.items["d"] = [FeedItem("g1", HOT, "call me")]
    created = await client.post("/api/sources", json={
        "kind": "rss", "name": "dallas", "url": feeds.url("d"), "interval_seconds": 120})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["name"], body["kind"], body["enabled"], body["state"]) == (
        "dallas", "rss", True, "new")
    assert body["webhook_url"] is None and body["config"]["url"] == feeds.url("d")

    polled = await client.post("/api/sources/dallas/poll")
    assert polled.status_code == 200 and polled.json()["accepted"] == 1
    listed = (await client.get("/api/sources")).json()["sources"]
    assert [(s["name"], s["items_total"], s["state"]) for s in listed] == [("dallas", 1, "ok")]
    assert listed[0]["last_polled_at"] and listed[0]["last_success_at"]

    off = await client.patch("/api/sources/dallas", json={"enabled": False})
    assert off.status_code == 200 and off.json()["state"] == "disabled"
    slower = await client.patch("/api/sources/dallas", json={"interval_seconds": 600})
    assert slower.json()["interval_seconds"] == 600

    assert (await client.delete("/api/sources/dallas")).status_code == 204
    assert (await client.delete("/api/sources/dallas")).status_code == 404
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(1,)]  # posts stay


async def test_bad_input_gets_precise_4xx(client: httpx.AsyncClient) -> None:
    """Each mistake is named; nothing is a 500."""
    cases: list[tuple[Any, int, str]] = [
        ({"kind": "rss", "name": "a"}, 422, "url: required"),
        ({"kind": "rss", "name": "a", "url": "ftp://x"}, 422, "url: must be an http"),
        ({"kind": "rss", "name": "Bad Name", "url": "http://x"}, 422, "name: 1 to 40"),
        ({"kind": "nntp", "name": "a"}, 422, "kind: one of rss, reddit, imap, apify, webhook"),
        ({"kind": "reddit", "name": "a"}, 422, "subreddits: required"),
        ({"kind": "apify", "name": "a"}, 422, "token: required"),
        ({"kind": "rss", "name": "a", "url": "http://x", "interval_seconds": 1}, 422,
         "interval_seconds: a whole number from 10"),
        ({"kind": "rss", "name": "a", "url": "http://x", "colour": "red"}, 422,
         "colour: not a field of this kind"),
        ({"kind": "rss", "name": "a", "url": "http://x", "group_name": "a\u0000b"}, 422,
         "group_name: must not contain NUL"),
        ({"kind": "imap", "name": "m", "host": "h", "username": "u"}, 422, "password: required"),
        (["kind", "rss"], 422, "the body must be a JSON object"),
    ]
    for body, status, message in cases:
        answer = await client.post("/api/sources", json=body)
        assert (answer.status_code, message in answer.json()["error"]) == (status, True), (
            body, answer.text)
    broken = await client.post("/api/sources", content=b"{nope",
                               headers={"content-type": "application/json"})
    assert broken.status_code == 400
    ok = {"kind": "rss", "name": "a", "url": "http://127.0.0.1:9/x"}
    assert (await client.post("/api/sources", json=ok)).status_code == 201
    again = await client.post("/api/sources", json=ok)
    assert again.status_code == 409 and "already exists" in again.json()["error"]
    assert (await client.patch("/api/sources/a", json={"interval_seconds": 3})).status_code == 422
    assert (await client.patch("/api/sources/a", json={"enabled": "yes"})).status_code == 422
    assert (await client.patch("/api/sources/nope", json={"enabled": True})).status_code == 404
    assert (await client.post("/api/sources/nope/poll")).status_code == 404
    assert (await client.get("/api/sources/nope")).status_code == 404


async def test_credentials_never_shown(client: httpx.AsyncClient, runtime: Runtime,
                                       caplog: pytest.LogCaptureFixture) -> None:
    """An IMAP password is stored but appears in no API answer, health body or log line."""
    created = await client.post("/api/sources", json={
        "kind": "imap", "name": "mail", "host": "127.0.0.1", "port": 1, "username": "u",
        "password": PASSWORD, "tls": False})
    assert created.status_code == 201
    assert created.json()["credentials"] == ["password"]
    await client.post("/api/sources/mail/poll")  # fails: nothing listens on port 1
    answers = [created.text, (await client.get("/api/sources")).text,
               (await client.get("/api/sources/mail")).text, (await client.get("/health")).text,
               (await client.get("/metrics")).text]
    assert all(PASSWORD not in text for text in answers)
    logged = [repr(record.__dict__) for record in caplog.records]
    assert any("Source poll failed" in line for line in logged)
    assert not any(PASSWORD in line for line in logged)
    assert "password" not in repr(await runtime.sources.get("mail")).replace("['password']", "")


async def test_webhook_source(migrated_url: str, tmp_path: Path) -> None:
    """A webhook source takes items at its secret URL without an API key; a wrong token is a
    404; one object, arrays and NDJSON; a repeat is not taken twice; a bad item is skipped."""
    settings = make_settings(migrated_url, tmp_path, pipelineos_api_key="k" * 32)
    runtime = await Runtime.start(settings)
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.5", 4000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://p.test") as c:
            key = {"X-API-Key": "k" * 32}
            created = await c.post("/api/sources", headers=key, json={
                "kind": "webhook", "name": "zap", "group_name": "Zapier leads"})
            assert created.status_code == 201
            url = created.json()["webhook_url"]
            assert url.startswith("http://p.test/api/webhooks/sources/zap/")
            listed = (await c.get("/api/sources", headers=key)).text
            assert url.rsplit("/", 1)[1] not in listed

            one = await c.post(url, json={"text": HOT, "id": "z1"})
            assert one.status_code == 200, one.text
            assert one.json() == {"items": 1, "new": 1, "accepted": 1, "duplicates": 0,
                                  "rejected": 0}
            many = await c.post(url, json=[{"text": HOT, "id": "z1"}, {"text": EV},
                                           {"nope": 1}])
            assert many.json() == {"items": 3, "new": 2, "accepted": 1, "duplicates": 0,
                                   "rejected": 1}
            nd = await c.post(url, content=(json.dumps({"text": EV}) + "\n").encode(),
                              headers={"content-type": "application/x-ndjson"})
            assert nd.json()["new"] == 0  # the same item as before: seen

            wrong = await c.post(url[:-3] + "xyz", json={"text": HOT})
            assert wrong.status_code == 404
            assert (await c.post("/api/webhooks/sources/nope/abc",
                                 json={"text": HOT})).status_code == 404
            assert (await c.post(url, content=b"[{", headers={
                "content-type": "application/json"})).status_code == 400
            source = (await c.get("/api/sources/zap", headers=key)).json()
            assert source["items_total"] == 2 and source["state"] == "ok"
            assert (await c.post("/api/sources/zap/poll", headers=key)).status_code == 422
    finally:
        await runtime.stop()
    assert rows(migrated_url, "SELECT source, group_name FROM posts ORDER BY id") == [
        ("webhook:zap", "Zapier leads"), ("webhook:zap", "Zapier leads")]


async def test_health_names_failing_sources(client: httpx.AsyncClient) -> None:
    """/health counts sources and names a failing one, without changing its status code."""
    await client.post("/api/sources", json={"kind": "rss", "name": "gone",
                                            "url": "http://127.0.0.1:9/feed"})
    await client.post("/api/sources/gone/poll")
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json()["sources"] == {"total": 1, "enabled": 1, "failing": ["gone"],
                                        "quiet": []}
