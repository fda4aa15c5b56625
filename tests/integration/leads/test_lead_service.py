"""The leads service: a status change and its history entry are one transaction.

The failure is made by PostgreSQL itself (a trigger refusing the history row), after the
lead's row was already updated in the same transaction: the update must not survive it.
"""

from __future__ import annotations

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.errors import InvalidInput, NotFound
from pipelineos.leads.service import LeadFilter
from pipelineos.web.app import create_app

REFUSE_EVENTS = """
CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is read-only today';
END $$;
CREATE TRIGGER refuse_event BEFORE INSERT ON lead_events
    FOR EACH ROW WHEN (NEW.note IS DISTINCT FROM 'allowed') EXECUTE FUNCTION refuse_event();
"""


async def _lead(client: httpx.AsyncClient,
                text: str = "Need a plumber in Dallas ASAP, water heater leaking") -> int:
    body = (await client.post("/api/leads/analyze", json={
        "post_text": text, "group_name": "DFW Homes"})).json()
    return int(body["lead"]["id"])


async def _row(url: str, lead_id: int) -> tuple[object, ...]:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        row = await (await conn.execute(
            "SELECT status, status_changed_at, updated_at,"
            " (SELECT count(*) FROM lead_events WHERE lead_id = leads.id)"
            " FROM leads WHERE id = %s", (lead_id,))).fetchone()
    assert row is not None
    return tuple(row)


async def test_a_status_change_whose_event_fails_leaves_the_lead_as_it_was(
        client: httpx.AsyncClient, runtime: Runtime, migrated_url: str) -> None:
    """The history insert fails in the database: the service raises, and the lead keeps its
    status, its times and its (empty) history; the API answers 500 and then still shows the
    lead as it was."""
    lead_id = await _lead(client)
    before = await _row(migrated_url, lead_id)
    async with await psycopg.AsyncConnection.connect(migrated_url, autocommit=True) as conn:
        await conn.execute(REFUSE_EVENTS)

    with pytest.raises(psycopg.errors.RaiseException, match="history is read-only"):
        await runtime.leads.set_status(lead_id, "won", actor="maria")
    assert await _row(migrated_url, lead_id) == before
    assert before[0] == "new" and before[3] == 0

    # The app answers the error; the test transport would re-raise it after that.
    app = create_app(runtime.settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000),
                                    raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as answered:
        response = await answered.patch(f"/api/leads/{lead_id}",
                                        json={"status": "contacted", "actor": "maria"})
    assert response.status_code == 500 and response.json() == {"error": "Internal error"}
    shown = (await client.get(f"/api/leads/{lead_id}")).json()
    assert (shown["status"], shown["events"]) == ("new", [])
    assert await _row(migrated_url, lead_id) == before

    # The same path, when the database accepts the event, keeps both.
    change = await runtime.leads.set_status(lead_id, "quoted", actor="maria", note="allowed")
    assert change.event is not None and change.event.to_status == "quoted"
    assert change.detail.lead.status == "quoted"
    assert [(e.from_status, e.to_status, e.note) for e in change.detail.events] == [
        ("new", "quoted", "allowed")]
    after = await _row(migrated_url, lead_id)
    assert after[0] == "quoted" and after[3] == 1


async def test_the_service_reads_and_changes_leads(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    """list_leads pages newest first, detail has the lead in full, a note keeps the status,
    the same status again changes nothing, and bad changes are refused before any write."""
    first, again = await _lead(client), await _lead(client)
    assert again == first  # the same need posted twice is one lead
    second = await _lead(client, "Looking for an electrician in Plano, outlet sparking")
    page = await runtime.leads.list_leads(limit=1)
    assert [lead.id for lead in page.leads] == [second] and page.next_cursor == second
    older = await runtime.leads.list_leads(cursor=page.next_cursor, limit=1)
    assert [lead.id for lead in older.leads] == [first] and older.next_cursor is None
    assert [lead.id for lead in (await runtime.leads.list_leads(
        LeadFilter(category="electrical"))).leads] == [second]
    detail = await runtime.leads.detail(first)
    assert detail is not None and len(detail.seen) == 2 and detail.events == []
    assert await runtime.leads.detail(10**9) is None

    noted = await runtime.leads.add_note(first, "  Called back  ", actor="sam")
    assert noted.event is not None and noted.event.note == "Called back"
    assert noted.detail.lead.status == "new"
    same = await runtime.leads.set_status(first, "new", actor="sam")
    assert same.event is None and len(same.detail.events) == 1
    assert [e.note for e in await runtime.leads.history(first)] == ["Called back"]

    with pytest.raises(InvalidInput, match="status must be one of"):
        await runtime.leads.set_status(first, "closed", actor="sam")
    with pytest.raises(InvalidInput, match="give a status, a note, or both"):
        await runtime.leads.change(first, actor="sam")
    with pytest.raises(InvalidInput, match="actor"):
        await runtime.leads.add_note(first, "x", actor="")
    with pytest.raises(NotFound, match="No lead 999999"):
        await runtime.leads.set_status(999999, "won", actor="sam")
    assert len(await runtime.leads.history(first)) == 1
