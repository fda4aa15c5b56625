"""A single post may say where it came from: source ids, authors and posting times count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.integration.ingest.test_duplicates import POST, counts


async def test_the_same_source_id_twice_is_stored_once(client: httpx.AsyncClient,
                                                       migrated_url: str) -> None:
    body = {"post_text": POST, "group_name": "Dallas Home Services", "source": "facebook",
            "source_id": "1234567890", "author": "Ann Lee",
            "url": "https://facebook.com/groups/1/posts/1234567890"}
    first = (await client.post("/api/leads/analyze", json=body)).json()
    again = await client.post("/api/leads/analyze", json=body)
    assert again.status_code == 200
    assert again.json()["post"]["id"] == first["post"]["id"]
    assert again.json()["lead"]["id"] == first["lead"]["id"]
    assert counts(migrated_url) == {"posts": 1, "analyses": 1, "leads": 1, "alert_outbox": 1}


async def test_two_people_asking_the_same_are_two_leads(client: httpx.AsyncClient,
                                                        migrated_url: str) -> None:
    """The same words from two authors are two jobs; from one author, one lead seen twice."""
    ann = {"post_text": POST, "group_name": "Dallas Home Services", "author": "Ann Lee"}
    bob = {**ann, "author": "Bob Ray"}
    first = (await client.post("/api/leads/analyze", json=ann)).json()
    other = (await client.post("/api/leads/analyze", json=bob)).json()
    again = (await client.post("/api/leads/analyze",
                               json={**ann, "post_text": POST + " Thanks!!"})).json()
    assert other["post"]["status"] == "analyzed" and other["lead"]["id"] != first["lead"]["id"]
    assert again["post"]["duplicate_of"] == first["post"]["id"]
    assert again["lead"]["sightings"] == 2
    assert counts(migrated_url)["leads"] == 2


async def test_an_old_post_is_stored_but_not_texted(client: httpx.AsyncClient,
                                                    migrated_url: str) -> None:
    posted = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    response = await client.post("/api/leads/analyze", json={
        "post_text": POST, "group_name": "Dallas Home Services", "posted_at": posted})
    assert response.status_code == 200 and response.json()["lead"]["priority"] == "high"
    assert counts(migrated_url)["alert_outbox"] == 0


async def test_bad_origin_fields_are_precise_422s(client: httpx.AsyncClient,
                                                  migrated_url: str) -> None:
    base = {"post_text": POST, "group_name": "Dallas Home Services"}
    for extra, field in (({"posted_at": "2026-11-01T10:00:00"}, "posted_at"),  # no time zone
                         ({"posted_at": "yesterday"}, "posted_at"),
                         ({"posted_at": 1764300000}, "posted_at"),
                         ({"posted_at": "1764300000"}, "posted_at"),
                         ({"source": "x" * 51}, "source"),
                         ({"source_id": ""}, "source_id"),
                         ({"author": "x" * 201}, "author"),
                         ({"source": None}, "source"),
                         ({"url": "a\x00b"}, "url")):
        response = await client.post("/api/leads/analyze", json={**base, **extra})
        assert response.status_code == 422, extra
        assert field in response.text
    assert counts(migrated_url)["posts"] == 0
