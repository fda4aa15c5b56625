"""The labeled posts shipped inside the package: what the model is trained on and measured by.

They live in the package, not only in the repository's tests, because an installation retrains
its model on them plus its own labels (``python -m pipelineos.analysis.train``).

Two labeling conventions meet here. The four older sets (``dev``, ``holdout``, ``final``,
``blind2``) were written when only home trades counted: a request for a mechanic or a tutor
(kind ``other_service``) is labeled not-a-lead. Since ``other`` became a category, such a
request is a lead with category ``other`` (the ``extra`` set and later blind sets are labeled
so). :func:`load` gives every set in the new convention, relabeling the older ones; ``home``
views (:func:`home_only`) give the old one back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipelineos.analysis.model import OTHER

LABELED = Path(__file__).resolve().parent / "labeled"
SETS: dict[str, Path] = {
    "dev": LABELED / "dev" / "labeled_posts.jsonl",
    "holdout": LABELED / "holdout" / "holdout_posts.jsonl",
    "final": LABELED / "final" / "final_posts.jsonl",
    "blind2": LABELED / "blind2" / "blind2_posts.jsonl",
    "extra": LABELED / "extra" / "extra_posts.jsonl",
    "blind4": LABELED / "blind4" / "blind4_posts.jsonl",  # trained on after its first look
}
# Sets written before ``other`` was a category: their other-service requests are not leads.
HOME_ONLY_SETS = frozenset({"dev", "holdout", "final", "blind2"})


@dataclass(frozen=True)
class Example:
    """One labeled post, in the current convention (other local services are leads)."""

    id: str
    text: str
    group_name: str
    is_lead: bool
    category: str | None
    urgency: str | None
    location: str | None
    kind: str
    source: str  # the set it came from
    language: str = "en"

    @classmethod
    def from_json(cls, item: dict[str, Any], source: str) -> Example:
        return cls(id=str(item["id"]), text=item["text"], group_name=item.get("group_name") or "",
                   is_lead=bool(item["is_lead"]), category=item.get("category"),
                   urgency=item.get("urgency"), location=item.get("location"),
                   kind=item.get("kind") or "unknown", source=source,
                   language=item.get("language") or "en")

    def as_item(self) -> dict[str, Any]:
        """The JSON-line shape :mod:`pipelineos.analysis.evaluate` reads."""
        return {"id": self.id, "text": self.text, "group_name": self.group_name,
                "is_lead": self.is_lead, "category": self.category, "urgency": self.urgency,
                "location": self.location, "kind": self.kind, "language": self.language}


def read(path: Path, source: str, *, home_only: bool = False) -> list[Example]:
    """Examples from a JSON-lines file; ``home_only``: written in the older convention."""
    with path.open(encoding="utf-8") as handle:
        examples = [Example.from_json(json.loads(line), source) for line in handle if line.strip()]
    if home_only:
        # An other-service post in these sets is always a request for such a provider.
        examples = [replace(e, is_lead=True, category=OTHER) if e.kind == "other_service"
                    and not e.is_lead else e for e in examples]
    return examples


def load(name: str) -> list[Example]:
    """A shipped set by name (``dev``, ``holdout``, ``final``, ``blind2``, ``extra``,
    ``blind4``)."""
    return read(SETS[name], name, home_only=name in HOME_ONLY_SETS)


def load_all(names: Iterable[str] = SETS) -> list[Example]:
    return [example for name in names for example in load(name)]


def home_only(examples: Iterable[Example]) -> list[Example]:
    """The older convention: only home-trade requests are leads."""
    return [replace(e, is_lead=False, urgency=None) if e.is_lead and e.category == OTHER else e
            for e in examples]
