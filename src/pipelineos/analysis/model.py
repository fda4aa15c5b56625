"""The result every analyzer returns, and the business it analyzes for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

OTHER = "other"  # a local service outside the home trades: mechanic, tutor, photographer...
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
    OTHER,
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


class Fit(StrEnum):
    """How a lead fits the business; only a lead that fits is worth a text."""

    IN_AREA = "in_area"  # a service the business offers, in one of its areas (or anywhere)
    OUTSIDE_AREA = "outside_area"
    OUTSIDE_SERVICES = "outside_services"
    UNKNOWN = "unknown"  # the post names no place, and the business has service areas


@dataclass(frozen=True)
class BusinessProfile:
    """The business leads are found for: its services (categories) and service areas.

    Empty ``services`` means every category; empty ``areas`` means anywhere. ``aliases`` maps
    other names ("DFW", "Big D", a ZIP) to a canonical area.
    """

    name: str = "PipelineOS"
    services: frozenset[str] = frozenset()
    areas: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # alias (lower case) -> area
    _names: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def build(
        cls, name: str, services: Iterable[str], areas: Iterable[str],
        aliases: dict[str, str] | None = None,
    ) -> BusinessProfile:
        area_list = tuple(dict.fromkeys(a.strip() for a in areas if a.strip()))
        alias_map = {k.strip().lower(): v for k, v in (aliases or {}).items() if k.strip()}
        names = sorted({n.lower() for n in (*area_list, *alias_map)}, key=len, reverse=True)
        pattern = (re.compile(r"(?<![\w])(" + "|".join(map(re.escape, names)) + r")(?![\w])")
                   if names else None)
        return cls(
            name=name,
            services=frozenset(s.strip().lower() for s in services if s.strip()),
            areas=area_list,
            aliases=alias_map,
            _names=pattern,
        )

    def offers(self, category: str | None) -> bool:
        return category is not None and (not self.services or category in self.services)

    def _canonical(self, found: str) -> str | None:
        key = found.strip().lower()
        if key in self.aliases:
            return self.aliases[key]
        return next((area for area in self.areas if area.lower() == key), None)

    def mention(self, text: str) -> tuple[int, int] | None:
        """Where the first service-area name or alias occurs in ``text`` (any case)."""
        match = self._names.search(text.lower()) if self._names else None
        return match.span() if match else None

    def area_for(self, place: str | None) -> str | None:
        """The service area ``place`` is or contains (by name or alias), or None."""
        if not place:
            return None
        exact = self._canonical(place)
        if exact is not None:
            return exact
        span = self.mention(place)
        return self._canonical(place[span[0]:span[1]]) if span else None

    def fit(self, category: str | None, location: str | None) -> tuple[Fit, str | None]:
        """How a lead for ``category`` at ``location`` fits, and the service area it is in."""
        if not self.offers(category):
            return Fit.OUTSIDE_SERVICES, None
        area = self.area_for(location)
        if area is not None:
            return Fit.IN_AREA, area
        if not self.areas:
            return Fit.IN_AREA, None
        return (Fit.UNKNOWN if location is None else Fit.OUTSIDE_AREA), None


class Analyzer(Protocol):
    """Anything that turns a post into an :class:`Analysis`."""

    name: str

    async def analyze(self, text: str, group_name: str) -> Analysis: ...
