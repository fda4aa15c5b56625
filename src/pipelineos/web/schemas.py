"""Response bodies, typed so the OpenAPI schema says exactly what clients receive."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from pipelineos.analysis.model import Analysis
from pipelineos.leads.store import Lead


class ErrorBody(BaseModel):
    error: str
    details: list[dict[str, str]] | None = None


class PostOut(BaseModel):
    id: int
    status: str
    received_at: datetime


class LeadOut(BaseModel):
    id: int
    post_id: int
    category: str | None
    location: str | None
    urgency: str
    priority: str
    summary: str
    status: str
    created_at: datetime
    updated_at: datetime
    group_name: str | None = None
    post_text: str | None = None
    analyzer: str | None = None
    confidence: float | None = None

    @classmethod
    def of(cls, lead: Lead) -> LeadOut:
        return cls.model_validate(lead, from_attributes=True)


class AnalyzeResponse(BaseModel):
    post: PostOut
    analysis: Analysis
    lead: LeadOut | None = Field(description="The stored lead, or null when the post is not one.")


class LeadList(BaseModel):
    leads: list[LeadOut]
    next_cursor: int | None = Field(
        description="Pass as `cursor` to get the next (older) page; null on the last page."
    )
