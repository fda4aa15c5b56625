"""Storing a chunk of posts at once: ``ingest_post``'s rules, applied to the whole chunk.

``ingest_post`` costs a millisecond or more a post, most of it per-statement work; bulk
intake needs far less. So a chunk is stored in one transaction by a fixed handful of
statements whatever its size:

1. take the ingest lock exclusively (``ingest_post`` takes it shared, so single submissions
   run side by side but never beside a chunk, and neither can miss the other's posts);
2. read what the chunk could repeat: posts with its source ids, originals sharing its content
   hashes or bands, and their leads;
3. decide each post's outcome here, in order, so a later post may repeat an earlier one of the
   same chunk, with exactly ``ingest_post``'s rules (tests hold the two to the same outcomes);
4. write posts, analyses and leads with COPY; hot leads' alerts and the sightings of earlier
   leads with one statement each.

A chunk the database refuses rolls back whole; the caller then stores its posts one by one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.types.json import Jsonb

from pipelineos.analysis.model import BusinessProfile
from pipelineos.db import sql
from pipelineos.ingest.fingerprint import similarity
from pipelineos.ingest.posts import DuplicatePolicy, Prepared, StoredPost, ingest_params

QUERIES = sql.load(__package__, "batch.sql")

_POST_COLUMNS = ("id", "group_name", "body", "source", "source_id", "url", "author",
                 "posted_at", "status", "analyzed_at", "attempts", "content_hash", "signature",
                 "bands", "topic", "place", "duplicate_of", "similarity")
_ANALYSIS_COLUMNS = ("id", "post_id", "analyzer", "model", "is_lead", "category", "location",
                     "urgency", "priority", "summary", "confidence", "reasons", "ai_request_id")
_LEAD_COLUMNS = ("id", "post_id", "analysis_id", "category", "location", "area", "fit",
                 "urgency", "priority", "summary", "sightings")


@dataclass
class _Original:
    """A post others may repeat: stored earlier, or new in this chunk."""

    id: int
    content_hash: int
    signature: tuple[int, ...]
    topic: str | None
    place: str | None
    author: str | None
    stored: bool = True  # False: new in this chunk
    lead: dict[str, Any] | None = None  # id, status, created_at, updated_at, sightings
    new_sightings: int = 0  # repeats found in this chunk

    def similarity_to(self, p: dict[str, Any], min_similarity: float,
                      shares_band: bool) -> float | None:
        """How alike ``p`` (ingest parameters) is to this post, or None when it is not a
        repeat of it: ``ingest_post``'s candidate condition."""
        if self.author is not None and p["author"] is not None and self.author != p["author"]:
            return None
        if self.content_hash == p["hash"]:
            return 1.0
        if not shares_band:
            return None
        if self.topic is not None and p["topic"] is not None and self.topic != p["topic"]:
            return None
        if self.place is not None and p["place"] is not None and self.place != p["place"]:
            return None
        alike = similarity(self.signature, tuple(p["signature"]))
        return alike if alike >= min_similarity else None


@dataclass
class _Index:
    """Originals by content hash and by band, each also under its author: a post by a known
    author can only repeat that author's posts or posts whose author is unknown."""

    # key -> originals, where key is (author, hash or band); author None: every post.
    keys: dict[tuple[str | None, int], list[_Original]] = field(
        default_factory=lambda: defaultdict(list))
    originals: dict[int, _Original] = field(default_factory=dict)

    def add(self, original: _Original, bands: list[int]) -> None:
        self.originals[original.id] = original
        keys, author = self.keys, original.author
        for key in (original.content_hash, *bands):
            keys[(None, key)].append(original)
            if author is not None:
                keys[(author, key)].append(original)

    def _lookup(self, author: str | None, key: int) -> list[_Original]:
        anyone = self.keys.get((None, key))
        if author is None or not anyone:
            return anyone or []
        # The author's own posts, and posts by nobody known (stored under None only).
        own = self.keys.get((author, key), [])
        return [*own, *(o for o in anyone if o.author is None)]

    def best(self, p: dict[str, Any], min_similarity: float) -> tuple[_Original, float] | None:
        """The original ``p`` repeats: an exact repeat first, then the most alike, then the
        oldest (``ingest_post``'s ORDER BY)."""
        author = p["author"]
        banded = {o.id: o for band in p["bands"] for o in self._lookup(author, band)}
        exact = {o.id: o for o in self._lookup(author, p["hash"])}
        best: tuple[bool, float, int] | None = None
        chosen: tuple[_Original, float] | None = None
        for post_id, original in {**banded, **exact}.items():
            alike = original.similarity_to(p, min_similarity, post_id in banded)
            if alike is None:
                continue
            # The same normalised text has the same signature: alike is the signatures'
            # similarity for exact repeats too, as ingest_post orders by.
            rank = (original.content_hash == p["hash"], alike, -post_id)
            if best is None or rank > best:
                best, chosen = rank, (original, alike)
        return chosen


async def store_chunk(conn: psycopg.AsyncConnection[Any], items: list[Prepared],
                      profile: BusinessProfile, policy: DuplicatePolicy) -> list[StoredPost]:
    """Store ``items`` in order, in one transaction; one result per item, as ``ingest_post``
    would return it."""
    params = [ingest_params(i.post, i.fingerprint, i.analysis, i.about, profile, policy, None)
              for i in items]
    alert_since = policy.alert_since()
    async with conn.transaction():
        await conn.execute(QUERIES["lock_ingest"])
        now = await _scalar(conn, "SELECT now()")
        seen = await _seen_sources(conn, params)
        index = await _candidates(conn, params, policy)
        post_ids = await _ids(conn, "posts", len(params))

        results: list[StoredPost | None] = [None] * len(params)
        post_rows: list[tuple[Any, ...]] = []
        analysed: list[tuple[int, dict[str, Any]]] = []
        # Results that report an original's lead: (index, original's id, repeats of it
        # counted so far in this chunk), completed once the leads are written.
        reporting: list[tuple[int, int, int]] = []
        by_source: dict[tuple[str, str], int] = {}  # source id -> index of its post
        for n, (p, post_id) in enumerate(zip(params, post_ids, strict=True)):
            source_key = (p["source"], p["source_id"]) if p["source_id"] is not None else None
            earlier = None
            if source_key is not None:
                earlier = seen.get(source_key) or (
                    results[by_source[source_key]] if source_key in by_source else None)
            if earlier is not None:  # this source id was stored before: nothing is written
                results[n] = replace(earlier, outcome="repeat")
                lead_post = earlier.duplicate_of or earlier.post_id
                if lead_post in index.originals:
                    reporting.append((n, lead_post, index.originals[lead_post].new_sightings))
                continue
            if source_key is not None:
                by_source[source_key] = n
            match = index.best(p, policy.min_similarity)
            if match is not None:
                original, alike = match
                original.new_sightings += 1
                reporting.append((n, original.id, original.new_sightings))
                post_rows.append(_post_row(post_id, p, "duplicate", None, original.id, alike))
                results[n] = StoredPost(post_id, now, "duplicate", outcome="duplicate",
                                        duplicate_of=original.id, similarity=alike)
                continue
            analysis = p["analysis"]
            status = "received" if analysis is None else "analyzed"
            post_rows.append(_post_row(post_id, p, status, now if analysis else None, None, None))
            index.add(_Original(post_id, p["hash"], tuple(p["signature"]), p["topic"],
                                p["place"], p["author"], stored=False), p["bands"])
            results[n] = StoredPost(post_id, now, status)
            if analysis is not None:
                analysed.append((n, analysis))

        await _copy(conn, "posts", _POST_COLUMNS, post_rows)
        await _write_analyses(conn, analysed, results, now,
                              {n: params[n]["posted_at"] for n, _ in analysed},
                              alert_since, index)
        await _count_sightings(conn, index)

    # A repeat reports its original's lead as it stood once this repeat was counted.
    for n, original_id, counted in reporting:
        original = index.originals[original_id]
        lead, stored = original.lead, results[n]
        if lead is None or stored is None:
            continue
        before = lead["sightings"] - original.new_sightings  # before this chunk
        results[n] = replace(stored, lead_id=lead["id"], lead_status=lead["status"],
                             lead_created_at=lead["created_at"],
                             lead_updated_at=lead["updated_at"], sightings=before + counted)
    return [r for r in results if r is not None]


def _post_row(post_id: int, p: dict[str, Any], status: str, analyzed_at: datetime | None,
              duplicate_of: int | None, alike: float | None) -> tuple[Any, ...]:
    return (post_id, p["group_name"], p["body"], p["source"], p["source_id"], p["url"],
            p["author"], p["posted_at"], status, analyzed_at, 1 if analyzed_at else 0,
            p["hash"], _array(p["signature"]), _array(p["bands"]), p["topic"], p["place"],
            duplicate_of, alike)


def _array(values: list[int]) -> str:
    """An integer array as PostgreSQL's text literal, for COPY (which parses it by the column's
    type) and for parameters cast in SQL: a join here, where psycopg's array dumper costs a
    Python call per element (a chunk's candidate query carries 8,000 bands)."""
    return "{" + ",".join(map(str, values)) + "}"


async def _write_analyses(conn: psycopg.AsyncConnection[Any],
                          analysed: list[tuple[int, dict[str, Any]]],
                          results: list[StoredPost | None], now: datetime,
                          posted: dict[int, datetime | None], alert_since: datetime,
                          index: _Index) -> None:
    """Analyses, leads and hot leads' alerts of the new posts."""
    analysis_ids = await _ids(conn, "analyses", len(analysed))
    lead_count = sum(1 for _, a in analysed if a["is_lead"])
    lead_ids = iter(await _ids(conn, "leads", lead_count))
    originals = index.originals
    analysis_rows, lead_rows, hot = [], [], []
    for (n, a), analysis_id in zip(analysed, analysis_ids, strict=True):
        stored = results[n]
        assert stored is not None
        analysis_rows.append((analysis_id, stored.post_id, a["analyzer"], a["model"],
                              a["is_lead"], a["category"], a["location"], a["urgency"],
                              a["priority"], a["summary"] or "", a["confidence"],
                              Jsonb(a["reasons"] or []), a["ai_request_id"]))
        if not a["is_lead"]:
            continue
        lead_id = next(lead_ids)
        sightings = 1 + originals[stored.post_id].new_sightings
        lead_rows.append((lead_id, stored.post_id, analysis_id, a["category"], a["location"],
                          a["area"], a["fit"] or "unknown", a["urgency"], a["priority"],
                          a["summary"] or "", sightings))
        originals[stored.post_id].lead = _lead(lead_id, "new", now, now, sightings)
        results[n] = replace(stored, lead_id=lead_id, lead_status="new", lead_created_at=now,
                             lead_updated_at=now, sightings=1)  # as it was created
        if (a["priority"] == "high" and a["fit"] not in ("outside_area", "outside_services")
                and (posted[n] is None or posted[n] >= alert_since)):  # type: ignore[operator]
            hot.append(lead_id)
    await _copy(conn, "analyses", _ANALYSIS_COLUMNS, analysis_rows)
    await _copy(conn, "leads", _LEAD_COLUMNS, lead_rows)
    if hot:
        await conn.execute(QUERIES["enqueue_lead_alerts"], {"lead_ids": hot})


async def _count_sightings(conn: psycopg.AsyncConnection[Any], index: _Index) -> None:
    """Stored originals repeated by this chunk count their new sightings on their leads (read
    again here: a lead may have been made since the candidates were read)."""
    counted = {o.id: o for o in index.originals.values() if o.stored and o.new_sightings}
    if not counted:
        return
    async with conn.cursor() as cur:
        await cur.execute(QUERIES["count_sightings"], {
            "post_ids": list(counted), "counts": [o.new_sightings for o in counted.values()]})
        for post_id, lead in _leads_by_post(await cur.fetchall()).items():
            counted[post_id].lead = lead


def _lead(lead_id: int, status: str, created_at: datetime, updated_at: datetime,
          sightings: int) -> dict[str, Any]:
    return {"id": lead_id, "status": status, "created_at": created_at,
            "updated_at": updated_at, "sightings": sightings}


def _leads_by_post(rows: list[tuple[Any, ...]]) -> dict[int, dict[str, Any]]:
    """Rows of (post_id, id, status, created_at, updated_at, sightings) by post id."""
    return {row[0]: _lead(*row[1:]) for row in rows}


async def _seen_sources(conn: psycopg.AsyncConnection[Any],
                        params: list[dict[str, Any]]) -> dict[tuple[str, str], StoredPost]:
    """Posts stored earlier under this chunk's source ids, as 'repeat' results."""
    wanted = [(p["source"], p["source_id"]) for p in params if p["source_id"] is not None]
    if not wanted:
        return {}
    async with conn.cursor() as cur:
        await cur.execute(QUERIES["seen_sources"], {
            "sources": [s for s, _ in wanted], "source_ids": [i for _, i in wanted]})
        rows = await cur.fetchall()
    return {(row[0], row[1]): StoredPost(
        post_id=row[2], received_at=row[3], status=row[4], duplicate_of=row[5],
        similarity=row[6], lead_id=row[7], lead_status=row[8], lead_created_at=row[9],
        lead_updated_at=row[10], sightings=row[11], outcome="repeat") for row in rows}


async def _candidates(conn: psycopg.AsyncConnection[Any], params: list[dict[str, Any]],
                      policy: DuplicatePolicy) -> _Index:
    """Stored originals within the window that share a content hash or a band with the
    chunk, with their leads."""
    index = _Index()
    authors = {p["author"] for p in params}
    async with conn.cursor() as cur:
        await cur.execute(QUERIES["planner_settings"])
        previous = await cur.fetchone()
        await cur.execute(QUERIES["set_planner"], {"seqscan": "off", "material": "off",
                                                   "parallel": "0"})
        await cur.execute(QUERIES["candidates"], {
            "window": policy.window, "hashes": _array(sorted({p["hash"] for p in params})),
            "any_author": None in authors, "authors": sorted(a for a in authors if a),
            "owners": _array([n for n, p in enumerate(params) for _ in p["bands"]]),
            "bands": _array([b for p in params for b in p["bands"]])})
        for row in await cur.fetchall():
            if row[0] not in index.originals:
                index.add(_Original(row[0], row[1], tuple(row[2]), row[4], row[5], row[6]),
                          row[3])
        assert previous is not None
        await cur.execute(QUERIES["set_planner"], {"seqscan": previous[0],
                                                   "material": previous[1],
                                                   "parallel": previous[2]})
        if index.originals:
            await cur.execute(QUERIES["leads_of"], {"post_ids": list(index.originals)})
            for post_id, lead in _leads_by_post(await cur.fetchall()).items():
                index.originals[post_id].lead = lead
    return index


async def _ids(conn: psycopg.AsyncConnection[Any], table: str, count: int) -> list[int]:
    if count == 0:
        return []
    async with conn.cursor() as cur:
        await cur.execute(QUERIES["next_ids"], {"table": table, "count": count})
        return sorted(row[0] for row in await cur.fetchall())  # ids rise in chunk order


async def _scalar(conn: psycopg.AsyncConnection[Any], query: str) -> Any:
    cur = await conn.execute(query)
    row = await cur.fetchone()
    assert row is not None
    return row[0]


async def _copy(conn: psycopg.AsyncConnection[Any], table: str, columns: tuple[str, ...],
                rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
        pgsql.Identifier(table), pgsql.SQL(", ").join(map(pgsql.Identifier, columns)))
    async with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            await copy.write_row(row)
