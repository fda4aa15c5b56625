"""Response bodies, typed so the OpenAPI schema says exactly what clients receive."""

from __future__ import annotations

from datetime import datetime

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipelineos.analysis.model import Analysis
from pipelineos.ingest.service import AnalyzeOutcome
from pipelineos.leads.pipeline import ACTOR, NOTE, LeadEvent, Status
from pipelineos.leads.store import Lead, Sighting


class ErrorBody(BaseModel):
    error: str
    details: list[dict[str, str]] | None = None


class PostOut(BaseModel):
    id: int
    status: str = Field(description="received, analyzed, failed, or duplicate")
    received_at: datetime
    duplicate_of: int | None = Field(
        None, description="The earlier post this one repeats (the same need posted again).")
    similarity: float | None = Field(None, description="How alike the repeat is (0-1).")


class LeadOut(BaseModel):
    id: int
    post_id: int
    category: str | None
    location: str | None
    area: str | None = Field(None, description="The service area it falls in, if any.")
    fit: str = Field("unknown", description="in_area, outside_area, outside_services, unknown")
    urgency: str
    priority: str
    summary: str
    status: str
    status_changed_at: datetime | None = None
    sightings: int = Field(1, description="How many times this need was posted.")
    last_seen_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    group_name: str | None = None
    post_text: str | None = None
    analyzer: str | None = None
    confidence: float | None = None

    @classmethod
    def of(cls, lead: Lead) -> LeadOut:
        return cls.model_validate(lead, from_attributes=True)

    @classmethod
    def created(cls, outcome: AnalyzeOutcome, post_text: str, group_name: str) -> LeadOut | None:
        """The lead just written by intake, from what the write returned (no second query)."""
        post, analysis = outcome.post, outcome.analysis
        if post.lead_id is None or post.lead_created_at is None or post.lead_status is None:
            return None
        return cls(
            id=post.lead_id, post_id=post.post_id, category=analysis.category,
            location=analysis.location, area=outcome.area, fit=outcome.fit,
            urgency=str(analysis.urgency), status_changed_at=post.lead_created_at,
            sightings=post.sightings or 1, last_seen_at=post.lead_created_at,
            priority=str(analysis.priority), summary=analysis.summary, status=post.lead_status,
            created_at=post.lead_created_at,
            updated_at=post.lead_updated_at or post.lead_created_at,
            group_name=group_name, post_text=post_text, analyzer=analysis.analyzer,
            confidence=analysis.confidence,
        )


class EventOut(BaseModel):
    at: datetime
    actor: str
    from_status: str | None
    to_status: str | None
    note: str | None


class SightingOut(BaseModel):
    post_id: int
    group_name: str
    received_at: datetime
    similarity: float | None = Field(None, description="None for the original post.")


class LeadDetail(LeadOut):
    events: list[EventOut]
    seen: list[SightingOut] = Field(description="The original post and every repeat of it.")

    @classmethod
    def of(cls, lead: Lead, history: list[LeadEvent],  # type: ignore[override]
           seen: list[Sighting]) -> LeadDetail:
        return cls.model_validate({
            **lead.__dict__,
            "events": [EventOut.model_validate(e, from_attributes=True) for e in history],
            "seen": [SightingOut.model_validate(s, from_attributes=True) for s in seen]})


class LeadUpdate(BaseModel):
    """A status change and/or a note; at least one."""

    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    note: Annotated[str, NOTE] | None = None
    actor: Annotated[str, ACTOR] | None = Field(
        None, description="Who made the change (defaults to 'api').")

    @model_validator(mode="after")
    def _something(self) -> LeadUpdate:
        if self.status is None and self.note is None:
            raise ValueError("give a status, a note, or both")
        return self


class AnalyzeResponse(BaseModel):
    post: PostOut
    analysis: Analysis
    lead: LeadOut | None = Field(description="The stored lead, or null when the post is not one.")


class LeadList(BaseModel):
    leads: list[LeadOut]
    next_cursor: int | None = Field(
        description="Pass as `cursor` to get the next (older) page; null on the last page."
    )
