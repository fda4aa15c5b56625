"""The local analyzer: a rule-based lead classifier that needs no network.

It serves when no Claude key is configured, when Claude is unavailable, and as Claude's
pre-filter. It weighs what a post *says it wants*: a request ("need a plumber", "who do you
use for...") against the shapes that mention the same trade without wanting to hire anyone, an
advertisement ("Need a plumber? Call us!"), a recommendation given ("I highly recommend Joe's"),
a review, a DIY or price question, a job offer, spam, or a need already met ("found someone").

Every decision comes with reasons naming the phrases that drove it, so an operator can see why
a post was or was not alerted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import tanh

from pipelineos.analysis import lexicon, places
from pipelineos.analysis.model import Analysis, BusinessProfile, Fit, Priority, Urgency
from pipelineos.analysis.prefilter import Guarded, LiteralIndex


def _weighted(items: tuple[tuple[str, float], ...]) -> tuple[tuple[Guarded, float], ...]:
    return tuple((Guarded(pattern, re.MULTILINE), weight) for pattern, weight in items)


_CATEGORIES = {
    name: (Guarded(lexicon.terms(strong)), Guarded(lexicon.terms(weak)))
    for name, (strong, weak) in lexicon.CATEGORY_TERMS.items()
}
_SIGNALS = {
    "request": _weighted(lexicon.REQUEST),
    "ad": _weighted(lexicon.AD),
    "recommendation": _weighted(lexicon.RECOMMENDATION_GIVEN),
    "review": _weighted(lexicon.REVIEW),
    "diy": _weighted(lexicon.DIY),
    "price": _weighted(lexicon.PRICE_QUESTION),
    "job": _weighted(lexicon.JOB_OFFER),
    "job_weak": _weighted(lexicon.JOB_OFFER_WEAK),
    "other": _weighted(lexicon.OTHER_PROVIDER),
    "offtopic": _weighted(lexicon.OFF_TOPIC),
    "spam": _weighted(lexicon.SPAM),
    "resolved": _weighted(lexicon.RESOLVED),
}
_EMERGENCY = Guarded(lexicon.terms(lexicon.EMERGENCY))
_SOON = Guarded(lexicon.terms(lexicon.SOON))
# Every pattern in one flat list, so one pass over a post says which ones are worth running.
_SIGNAL_RULES = [(kind, guard, weight) for kind, patterns in _SIGNALS.items()
                 for guard, weight in patterns]
_CATEGORY_RULES = [(name, strength, guard) for name, pair in _CATEGORIES.items()
                   for strength, guard in zip((2.0, 1.0), pair, strict=True)]
_GUARDS = ([guard for _, guard, _ in _SIGNAL_RULES] + [guard for _, _, guard in _CATEGORY_RULES]
           + [_EMERGENCY, _SOON])
_CATEGORY_OFFSET = len(_SIGNAL_RULES)
_CATEGORY_ORDER = {name: n for n, name in enumerate(_CATEGORIES)}
_EMERGENCY_ID, _SOON_ID = len(_GUARDS) - 2, len(_GUARDS) - 1
_INDEX = LiteralIndex(_GUARDS)
_FIRST_PERSON = re.compile(r"\b(?:i|we|my|our|me|us|i'm|im|we're|i've|we've|mine)\b")
_WORD = re.compile(r"[a-z0-9']+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

# How much each kind of evidence argues against "wants to hire someone".
_AGAINST = {
    "ad": 1.0,
    "recommendation": 0.9,
    "review": 0.6,
    "diy": 0.9,
    "job": 1.0,
    "other": 1.0,
    "offtopic": 0.6,
    "spam": 1.5,
    "resolved": 1.2,
}
_NON_LEAD_KINDS = {
    "ad": "contractor advertisement",
    "recommendation": "recommendation given",
    "review": "review or warning",
    "diy": "DIY question",
    "price": "general price question",
    "job": "job offer",
    "other": "request for a provider outside home services",
    "offtopic": "off-topic",
    "spam": "spam",
    "resolved": "need already met",
}
_LEAD_THRESHOLD = 1.1
_SHORT_POST_WORDS = 6


@dataclass
class _Evidence:
    scores: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, weight: float, phrase: str) -> None:
        self.scores[kind] = self.scores.get(kind, 0.0) + weight
        found = self.phrases.setdefault(kind, [])
        if phrase not in found and len(found) < 3:
            found.append(phrase)

    def __getitem__(self, kind: str) -> float:
        return self.scores.get(kind, 0.0)


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2014", " - ").replace("\u2013", "-")
    return re.sub(r"[ \t]+", " ", text).strip().lower()


def _quote(phrases: list[str]) -> str:
    return ", ".join(f"'{p.strip()}'" for p in phrases)


class LocalAnalyzer:
    """Classifies a post with weighted phrase rules; pure CPU, microseconds to milliseconds."""

    name = "local"

    def __init__(self, profile: BusinessProfile | None = None) -> None:
        self.profile = profile or BusinessProfile()

    def use_profile(self, profile: BusinessProfile) -> None:
        """Analyze for ``profile`` from now on (service areas or services changed)."""
        self.profile = profile

    async def analyze(self, text: str, group_name: str = "") -> Analysis:
        return self.analyze_sync(text, group_name)

    # --- the decision ---------------------------------------------------------------------
    def analyze_sync(self, text: str, group_name: str = "") -> Analysis:
        norm = normalise(text)
        candidates = _INDEX.candidates(norm)
        evidence = self._signals(norm, candidates)
        category, category_terms = self._category(norm, candidates)
        location = self._location(text, norm, group_name)
        words = len(_WORD.findall(norm))
        first_person = bool(_FIRST_PERSON.search(norm))

        price_own_job = evidence["price"] > 0 and first_person and evidence["request"] >= 2.0
        score = evidence["request"]
        if "?" in norm and first_person:
            score += 0.5
        for kind, weight in _AGAINST.items():
            score -= weight * evidence[kind]
        if evidence["price"] and not price_own_job:
            score -= evidence["price"]
        # An ad can ask a question ("Need a plumber?") but a request rarely carries three or
        # more separate selling phrases.
        blatant_ad = evidence["ad"] >= 4.0 and evidence["ad"] > evidence["request"]

        is_lead = (
            category is not None
            and score >= _LEAD_THRESHOLD
            and not blatant_ad
            and evidence["spam"] < 2.5
            and evidence["job"] < 3.0
            and evidence["other"] < 3.0
        )
        urgency = self._urgency(norm, candidates) if is_lead else None
        priority = self._priority(category, location, urgency) if is_lead else None

        margin = abs(score - _LEAD_THRESHOLD)
        confidence = 0.55 + 0.4 * tanh(margin / 2.5)
        if category is None and not is_lead and evidence["request"] == 0:
            confidence = max(confidence, 0.85)  # nothing about a trade and nobody asking
        if words < _SHORT_POST_WORDS:
            confidence = min(confidence, 0.5)  # too short to judge either way

        reasons = self._reasons(evidence, category, category_terms, urgency, is_lead)
        return Analysis(
            is_lead=is_lead,
            category=category,
            location=location,
            urgency=urgency,
            priority=priority,
            summary=self._summary(text, is_lead, category, location, urgency, evidence),
            confidence=round(confidence, 3),
            reasons=reasons,
            analyzer=self.name,
        )

    def non_lead_kind(self, evidence: _Evidence) -> str | None:
        against = {k: evidence[k] for k in _NON_LEAD_KINDS if evidence[k] > 0}
        return _NON_LEAD_KINDS[max(against, key=against.__getitem__)] if against else None

    # --- features -------------------------------------------------------------------------
    def _signals(self, norm: str, candidates: dict[int, list[int]]) -> _Evidence:
        evidence = _Evidence()
        for rule in sorted(i for i in candidates if i < _CATEGORY_OFFSET):
            kind, pattern, weight = _SIGNAL_RULES[rule]
            match = pattern.search(norm, candidates[rule])
            if match:
                evidence.add(kind, weight, match.group(0))
        if evidence["job"] and evidence["job_weak"]:
            for phrase in evidence.phrases["job_weak"]:
                evidence.add("job", 0.0, phrase)
            evidence.scores["job"] += evidence["job_weak"]
        return evidence

    def _category(self, norm: str, candidates: dict[int, list[int]]) -> tuple[str | None, list[str]]:
        strong: dict[str, set[str]] = {}
        weak: dict[str, set[str]] = {}
        for rule in sorted(i for i in candidates if _CATEGORY_OFFSET <= i < _EMERGENCY_ID):
            name, strength, pattern = _CATEGORY_RULES[rule - _CATEGORY_OFFSET]
            hits = {m.group(0) for m in pattern.finditer(norm, candidates[rule])}
            if hits:
                (strong if strength > 1 else weak).setdefault(name, set()).update(hits)
        best: tuple[float, str | None, list[str]] = (0.0, None, [])
        # Declaration order breaks ties, as before.
        for name in sorted(strong.keys() | weak.keys(), key=_CATEGORY_ORDER.__getitem__):
            strong_hits = strong.get(name, set())
            weak_hits = weak.get(name, set()) - strong_hits
            score = 2.0 * len(strong_hits) + 1.0 * min(len(weak_hits), 3)
            if score > best[0]:
                best = (score, name, sorted(strong_hits) + sorted(weak_hits))
        top, chosen, terms = best
        return (chosen, terms) if top >= 2.0 else (None, [])

    def _location(self, text: str, norm: str, group_name: str) -> str | None:
        span = self.profile.mention(text)
        if span is not None:
            return text[span[0]:span[1]]
        known = places.known_place(norm)
        if known:
            return _original_case(text, known)
        zip_code = places.ZIP.search(text)
        if zip_code:
            return zip_code.group(0)
        guess = places.capitalised_after_preposition(text)
        if guess:
            return guess
        group_place = places.known_place(normalise(group_name)) if group_name else None
        if group_place:
            return _original_case(group_name, group_place)
        return None

    def _urgency(self, norm: str, candidates: dict[int, list[int]]) -> Urgency:
        if _EMERGENCY_ID in candidates and _EMERGENCY.search(norm, candidates[_EMERGENCY_ID]):
            return Urgency.EMERGENCY
        if _SOON_ID in candidates and _SOON.search(norm, candidates[_SOON_ID]):
            return Urgency.SOON
        return Urgency.FLEXIBLE

    def _priority(
        self, category: str | None, location: str | None, urgency: Urgency | None
    ) -> Priority:
        fit, _ = self.profile.fit(category, location)
        if fit in (Fit.OUTSIDE_SERVICES, Fit.OUTSIDE_AREA):
            return Priority.LOW
        if urgency is Urgency.EMERGENCY or (urgency is Urgency.SOON and fit is Fit.IN_AREA):
            return Priority.HIGH
        return Priority.MEDIUM

    # --- explanation ----------------------------------------------------------------------
    def _reasons(
        self,
        evidence: _Evidence,
        category: str | None,
        terms: list[str],
        urgency: Urgency | None,
        is_lead: bool,
    ) -> list[str]:
        reasons: list[str] = []
        if evidence["request"]:
            reasons.append(f"asks for a provider: {_quote(evidence.phrases['request'])}")
        else:
            reasons.append("no request for a provider")
        for kind, label in _NON_LEAD_KINDS.items():
            if evidence[kind]:
                reasons.append(f"{label}: {_quote(evidence.phrases[kind])}")
        if category:
            reasons.append(f"service {category}: {_quote(terms[:4])}")
        else:
            reasons.append("no service category recognised")
        if urgency:
            reasons.append(f"urgency {urgency.value}")
        if category and is_lead and not self.profile.offers(category):
            reasons.append(f"{category} is not a service {self.profile.name} offers")
        return reasons

    def _summary(
        self,
        text: str,
        is_lead: bool,
        category: str | None,
        location: str | None,
        urgency: Urgency | None,
        evidence: _Evidence,
    ) -> str:
        first = _SENTENCE.split(text.strip(), maxsplit=1)[0].strip()
        if len(first) > 140:
            first = first[:137].rstrip() + "..."
        if is_lead:
            what = (category or "service").replace("_", " ")
            head = f"{'Emergency ' if urgency is Urgency.EMERGENCY else ''}{what} request"
            head = head[0].upper() + head[1:]
            if location:
                head += f" in {location}"
            return f"{head}: {first}"
        kind = self.non_lead_kind(evidence) or "no request for a service"
        return f"Not a lead ({kind}): {first}"


def _original_case(text: str, lowered: str) -> str:
    index = text.lower().find(lowered)
    return text[index : index + len(lowered)] if index >= 0 else lowered.title()
