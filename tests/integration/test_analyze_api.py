"""POST /api/leads/analyze and GET /api/leads against a real database."""

from __future__ import annotations

import httpx
import psycopg
import pytest

SEED_POST = {
    "post_text": "Need a plumber in Dallas for leaking water heater",
    "group_name": "Dallas Home Services",
}


async def test_seed_post_becomes_a_stored_high_priority_lead(
    client: httpx.AsyncClient, migrated_url: str
) -> None:
    """The seed's curl example returns the analysis and the lead, and both are in the database."""
    response = await client.post("/api/leads/analyze", json=SEED_POST)
    assert response.status_code == 200
    body = response.json()
    assert body["analysis"]["is_lead"] is True
    assert body["analysis"]["category"] == "plumbing"
    assert body["analysis"]["location"] == "Dallas"
    assert body["analysis"]["priority"] == "high"
    assert body["analysis"]["reasons"]
    assert body["lead"]["status"] == "new"
    with psycopg.connect(migrated_url) as conn:
        post = conn.execute(
            "SELECT body, group_name, status FROM posts WHERE id = %s", (body["post"]["id"],)
        ).fetchone()
        lead = conn.execute(
            "SELECT post_id, priority FROM leads WHERE id = %s", (body["lead"]["id"],)
        ).fetchone()
    assert post == (SEED_POST["post_text"], SEED_POST["group_name"], "analyzed")
    assert lead == (body["post"]["id"], "high")


async def test_advertisement_is_stored_but_is_not_a_lead(
    client: httpx.AsyncClient, migrated_url: str
) -> None:
    """A plumber's ad is kept as a post with its analysis and creates no lead."""
    ad = "Need a plumber? Call us today! Licensed & insured, free estimates. 214-555-0199"
    response = await client.post("/api/leads/analyze", json={"post_text": ad, "group_name": "x"})
    assert response.status_code == 200
    body = response.json()
    assert body["analysis"]["is_lead"] is False
    assert body["lead"] is None
    with psycopg.connect(migrated_url) as conn:
        (posts,) = conn.execute("SELECT count(*) FROM posts").fetchone()
        (analyses,) = conn.execute("SELECT count(*) FROM analyses").fetchone()
        (leads,) = conn.execute("SELECT count(*) FROM leads").fetchone()
    assert (posts, analyses, leads) == (1, 1, 0)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"post_text": "", "group_name": "g"}, "post_text"),
        ({"post_text": "   ", "group_name": "g"}, "post_text"),
        ({"post_text": "x" * 10_001, "group_name": "g"}, "post_text"),
        ({"post_text": 42, "group_name": "g"}, "post_text"),
        ({"post_text": ["a"], "group_name": "g"}, "post_text"),
        ({"post_text": "need a plumber", "group_name": ""}, "group_name"),
        ({"post_text": "need a plumber"}, "group_name"),
        ({"post_text": "need a plumber", "group_name": "g", "extra": 1}, "extra"),
        ({"post_text": "need a\x00plumber", "group_name": "g"}, "post_text"),
    ],
)
async def test_bad_input_is_a_precise_422_and_stores_nothing(
    client: httpx.AsyncClient, migrated_url: str, payload: dict[str, object], field: str
) -> None:
    """Empty, oversized, wrongly typed or unknown fields get 422 naming the field."""
    response = await client.post("/api/leads/analyze", json=payload)
    assert response.status_code == 422
    assert field in {d["field"] for d in response.json()["details"]}
    with psycopg.connect(migrated_url) as conn:
        (posts,) = conn.execute("SELECT count(*) FROM posts").fetchone()
    assert posts == 0


@pytest.mark.parametrize(
    ("content", "status"),
    [(b'{"post_text": ', 400), (b"not json", 400), (b"[1, 2]", 422), (b"null", 422)],
)
async def test_malformed_bodies_are_client_errors(
    client: httpx.AsyncClient, content: bytes, status: int
) -> None:
    """Broken JSON is a 400, JSON of the wrong shape a 422; neither is a 500."""
    response = await client.post(
        "/api/leads/analyze", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == status
    assert "error" in response.json()


async def test_body_over_the_limit_is_413(client: httpx.AsyncClient) -> None:
    """A body over MAX_BODY_BYTES is refused before it is parsed."""
    huge = b'{"post_text": "' + b"a" * 1_100_000 + b'", "group_name": "g"}'
    response = await client.post(
        "/api/leads/analyze", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_leads_list_newest_first_with_filters_and_paging(client: httpx.AsyncClient) -> None:
    """Leads come back newest first, filter by priority/category/status, and page by cursor."""
    texts = [
        "Need an electrician in Plano to add two outlets, sometime next month",
        "Need a plumber ASAP, water heater leaking in Garland",
        "Looking for a roofer to look at hail damage on our roof in Frisco",
        "EMERGENCY pipe burst in the kitchen, water everywhere, need a plumber now! Dallas",
    ]
    ids = []
    for text in texts:
        response = await client.post("/api/leads/analyze", json={"post_text": text,
                                                                  "group_name": "DFW Homes"})
        assert response.json()["lead"] is not None, text
        ids.append(response.json()["lead"]["id"])

    everything = (await client.get("/api/leads")).json()
    assert [lead["id"] for lead in everything["leads"]] == ids[::-1]

    plumbing = (await client.get("/api/leads", params={"category": "plumbing"})).json()
    assert [lead["id"] for lead in plumbing["leads"]] == [ids[3], ids[1]]

    high = (await client.get("/api/leads", params={"priority": "high"})).json()
    assert all(lead["priority"] == "high" for lead in high["leads"])
    assert ids[3] in [lead["id"] for lead in high["leads"]]

    first = (await client.get("/api/leads", params={"limit": 3})).json()
    assert len(first["leads"]) == 3 and first["next_cursor"] == ids[1]
    second = (await client.get("/api/leads", params={"limit": 3,
                                                     "cursor": first["next_cursor"]})).json()
    assert [lead["id"] for lead in second["leads"]] == [ids[0]]
    assert second["next_cursor"] is None

    none = (await client.get("/api/leads", params={"status": "won"})).json()
    assert none == {"leads": [], "next_cursor": None}


@pytest.mark.parametrize(
    "params",
    [{"priority": "urgent"}, {"category": "astrology"}, {"limit": 0}, {"limit": 201},
     {"cursor": -1}, {"cursor": "abc"}, {"status": "open"}],
)
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, params: dict[str, object]
) -> None:
    """Unknown filter values and out-of-range paging are rejected, not ignored."""
    response = await client.get("/api/leads", params=params)
    assert response.status_code == 422


async def test_unknown_lead_is_404(client: httpx.AsyncClient) -> None:
    """Reading a lead that does not exist is a 404 with an error body."""
    response = await client.get("/api/leads/999999")
    assert response.status_code == 404
    assert response.json() == {"error": "No lead 999999"}
