"""Bulk intake stores a chunk set-wise, and must decide exactly what one-by-one storing would."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import BusinessProfile
from pipelineos.ingest import batch, posts
from pipelineos.ingest.fingerprint import fingerprint
from pipelineos.ingest.posts import DuplicatePolicy, NewPost, Prepared, StoredPost

HEATER = ("Need a plumber in Dallas ASAP, water heater leaking all over the garage. "
          "Call 214-555-0101")
ROOF = "Looking for a roofer in Plano, hail damage on the north side, insurance already approved"
OLD = datetime.now(UTC) - timedelta(days=3)

# (text, group, author, source id); every kind of repeat, and things that are not repeats.
POSTS: list[tuple[str, str, str | None, str | None]] = [
    (HEATER, "Dallas Home Services", "Ann Lee", "fb-1"),
    (HEATER, "DFW Homeowners", "Ann Lee", "fb-2"),                       # cross-post
    ("BUMP " + HEATER, "Dallas Home Services", "Ann Lee", None),          # bump
    (HEATER.replace("214-555-0101", "972-555-0199"), "DFW", None, None),  # author unknown
    (HEATER, "Dallas Home Services", "Bob Ray", None),                    # someone else: new
    (HEATER.replace("all over", "all over the floor of"), "DFW", "Ann Lee", None),  # edited
    (HEATER.replace("Dallas", "Frisco"), "DFW", "Ann Lee", None),         # another place
    (ROOF, "Plano Neighbors", "Cy Diaz", "fb-3"),
    (ROOF, "Plano Neighbors", "Cy Diaz", "fb-3"),                         # same source id
    ("Anyone know a good taco place near downtown?", "Dallas Foodies", "Di Fox", None),
    ("Anyone know a good taco place near downtown?", "Dallas Foodies", "Di Fox", None),
    ("Test post 1", "Dallas", None, None),
    ("Test post 2", "Dallas", None, None),                                # short: exact only
    ("Need an electrician in Dallas today, half the house has no power, breaker keeps "
     "tripping", "Dallas Home Services", "Ed Kim", None),
    (ROOF + " please", "Plano Neighbors", "Cy Diaz", "fb-4"),
    (HEATER, "Dallas Home Services", "Ann Lee", "fb-1"),   # a source id seen far earlier
    (ROOF, "Plano Neighbors", "Cy Diaz", "fb-3"),           # after its lead got sightings
]


def prepared(old: bool = False) -> list[Prepared]:
    analyzer = LocalAnalyzer()
    out = []
    for n, (text, group, author, source_id) in enumerate(POSTS):
        local = analyzer.analyze_sync(text, group)
        posted = OLD if old and n % 2 else None
        out.append(Prepared(NewPost(text, group, "facebook", source_id, author=author,
                                    posted_at=posted), fingerprint(text, author), local, local))
    return out


def canonical(results: list[StoredPost]) -> list[tuple[Any, ...]]:
    """Results with ids replaced by the position of the post they name."""
    position = {r.post_id: n for n, r in reversed(list(enumerate(results)))}
    lead_of = {r.lead_id: position[r.post_id] for r in results
               if r.lead_id is not None and r.outcome == "new"}
    return [(r.outcome, r.status, position.get(r.duplicate_of),
             None if r.similarity is None else round(r.similarity, 4),
             lead_of.get(r.lead_id, "earlier" if r.lead_id else None), r.lead_status,
             r.sightings) for r in results]


def tables(url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        return {
            "posts": conn.execute("SELECT status, duplicate_of IS NOT NULL, author, source_id "
                                  "FROM posts ORDER BY id").fetchall(),
            "leads": conn.execute("SELECT category, priority, fit, sightings "
                                  "FROM leads ORDER BY id").fetchall(),
            "alerts": conn.execute("SELECT count(*) FROM alert_outbox").fetchone(),
            "analyses": conn.execute("SELECT count(*) FROM analyses").fetchone(),
        }


def reset(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE posts, analyses, leads, alert_outbox RESTART IDENTITY CASCADE")


async def one_by_one(url: str, items: list[Prepared],
                     policy: DuplicatePolicy | None = None) -> list[StoredPost]:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        return [await posts.ingest(conn, i.post, i.fingerprint, i.analysis, BusinessProfile(),
                                   policy or DuplicatePolicy(), about=i.about) for i in items]


async def chunked(url: str, items: list[Prepared], split: int,
                  policy: DuplicatePolicy) -> list[StoredPost]:
    """The first ``split`` posts one by one, the rest as one chunk."""
    first = await one_by_one(url, items[:split], policy)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        rest = await batch.store_chunk(conn, items[split:], BusinessProfile(), policy)
    return first + rest


async def test_a_chunk_decides_what_one_by_one_storing_would(migrated_url: str) -> None:
    """Every kind of repeat, within the chunk and against posts stored before it: the same
    outcomes, originals, similarities, leads, sightings and alerts either way."""
    for old, near in ((False, True), (True, True), (False, False)):
        policy = DuplicatePolicy(near=near)
        items = prepared(old)
        expected = await one_by_one(migrated_url, items, policy)
        expected_tables = tables(migrated_url)
        outcomes = [r.outcome for r in expected]
        assert outcomes.count("duplicate") >= (6 if near else 3)
        assert outcomes.count("repeat") == 3
        for split in (0, 3, 8, 15):
            reset(migrated_url)
            got = await chunked(migrated_url, items, split, policy)
            assert canonical(got) == canonical(expected), (old, near, split)
            assert tables(migrated_url) == expected_tables, (old, near, split)
        reset(migrated_url)


async def test_importing_a_chunk_twice_adds_nothing(migrated_url: str) -> None:
    items = prepared()
    async with await psycopg.AsyncConnection.connect(migrated_url, autocommit=True) as conn:
        await batch.store_chunk(conn, items, BusinessProfile(), DuplicatePolicy())
        before = tables(migrated_url)
        again = await batch.store_chunk(conn, items, BusinessProfile(), DuplicatePolicy())
    after = tables(migrated_url)
    with_ids = [r for r, p in zip(again, POSTS, strict=True) if p[3] is not None]
    assert {r.outcome for r in with_ids} == {"repeat"}
    # Posts without a source id are stored again, as duplicates of their originals: sightings.
    assert [r.outcome for r, p in zip(again, POSTS, strict=True) if p[3] is None] == \
        ["duplicate"] * sum(p[3] is None for p in POSTS)
    assert after["leads"] != before["leads"]  # more sightings
    assert after["alerts"] == before["alerts"] and after["analyses"] == before["analyses"]


async def test_a_chunk_and_single_posts_at_once_make_one_lead(migrated_url: str) -> None:
    """A chunk holding the post and the same post submitted alone at the same moment, over
    and over: always exactly one original, one lead, one alert."""
    analyzer = LocalAnalyzer()
    for round_ in range(8):
        text = HEATER.replace("ASAP", f"ASAP round {round_}")
        local = analyzer.analyze_sync(text, "Dallas")
        # Another author each round: each round's post is a need of its own.
        item = Prepared(NewPost(text, "Dallas", author=f"Neighbour {round_}"),
                        fingerprint(text, f"Neighbour {round_}"), local, local)
        filler = prepared()[7:]

        async def single() -> StoredPost:
            async with await psycopg.AsyncConnection.connect(migrated_url,
                                                             autocommit=True) as conn:
                return await posts.ingest(conn, item.post, item.fingerprint, item.analysis,
                                          BusinessProfile(), DuplicatePolicy(), about=local)

        async def chunk() -> list[StoredPost]:
            async with await psycopg.AsyncConnection.connect(migrated_url,
                                                             autocommit=True) as conn:
                return await batch.store_chunk(conn, [*filler, item], BusinessProfile(),
                                               DuplicatePolicy())

        results = await asyncio.gather(single(), chunk(), single())
        mine = [results[0], results[1][-1], results[2]]
        assert sorted(r.outcome for r in mine) == ["duplicate", "duplicate", "new"]
        assert len({r.lead_id for r in mine}) == 1
        with psycopg.connect(migrated_url) as conn:
            row = conn.execute("SELECT count(*), max(sightings) FROM leads l JOIN posts p "
                               "ON p.id = l.post_id WHERE p.body = %s", (text,)).fetchone()
        assert row == (1, 3)
