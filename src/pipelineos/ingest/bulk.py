"""Bulk intake: many posts at once (``POST /api/posts``, ``pipelineos import``).

Each post is analyzed locally and fingerprinted (in worker processes for large batches: that
is pure CPU), then each chunk is stored in one transaction by a few set-wise statements
(``batch.store_chunk``), every post as ``ingest_post`` would store it alone: repeats
recognised (within the chunk too), analysis, lead and alert written together. With Claude
configured, posts the pre-filter does not settle are stored as waiting and reach Claude
through the sweep, several per request.
A chunk the database refuses is stored post by post, so one bad post fails alone.
"""

from __future__ import annotations

import asyncio
import hashlib
import gc
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import psycopg

from pipelineos.analysis.learned import LearnedModel
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import Analysis, BusinessProfile
from pipelineos.ingest import batch, posts
from pipelineos.ingest.fingerprint import Fingerprint, fingerprint
from pipelineos.ingest.items import Rejected
from pipelineos.ingest.posts import NewPost, Prepared, StoredPost
from pipelineos.ingest.service import Intake

log = logging.getLogger(__name__)

# Below this many posts, analyzing in this process beats shipping them to workers.
PARALLEL_FROM = 400
PREFETCH = 2  # chunks being analyzed ahead of the one being stored
# What the database says of a post it will not store (the others are stored regardless).
REFUSED = (psycopg.DataError, psycopg.IntegrityError)


@dataclass(frozen=True)
class ItemResult:
    index: int
    status: Literal["accepted", "duplicate", "invalid"]
    post_id: int | None = None
    lead_id: int | None = None
    duplicate_of: int | None = None
    reason: str | None = None


def analyze_chunk(profile: BusinessProfile, texts: list[tuple[str, str, str | None]],
                  model_file: bytes | None = None) -> list[tuple[Analysis | None, Fingerprint]]:
    """Local analysis and fingerprint of each (text, group, author); a worker-process entry
    point. ``model_file``: the installation's model (None: the shipped one)."""
    analyzer = LocalAnalyzer(profile, model=_model(model_file))
    out: list[tuple[Analysis | None, Fingerprint]] = []
    for text, group, author in texts:
        try:
            analysis: Analysis | None = analyzer.analyze_sync(text, group)
        except Exception:  # stored as waiting; the sweep retries it
            analysis = None
        out.append((analysis, fingerprint(text, author)))
    return out


_MODELS: dict[bytes, LearnedModel] = {}


def _model(model_file: bytes | None) -> LearnedModel | None:
    """The model in ``model_file``, loaded once per process (the last one only)."""
    if model_file is None:
        return None
    key = hashlib.blake2b(model_file, digest_size=16).digest()
    if key not in _MODELS:
        _MODELS.clear()
        _MODELS[key] = LearnedModel.from_bytes(model_file)
    return _MODELS[key]


class BulkIntake:
    def __init__(self, intake: Intake, *, workers: int | None = None,
                 chunk_size: int = 1000) -> None:
        self.intake = intake
        self.workers = workers if workers is not None else min(4, os.cpu_count() or 1)
        self.chunk_size = chunk_size
        self._executor: ProcessPoolExecutor | None = None

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)

    async def submit(self, items: Sequence[NewPost | Rejected]) -> list[ItemResult]:
        """Store every readable item; one result per item, in order."""
        with _fewer_collections():
            return await self._submit(items)

    async def _submit(self, items: Sequence[NewPost | Rejected]) -> list[ItemResult]:
        results: list[ItemResult | None] = [
            ItemResult(i, "invalid", reason=item.reason) if isinstance(item, Rejected) else None
            for i, item in enumerate(items)]
        wanted = [(i, item) for i, item in enumerate(items) if isinstance(item, NewPost)]
        chunks = [wanted[start:start + self.chunk_size]
                  for start in range(0, len(wanted), self.chunk_size)]
        # The workers analyze the next chunks while this one is being stored: two in flight,
        # so that they never wait for the store (analysis is the larger share of the work).
        pending: deque[asyncio.Future[list[Prepared]]] = deque()
        queued = 0

        def keep_busy() -> None:
            nonlocal queued
            while queued < len(chunks) and len(pending) < PREFETCH:
                pending.append(asyncio.ensure_future(
                    self._prepare([post for _, post in chunks[queued]])))
                queued += 1

        try:
            for chunk in chunks:
                keep_busy()
                prepared = await pending.popleft()
                keep_busy()
                for (index, _), stored in zip(chunk, await self._store(prepared), strict=True):
                    results[index] = _result(index, stored)
        finally:
            for future in pending:
                future.cancel()
        return [r for r in results if r is not None]

    async def _prepare(self, batch: list[NewPost]) -> list[Prepared]:
        profile = self.intake.profile
        texts = [(post.text, post.group_name, post.author) for post in batch]
        installed = self.intake.installed
        model_file = installed.model_file if installed is not None else None
        if self.workers > 1 and len(texts) >= PARALLEL_FROM:
            loop = asyncio.get_running_loop()
            executor = self._pool()
            share = -(-len(texts) // self.workers)
            parts = await asyncio.gather(*(
                loop.run_in_executor(executor, analyze_chunk, profile, texts[i:i + share],
                                    model_file)
                for i in range(0, len(texts), share)))
            analyzed = [pair for part in parts for pair in part]
        else:
            analyzed = analyze_chunk(profile, texts, model_file)
        # Without an analysis now (local failed, or Claude should decide) a post waits for the
        # sweep.
        return [Prepared(post, fp,
                         None if local is None else self.intake.settled_locally(local, post),
                         local)
                for post, (local, fp) in zip(batch, analyzed, strict=True)]

    async def _store(self, prepared: list[Prepared]) -> list[StoredPost | Exception]:
        intake = self.intake
        try:
            async with intake.pool.connection() as conn:
                return list(await batch.store_chunk(conn, prepared, intake.profile,
                                                    intake.duplicates))
        except REFUSED:
            log.warning("A batch was refused; storing its posts one by one",
                        extra={"fields": {"posts": len(prepared)}})
        out: list[StoredPost | Exception] = []
        for item in prepared:
            try:
                async with intake.pool.connection() as conn:
                    out.append(await posts.ingest(conn, item.post, item.fingerprint,
                                                  item.analysis, intake.profile,
                                                  intake.duplicates, about=item.about))
            except REFUSED as error:
                out.append(error)
        return out

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn, not fork: this process runs an event loop and the pool's threads.
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._executor


# The collector's thresholds before the first bulk submit under way began, and how many are.
_saved_thresholds: tuple[int, int, int] | None = None
_submits_under_way = 0


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while a bulk submit is under way.

    Storing a chunk makes a few dozen objects a post (parameters, rows, results) that live
    until the chunk is written; with the default thresholds the collector runs every 700 new
    objects and keeps walking the process's long-lived objects, the submitted posts among
    them. Measured with bench/bulk_breakdown.py, that was a third of the storing time.
    Reference counting still frees nearly everything at once; cycles wait a little longer."""
    global _saved_thresholds, _submits_under_way
    if _submits_under_way == 0:
        _saved_thresholds = gc.get_threshold()
        gc.set_threshold(max(_saved_thresholds[0], 50_000), *_saved_thresholds[1:])
    _submits_under_way += 1
    try:
        yield
    finally:
        _submits_under_way -= 1
        if _submits_under_way == 0 and _saved_thresholds is not None:
            gc.set_threshold(*_saved_thresholds)


def _result(index: int, stored: StoredPost | Exception) -> ItemResult:
    if isinstance(stored, Exception):
        return ItemResult(index, "invalid", reason=f"refused by the database: "
                                                    f"{type(stored).__name__}")
    if stored.outcome == "repeat":
        return ItemResult(index, "duplicate", stored.post_id, stored.lead_id,
                          stored.duplicate_of or stored.post_id,
                          reason="this source id was imported before")
    if stored.outcome == "duplicate":
        return ItemResult(index, "duplicate", stored.post_id, stored.lead_id,
                          stored.duplicate_of, reason="repeats an earlier post")
    return ItemResult(index, "accepted", stored.post_id, stored.lead_id)
