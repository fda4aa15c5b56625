"""Measuring an analyzer against labeled posts: precision, recall and where it goes wrong.

A labeled file is JSON lines with at least ``text`` and ``is_lead``; ``group_name``, ``kind``,
``category``, ``urgency``, ``location``, ``language`` and ``id`` are used when present.

Two conventions (see :mod:`pipelineos.analysis.corpus`): with ``home_only`` a request for a
provider outside the home trades is not a lead, on either side: a labeled ``other`` lead counts
as a non-lead and so does a predicted one. Without it, both count as leads.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelineos.analysis.model import OTHER, Analysis, Priority



@dataclass
class Report:
    total: int = 0
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    category_right: int = 0
    category_checked: int = 0
    urgency_right: int = 0
    urgency_checked: int = 0
    location_right: int = 0
    location_checked: int = 0
    emergencies: int = 0  # labeled emergencies found
    emergencies_high: int = 0  # of those, marked high priority
    seconds: float = 0.0
    by_language: dict[str, Counter[str]] = field(default_factory=dict)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def category_accuracy(self) -> float:
        return self.category_right / self.category_checked if self.category_checked else 1.0

    @property
    def emergencies_marked_high(self) -> float:
        return self.emergencies_high / self.emergencies if self.emergencies else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def lines(self) -> list[str]:
        def share(right: int, checked: int) -> str:
            return f"{right}/{checked} ({right / checked:.1%})" if checked else "n/a"

        out = [
            f"posts: {self.total}  leads labeled: {self.true_positive + self.false_negative}",
            f"precision: {self.precision:.3f}  recall: {self.recall:.3f}  f1: {self.f1:.3f}",
            f"TP {self.true_positive}  FP {self.false_positive}  FN {self.false_negative}  "
            f"TN {self.true_negative}",
            f"category right on found leads: {share(self.category_right, self.category_checked)}",
            f"emergencies marked high:       {share(self.emergencies_high, self.emergencies)}",
            f"urgency right on found leads:  {share(self.urgency_right, self.urgency_checked)}",
            f"location found when labeled:   {share(self.location_right, self.location_checked)}",
        ]
        for language, counts in sorted(self.by_language.items()):
            if len(self.by_language) > 1:
                out.append(f"language {language}: {counts['posts']} posts, leads found "
                           f"{share(counts['found'], counts['leads'])}, false alarms "
                           f"{counts['false_alarms']}, category right "
                           f"{share(counts['category_right'], counts['found'])}")
        out.append("by kind (correct / total):")
        for kind, counts in sorted(self.by_kind.items()):
            out.append(f"  {kind:<22} {counts['right']:>3} / {counts['total']:<3}")
        return out


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _same_place(found: str | None, labeled: str) -> bool:
    if not found:
        return False
    a, b = found.strip().lower(), labeled.strip().lower()
    return a in b or b in a


def evaluate(
    analyze: Callable[[str, str], Analysis], items: Iterable[dict[str, Any]], *,
    home_only: bool = False,
) -> Report:
    """Score ``analyze`` on labeled ``items``; ``home_only``: the older convention."""
    report = Report()
    for item in items:
        started = time.perf_counter()
        result = analyze(item["text"], item.get("group_name", ""))
        report.seconds += time.perf_counter() - started
        labeled = bool(item["is_lead"]) and not (home_only and item.get("category") == OTHER)
        predicted = result.is_lead and not (home_only and result.category == OTHER)
        if predicted != result.is_lead:
            result = result.model_copy(update={"is_lead": False, "urgency": None,
                                               "priority": None})
        report.total += 1
        kind = report.by_kind.setdefault(item.get("kind", "unknown"), Counter())
        kind["total"] += 1
        if result.is_lead == labeled:
            kind["right"] += 1
        if result.is_lead and labeled:
            report.true_positive += 1
        elif result.is_lead:
            report.false_positive += 1
        elif labeled:
            report.false_negative += 1
        else:
            report.true_negative += 1
        if result.is_lead != labeled:
            report.mistakes.append({"id": item.get("id"), "labeled": labeled,
                                    "kind": item.get("kind"), "text": item["text"],
                                    "reasons": result.reasons})
        language = report.by_language.setdefault(item.get("language") or "en", Counter())
        language["posts"] += 1
        language["leads"] += labeled
        language["found"] += labeled and result.is_lead
        language["false_alarms"] += result.is_lead and not labeled
        if labeled and result.is_lead:
            if item.get("category"):
                report.category_checked += 1
                report.category_right += result.category == item["category"]
                language["category_right"] += result.category == item["category"]
            if item.get("urgency"):
                report.urgency_checked += 1
                report.urgency_right += (result.urgency or "") == item["urgency"]
            if item.get("urgency") == "emergency":
                report.emergencies += 1
                report.emergencies_high += result.priority is Priority.HIGH
        if item.get("location"):
            report.location_checked += 1
            report.location_right += _same_place(result.location, item["location"])
    return report
