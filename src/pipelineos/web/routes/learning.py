"""Teaching the analyzer: the owner's verdict on a post, and the noise controls (mutes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from pipelineos.analysis import labels, noise
from pipelineos.analysis.model import CATEGORIES
from pipelineos.leads.pipeline import ACTOR
from pipelineos.web import routing
from pipelineos.web.deps import RuntimeDep
from pipelineos.web.schemas import ErrorBody

router = routing.router(tags=["learning"])
MAX_ID = 2**63 - 1
Category = Literal[CATEGORIES]  # type: ignore[valid-type]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON"},
    404: {"model": ErrorBody, "description": "No such post or rule"},
    422: {"model": ErrorBody, "description": "Invalid input"},
}


class VerdictIn(BaseModel):
    """What the post really is."""

    model_config = ConfigDict(extra="forbid")
    verdict: labels.Verdict = Field(description="lead, not_lead or spam")
    category: Category | None = Field(None, description="With `lead`: the service asked for.")
    urgency: Literal["emergency", "soon", "flexible"] | None = Field(
        None, description="With `lead`: how soon it is needed.")
    actor: Annotated[str, ACTOR] | None = Field(None, description="Who says so (default 'api').")


class LabelOut(BaseModel):
    id: int
    post_id: int | None
    origin: str
    is_lead: bool
    spam: bool
    category: str | None
    urgency: str | None
    actor: str
    created_at: datetime
    updated_at: datetime


class VerdictOut(BaseModel):
    label: LabelOut
    lead_id: int | None = Field(description="The post's lead after the verdict, if it has one.")
    lead_status: str | None


@router.post("/api/posts/{post_id:id}/verdict", response_model=VerdictOut, responses=_ERRORS)
async def post_verdict(body: VerdictIn, runtime: RuntimeDep,
                       post_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> VerdictOut:
    """Say what a stored post really is; the analyzer learns it at its next retrain.

    `spam` and `not_lead` also move the post's lead, if any, to `spam` / `lost`; `lead` makes a
    lead of a post the analyzer passed over (no text message is sent for it)."""
    outcome = await runtime.learning.verdict(post_id, body.verdict, category=body.category,
                                             urgency=body.urgency, actor=body.actor or "api")
    return VerdictOut(label=LabelOut.model_validate(outcome.label, from_attributes=True),
                      lead_id=outcome.lead_id, lead_status=outcome.lead_status)


class NoiseRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: noise.Kind = Field(description="phrase, author, group or source")
    value: Annotated[str, noise.VALUE] = Field(
        description="The phrase (whole words, any case), the author's name, the group's name, "
                    "or the source (facebook, craigslist...).")


class NoiseRuleOut(BaseModel):
    id: int
    kind: str
    value: str
    created_at: datetime


class NoiseRuleList(BaseModel):
    rules: list[NoiseRuleOut]


@router.get("/api/noise", response_model=NoiseRuleList)
async def list_noise(runtime: RuntimeDep) -> NoiseRuleList:
    """The noise controls in force: negative phrases, blocked authors, muted groups and
    sources."""
    rules = await runtime.learning.mutes()
    return NoiseRuleList(rules=[NoiseRuleOut.model_validate(r, from_attributes=True)
                                for r in rules])


@router.post("/api/noise", response_model=NoiseRuleOut, status_code=201, responses=_ERRORS)
async def add_noise(body: NoiseRuleIn, runtime: RuntimeDep) -> NoiseRuleOut:
    """Mute posts from now on: one with the phrase, by the author, in the group or from the
    source is stored as not a lead, with the rule as its reason, and never alerted. Adding a
    rule that exists (in any case) returns it."""
    rule = await runtime.learning.mute(body.kind, body.value)
    return NoiseRuleOut.model_validate(rule, from_attributes=True)


@router.delete("/api/noise/{rule_id:id}", status_code=204, responses=_ERRORS)
async def remove_noise(runtime: RuntimeDep,
                       rule_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> None:
    """Lift a mute."""
    await runtime.learning.unmute(rule_id)
