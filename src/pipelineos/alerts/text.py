"""SMS text: counting segments the way carriers do, and cutting alerts to fit.

An SMS is GSM-7 when every character is in the GSM 03.38 alphabet (the extension characters
``^{}\\[~]|€`` and form feed take two septets each): 160 septets in one message, 153 per segment
once it is split (the rest carries the concatenation header). Anything else is sent as UCS-2:
70 UTF-16 code units, 67 per segment; a character outside the Basic Multilingual Plane (most
emoji) takes two units. A segment never splits a two-septet character or a surrogate pair.

Texts are cut at a sentence boundary; when the first sentence alone is too long (or cutting
there would throw away most of what fits) they are cut at a word boundary with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_SEGMENT = 160, 153
UCS2_SINGLE, UCS2_SEGMENT = 70, 67

# Typography that would force a whole message into UCS-2 (70 characters a segment) for no
# reason, mapped to GSM-7 look-alikes, as Twilio's "smart encoding" does.
_LOOKALIKES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u200b": "", "\t": " ",
})

# A sentence ends at . ! or ? (possibly closed by a quote or bracket) followed by space or end.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s|$)|\n")
# Keep a sentence cut only if it keeps at least this share of what a word cut would keep.
SENTENCE_CUT_MIN_SHARE = 0.6


@dataclass(frozen=True)
class Encoding:
    name: str  # "GSM-7" or "UCS-2"
    single: int
    segment: int


GSM7 = Encoding("GSM-7", GSM7_SINGLE, GSM7_SEGMENT)
UCS2 = Encoding("UCS-2", UCS2_SINGLE, UCS2_SEGMENT)


def encoding(text: str) -> Encoding:
    """GSM-7 when every character is in the GSM alphabet (basic or extension), else UCS-2."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return GSM7
    return UCS2


def _costs(text: str, enc: Encoding) -> list[int]:
    if enc is GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def segments(text: str) -> int:
    """How many SMS segments ``text`` is sent as (0 for an empty text)."""
    if not text:
        return 0
    enc = encoding(text)
    costs = _costs(text, enc)
    if sum(costs) <= enc.single:
        return 1
    count, used = 1, 0
    for cost in costs:
        if used + cost > enc.segment:
            count += 1
            used = 0
        used += cost
    return count


def normalize(text: str) -> str:
    """Typographic punctuation replaced by GSM-7 look-alikes; runs of spaces collapsed."""
    text = text.translate(_LOOKALIKES)
    return re.sub(r"[ ]{2,}", " ", text).strip()


def _longest(candidates: list[str], fits: Callable[[str], bool]) -> str | None:
    """The last candidate that fits, where candidates grow and fitting is monotonic."""
    lo, hi, best = 0, len(candidates) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(candidates[mid]):
            best, lo = candidates[mid], mid + 1
        else:
            hi = mid - 1
    return best


def shorten(text: str, fits: Callable[[str], bool]) -> str:
    """The longest cut of ``text`` that ``fits``: ``text`` itself if it fits, else a cut at
    a sentence boundary, else at a word boundary with an ellipsis, else ``""``."""
    if fits(text):
        return text
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    sentences = [text[:end].rstrip() for end in sentence_ends if text[:end].strip()]
    by_sentence = _longest(sentences, fits)
    words = [m.start() for m in re.finditer(r"\s+", text)] + [len(text)]
    cuts = []
    for end in words:
        prefix = text[:end].rstrip(" ,;:-\n")
        if prefix:
            ellipsis = "..." if encoding(prefix) is GSM7 else "\u2026"
            cuts.append(prefix + ellipsis)
    by_word = _longest(cuts, fits)
    if by_sentence is not None and (
        by_word is None or len(by_sentence) >= SENTENCE_CUT_MIN_SHARE * len(by_word)
    ):
        return by_sentence
    if by_word is not None:
        return by_word
    # One enormous word: cut it by characters.
    chars = [text[:end] + "..." for end in range(1, len(text))]
    return _longest(chars, fits) or ""


def fit(text: str, max_segments: int) -> str:
    """``text`` (normalized) cut so it is sent as at most ``max_segments`` segments."""
    text = normalize(text)
    # No text of more than 160 characters a segment fits, whatever its encoding.
    text = text[: GSM7_SINGLE * max_segments + 1]
    return shorten(text, lambda candidate: segments(candidate) <= max_segments)


# --- what the owner reads ---------------------------------------------------------------------

URGENCY_WORDS = {
    "emergency": "EMERGENCY, call now",
    "soon": "needed soon",
    "flexible": "flexible timing",
}


@dataclass(frozen=True)
class LeadFacts:
    """What a lead alert says: what, where, how urgent, a quote, and how to open it."""

    lead_id: int
    category: str | None
    location: str | None
    urgency: str | None
    group_name: str | None
    post_text: str


def lead_alert(facts: LeadFacts, *, max_segments: int, link_base_url: str | None) -> str:
    """The hot-lead text: the header and the way to open the lead always survive; the quote
    of the post is cut to fit ``max_segments``."""
    what = (facts.category or "service request").replace("_", " ")
    where = facts.location or "an unknown area"
    urgency = URGENCY_WORDS.get(facts.urgency or "", facts.urgency or "urgency unknown")
    head = normalize(f"HOT LEAD: {what} in {where} ({urgency}).")
    opener = f"Open: {link_base_url}/leads/{facts.lead_id}" if link_base_url else (
        f"Lead #{facts.lead_id}")
    group = normalize(facts.group_name or "")[:60]
    tail = f"{opener} - {group}" if group else opener
    quote = normalize(" ".join(facts.post_text.split()))[: GSM7_SINGLE * max_segments]

    def build(cut: str) -> str:
        return f'{head}\n"{cut}"\n{tail}' if cut else f"{head}\n{tail}"

    cut = shorten(quote, lambda q: segments(build(q)) <= max_segments)
    text = build(cut)
    if segments(text) > max_segments and group:
        # A long group name (or tiny segment budget): drop the group before the opener.
        tail = opener
        cut = shorten(quote, lambda q: segments(build(q)) <= max_segments)
        text = build(cut)
    return text if segments(text) <= max_segments else fit(text, max_segments)


def critical_alert(message: str, *, max_segments: int) -> str:
    return fit(f"PipelineOS ALERT: {message}", max_segments)


def digest(day: str, counts: dict[str, int], categories: list[tuple[str, int]],
           alerts: dict[str, int], *, max_segments: int) -> str:
    """The daily summary: leads by priority, top categories, and how the hot alerts went."""
    total = sum(counts.values())
    if total == 0:
        return fit(f"PipelineOS {day}: no new leads.", max_segments)
    parts = [f"PipelineOS {day}: {total} lead{'s' if total != 1 else ''} "
             f"({counts.get('high', 0)} hot, {counts.get('medium', 0)} medium, "
             f"{counts.get('low', 0)} low)."]
    if categories:
        top = ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in categories[:4])
        parts.append(f"Top: {top}.")
    if alerts:
        parts.append(f"Hot alerts sent {alerts.get('sent', 0)}, "
                     f"failed {alerts.get('failed', 0)}, waiting {alerts.get('pending', 0)}.")
    return fit(" ".join(parts), max_segments)
