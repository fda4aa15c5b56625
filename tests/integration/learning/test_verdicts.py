"""The owner's verdict on a post: a label for retraining, and the post's lead put where the
verdict says; bad input is a precise client error."""

from __future__ import annotations

import httpx

from pipelineos.bootstrap import Runtime


async def analyze(client: httpx.AsyncClient, text: str) -> dict[str, object]:
    response = await client.post("/api/leads/analyze",
                                 json={"post_text": text, "group_name": "DFW Homes"})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def labels(runtime: Runtime) -> list[tuple[object, ...]]:
    async with runtime.pool.connection() as conn:
        return await (await conn.execute(
            "SELECT post_id, origin, is_lead, spam, category, urgency, actor FROM post_labels"
            " ORDER BY id")).fetchall()


async def test_spam_verdict_labels_the_post_and_marks_its_lead(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    body = await analyze(client, "Need a plumber in Dallas ASAP, water heater leaking")
    post_id = body["post"]["id"]  # type: ignore[index]
    lead_id = body["lead"]["id"]  # type: ignore[index]
    response = await client.post(f"/api/posts/{post_id}/verdict",
                                 json={"verdict": "spam", "actor": "maria"})
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["lead_id"], out["lead_status"]) == (lead_id, "spam")
    assert out["label"]["origin"] == "owner" and out["label"]["spam"] is True
    lead = (await client.get(f"/api/leads/{lead_id}")).json()
    assert lead["status"] == "spam" and lead["events"][-1]["actor"] == "maria"
    assert await labels(runtime) == [(post_id, "owner", False, True, None, None, "maria")]


async def test_not_lead_verdict_moves_the_lead_to_lost_with_a_note(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    body = await analyze(client, "Looking for an electrician in Plano, outlets sparking")
    post_id, lead_id = body["post"]["id"], body["lead"]["id"]  # type: ignore[index]
    out = (await client.post(f"/api/posts/{post_id}/verdict",
                             json={"verdict": "not_lead"})).json()
    assert out["lead_status"] == "lost"
    lead = (await client.get(f"/api/leads/{lead_id}")).json()
    assert lead["events"][-1]["note"] == "Not a lead (the owner's verdict)"
    # A second verdict replaces the first: one owner label per post.
    again = (await client.post(f"/api/posts/{post_id}/verdict",
                               json={"verdict": "lead", "category": "electrical",
                                     "urgency": "soon"})).json()
    assert again["lead_status"] == "new"
    assert await labels(runtime) == [(post_id, "owner", True, False, "electrical", "soon",
                                      "api")]


async def test_lead_verdict_makes_a_lead_of_a_passed_over_post(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    body = await analyze(client, "Our tub drain is so slow we stand in 3 inches of water")
    post_id = body["post"]["id"]  # type: ignore[index]
    assert body["lead"] is None
    out = (await client.post(f"/api/posts/{post_id}/verdict",
                             json={"verdict": "lead", "category": "plumbing"})).json()
    assert out["lead_status"] == "new"
    lead = (await client.get(f"/api/leads/{out['lead_id']}")).json()
    assert (lead["post_id"], lead["category"], lead["analyzer"]) == (post_id, "plumbing", "owner")
    async with runtime.pool.connection() as conn:
        alerts = await (await conn.execute("SELECT count(*) FROM alert_outbox")).fetchone()
    assert alerts == (0,)  # the owner has the post in front of them: no text


async def test_a_lead_patched_to_spam_is_a_label_too(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    body = await analyze(client, "Need a roofer in Frisco, hail damage, leaking now")
    lead_id = body["lead"]["id"]  # type: ignore[index]
    await client.patch(f"/api/leads/{lead_id}", json={"status": "spam", "actor": "sam"})
    assert await labels(runtime) == [(body["post"]["id"], "owner", False, True, None, None,  # type: ignore[index]
                                      "sam")]


async def test_bad_verdicts_are_precise_client_errors(client: httpx.AsyncClient) -> None:
    body = await analyze(client, "Need a plumber in Dallas, toilet overflowing")
    post_id = body["post"]["id"]  # type: ignore[index]
    url = f"/api/posts/{post_id}/verdict"
    cases = [
        ({"verdict": "maybe"}, 422, "verdict"),
        ({"verdict": "lead", "category": "astrology"}, 422, "category"),
        ({"verdict": "spam", "category": "plumbing"}, 422, "category and urgency go with"),
        ({"verdict": "lead", "urgency": "yesterday"}, 422, "urgency"),
        ({"verdict": "lead", "extra": 1}, 422, "extra"),
        ({}, 422, "verdict"),
        ({"verdict": "spam", "actor": "x\u0000y"}, 422, "NUL"),
    ]
    for payload, status, words in cases:
        response = await client.post(url, json=payload)
        assert response.status_code == status, (payload, response.text)
        assert words in response.text, (payload, response.text)
    broken = await client.post(url, content=b"{\"verdict\": ", headers={
        "content-type": "application/json"})
    assert broken.status_code == 400
    missing = await client.post("/api/posts/999999/verdict", json={"verdict": "spam"})
    assert missing.status_code == 404 and missing.json()["error"] == "No post 999999"
    huge = await client.post("/api/posts/99999999999999999999/verdict", json={"verdict": "spam"})
    assert huge.status_code == 404


async def test_claude_labels_are_written_by_the_database(runtime: Runtime) -> None:
    """An analysis by Claude, stored by any path, is a label (the trigger of migration 0016)."""
    async with runtime.pool.connection() as conn:
        post = await (await conn.execute(
            "INSERT INTO posts (group_name, body) VALUES ('g', 'Need a mechanic for my Civic')"
            " RETURNING id")).fetchone()
        assert post is not None
        await conn.execute(
            "INSERT INTO analyses (post_id, analyzer, model, is_lead, category, urgency,"
            " confidence) VALUES (%s, 'claude', 'claude-x', true, 'other', 'soon', 0.9)",
            (post[0],))
        await conn.execute(
            "INSERT INTO analyses (post_id, analyzer, is_lead, confidence)"
            " VALUES (%s, 'local', false, 0.9)", (post[0],))
    assert await labels(runtime) == [(post[0], "claude", True, False, "other", "soon",
                                      "claude-x")]



async def test_a_waiting_post_marked_lead_is_settled_and_not_analyzed_again(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    async with runtime.pool.connection() as conn:
        row = await (await conn.execute(
            "INSERT INTO posts (group_name, body) VALUES ('g', 'Need a plumber in Dallas now,"
            " water heater leaking') RETURNING id")).fetchone()
    assert row is not None
    out = (await client.post(f"/api/posts/{row[0]}/verdict",
                             json={"verdict": "lead", "urgency": "emergency"})).json()
    assert out["lead_status"] == "new"
    assert await runtime.intake.analyze_pending() == 0  # settled by the owner
    lead = (await client.get(f"/api/leads/{out['lead_id']}")).json()
    assert (lead["priority"], lead["urgency"], lead["analyzer"]) == ("high", "emergency", "owner")


async def test_a_waiting_post_marked_not_a_lead_never_becomes_one(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    """The owner says "not a lead" while the post waits for its analysis (Claude down, say):
    the sweep that follows must not make a lead of it or text anyone."""
    async with runtime.pool.connection() as conn:
        row = await (await conn.execute(
            "INSERT INTO posts (group_name, body) VALUES ('g', 'URGENT need a plumber in Dallas"
            " now, water heater burst') RETURNING id")).fetchone()
    assert row is not None
    out = (await client.post(f"/api/posts/{row[0]}/verdict", json={"verdict": "not_lead"}))
    assert out.status_code == 200, out.text
    assert out.json()["lead_id"] is None
    assert await runtime.intake.analyze_pending() == 0  # settled by the owner
    async with runtime.pool.connection() as conn:
        leads = await (await conn.execute("SELECT count(*) FROM leads")).fetchone()
        alerts = await (await conn.execute("SELECT count(*) FROM alert_outbox")).fetchone()
        status = await (await conn.execute(
            "SELECT status FROM posts WHERE id = %s", (row[0],))).fetchone()
    assert (leads, alerts, status) == ((0,), (0,), ("analyzed",))
