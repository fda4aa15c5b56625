"""Leads: analyze a post into a lead; list and read leads."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import AwareDatetime, BeforeValidator

from pipelineos.analysis.model import CATEGORIES
from pipelineos.errors import NotFound
from pipelineos.ingest.schemas import AnalyzeRequest, iso_only
from pipelineos.leads import areas, pipeline
from pipelineos.leads.service import LeadFilter
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import (
    AnalyzeResponse,
    ErrorBody,
    LeadDetail,
    LeadList,
    LeadOut,
    LeadUpdate,
    PostOut,
)

router = routing.router(prefix="/api/leads", tags=["leads"])
# Lead ids are digits (``{lead_id:id}``, web/routing.py), so /api/leads/analyze is never read
# as a lead id: PATCH there is a 405, not a 422 about an id.

Category = Literal[CATEGORIES]  # type: ignore[valid-type]




Timestamp = Annotated[AwareDatetime, BeforeValidator(iso_only)]
MAX_ID = 2**63 - 1

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON"},
    413: {"model": ErrorBody, "description": "Body too large"},
    422: {"model": ErrorBody, "description": "Invalid input"},
    503: {"model": ErrorBody, "description": "A dependency is unavailable; retry later"},
}


@router.post("/analyze", response_model=AnalyzeResponse, responses=_ERRORS)
async def analyze(body: AnalyzeRequest, runtime: RuntimeDep) -> AnalyzeResponse:
    """Store a post, decide whether it is a lead, and store the lead.

    With Claude configured, a post Claude cannot be asked about right now (its circuit is open,
    or the request rate limit is spent) is answered at once with 503 (``Circuit breaker is
    OPEN`` / ``Rate limit exceeded``): the post is stored and analyzed later, so do not send it
    again. If Claude is asked and fails, the local analyzer answers (200) and says so in
    ``analysis.reasons``.

    The same need posted again (cross-posted, bumped, edited slightly) is stored as a
    ``duplicate`` of the first post: no new lead and no second alert; ``lead`` is the first
    post's lead, one sighting more.
    """
    outcome = await runtime.intake.submit(body.post())
    if outcome.is_repeat:
        lead = None
        if outcome.post.lead_id is not None:
            found = await runtime.leads.get(outcome.post.lead_id)
            lead = LeadOut.of(found) if found else None
    else:
        lead = LeadOut.created(outcome, body.post_text, body.group_name)
    return AnalyzeResponse(
        post=PostOut(id=outcome.post.post_id, status=outcome.post.status,
                     received_at=outcome.post.received_at,
                     duplicate_of=outcome.post.duplicate_of, similarity=outcome.post.similarity),
        analysis=outcome.analysis,
        lead=lead,
    )


@router.get("", response_model=LeadList, responses={422: _ERRORS[422], 503: _ERRORS[503]})
async def list_leads(
    runtime: RuntimeDep,
    priority: Literal["high", "medium", "low"] | None = None,
    category: Category | None = None,
    status: pipeline.Status | None = None,
    area: Annotated[Annotated[str, areas.AREA_NAME] | None, Query()] = None,
    fit: Literal["in_area", "outside_area", "outside_services", "unknown"] | None = None,
    since: Annotated[Timestamp | None, Query(description="created at or after")] = None,
    until: Annotated[Timestamp | None, Query(description="created before")] = None,
    cursor: Annotated[int | None, Query(ge=1, le=MAX_ID,
                                        description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> LeadList:
    """Leads, newest first."""
    filters = LeadFilter(priority=priority, category=category, status=status, area=area,
                         fit=fit, since=since, until=until)
    page = await runtime.leads.list_leads(filters, cursor=cursor, limit=limit)
    return LeadList(leads=[LeadOut.of(row) for row in page.leads], next_cursor=page.next_cursor)


@router.get("/{lead_id:id}", response_model=LeadDetail,
            responses={404: {"model": ErrorBody}, 422: _ERRORS[422]})
async def get_lead(
    runtime: RuntimeDep, lead_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> LeadDetail:
    """One lead with its history."""
    found = await runtime.leads.detail(lead_id)
    if found is None:
        raise NotFound(f"No lead {lead_id}")
    return LeadDetail.of(found.lead, found.events, found.seen)


@router.patch("/{lead_id:id}", response_model=LeadDetail,
              responses={404: {"model": ErrorBody}, 422: _ERRORS[422]})
async def update_lead(
    body: LeadUpdate, runtime: RuntimeDep, lead_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> LeadDetail:
    """Move a lead along the pipeline and/or add a note; both are kept in its history."""
    change = await runtime.leads.change(lead_id, actor=body.actor or "api", status=body.status,
                                        note=body.note)
    detail = change.detail
    return LeadDetail.of(detail.lead, detail.events, detail.seen)
