"""Intake: a post becomes a stored post, an analysis and, when it is one, a lead.

Without a Claude key the local analyzer decides before the single write, so the post, its
analysis and its lead are stored by one atomic statement. With Claude:

- the local analyzer runs first (microseconds); a post it settles as a confident non-lead
  (the pre-filter) is written in one statement and never costs a Claude request;
- any other post is stored (committed) before Claude is called, so nothing is lost;
- Claude's analysis is recorded with the request it came from; a reply that does not validate,
  or a Claude failure, gives the post the local analysis at once (speed to lead);
- a call refused before it reached Claude (circuit open, rate limit) answers 503 and leaves
  the post waiting for :meth:`Intake.analyze_pending`, which hands it to Claude when it can
  take it, or to the local analyzer once it has waited ``fallback_delay``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from pipelineos.analysis import noise
from pipelineos.analysis.claude import BatchResult, ClaudeAnalyzer
from pipelineos.analysis.installed import Installed
from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import Analysis, BusinessProfile
from pipelineos.analysis.prompt import PostText
from pipelineos.clock import Clock, SystemClock
from pipelineos.errors import ServiceUnavailable
from pipelineos.ingest import ai_usage, posts
from pipelineos.ingest.fingerprint import Fingerprint, fingerprint
from pipelineos.ingest.posts import DuplicatePolicy, NewPost, PendingPost, StoredPost
from pipelineos.integrations.claude.errors import ClaudeError, ClaudeInvalidReply
from pipelineos.integrations.claude.usage import Usage
from pipelineos.resilience import CallRejected, State

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

PREFILTERED = "pre-filter: the local analyzer is confident this is not a lead; Claude not asked"


def _fallback_note(why: str) -> str:
    return f"{why}; analyzed by the local analyzer"


@dataclass(frozen=True)
class AnalyzeOutcome:
    post: StoredPost
    analysis: Analysis
    fit: str = "unknown"
    area: str | None = None

    @property
    def is_repeat(self) -> bool:
        """The post repeated an earlier one (same need, or same source id)."""
        return self.post.outcome != "new"


class Intake:
    """Takes posts in and sees each one analyzed: by Claude when configured and able, by the
    local analyzer otherwise."""

    def __init__(self, pool: AsyncConnectionPool, analyzer: LocalAnalyzer, *,
                 claude: ClaudeAnalyzer | None = None, clock: Clock | None = None,
                 duplicates: DuplicatePolicy | None = None,
                 installed: Installed | None = None) -> None:
        self.pool = pool
        self.installed = installed  # the installation's model and mutes (None: neither)
        self.analyzer = analyzer
        self.claude = claude
        self.clock = clock or SystemClock()
        self.duplicates = duplicates or DuplicatePolicy()

    @property
    def profile(self) -> BusinessProfile:
        """The business's services and areas, as the (cached, live) analyzers see them."""
        return self.analyzer.profile

    def _outcome(self, stored: StoredPost, analysis: Analysis) -> AnalyzeOutcome:
        fit, area = self.profile.fit(analysis.category, analysis.location)
        return AnalyzeOutcome(post=stored, analysis=analysis, fit=fit.value, area=area)

    # --- one post, as a request -----------------------------------------------------------

    async def analyze(self, text: str, group_name: str, *, source: str = "api") -> AnalyzeOutcome:
        return await self.submit(NewPost(text, group_name, source))

    async def submit(self, post: NewPost) -> AnalyzeOutcome:
        """Take one post in: stored first, never twice, analyzed as soon as it can be."""
        fp = fingerprint(post.text, post.author)
        try:
            local = self.analyzer.analyze_sync(post.text, post.group_name)
        except Exception:
            # A bug in the analyzer must not lose the post: keep it for the retry sweep.
            log.exception("Local analysis failed", extra={"fields": {"group": post.group_name}})
            stored = await self._ingest(post, fp, None, None)
            if stored.outcome != "new":
                return await self._repeat(stored, None)
            raise ServiceUnavailable(
                f"Analysis failed; post {stored.post_id} is stored and will be analyzed later"
            ) from None
        analysis = self.settled_locally(local, post)
        if analysis is not None:
            stored = await self._ingest(post, fp, analysis, local)
            if stored.outcome != "new":
                return await self._repeat(stored, analysis)
            _log_lead(stored, analysis)
            return self._outcome(stored, analysis)
        # Claude will be asked: store the post first (a repeat never costs a request).
        received = await self._ingest(post, fp, None, local)
        if received.outcome != "new":
            return await self._repeat(received, local)
        assert self.claude is not None
        return await self._analyze_with_claude(self.claude, post, received, local)

    def settled_locally(self, local: Analysis, post: NewPost | None = None) -> Analysis | None:
        """The analysis to store with a post now (the local one without Claude; noted as
        pre-filtered when Claude need not be asked; not a lead, with the reason, when the
        owner muted it), or None when Claude should decide."""
        if post is not None and self.installed is not None:
            reason = self.installed.mutes.reason(post.text, post.group_name, post.author,
                                                 post.source)
            if reason is not None:
                return noise.muted(local, reason)
        if self.claude is None:
            return local
        return None if self.claude.needs_claude(local) else _note(local, PREFILTERED)

    async def _ingest(self, post: NewPost, fp: Fingerprint, analysis: Analysis | None,
                      local: Analysis | None) -> StoredPost:
        async with self.pool.connection() as conn:
            return await posts.ingest(conn, post, fp, analysis, self.profile, self.duplicates,
                                      about=local)

    async def _repeat(self, stored: StoredPost, fallback: Analysis | None) -> AnalyzeOutcome:
        """The outcome for a repeat: the original's analysis (or, while it waits, ours)."""
        original = stored.duplicate_of or stored.post_id
        async with self.pool.connection() as conn:
            analysis = await posts.analysis_of(conn, original)
        log.info("Repeat post", extra={"fields": {
            "post_id": stored.post_id, "outcome": stored.outcome, "duplicate_of": original,
            "similarity": stored.similarity, "lead_id": stored.lead_id,
            "sightings": stored.sightings}})
        chosen = analysis or fallback or Analysis(
            is_lead=False, confidence=0.0, summary="Waiting for analysis",
            reasons=["the original post is still waiting for its analysis"])
        return self._outcome(stored, chosen)

    async def _analyze_with_claude(self, claude: ClaudeAnalyzer, post: NewPost,
                                   received: StoredPost, local: Analysis) -> AnalyzeOutcome:
        post_id = received.post_id
        try:
            result = await claude.analyze_batch([PostText(post_id, post.text, post.group_name)],
                                                rate_limit_wait=claude.routing.request_rate_wait)
        except CallRejected as refused:
            # Claude was not reached: answer now, analyze later (the sweep).
            log.warning("Claude analysis deferred", extra={"fields": {
                "post_id": post_id, "reason": type(refused).__name__}})
            raise ServiceUnavailable(
                f"{refused}; post {post_id} is stored and will be analyzed later"
            ) from None
        except ClaudeInvalidReply as error:
            request = await self._record_invalid(error, posts=1)
            analysis = _note(local, _fallback_note(
                f"Claude's reply did not validate (request {error.request_id})"))
            stored = await self._record_one(received, analysis, request)
        except Exception as error:  # Claude failed (after retries), timed out, or a bug
            if not isinstance(error, ClaudeError | TimeoutError):
                log.exception("Claude analysis crashed", extra={"fields": {"post_id": post_id}})
            analysis = _note(local, _fallback_note(f"Claude failed ({_kind(error)})"))
            stored = await self._record_one(received, analysis, None)
        else:
            async with self.pool.connection() as conn:
                request = await _record_ok(conn, result, posts=1)
                analysis = result.analyses[post_id]
                recorded = await posts.record_analysis(conn, post_id, analysis, self.profile,
                                                       request, self.duplicates)
            stored = _settled(received, recorded)
            _log_claude(result, 1)
        _log_lead(stored, analysis)
        return self._outcome(stored, analysis)

    async def _record_one(self, received: StoredPost, analysis: Analysis,
                          ai_request_id: int | None) -> StoredPost:
        async with self.pool.connection() as conn:
            recorded = await posts.record_analysis(conn, received.post_id, analysis, self.profile,
                                                   ai_request_id, self.duplicates)
        return _settled(received, recorded)

    async def _record_invalid(self, error: ClaudeInvalidReply, *, posts: int) -> int:
        async with self.pool.connection() as conn:
            return await ai_usage.record_request(
                conn, vendor_request_id=error.request_id, message_id=None,
                model=error.model or (self.claude.service.model if self.claude else "unknown"),
                posts=posts, outcome="invalid", usage=error.usage)

    # --- the sweep ------------------------------------------------------------------------

    async def analyze_pending(self, *, older_than: timedelta | None = None, limit: int = 100,
                              now: datetime | None = None) -> int:
        """Analyze stored posts still waiting; return how many were recorded.

        Without Claude, every waiting post received more than ``older_than`` (default 0) ago
        gets the local analysis. With Claude, posts received more than ``older_than`` ago
        (default: the Claude timeout plus a margin, so a request still waiting for Claude is
        left alone) are pre-filtered, then sent to Claude in batches while its circuit admits
        calls; a post still unanalyzed after ``fallback_delay`` gets the local analysis.

        Safe to run from several workers at once: a post is recorded once (``record_analysis``
        only records a post still 'received'). Nothing here sleeps: schedule it.
        """
        now = now or self.clock.now()
        claude = self.claude
        grace = older_than if older_than is not None else (
            claude.routing.in_flight_grace if claude else timedelta(0))
        async with self.pool.connection() as conn:
            waiting = await posts.pending(conn, before=now - grace, limit=limit)
        if not waiting:
            return 0
        recorded = 0
        local: dict[int, Analysis] = {}
        for post in waiting:
            try:
                local[post.id] = self.analyzer.analyze_sync(post.body, post.group_name)
            except Exception as error:
                log.exception("Local analysis failed", extra={"fields": {"post_id": post.id}})
                async with self.pool.connection() as conn:
                    await posts.record_failure(conn, post.id, type(error).__name__,
                                               max_attempts=MAX_ATTEMPTS)
        muted = self._mute_pending(waiting, local)
        if claude is None:
            return await self._record_local(waiting, local, note=None)

        recorded += await self._record_local([p for p in waiting if p.id in muted], local,
                                             note=None)
        waiting = [p for p in waiting if p.id not in muted]
        settled = [p for p in waiting if p.id in local and not claude.needs_claude(local[p.id])]
        recorded += await self._record_local(settled, local, note=PREFILTERED)
        asking = [p for p in waiting if p.id in local and claude.needs_claude(local[p.id])]
        answered, by_claude = (await self._sweep_with_claude(claude, asking, local)
                               if asking else (set(), 0))
        recorded += by_claude
        stale_before = now - claude.routing.fallback_delay
        overdue = [p for p in asking if p.id not in answered and p.received_at <= stale_before]
        waited = int(claude.routing.fallback_delay.total_seconds())
        recorded += await self._record_local(
            overdue, local, note=_fallback_note(f"Claude unavailable for over {waited} s"))
        return recorded

    def _mute_pending(self, waiting: Sequence[PendingPost], local: dict[int, Analysis]
                      ) -> set[int]:
        """Replace the analysis of each waiting post the owner has muted since it arrived by
        a muted one (in ``local``); return their ids."""
        if self.installed is None:
            return set()
        muted = set()
        for post in waiting:
            reason = self.installed.mutes.reason(post.body, post.group_name, post.author,
                                                 post.source)
            if reason is not None and post.id in local:
                local[post.id] = noise.muted(local[post.id], reason)
                muted.add(post.id)
        return muted

    async def _sweep_with_claude(self, claude: ClaudeAnalyzer, asking: Sequence[PendingPost],
                                 local: dict[int, Analysis]) -> tuple[set[int], int]:
        """Send waiting posts to Claude in batches. Return the ids settled (by Claude, or
        locally after an unusable reply) and how many of them this run recorded."""
        done: set[int] = set()
        recorded = 0
        if claude.service.breaker.state in (State.OPEN, State.FORCED_OPEN):
            return done, recorded
        by_id = {post.id: post for post in asking}
        texts = [PostText(p.id, p.body, p.group_name) for p in asking]
        for batch in claude.batches(texts):
            ids = [post.id for post in batch]
            try:
                result = await claude.analyze_batch(batch)
            except CallRejected:
                break  # circuit open or out of tokens: the rest wait for the next run
            except ClaudeInvalidReply as error:
                request = await self._record_invalid(error, posts=len(batch))
                note = _fallback_note(f"Claude's reply did not validate (request {error.request_id})")
                recorded += await self._record_local([by_id[i] for i in ids], local, note=note,
                                                     ai_request_id=request)
                done.update(ids)
                continue
            except Exception as error:
                if not isinstance(error, ClaudeError | TimeoutError):
                    log.exception("Claude analysis crashed", extra={"fields": {"posts": len(ids)}})
                log.warning("Claude sweep stopped", extra={"fields": {
                    "error": _kind(error), "posts": len(ids)}})
                break  # likely an outage; overdue posts go to the local analyzer below
            async with self.pool.connection() as conn:
                request = await _record_ok(conn, result, posts=len(batch))
                for post_id, analysis in result.analyses.items():
                    stored = await posts.record_analysis(conn, post_id, analysis, self.profile,
                                                         request, self.duplicates)
                    if stored is not None:
                        recorded += 1
                        _log_lead(stored, analysis)
            _log_claude(result, len(batch))
            note = _fallback_note("Claude's reply had no usable verdict for this post")
            recorded += await self._record_local([by_id[i] for i in result.unanswered], local,
                                                 note=note, ai_request_id=request)
            done.update(ids)
        return done, recorded

    async def _record_local(self, waiting: Sequence[PendingPost], local: dict[int, Analysis], *,
                            note: str | None, ai_request_id: int | None = None) -> int:
        recorded = 0
        for post in waiting:
            if post.id not in local:
                continue
            analysis = local[post.id] if note is None else _note(local[post.id], note)
            async with self.pool.connection() as conn:
                stored = await posts.record_analysis(conn, post.id, analysis, self.profile,
                                                     ai_request_id, self.duplicates)
            if stored is not None:
                recorded += 1
                _log_lead(stored, analysis)
        return recorded


async def _record_ok(conn: psycopg.AsyncConnection[Any], result: BatchResult, *,
                     posts: int) -> int:
    return await ai_usage.record_request(
        conn, vendor_request_id=result.request_id, message_id=None, model=result.model or "unknown",
        posts=posts, outcome="ok", usage=result.usage or Usage())


def _note(analysis: Analysis, note: str) -> Analysis:
    return analysis.model_copy(update={"reasons": [*analysis.reasons, note]})


def _kind(error: BaseException) -> str:
    if isinstance(error, ClaudeError):
        return error.kind
    if isinstance(error, TimeoutError):
        return "timeout"
    return type(error).__name__


def _settled(received: StoredPost, recorded: StoredPost | None) -> StoredPost:
    if recorded is not None:
        return recorded
    # Another worker recorded this post first (only possible if this call outlived the
    # sweep's grace period); its analysis stands.
    log.warning("Post already analyzed", extra={"fields": {"post_id": received.post_id}})
    return StoredPost(post_id=received.post_id, received_at=received.received_at,
                      status="analyzed")


def _log_claude(result: BatchResult, posts: int) -> None:
    log.info("Claude analysis recorded", extra={"fields": {
        "requestId": result.request_id, "model": result.model, "posts": posts,
        "tokens": result.usage.as_dict()}})


def _log_lead(stored: StoredPost, analysis: Analysis) -> None:
    if stored.lead_id is not None:
        log.info(
            "Lead created",
            extra={"fields": {"lead_id": stored.lead_id, "post_id": stored.post_id,
                              "priority": analysis.priority, "category": analysis.category,
                              "analyzer": analysis.analyzer}},
        )
