"""Bulk intake: POST /api/posts takes arrays or NDJSON, each item gets its own result."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

from pipelineos.analysis import corpus
from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.conftest import make_settings

DATA = corpus.SETS["dev"]


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()  # type: ignore[arg-type]


async def test_mixed_array_gives_one_result_per_item(
    client: httpx.AsyncClient, migrated_url: str
) -> None:
    """Good items are stored, bad ones say why, an in-batch repeat is a duplicate."""
    hot = "Need a plumber in Dallas ASAP, water heater leaking everywhere in the garage"
    body = [
        {"text": hot, "group_name": "Dallas Home Services", "source": "facebook",
         "source_id": "p1", "url": "https://fb.example/p1", "author": "Ann",
         "posted_at": datetime.now(UTC).isoformat()},
        {"text": "", "group_name": "g"},
        {"group_name": "g"},
        {"text": "Lost cat near White Rock Lake, orange tabby named Milo", "group_name": 7},
        "just a string",
        {"text": hot, "group_name": "DFW Homeowners"},
        {"text": "Looking for an electrician in Plano to install an EV charger next week",
         "group_name": "Plano Neighbors", "posted_at": "yesterday"},
    ]
    response = await client.post("/api/posts", json=body)
    assert response.status_code == 200
    result = response.json()
    assert (result["accepted"], result["duplicates"], result["invalid"]) == (1, 1, 5)
    statuses = [(r["index"], r["status"]) for r in result["results"]]
    assert statuses == [(0, "accepted"), (1, "invalid"), (2, "invalid"), (3, "invalid"),
                        (4, "invalid"), (5, "duplicate"), (6, "invalid")]
    reasons = {r["index"]: r["reason"] for r in result["results"] if r["reason"]}
    assert "no post text" in reasons[1] and "no post text" in reasons[2]
    assert reasons[3] == "group must be a string"
    assert reasons[4] == "an item must be a JSON object"
    assert reasons[5] == "repeats an earlier post"
    assert reasons[6] == "posted_at must be an ISO 8601 date-time"
    assert result["results"][5]["duplicate_of"] == result["results"][0]["post_id"]
    stored = rows(migrated_url, "SELECT source, source_id, url, author FROM posts ORDER BY id")
    assert stored[0] == ("facebook", "p1", "https://fb.example/p1", "Ann")
    assert rows(migrated_url, "SELECT count(*) FROM alert_outbox") == [(1,)]


async def test_facebook_scraper_items_as_ndjson(client: httpx.AsyncClient, migrated_url: str
                                                ) -> None:
    """The item shape of a Facebook-group scraper, as NDJSON with one broken line."""
    items = [
        {"text": "Anyone have a good roofer? Hail damage in Frisco, need a quote this week",
         "url": "https://www.facebook.com/groups/1/posts/11", "groupTitle": "Frisco Moms",
         "time": 1795860000000, "user": {"name": "Bea"}, "postId": "11"},
        {"message": "Need a cleaner for a move-out clean in Irving, 2 bed apartment",
         "group": {"name": "Irving Neighbors"}, "timestamp": 1795860000, "id": "12"},
    ]
    body = "\n".join(json.dumps(i) for i in items[:1]) + "\n{oops\n" + json.dumps(items[1]) + "\n"
    response = await client.post("/api/posts", content=body.encode(),
                                 headers={"content-type": "application/x-ndjson"})
    result = response.json()
    assert [r["status"] for r in result["results"]] == ["accepted", "invalid", "accepted"]
    assert result["results"][1]["reason"].startswith("line 2: malformed JSON")
    stored = rows(migrated_url, "SELECT group_name, source_id, author, posted_at FROM posts"
                                " ORDER BY id")
    assert stored[0][:3] == ("Frisco Moms", "11", "Bea")
    assert stored[0][3] == datetime.fromtimestamp(1795860000, UTC)
    assert stored[1][:2] == ("Irving Neighbors", "12")


async def test_importing_the_same_items_again_changes_nothing(client: httpx.AsyncClient,
                                                              migrated_url: str) -> None:
    """Items with source ids sent twice: the second time every one is a duplicate."""
    items = [{"text": f"Need a {t} in Dallas, please recommend someone good", "group_name": "g",
              "source": "scraper", "postId": str(n)}
             for n, t in enumerate(["plumber", "painter", "roofer", "locksmith"])]
    first = (await client.post("/api/posts", json=items)).json()
    again = (await client.post("/api/posts", json=items)).json()
    assert first["accepted"] == 4 and again["duplicates"] == 4
    assert {r["reason"] for r in again["results"]} == {"this source id was imported before"}
    assert rows(migrated_url, "SELECT count(*) FROM posts") == [(4,)]


async def test_an_old_hot_lead_is_stored_but_not_texted(client: httpx.AsyncClient,
                                                        migrated_url: str) -> None:
    """Importing last month's posts creates their leads without texting the owner."""
    old = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    body = [{"text": "EMERGENCY need a plumber in Dallas now, pipe burst and water everywhere",
             "group_name": "g", "posted_at": old}]
    result = (await client.post("/api/posts", json=body)).json()
    assert result["results"][0]["lead_id"] is not None
    assert rows(migrated_url, "SELECT count(*) FROM alert_outbox") == [(0,)]


async def test_bodies_that_are_not_posts_are_refused(migrated_url: str, tmp_path: Path) -> None:
    """Not JSON: 400. Not an array: 400. Too many items: 422. Over the bulk size limit: 413."""
    settings = make_settings(migrated_url, tmp_path, max_bulk_body_bytes=50_000)
    runtime = await Runtime.start(settings)
    transport = httpx.ASGITransport(app=create_app(settings, runtime=runtime),
                                    client=("127.0.0.1", 1))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            broken = await client.post("/api/posts", content=b"[{", headers={
                "content-type": "application/json"})
            wrong = await client.post("/api/posts", json={"text": "x", "group_name": "g"})
            many = await client.post("/api/posts", json=[{}] * 5001)
            huge = await client.post("/api/posts", json=[{"text": "x" * 60_000}])
    finally:
        await runtime.stop()
    assert (broken.status_code, wrong.status_code) == (400, 400)
    assert "expected a JSON array" in wrong.json()["error"]
    assert many.status_code == 422 and "at most 5000" in many.json()["error"]
    assert huge.status_code == 413


async def test_a_large_batch_is_analyzed_in_worker_processes(
    client: httpx.AsyncClient, runtime: Runtime, migrated_url: str
) -> None:
    """500 labeled posts in one request: all stored, analyses the same as one at a time."""
    labeled = [json.loads(line) for line in DATA.read_text().splitlines()][:300]
    body = [{"text": f"{row['text']}", "group_name": row["group_name"], "source": "t",
             "source_id": str(n)} for n, row in enumerate(labeled)]
    body += [{"text": f"Need a handyman in Garland for job number {n}: {'x' * n}",
              "group_name": "g", "source": "t", "source_id": f"h{n}"} for n in range(200)]
    runtime.bulk.workers = 2
    result = (await client.post("/api/posts", json=body)).json()
    assert result["invalid"] == 0 and result["accepted"] + result["duplicates"] == 500
    expected = sum(runtime.local_analyzer.analyze_sync(r["text"], r["group_name"]).is_lead
                   for r in labeled)
    leads = rows(migrated_url, "SELECT count(*) FROM leads l JOIN posts p ON p.id = l.post_id"
                               " WHERE p.source_id NOT LIKE 'h%'")
    assert leads == [(expected,)]
