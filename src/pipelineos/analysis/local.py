"""The local analyzer: rules and a learned model that decide without any network.

It serves when no Claude key is configured, when Claude is unavailable, and as Claude's
pre-filter. The rules weigh what a post *says it wants*: a request ("need a plumber", "who do
you use for...") against the shapes that mention the same trade without wanting to hire
anyone, an advertisement ("Need a plumber? Call us!"), a recommendation given ("I highly
recommend Joe's"), a review, a DIY or price question, a job offer, spam, or a need already met
("found someone"). The learned model (:mod:`pipelineos.analysis.learned`) reads the rules'
evidence beside the post's words and makes the final call on lead, category and urgency: it
catches what the phrase lists miss (a need told only by its symptom, a trade or a language the
lexicon lacks) and learns how far each rule signal is to be trusted.

Every decision comes with reasons naming the phrases that drove it, so an operator can see why
a post was or was not alerted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import tanh

from pipelineos.analysis import features, lexicon, places
from pipelineos.analysis.features import RuleView
from pipelineos.analysis.learned import LearnedModel, shipped
from pipelineos.analysis.model import OTHER, Analysis, BusinessProfile, Fit, Priority, Urgency
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
_FIRST_PERSON = features.FIRST_PERSON
_WORD = features.WORD
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

_NON_LEAD_KINDS = {
    "ad": "contractor advertisement",
    "recommendation": "recommendation given",
    "review": "review or warning",
    "diy": "DIY question",
    "price": "general price question",
    "job": "job offer",
    "offtopic": "off-topic",
    "spam": "spam",
    "resolved": "need already met",
}
_LEAD_THRESHOLD = features.LEAD_THRESHOLD
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


@dataclass(frozen=True)
class _Reading:
    """What the rules found in one post, and what they decide alone."""

    evidence: _Evidence
    hits: dict[str, tuple[set[str], set[str]]]  # category -> (strong terms, weak terms)
    category: str | None
    terms: list[str]
    score: float  # request minus the evidence against
    is_lead: bool
    emergency: bool
    soon: bool
    first_person: bool
    question: bool
    words: int
    reply: bool
    own: str  # the post's own words (a reply without the request it quotes)

    def view(self) -> RuleView:
        return RuleView(
            evidence=dict(self.evidence.scores),
            categories={name: (len(strong), len(weak - strong))
                        for name, (strong, weak) in self.hits.items()},
            emergency=self.emergency, soon=self.soon, first_person=self.first_person,
            question=self.question, words=self.words, is_lead=self.is_lead,
            category=self.category, reply=self.reply)


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2014", " - ").replace("\u2013", "-")
    return re.sub(r"[ \t]+", " ", text).strip().lower()


def _quote(phrases: list[str]) -> str:
    return ", ".join(f"'{p.strip()}'" for p in phrases)


class LocalAnalyzer:
    """Classifies a post with weighted phrase rules and the learned model; pure CPU, about a
    hundred microseconds a post."""

    name = "local"

    def __init__(self, profile: BusinessProfile | None = None, *,
                 model: LearnedModel | None = None, rules_only: bool = False) -> None:
        """``model``: the learned model to use (the shipped one when None); ``rules_only``:
        decide by the rules alone, as before the model (for comparison)."""
        self.profile = profile or BusinessProfile()
        self.model = None if rules_only else (model or shipped())

    def use_profile(self, profile: BusinessProfile) -> None:
        """Analyze for ``profile`` from now on (service areas or services changed)."""
        self.profile = profile

    def use_model(self, model: LearnedModel | None) -> None:
        """Decide with ``model`` from now on (a retrained one); None: the rules alone."""
        self.model = model

    async def analyze(self, text: str, group_name: str = "") -> Analysis:
        return self.analyze_sync(text, group_name)

    # --- the decision ---------------------------------------------------------------------
    def view(self, text: str) -> RuleView:
        """What the rules see in a post: the evidence the learned model reads. Phase two of
        issue 17 stores it with each label, as the rules saw the post when it was labeled."""
        return self._read(normalise(text)).view()

    def analyze_sync(self, text: str, group_name: str = "") -> Analysis:
        norm = normalise(text)
        reading = self._read(norm)
        evidence, hits, words = reading.evidence, reading.hits, reading.words
        rule_category, category_terms = reading.category, reading.terms
        rules_lead, score = reading.is_lead, reading.score
        emergency, soon = reading.emergency, reading.soon
        location = self._location(text, norm, group_name)

        model_note: str | None = None
        if self.model is None:
            is_lead, category = rules_lead, rule_category
            urgency = _rule_urgency(emergency, soon) if is_lead else None
            margin = abs(score - _LEAD_THRESHOLD)
            confidence = 0.55 + 0.4 * tanh(margin / 2.5)
            if rule_category is None and not is_lead and evidence["request"] == 0:
                confidence = max(confidence, 0.85)  # nothing about a trade and nobody asking
        else:
            prediction = self.model.predict(reading.own, reading.view())
            is_lead = prediction.lead >= self.model.threshold
            if is_lead and _not_a_service(prediction.category, hits, evidence):
                is_lead = False
            category = prediction.category if is_lead else rule_category
            urgency = Urgency(prediction.urgency) if is_lead and prediction.urgency else None
            if category != rule_category:
                strong, weak = hits.get(category or "", (set(), set()))
                category_terms = sorted(strong) + sorted(weak - strong)
            confidence = _model_confidence(prediction.lead, self.model.threshold)
            model_note = (f"learned model: lead probability {prediction.lead:.2f} "
                          f"(threshold {self.model.threshold:.2f})")
            if is_lead != rules_lead:
                model_note += f"; the rules alone say {'a' if rules_lead else 'no'} lead"
        if words < _SHORT_POST_WORDS:
            confidence = min(confidence, 0.5)  # too short to judge either way
        priority = self._priority(category, location, urgency) if is_lead else None

        reasons = self._reasons(evidence, category, category_terms, urgency, is_lead)
        if model_note:
            reasons.append(model_note)
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
            model=self.model.id if self.model is not None else None,
        )

    def non_lead_kind(self, evidence: _Evidence) -> str | None:
        against = {k: evidence[k] for k in _NON_LEAD_KINDS if evidence[k] > 0}
        return _NON_LEAD_KINDS[max(against, key=against.__getitem__)] if against else None

    # --- features -------------------------------------------------------------------------
    def _read(self, norm: str) -> _Reading:
        # A reply's quoted request names the trade, but what is asked is the reply's own.
        _, own, reply = features.split_reply(norm)
        candidates = _INDEX.candidates(norm)  # the literals of ``own`` are among these
        evidence = self._signals(own, candidates)
        hits = self._category_hits(norm, candidates)
        category, terms = _best_category(hits)
        words = len(_WORD.findall(own))
        first_person = bool(_FIRST_PERSON.search(own))

        score = features.rule_score(evidence.scores, first_person, "?" in own)
        is_lead = (category is not None and score >= _LEAD_THRESHOLD
                   and not features.hard_stop(evidence.scores))
        emergency = _EMERGENCY_ID in candidates and _EMERGENCY.search(
            own, candidates[_EMERGENCY_ID]) is not None
        soon = _SOON_ID in candidates and _SOON.search(own, candidates[_SOON_ID]) is not None
        return _Reading(evidence, hits, category, terms, score, is_lead, emergency, soon,
                        first_person, "?" in own, words, reply, own)

    def _signals(self, norm: str, candidates: dict[int, list[int]]) -> _Evidence:
        evidence = _Evidence()
        for rule, alive in candidates.items():  # ascending: signals come first
            if rule >= _CATEGORY_OFFSET:
                break
            kind, pattern, weight = _SIGNAL_RULES[rule]
            match = pattern.search(norm, alive)
            if match:
                evidence.add(kind, weight, match.group(0))
        if evidence["job"] and evidence["job_weak"]:
            for phrase in evidence.phrases["job_weak"]:
                evidence.add("job", 0.0, phrase)
            evidence.scores["job"] += evidence["job_weak"]
        return evidence

    def _category_hits(self, norm: str, candidates: dict[int, list[int]]
                       ) -> dict[str, tuple[set[str], set[str]]]:
        """The strong and the weak terms found, per category."""
        found: dict[str, tuple[set[str], set[str]]] = {}
        for rule, alive in candidates.items():  # ascending
            if rule < _CATEGORY_OFFSET:
                continue
            if rule >= _EMERGENCY_ID:
                break
            name, strength, pattern = _CATEGORY_RULES[rule - _CATEGORY_OFFSET]
            hits = {m.group(0) for m in pattern.finditer(norm, alive)}
            if hits:
                pair = found.setdefault(name, (set(), set()))
                pair[0 if strength > 1 else 1].update(hits)
        return found

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


def _best_category(hits: dict[str, tuple[set[str], set[str]]]) -> tuple[str | None, list[str]]:
    """The rules' category: two points a strong term, one a weak term (three at most); the
    best needs two points; declaration order breaks ties."""
    best: tuple[float, str | None, list[str]] = (0.0, None, [])
    for name in sorted(hits, key=_CATEGORY_ORDER.__getitem__):
        strong_hits, weak = hits[name]
        weak_hits = weak - strong_hits
        score = 2.0 * len(strong_hits) + 1.0 * min(len(weak_hits), 3)
        if score > best[0]:
            best = (score, name, sorted(strong_hits) + sorted(weak_hits))
    top, chosen, terms = best
    return (chosen, terms) if top >= 2.0 else (None, [])


def _not_a_service(category: str | None, hits: dict[str, tuple[set[str], set[str]]],
                   evidence: _Evidence) -> bool:
    """A lead of category ``other`` that names no provider or service at all, in a post the
    rules read as off-topic ("looking for a used truck", "a 2BR apartment", "a brunch spot"):
    the model's words saw a request, but what is asked for is not a local service."""
    return category == OTHER and OTHER not in hits and evidence["offtopic"] > 0


def _rule_urgency(emergency: bool, soon: bool) -> Urgency:
    return Urgency.EMERGENCY if emergency else Urgency.SOON if soon else Urgency.FLEXIBLE


def _model_confidence(probability: float, threshold: float) -> float:
    """How sure the decision is: 0.5 at the threshold, near 1 at probability 0 or 1."""
    if probability >= threshold:
        return 0.5 + 0.5 * (probability - threshold) / (1.0 - threshold)
    return 0.5 + 0.5 * (threshold - probability) / threshold


def _original_case(text: str, lowered: str) -> str:
    index = text.lower().find(lowered)
    return text[index : index + len(lowered)] if index >= 0 else lowered.title()
