"""The dashboard's pages through the app in-process (the browser flows are in
tests/acceptance/test_dashboard_browser.py): what a page shows, what a form changes, and what
a stranger, a forged form or hostile input gets."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.config import Settings
from pipelineos.web.app import create_app
from tests.conftest import make_settings

HOT = {"post_text": "Need a plumber in Dallas ASAP, water heater leaking everywhere, call me",
       "group_name": "Dallas Home Services"}


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def add_lead(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> int:
    reply = await client.post("/api/leads/analyze", json=HOT, headers=headers or {})
    assert reply.status_code == 200, reply.text
    lead_id: int = reply.json()["lead"]["id"]
    return lead_id


async def test_inbox_lists_a_new_lead_with_counts(client: httpx.AsyncClient) -> None:
    lead_id = await add_lead(client)
    page = await client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert f'href="/leads/{lead_id}"' in page.text
    assert "Hot and new" in page.text
    assert re.search(r'data-count="new">1<', page.text)
    # every asset comes from the package
    assert "//" not in "".join(re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page.text))
    asset = await client.get("/assets/htmx-2.0.11.min.js")
    assert asset.status_code == 200 and "htmx" in asset.text


async def test_status_change_and_note_show_in_the_api(client: httpx.AsyncClient) -> None:
    lead_id = await add_lead(client)
    page = await client.get(f"/leads/{lead_id}")
    assert page.status_code == 200
    assert "water heater leaking" in page.text
    assert "Reply draft" in page.text and "PipelineOS" in page.text
    reply = await client.post(f"/leads/{lead_id}/status", data={
        "csrf": csrf_of(page.text), "status": "contacted", "note": "Called, coming at 5"})
    assert reply.status_code == 303 and reply.headers["location"] == f"/leads/{lead_id}"
    api = (await client.get(f"/api/leads/{lead_id}")).json()
    assert api["status"] == "contacted"
    again = await client.get(f"/leads/{lead_id}")
    assert "Called, coming at 5" in again.text and "dashboard:loopback" in again.text
    listed = await client.get("/?status=contacted")
    assert f'href="/leads/{lead_id}"' in listed.text


async def test_a_form_without_our_token_changes_nothing(client: httpx.AsyncClient) -> None:
    lead_id = await add_lead(client)
    for data in ({"status": "won"}, {"status": "won", "csrf": "0" * 64}):
        reply = await client.post(f"/leads/{lead_id}/status", data=data)
        assert reply.status_code == 403
    assert "new" in (await client.get(f"/leads/{lead_id}")).text


async def test_a_refused_note_is_shown_next_to_the_field(client: httpx.AsyncClient) -> None:
    lead_id = await add_lead(client)
    token = csrf_of((await client.get(f"/leads/{lead_id}")).text)
    reply = await client.post(f"/leads/{lead_id}/status",
                              data={"csrf": token, "note": "x" * 2500})
    assert reply.status_code == 422
    assert 'id="note-error"' in reply.text and "note" in reply.text
    reply = await client.post(f"/leads/{lead_id}/status", data={"csrf": token, "status": "bogus"})
    assert reply.status_code == 422 and "status must be one of" in reply.text


@pytest.mark.parametrize("query", [
    "status=nonsense", "since=yesterday", "q=%00%01", "q=" + "a" * 5000, "area=%F0%9F%92%A9",
    "cursor=99999999999999999999999", "priority=high&category=plumbing&group=x&since=2026-01-01",
    "q=100%25_off\\",
])
async def test_hostile_filters_never_fail_the_page(client: httpx.AsyncClient, query: str) -> None:
    page = await client.get(f"/?{query}")
    assert page.status_code == 200, page.text
    rows = await client.get(f"/inbox/rows?{query}")
    assert rows.status_code == 200


async def test_a_missing_lead_is_a_404_page(client: httpx.AsyncClient) -> None:
    page = await client.get("/leads/999999")
    assert page.status_code == 404 and "No lead 999999" in page.text


async def test_strangers_get_403_without_a_key(settings: Settings, runtime: object) -> None:
    app = create_app(settings, runtime=runtime)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as c:
        assert (await c.get("/")).status_code == 403
        assert (await c.get("/leads/1")).status_code == 403
        # a proxy on this machine relaying the internet is not "this machine"
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as c:
        assert (await c.get("/", headers={"X-Forwarded-For": "203.0.113.9"})).status_code == 403


@pytest.fixture
async def keyed(migrated_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    from pipelineos.bootstrap import Runtime

    settings = make_settings(migrated_url, tmp_path, pipelineos_api_key="k" * 32,
                             api_key_max_failures=3)
    runtime = await Runtime.start(settings)
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="https://board.test") as c:
            yield c
    finally:
        await runtime.stop()


async def test_sign_in_with_the_key_and_out(keyed: httpx.AsyncClient) -> None:
    first = await keyed.get("/leads/5?x=1")
    assert first.status_code == 303 and first.headers["location"].startswith("/login?next=")
    login = await keyed.get(first.headers["location"])
    assert login.status_code == 200 and 'type="password"' in login.text
    wrong = await keyed.post("/login", data={"key": "nope", "next": "/"})
    assert wrong.status_code == 401 and "not one of this server" in wrong.text
    ok = await keyed.post("/login", data={"key": "k" * 32, "next": "//evil.example/"})
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    assert "k" * 32 not in cookie
    inbox = await keyed.get("/")
    assert inbox.status_code == 200 and "Sign out" in inbox.text
    out = await keyed.post("/logout", data={"csrf": csrf_of(inbox.text)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert (await keyed.get("/")).status_code == 303


async def test_a_forged_or_expired_cookie_is_refused(keyed: httpx.AsyncClient) -> None:
    for value in ("x", "a.b.c.d", "64656661756c74.1.abc." + "0" * 64, "zz.1.2.3"):
        keyed.cookies.set("pipelineos_session", value)
        assert (await keyed.get("/")).status_code == 303
    keyed.cookies.clear()


async def test_key_guessing_on_the_login_page_is_throttled(keyed: httpx.AsyncClient) -> None:
    for _ in range(3):
        assert (await keyed.post("/login", data={"key": "wrong"})).status_code == 401
    throttled = await keyed.post("/login", data={"key": "k" * 32})
    assert throttled.status_code == 429 and "Too many wrong keys" in throttled.text


async def test_the_board_moves_a_lead_and_adds_up_job_values(client: httpx.AsyncClient) -> None:
    lead_id = await add_lead(client)
    board = await client.get("/board")
    assert board.status_code == 200 and f'data-id="{lead_id}"' in board.text
    token = csrf_of(board.text)
    moved = await client.post(f"/leads/{lead_id}/status",
                              data={"csrf": token, "status": "won", "back": "/board"})
    assert moved.status_code == 303 and moved.headers["location"] == "/board"
    wrong = await client.post(f"/leads/{lead_id}/value",
                              data={"csrf": token, "amount": "lots", "back": "/board"})
    assert wrong.status_code == 422 and f'id="value-error-{lead_id}"' in wrong.text
    assert 'value="lots"' in wrong.text  # what was typed stays in the field
    saved = await client.post(f"/leads/{lead_id}/value",
                              data={"csrf": token, "amount": "$1,250.5", "back": "/board"})
    assert saved.status_code == 303
    board = await client.get("/board")
    assert "$1,250" in board.text and "Value $1,250.50" in board.text
    page = await client.get(f"/leads/{lead_id}")
    assert "job value set to $1,250.50" in page.text and 'value="1250.50"' in page.text
    api = (await client.get(f"/api/leads/{lead_id}")).json()
    assert api["status"] == "won"


@pytest.mark.parametrize("amount", ["-5", "1e9", "99999999999999999", "1.234", "\x00", "1.2.3"])
async def test_a_bad_job_value_is_refused_next_to_the_field(client: httpx.AsyncClient,
                                                             amount: str) -> None:
    lead_id = await add_lead(client)
    token = csrf_of((await client.get(f"/leads/{lead_id}")).text)
    reply = await client.post(f"/leads/{lead_id}/value", data={"csrf": token, "amount": amount})
    assert reply.status_code == 422 and 'id="amount-error"' in reply.text


async def test_settings_edit_areas_and_services(client: httpx.AsyncClient) -> None:
    page = await client.get("/settings")
    assert page.status_code == 200
    token = csrf_of(page.text)
    saved = await client.post("/settings/areas", data={
        "csrf": token, "name": "Dallas", "kind": "city", "aliases": "DFW, Big D"})
    assert saved.status_code == 303
    bad = await client.post("/settings/areas", data={"csrf": token, "name": "x" * 300})
    assert bad.status_code == 422 and 'id="area-error"' in bad.text
    bad = await client.post("/settings/areas", data={"csrf": token, "name": "Plano",
                                                     "kind": "planet"})
    assert bad.status_code == 422 and "area kind must be one of" in bad.text
    assert (await client.post("/settings/services", data={
        "csrf": token, "service": ["plumbing", "hvac"]})).status_code == 303
    bad = await client.post("/settings/services", data={"csrf": token, "service": "astrology"})
    assert bad.status_code == 422 and "unknown service categories" in bad.text
    page = await client.get("/settings")
    assert "also DFW, Big D" in page.text and 'value="plumbing" checked' in page.text
    areas = (await client.get("/api/areas")).json()
    assert any(a["name"] == "Dallas" for a in (areas.get("areas", areas) if isinstance(
        areas, dict) else areas))
    removed = await client.post("/settings/areas/remove", data={"csrf": token, "name": "Dallas"})
    assert removed.status_code == 303
    assert "also DFW, Big D" not in (await client.get("/settings")).text
    # without the token nothing changes
    assert (await client.post("/settings/services", data={"service": "plumbing"})).status_code \
        == 403


async def test_numbers_count_leads_speed_and_wins(client: httpx.AsyncClient) -> None:
    empty = await client.get("/numbers")
    assert empty.status_code == 200 and "No leads yet" in empty.text
    lead_id = await add_lead(client)
    token = csrf_of((await client.get(f"/leads/{lead_id}")).text)
    for status in ("contacted", "won"):
        await client.post(f"/leads/{lead_id}/status", data={"csrf": token, "status": status})
    page = await client.get("/numbers")
    assert page.status_code == 200
    assert re.search(r'aria-label="1 leads on [A-Z][a-z]{2} \d\d, 1 plumbing"', page.text)
    assert "Dallas Home Services</th><td>1</td><td>1</td><td>0</td>" in page.text
    assert "100%" in page.text
    assert re.search(r"Post to contacted</dt><dd>median [0-9.]+ s", page.text)


async def test_the_system_page_shows_circuits_queue_and_jobs(client: httpx.AsyncClient) -> None:
    await add_lead(client)
    page = await client.get("/system")
    assert page.status_code == 200
    assert 'data-breaker="twilio-api"' in page.text and "CLOSED" in page.text
    assert re.search(r"Job queue</dt><dd>\d+ waiting, \d+ running", page.text)
    assert re.search(r"Posts</dt><dd>1 analyzed", page.text)
    token = csrf_of(page.text)
    opened = await client.post("/system/circuits/twilio-api/force-open", data={"csrf": token})
    assert opened.status_code == 303
    assert "FORCED_OPEN" in (await client.get("/system")).text
    assert (await client.post("/system/circuits/twilio-api/reset",
                              data={"csrf": token})).status_code == 303
    assert (await client.post("/system/circuits/twilio-api/disable",
                              data={"csrf": token})).status_code == 404
    assert (await client.post("/system/circuits/nope/reset", data={"csrf": token})).status_code \
        == 404
    assert (await client.post("/system/circuits/twilio-api/force-open")).status_code == 403
    assert "CLOSED" in (await client.get("/system")).text


async def test_not_a_lead_button_labels_the_post_and_closes_the_lead(
        client: httpx.AsyncClient, runtime: Runtime) -> None:
    """The owner's "Not a lead" on the lead page teaches the analyzer (an owner label, as the
    verdict API records it) and closes the lead as lost; a forged verdict changes nothing."""
    lead_id = await add_lead(client)
    page = await client.get(f"/leads/{lead_id}")
    assert "Not a lead" in page.text
    token = csrf_of(page.text)
    bogus = await client.post(f"/leads/{lead_id}/verdict", data={"csrf": token, "verdict": "x"})
    assert bogus.status_code == 422 and "verdict must be" in bogus.text
    reply = await client.post(f"/leads/{lead_id}/verdict",
                              data={"csrf": token, "verdict": "not_lead"})
    assert reply.status_code == 303 and reply.headers["location"] == f"/leads/{lead_id}"
    api = (await client.get(f"/api/leads/{lead_id}")).json()
    assert api["status"] == "lost"
    counts = await runtime.learning.label_counts()
    assert counts.get("owner") == 1
    after = await client.get(f"/leads/{lead_id}")
    assert "Not a lead" not in after.text.split("Move it along")[1].split("Reply draft")[0]
    assert "dashboard:loopback" in after.text
