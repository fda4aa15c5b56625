"""What the learned model reads in a post: hashed words and character n-grams, and the rules'
view of it.

Words, word pairs and character 3- and 4-grams of each word are hashed into ``2**BITS``
buckets. Hashing needs no vocabulary, so a word the model never saw costs nothing and a
misspelling or a Spanish plural still shares most of its n-grams with the word it varies.
The hashes are polynomial hashes of substrings, computed for every n-gram of a post at once
with numpy from prefix sums (``G[i] = sum b[k] * P**k``, substring ``[s, e)`` is
``(G[e] - G[s]) * P**-s`` modulo 2**64): a post costs a few dozen array operations, not a
Python loop per n-gram, and the values are the same on every machine and in every process.

:class:`RuleView` is the rules' evidence (request and non-lead scores, category terms found,
urgency phrases), which the model weighs beside the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import log1p
from typing import Any

import numpy as np
import numpy.typing as npt

BITS = 16
MAX_BYTES = 4096  # longer posts are read up to here (a post is a few hundred bytes)
CHAR_NGRAMS = (3, 4)

# English and Spanish ("necesito", "mi casa", "tenemos").
FIRST_PERSON = re.compile(r"\b(?:i|we|my|our|me|us|i'm|im|we're|i've|we've|mine|yo|mi|mis|"
                          r"nos|nuestr[oa]s?|tengo|tenemos|necesito|quiero|estoy|estamos)\b")
WORD = re.compile(r"[a-z0-9']+")

_P = 0x100000001B3  # odd, so invertible modulo 2**64
_MIX_INT = 0x9E3779B97F4A7C15
_SHIFT_INT = 64 - BITS
_MIX = np.uint64(_MIX_INT)
_SHIFT = np.uint64(_SHIFT_INT)
_U64 = np.uint64


def _powers(base: int, count: int) -> npt.NDArray[np.uint64]:
    out = np.empty(count, dtype=np.uint64)
    value = 1
    for i in range(count):
        out[i] = value
        value = value * base % (1 << 64)
    return out


_POW = _powers(_P, MAX_BYTES + 2)
_INV = _powers(pow(_P, -1, 1 << 64), MAX_BYTES + 2)
# A different constant per kind of feature, so "ab" the word and "ab" the trigram differ.
_SALT = {name: _U64(salt) for name, salt in (
    ("word", 0x51ED2701), ("pair", 0x2545F491), (3, 0x1B873593), (4, 0x85EBCA6B),
    (5, 0xC2B2AE35))}
# Bytes that belong to words: a-z, 0-9, the apostrophe, and every byte of a multi-byte UTF-8
# character (accented letters: "está", "jardinería").
_WORD_BYTE = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789'":
    _WORD_BYTE[_c] = True
_WORD_BYTE[0x80:] = True
_SPACE = np.uint8(32)


# Each byte as the uint64 it is hashed as: itself inside words, a space elsewhere.
_MAPPED = np.where(_WORD_BYTE, np.arange(256), 32).astype(np.uint64)
_PAIR = _U64(0x2545F4914F6CDD1D)


# A word's own buckets (its unigram and character n-grams: they depend on nothing around it)
# and its hash, kept per distinct word: posts reuse a small vocabulary, and a dictionary
# look-up costs far less than the numpy calls that compute them.
_WORDS: dict[str, tuple[npt.NDArray[np.uint64], int]] = {}
_WORDS_KEPT = 100_000
_TOKEN = re.compile(r"[a-z0-9'\u0080-\U0010ffff]+")  # runs of word bytes, as characters
_SHORT = MAX_BYTES // 4  # characters that surely fit in MAX_BYTES bytes of UTF-8


def hashed_ngrams(norm: str) -> npt.NDArray[np.uint64]:
    """The bucket of every word, word pair and character n-gram of ``norm`` (lower case);
    a bucket appears once per occurrence (in no particular order)."""
    if len(norm) > _SHORT:
        return _hashed_arrays(norm)
    words = _TOKEN.findall(norm)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    parts, hashes = [], []
    for word in words:
        known = _WORDS.get(word)
        if known is None:
            if len(_WORDS) >= _WORDS_KEPT:
                _WORDS.clear()
            known = _WORDS[word] = _word_buckets(word)
        parts.append(known[0])
        hashes.append(known[1])
    every = np.array(hashes, dtype=np.uint64)
    pairs = every[:-1] * _U64(_P) + every[1:] * _PAIR + _SALT["pair"]
    pairs *= _MIX
    pairs >>= _SHIFT
    parts.append(pairs)
    return np.concatenate(parts)


_MASK = (1 << 64) - 1
_POW_LIST = _POW.tolist()
_INV_LIST = _INV.tolist()
_SALT_INT = {key: int(value) for key, value in _SALT.items()}


def _word_buckets(word: str) -> tuple[npt.NDArray[np.uint64], int]:
    """One word's unigram and character n-gram buckets, and its hash: what
    :func:`_hashed_arrays` computes for the word alone, in plain integers (a word is a few
    bytes; numpy's per-call cost would be most of the work)."""
    padded = b" " + _utf8(word)[:MAX_BYTES] + b" "
    prefix = [0]
    for position, octet in enumerate(padded):
        prefix.append((prefix[-1] + octet * _POW_LIST[position]) & _MASK)
    buckets = []
    for n in CHAR_NGRAMS:
        salt = _SALT_INT[n]
        for start in range(len(padded) - n + 1):
            gram = (prefix[start + n] - prefix[start]) * _INV_LIST[start] & _MASK
            buckets.append(((gram + salt) * _MIX_INT & _MASK) >> _SHIFT_INT)
    size = len(padded)
    own = (prefix[size - 1] - prefix[1]) * _INV_LIST[1] & _MASK
    buckets.append(((own + _SALT_INT["word"]) * _MIX_INT & _MASK) >> _SHIFT_INT)
    return np.array(buckets, dtype=np.uint64), own


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _hashed_arrays(norm: str) -> npt.NDArray[np.uint64]:
    """:func:`hashed_ngrams` for any text, with whole-array operations on slices (about thirty
    numpy calls, whatever the text's length)."""
    data = np.frombuffer(b" " + _utf8(norm)[:MAX_BYTES] + b" ", dtype=np.uint8)
    size = data.size
    # " word word " with every non-word byte a space: n-grams see word boundaries.
    text = _MAPPED[data]
    is_space = text == 32
    prefix = np.zeros(size + 1, dtype=np.uint64)
    np.cumsum(text * _POW[:size], out=prefix[1:])
    spaces = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(is_space, out=spaces[1:])
    parts = []
    for n in CHAR_NGRAMS:
        count = size - n + 1
        if count <= 0:
            continue
        # Windows [i, i + n) with no space strictly inside: within one word and its edges.
        inside = spaces[n - 1:size] == spaces[1:count + 1]
        grams = (prefix[n:] - prefix[:count]) * _INV[:count]
        parts.append(grams[inside] + _SALT[n])
    # Words: runs of word bytes, between the flips of is_space.
    edges = np.flatnonzero(is_space[1:] != is_space[:-1]) + 1
    begins, finishes = edges[0::2], edges[1::2]
    words = (prefix[finishes] - prefix[begins]) * _INV[begins]
    parts.append(words + _SALT["word"])
    parts.append(words[:-1] * _U64(_P) + words[1:] * _PAIR + _SALT["pair"])
    every = np.concatenate(parts)
    every *= _MIX
    every >>= _SHIFT
    return every


# A comment reply as feeds export it: "↪ Re: 'the request it answers'" and the reply below
# (or after a dash). The quoted request is someone else's: it says what the thread is about,
# not what the replier wants.
_REPLY = re.compile(r"^\s*\u21aa\s*(?:re:\s*(?:(['\"])(?P<quoted>.*?)\1[ \t]*(?:\n|$)"
                    r"|(?P<plain>[^\n]*?)(?:\n| - )))?")


def split_reply(norm: str) -> tuple[str, str, bool]:
    """(the request a reply quotes, the post's own words, whether it is a reply)."""
    match = _REPLY.match(norm)
    if match is None:
        return "", norm, False
    title = match.group("quoted") or match.group("plain") or ""
    return title.strip(), norm[match.end():].strip(), True


@dataclass(frozen=True)
class RuleView:
    """What the rules found in a post: the evidence the learned model weighs beside the words.

    ``evidence`` sums the weights of matched phrases by kind ("request", "ad", "review", ...);
    ``categories`` counts the distinct strong and weak terms found per category. ``is_lead``
    and ``category`` are the rules' own decision."""

    evidence: dict[str, float] = field(default_factory=dict)
    categories: dict[str, tuple[int, int]] = field(default_factory=dict)
    emergency: bool = False
    soon: bool = False
    first_person: bool = False
    question: bool = False
    words: int = 0
    is_lead: bool = False
    category: str | None = None
    reply: bool = False  # a comment reply: the quoted request is not the replier's

    @classmethod
    def build(cls, *, evidence: dict[str, float], categories: dict[str, tuple[int, int]],
              norm: str, emergency: bool, soon: bool, is_lead: bool,
              category: str | None) -> RuleView:
        _, own, reply = split_reply(norm)
        return cls(evidence={k: v for k, v in evidence.items() if v}, categories=categories,
                   emergency=emergency, soon=soon,
                   first_person=FIRST_PERSON.search(own) is not None, question="?" in own,
                   words=len(WORD.findall(own)), is_lead=is_lead, category=category,
                   reply=reply)

    def to_json(self) -> dict[str, Any]:
        return {"evidence": self.evidence,
                "categories": {k: list(v) for k, v in self.categories.items()},
                "emergency": self.emergency, "soon": self.soon,
                "first_person": self.first_person, "question": self.question,
                "words": self.words, "is_lead": self.is_lead, "category": self.category,
                "reply": self.reply}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RuleView:
        return cls(evidence={k: float(v) for k, v in data["evidence"].items()},
                   categories={k: (int(v[0]), int(v[1])) for k, v in data["categories"].items()},
                   emergency=bool(data["emergency"]), soon=bool(data["soon"]),
                   first_person=bool(data["first_person"]), question=bool(data["question"]),
                   words=int(data["words"]), is_lead=bool(data["is_lead"]),
                   category=data.get("category"), reply=bool(data.get("reply", False)))


# --- the rules' arithmetic (local.py decides with it; the model reads it) --------------------
# How much each kind of evidence argues against "wants to hire someone".
AGAINST = {
    "ad": 1.0,
    "recommendation": 0.9,
    "review": 0.6,
    "diy": 0.9,
    "job": 1.0,
    "offtopic": 0.6,
    "spam": 1.5,
    "resolved": 1.2,
}
LEAD_THRESHOLD = 1.1


def rule_score(evidence: dict[str, float], first_person: bool, question: bool) -> float:
    """The request's weight minus the weighted evidence against it; a lead needs 1.1."""
    request, price = evidence.get("request", 0.0), evidence.get("price", 0.0)
    score = request + (0.5 if question and first_person else 0.0)
    for kind, weight in AGAINST.items():
        score -= weight * evidence.get(kind, 0.0)
    if price and not (first_person and request >= 2.0):  # a price question about one's own job
        score -= price
    return score


def hard_stop(evidence: dict[str, float]) -> bool:
    """Evidence no request outweighs: a blatant ad, spam, a job offer. An ad can ask a question
    ("Need a plumber?") but a request rarely carries three or more separate selling phrases."""
    ad = evidence.get("ad", 0.0)
    return ((ad >= 4.0 and ad > evidence.get("request", 0.0))
            or evidence.get("spam", 0.0) >= 2.5 or evidence.get("job", 0.0) >= 3.0)


# The rule evidence the lead decision reads, in this order.
EVIDENCE = ("request", "ad", "recommendation", "review", "diy", "price", "job", "offtopic",
            "spam", "resolved")
LEAD_FEATURES = (*EVIDENCE, "rules_say_lead", "rule_score", "hard_stop", "category_found",
                 "category_strength", "first_person", "question", "asks_in_first_person",
                 "length", "reply")
CATEGORY_FEATURES = ("strong_terms", "weak_terms", "rules_chose")
URGENCY_FEATURES = ("emergency_phrase", "soon_phrase")


def lead_features(view: RuleView) -> list[float]:
    """The rule features of the lead head, in the order of ``LEAD_FEATURES``."""
    strength = max((2.0 * strong + min(weak, 3) for strong, weak in view.categories.values()),
                   default=0.0)
    evidence = view.evidence
    return [
        *(min(max(evidence.get(kind, 0.0), 0.0), 8.0) / 4.0 for kind in EVIDENCE),
        float(view.is_lead),
        min(max(rule_score(evidence, view.first_person, view.question), -4.0), 4.0) / 4.0,
        float(hard_stop(evidence)),
        float(strength >= 2.0),
        min(strength, 6.0) / 6.0,
        float(view.first_person),
        float(view.question),
        float(view.first_person and view.question),
        min(log1p(view.words) / 5.0, 1.5),
        float(view.reply),
    ]


def strong_value(count: int) -> float:
    return min(count, 3) / 1.5


def weak_value(count: int) -> float:
    return min(count, 3) / 3.0


def category_features(view: RuleView, categories: tuple[str, ...]) -> npt.NDArray[np.float64]:
    """One row per category, in the order of ``CATEGORY_FEATURES``: its strong terms, its weak
    terms, and whether the rules chose it."""
    out = np.zeros((len(categories), len(CATEGORY_FEATURES)))
    for c, name in enumerate(categories):
        strong, weak = view.categories.get(name, (0, 0))
        out[c] = (strong_value(strong), weak_value(weak), float(view.category == name))
    return out


def urgency_features(view: RuleView) -> list[float]:
    return [float(view.emergency), float(view.soon)]
