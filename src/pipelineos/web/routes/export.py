"""``GET /api/leads.csv``: the leads ``GET /api/leads`` would list (same filters, newest first),
every page of them, streamed as CSV with spreadsheet-safe cells (pipelineos.leads.export)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import StreamingResponse

from pipelineos.leads import areas, export, pipeline
from pipelineos.leads.service import LeadFilter
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.routes.leads import Category, Timestamp
from pipelineos.web.schemas import ErrorBody

router = routing.router(tags=["leads"])


@router.get("/api/leads.csv", response_class=StreamingResponse, responses={
    200: {"content": {"text/csv": {}}, "description": "One row per lead, with a header row"},
    422: {"model": ErrorBody}})
async def export_leads(
    runtime: RuntimeDep,
    priority: Literal["high", "medium", "low"] | None = None,
    category: Category | None = None,
    status: pipeline.Status | None = None,
    area: Annotated[Annotated[str, areas.AREA_NAME] | None, Query()] = None,
    fit: Literal["in_area", "outside_area", "outside_services", "unknown"] | None = None,
    since: Annotated[Timestamp | None, Query(description="created at or after")] = None,
    until: Annotated[Timestamp | None, Query(description="created before")] = None,
) -> StreamingResponse:
    """Every lead meeting the filters, newest first, as CSV (streamed: a page at a time)."""
    filters = LeadFilter(priority=priority, category=category, status=status, area=area,
                         fit=fit, since=since, until=until)
    return StreamingResponse(
        export.chunks(runtime.leads, filters, "csv"), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"'})
