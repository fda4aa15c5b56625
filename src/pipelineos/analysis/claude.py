"""The Claude analyzer: posts in, validated :class:`Analysis` results out, several per request.

It decides nothing about storage or fallback (that is :mod:`pipelineos.ingest.service`); it
knows which posts are worth Claude's time (:meth:`ClaudeAnalyzer.needs_claude`, the pre-filter),
how to group posts into requests (:meth:`ClaudeAnalyzer.batches`) and how to turn Claude's
verdicts into the same result type the local analyzer returns.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pipelineos.analysis.model import Analysis, BusinessProfile, Priority
from pipelineos.analysis.prompt import TOOL_NAME, PostText, PostVerdict, Prompt, VerdictBatch
from pipelineos.config import Settings
from pipelineos.integrations.claude.client import ClaudeClient, ToolRequest
from pipelineos.integrations.claude.errors import ClaudeInvalidReply
from pipelineos.integrations.claude.service import ClaudeService, Protection
from pipelineos.integrations.claude.usage import Usage
from pipelineos.resilience import Clock, Registry

log = logging.getLogger(__name__)

# The local analyzer's wording this module reads (pinned by tests/unit/ai/test_prefilter.py).
_ASKED_FOR_PROVIDER = "asks for a provider"
_NO_REQUEST_SUMMARY = "Not a lead (no request for a service)"


@dataclass(frozen=True)
class Routing:
    """When posts go to Claude, and what happens when Claude cannot take them."""

    prefilter: bool = True  # off: every post goes to Claude
    prefilter_confidence: float = 0.75
    fallback_delay: timedelta = timedelta(seconds=120)  # then the local analyzer takes over
    in_flight_grace: timedelta = timedelta(seconds=65)  # the sweep leaves younger posts alone
    request_rate_wait: float = 5.0  # seconds a request waits for a rate-limit token
    batch_size: int = 10
    batch_chars: int = 40_000


@dataclass(frozen=True)
class BatchResult:
    """Claude's answer for a batch: analyses by post id, and the posts it left unanswered."""

    analyses: dict[int, Analysis]
    unanswered: dict[int, str] = field(default_factory=dict)  # post id -> why
    request_id: str | None = None
    model: str | None = None
    usage: Usage = field(default_factory=Usage)


def settled_by_local(local: Analysis, min_confidence: float) -> bool:
    """True when the local analyzer is confident the post is not a lead, so Claude need not see it.

    Confidence alone is not enough: a post that asks for a provider of something the local
    lexicon does not recognise ("need someone to patch the carpet") is exactly where it is
    weakest, so such a post goes to Claude unless a non-lead shape (an ad, a job offer, spam...)
    was recognised in it as well.
    """
    if local.is_lead or local.confidence < min_confidence:
        return False
    asked = any(reason.startswith(_ASKED_FOR_PROVIDER) for reason in local.reasons)
    shape_named = not local.summary.startswith(_NO_REQUEST_SUMMARY)
    return not asked or shape_named


class ClaudeAnalyzer:
    """Analyzes posts with Claude through :class:`ClaudeService` (breaker, retry, limiter)."""

    name = "claude"

    def __init__(self, service: ClaudeService, profile: BusinessProfile,
                 routing: Routing | None = None) -> None:
        self.service = service
        self.profile = profile
        self.routing = routing or Routing()
        self.prompt = Prompt(profile)

    def use_profile(self, profile: BusinessProfile) -> None:
        """Analyze for ``profile`` from now on (its areas and services are in the prompt's
        cached prefix, so the next request writes a new cache entry)."""
        if profile != self.profile:
            self.profile = profile
            self.prompt = Prompt(profile)

    def needs_claude(self, local: Analysis) -> bool:
        """The pre-filter: False for posts the local analyzer settles (when it is on)."""
        return not (self.routing.prefilter
                    and settled_by_local(local, self.routing.prefilter_confidence))

    def batches(self, posts: Sequence[PostText]) -> list[list[PostText]]:
        """Posts grouped into requests of at most ``batch_size`` posts and ``batch_chars``."""
        groups: list[list[PostText]] = []
        current: list[PostText] = []
        chars = 0
        for post in posts:
            size = len(post.text) + len(post.group_name)
            if current and (len(current) >= self.routing.batch_size
                            or chars + size > self.routing.batch_chars):
                groups.append(current)
                current, chars = [], 0
            current.append(post)
            chars += size
        if current:
            groups.append(current)
        return groups

    def request(self, posts: Sequence[PostText]) -> ToolRequest:
        return ToolRequest(
            model=self.service.model,
            system=self.prompt.system,
            tools=self.prompt.tools,
            tool_name=TOOL_NAME,
            messages=self.prompt.posts_message(posts),
            max_tokens=self.prompt.max_tokens(len(posts)),
        )

    async def analyze_batch(self, posts: Sequence[PostText], *,
                            rate_limit_wait: float = 0.0) -> BatchResult:
        """One Claude request for ``posts``.

        Raises what :meth:`ClaudeService.call_tool` raises; ``ClaudeInvalidReply`` also when
        no post got a usable verdict. Posts whose verdict is missing or duplicated are listed in
        ``unanswered`` (the caller gives them to the local analyzer).
        """
        try:
            reply = await self.service.call_tool(self.request(posts), VerdictBatch,
                                                 rate_limit_wait=rate_limit_wait)
        except ClaudeInvalidReply as error:
            _log_invalid(error, len(posts))
            raise
        wanted = {post.id for post in posts}
        verdicts: dict[int, PostVerdict] = {}
        unanswered: dict[int, str] = {}
        for verdict in reply.value.analyses:
            if verdict.post_id not in wanted:
                continue
            if verdict.post_id in verdicts:
                unanswered[verdict.post_id] = "more than one verdict in the reply"
            verdicts[verdict.post_id] = verdict
        for post_id in wanted - verdicts.keys():
            unanswered[post_id] = "no verdict in the reply"
        analyses = {post_id: self._analysis(verdict, reply.model)
                    for post_id, verdict in verdicts.items() if post_id not in unanswered}
        if not analyses:
            invalid = ClaudeInvalidReply("Claude's reply has no verdict for any post asked about",
                                         request_id=reply.request_id, usage=reply.usage,
                                         model=reply.model)
            _log_invalid(invalid, len(posts))
            raise invalid
        if unanswered:
            log.warning("Claude reply incomplete", extra={"fields": {
                "requestId": reply.request_id, "posts": len(posts),
                "unanswered": sorted(unanswered)}})
        return BatchResult(analyses=analyses, unanswered=unanswered, request_id=reply.request_id,
                           model=reply.model, usage=reply.usage)

    async def analyze(self, text: str, group_name: str) -> Analysis:
        """One post, no storage (the :class:`~pipelineos.analysis.model.Analyzer` protocol)."""
        result = await self.analyze_batch([PostText(0, text, group_name)],
                                          rate_limit_wait=self.routing.request_rate_wait)
        if 0 not in result.analyses:
            raise ClaudeInvalidReply("Claude's reply has no verdict for the post",
                                     request_id=result.request_id, usage=result.usage,
                                     model=result.model)
        return result.analyses[0]

    def _analysis(self, verdict: PostVerdict, model: str) -> Analysis:
        lead = verdict.is_lead
        priority = verdict.priority if lead else None
        reasons = list(verdict.reasons)
        # The business's services are configuration, not opinion: enforce them.
        if lead and not self.profile.offers(verdict.category) and priority is not Priority.LOW:
            priority = Priority.LOW
            reasons.append(f"{verdict.category} is not a service {self.profile.name} offers")
        return Analysis(
            is_lead=lead,
            category=verdict.category,
            location=verdict.location,
            urgency=verdict.urgency if lead else None,
            priority=priority,
            summary=verdict.summary,
            confidence=verdict.confidence,
            reasons=reasons,
            analyzer=self.name,
            model=model,
        )

    async def aclose(self) -> None:
        await self.service.aclose()


def _log_invalid(error: ClaudeInvalidReply, posts: int) -> None:
    log.warning("Claude reply invalid", extra={"fields": {
        "requestId": error.request_id, "posts": posts, "error": str(error)}})


def build_claude_analyzer(
    settings: Settings, profile: BusinessProfile, *, registry: Registry, clock: Clock,
    send_alert: Callable[[str], Awaitable[None]],
) -> ClaudeAnalyzer | None:
    """The Claude analyzer the settings describe, or None when no API key is configured."""
    if settings.anthropic_api_key is None:
        return None
    client = ClaudeClient(settings.anthropic_api_key.get_secret_value(),
                          base_url=settings.anthropic_base_url,
                          timeout=min(settings.claude_attempt_timeout_seconds,
                                      settings.claude_timeout_seconds))
    protection = Protection(
        timeout=settings.claude_timeout_seconds,
        attempt_timeout=settings.claude_attempt_timeout_seconds,
        retry_attempts=settings.claude_retry_attempts,
        retry_initial_delay=settings.claude_retry_initial_delay_seconds,
        failure_threshold=settings.claude_circuit_threshold,
        window=settings.claude_circuit_window_seconds,
        reset_timeout=settings.claude_circuit_reset_timeout / 1000,
        success_threshold=settings.claude_circuit_success_threshold,
        rate_limit_per_minute=settings.claude_rate_limit,
    )
    service = ClaudeService.build(client, model=settings.claude_model, registry=registry,
                                  clock=clock, protection=protection, send_alert=send_alert)
    routing = Routing(
        prefilter=settings.claude_prefilter,
        prefilter_confidence=settings.claude_prefilter_confidence,
        fallback_delay=timedelta(seconds=settings.claude_fallback_delay_seconds),
        # A request still waiting for Claude is left alone by the sweep, unless the fallback
        # delay is shorter (then a duplicate request is the price of answering sooner).
        in_flight_grace=timedelta(seconds=min(settings.claude_timeout_seconds + 5,
                                              settings.claude_fallback_delay_seconds)),
        request_rate_wait=settings.claude_rate_limit_wait_seconds,
        batch_size=settings.claude_batch_size,
    )
    return ClaudeAnalyzer(service, profile, routing)
