"""The result every analyzer returns, and the business it analyzes for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

CATEGORIES: tuple[str, ...] = (
    "plumbing",
    "electrical",
    "hvac",
    "roofing",
    "landscaping",
    "tree_service",
    "cleaning",
    "pest_control",
    "handyman",
    "painting",
    "appliance_repair",
    "garage_door",
    "fencing",
    "flooring",
    "pool_service",
    "moving",
    "locksmith",
    "pressure_washing",
    "remodeling",
    "concrete",
)


class Urgency(StrEnum):
    EMERGENCY = "emergency"  # now, tonight, damage happening, safety
    SOON = "soon"  # this week, ASAP, a date
    FLEXIBLE = "flexible"  # no time pressure stated


class Priority(StrEnum):
    HIGH = "high"  # text the owner now
    MEDIUM = "medium"
    LOW = "low"  # outside the business's services or areas


class Analysis(BaseModel):
    """What an analyzer concluded about one post."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    is_lead: bool
    category: str | None = None
    location: str | None = None
    urgency: Urgency | None = None
    priority: Priority | None = None
    summary: str = Field("", max_length=300)
    confidence: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    analyzer: str = "local"
    model: str | None = None


@dataclass(frozen=True)
class BusinessProfile:
    """The business leads are found for: its services (categories) and service areas.

    Empty ``services`` means every category; empty ``areas`` means anywhere.
    """

    name: str = "PipelineOS"
    services: frozenset[str] = frozenset()
    areas: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> canonical area

    @classmethod
    def build(
        cls, name: str, services: Iterable[str], areas: Iterable[str],
        aliases: dict[str, str] | None = None,
    ) -> BusinessProfile:
        return cls(
            name=name,
            services=frozenset(s.strip().lower() for s in services if s.strip()),
            areas=tuple(a.strip() for a in areas if a.strip()),
            aliases={k.lower(): v for k, v in (aliases or {}).items()},
        )

    def offers(self, category: str | None) -> bool:
        return category is not None and (not self.services or category in self.services)

    def area_for(self, place: str | None) -> str | None:
        """The service area ``place`` falls in (by name or alias), or None."""
        if not place:
            return None
        key = place.strip().lower()
        if key in self.aliases:
            return self.aliases[key]
        for area in self.areas:
            if area.lower() == key:
                return area
        return None


class Analyzer(Protocol):
    """Anything that turns a post into an :class:`Analysis`."""

    name: str

    async def analyze(self, text: str, group_name: str) -> Analysis: ...
