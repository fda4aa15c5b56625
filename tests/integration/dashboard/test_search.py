"""The inbox's text search (``?q=``) goes through the leads' trigram index (migration 0021) and
still finds exactly what a plain case-insensitive substring match of the post or the summary
finds, whichever way the lead was made: bulk intake (COPY), one analyzed post, or inserted."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.leads import dashboard_queries
from pipelineos.leads.dashboard_queries import InboxFilter

BULK = [  # through POST /api/posts: bulk intake's COPY
    "Need a plumber in Dallas ASAP, water heater leaking everywhere, call me (bulk one)",
    "URGENT need an electrician in Plano today, outlet sparking in the kitchen (bulk two)",
]
ONE_BY_ONE = [  # through POST /api/leads/analyze
    "Looking for an HVAC tech in Frisco, AC stopped cooling, please call (single one)",
]
# (post body, lead summary) written straight into the tables, for what the analyzer would not
# make a lead of: accents, LIKE's own characters, other scripts, line breaks.
INSERTED = [
    ("Necesito un PLOMERO en Dallas, el calentador está goteando. ¡Urgente!",
     "Plomería: calentador de agua"),
    ("Get 100% off_today on roof repair, C:\\roof\\quote", "Roofing 50%_off"),
    ("ÉLECTRICIEN demandé à Montréal, prise qui grésille", "Électricité"),
    ("Need help\nwith the   gutters, İstanbul style", "Gutters and downspouts"),
    ("Σ ΟΔΥΣΣΕΥΣ needs a painter 🎨 for the fence", "Painting the fence"),
    ("short", "ab"),
    ("Control\x01character in a handyman post", "Handyman \x01 odd"),
]
QUERIES = [
    "water heater", "WATER HEATER", "ater hea", "heater leaking", "r h", "leak", "sparking in",
    "plomero", "PLOMERO EN", "está", "ESTÁ", "esta", "calentador de agua", "¡urgente",
    "100%", "100% off_today", "%", "_", "0%_o", "50%_off", "off_", "c:\\roof", "\\",
    "électricien", "ÉLECTRICITÉ", "grésille", "montréal", "help\nwith", "the   gutters",
    "istanbul", "i̇stanbul", "odysseus", "οδυσσευσ", "ΟΔΥΣΣΕΥΣ", "σ οδ", "🎨", "painter 🎨 for",
    "single one", "bulk", "(bulk two)", "call", "dallas", "a", "e", "ab", "Ab", "es", "%_",
    "zzyzx nothing", "heater water", "plumber in plano", "short ab", "t, Ro", "ater", "aters",
    "water", "ater ", "ter h", "er he", "r hea", "leaki", "eaking", "aking w", "ntrol\x01char",
    "\x01char", "l\x01c", "handyman \x01 o", "character in", "haracter", "aracter",
]


def insert_leads(url: str) -> None:
    with psycopg.connect(url) as conn:
        for body, summary in INSERTED:
            conn.execute(
                "WITH post AS (INSERT INTO posts (group_name, body, status) VALUES ('G', %s,"
                " 'analyzed') RETURNING id), analysis AS (INSERT INTO analyses (post_id,"
                " analyzer, is_lead, urgency, priority, summary, confidence) SELECT id, 'owner',"
                " true, 'soon', 'medium', %s, 1 FROM post RETURNING id, post_id)"
                " INSERT INTO leads (post_id, analysis_id, urgency, priority, summary)"
                " SELECT post_id, id, 'soon', 'medium', %s FROM analysis",
                (body, summary, summary))


def plain_ilike(url: str, text: str) -> list[int]:
    """Today's search without the index: every lead read, ILIKE on the post and the summary."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT l.id FROM leads l JOIN posts p ON p.id = l.post_id"
                            " WHERE p.body ILIKE %s OR l.summary ILIKE %s ORDER BY l.id DESC",
                            (pattern, pattern)).fetchall()
    return [lead_id for (lead_id,) in rows]


@pytest.fixture
async def leads(client: httpx.AsyncClient, migrated_url: str) -> None:
    reply = await client.post("/api/posts", json=[
        {"text": text, "group_name": "Bulk Group", "author": f"author {n}"}
        for n, text in enumerate(BULK)])
    assert reply.status_code == 200, reply.text
    for text in ONE_BY_ONE:
        reply = await client.post("/api/leads/analyze",
                                  json={"post_text": text, "group_name": "Frisco Neighbors"})
        assert reply.json()["lead"] is not None
    insert_leads(migrated_url)


@pytest.mark.usefixtures("leads")
async def test_search_finds_exactly_what_a_plain_ilike_finds(
        runtime: Runtime, migrated_url: str) -> None:
    """Every query (inside words, across spaces, any case, accents, %, _ and \\ taken
    literally, other scripts, 1-2 characters, no match) lists the same leads as before,
    whether it reads the newest leads or goes through the trigram index."""
    expected = {text: plain_ilike(migrated_url, text) for text in QUERIES}
    # the newest leads are read directly, the older ones found through the index: all of them
    # through it, some, or none
    for window in (0, 4, 2000):
        found = {}
        async with runtime.pool.connection() as conn:
            for text in QUERIES:
                page = await dashboard_queries.inbox_page(conn, InboxFilter(search=text),
                                                          limit=500, window=window)
                found[text] = [lead.id for lead in page]
        assert found == expected, f"window {window}"
    # page by page (two a page), the newest read directly and the rest through the index
    async with runtime.pool.connection() as conn:
        for text in ("call", "e", "a"):
            pages: list[int] = []
            before: int | None = None
            while True:
                page = await dashboard_queries.inbox_page(
                    conn, InboxFilter(search=text), before_id=before, limit=2, window=3)
                pages += [lead.id for lead in page]
                if len(page) < 2:
                    break
                before = page[-1].id
            assert pages == expected[text], text
    # and the comparison is not between empty lists: each way of making a lead is found
    assert len(found["water heater"]) == 1 and len(found["(bulk two)"]) == 1
    assert len(found["single one"]) == 1 and len(found["ESTÁ"]) == 1
    assert len(found["0%_o"]) == 1 and found["zzyzx nothing"] == []
    assert len(found["a"]) == len(BULK) + len(ONE_BY_ONE) + len(INSERTED)


@pytest.mark.usefixtures("leads")
async def test_search_with_the_other_filters(runtime: Runtime) -> None:
    """A search narrowed by group and status, read directly or through the index, finds the
    lead matching all of them and no other."""
    for window in (0, 2000):
        async with runtime.pool.connection() as conn:
            page = await dashboard_queries.inbox_page(
                conn, InboxFilter(search="Water Heater", group="bulk group", status="new"),
                window=window)
            other = await dashboard_queries.inbox_page(
                conn, InboxFilter(search="Water Heater", group="Frisco Neighbors"),
                window=window)
        assert [lead.post_text for lead in page] == [BULK[0]] and other == []


@pytest.mark.usefixtures("leads")
async def test_the_search_box_finds_a_piece_of_a_word(client: httpx.AsyncClient) -> None:
    """The page's search box finds a lead by a piece of a word in its post, any case."""
    page = await client.get("/inbox/rows", params={"q": "ATER HEA"})
    assert page.status_code == 200 and "water heater leaking" in page.text
    page = await client.get("/inbox/rows", params={"q": "zzyzx nothing"})
    assert page.status_code == 200 and "water heater" not in page.text
