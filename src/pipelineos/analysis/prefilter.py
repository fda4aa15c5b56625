"""A cheap test that rules out most regular expressions before they run.

Scanning a 300-character post with a hundred-odd alternation patterns costs milliseconds, because
the regex engine tries every alternative at every position. But nearly every pattern has literal
text that any match must contain ("recommend", "hiring", "call us"). So each pattern is cut
into its top-level alternatives, and for each alternative :func:`required_sets` finds, by
walking the parsed pattern, sets of literals such that every match contains one literal of
*each* set ("need" and one of the trade names). :class:`LiteralIndex` then finds, in one
Aho-Corasick pass over the post, which literals occur; an alternative missing one of its sets
cannot match and is not run. A pattern runs only its surviving alternatives, each alone, which
also lets the regex engine use its fast literal-prefix scan.

Results are exactly those of the whole pattern: :meth:`Guarded.search` and
:meth:`Guarded.finditer` merge the alternatives' matches as the engine would have chosen them
(leftmost first, and at one position the earlier alternative).
"""

from __future__ import annotations

import re
# Python has no public regex parser; these private modules (stable since 3.11, re-exported
# under these names) are guarded by tests/unit/test_private_apis.py, which fails if the parse
# tree changes the shape walked here.
from re import _constants as sre  # type: ignore[attr-defined]  # private, no stubs
from re import _parser as sre_parse  # type: ignore[attr-defined]  # private, no stubs
from collections.abc import Iterable, Sequence
from typing import Any

import ahocorasick  # type: ignore[import-not-found]

# What a required literal costs the index, by how often such a string occurs in a post: a
# word-length literal is rare, a single letter or a space is everywhere (useless as a filter).
_UBIQUITOUS = 1000
_USEFUL = 100  # a set costing this much or more selects nothing worth the hits it reports
# More sets per alternative than this cost more to check than they save.
_MAX_SETS = 3
_DIGITS = frozenset("0123456789")


def _cost(literals: frozenset[str]) -> int:
    total = 0
    for literal in literals:
        if len(literal) >= 3:
            total += 1
        elif len(literal) == 2:
            total += 4
        elif literal.isalpha() or literal.isspace():
            total += _UBIQUITOUS
        else:
            total += 6  # a digit, "?" or "$"
    return total


def _best(sets: list[frozenset[str]]) -> frozenset[str]:
    """The most selective of several literal sets."""
    return min(sets, key=lambda s: (_cost(s), -min(map(len, s))))


def _class(items: Any) -> frozenset[str] | None:
    """The characters a small character class matches, or None ([^...], ranges, \\w)."""
    if all(op is sre.LITERAL for op, _ in items) and len(items) <= 10:
        return frozenset(chr(av) for _, av in items)
    if items == [(sre.CATEGORY, sre.CATEGORY_DIGIT)]:
        return _DIGITS
    return None


def _sets(seq: Any) -> list[frozenset[str]]:
    """Literal sets such that every match of ``seq`` contains one literal of each set."""
    found: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            found.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in seq:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is sre.SUBPATTERN:
            found.extend(_sets(av[-1]))
        elif op is sre.BRANCH:
            branches = [_sets(branch) for branch in av[1]]
            if all(branches):
                found.append(frozenset().union(*(_best(b) for b in branches)))
        elif op is sre.IN:
            chars = _class(av)
            if chars:
                found.append(chars)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            found.extend(_sets(av[2]))
    flush()
    return found


def required_sets(pattern: str) -> tuple[frozenset[str], ...]:
    """Literal sets, every match of ``pattern`` containing one literal of each; empty when
    nothing selective is certain to occur."""
    found = list(dict.fromkeys(_sets(sre_parse.parse(pattern))))
    useful = sorted((s for s in found if _cost(s) < _USEFUL),
                    key=lambda s: (_cost(s), -min(map(len, s))))
    return tuple(useful[:_MAX_SETS])


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` contains, or None if none was found."""
    sets = required_sets(pattern)
    return sets[0] if sets else None


def split_alternatives(body: str) -> list[str]:
    """``body``'s top-level alternatives: "a|b(c|d)" -> ["a", "b(c|d)"]."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if body[i + 1:i + 2] == "^":
                i += 1
            if body[i + 1:i + 2] == "]":  # a leading ] is a literal
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts


def _group_end(body: str, open_at: int) -> int:
    """The index of the parenthesis closing the group opened at ``open_at``."""
    depth, i, in_class = 0, open_at, False
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if body[i + 1:i + 2] == "^":
                i += 1
            if body[i + 1:i + 2] == "]":
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced group in {body!r}")


_ASSERTIONS = ("(?<!", "(?<=", "(?!", "(?=")
_MAX_DISTRIBUTED = 64


def alternatives(body: str) -> list[str]:
    """``body`` as a list of alternatives that, tried in order at each position, match as
    ``body`` does: its top-level alternatives, and a leading group of alternatives distributed
    over what follows it ("(?:a|b)c" -> "ac", "bc"), so that each gets its own literals (a
    pattern that opens with forty trade names otherwise runs whenever any one occurs)."""
    out: list[str] = []
    for part in split_alternatives(body):
        i = 0
        while part.startswith(_ASSERTIONS, i):
            i = _group_end(part, i) + 1
        if part.startswith("(?:", i):
            end = _group_end(part, i)
            inner = split_alternatives(part[i + 3:end])
            rest = part[end + 1:]
            if 1 < len(inner) <= _MAX_DISTRIBUTED and not rest.startswith(("?", "*", "+", "{")):
                out.extend(part[:i] + choice + rest for choice in inner)
                continue
        out.append(part)
    return out


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


class _Alternative:
    """One top-level alternative of a :class:`Guarded` pattern, with its own literal sets."""

    __slots__ = ("pattern", "sets")

    def __init__(self, body: str, flags: int) -> None:
        self.pattern = re.compile("(?:" + body + ")" + Guarded.END, flags)
        self.sets = required_sets(body)

    def first(self, text: str, position: int) -> re.Match[str] | None:
        """The first match starting at ``position`` or later with a word boundary at its start,
        unless the match itself starts with a non-word character."""
        search = self.pattern.search
        while (match := search(text, position)) is not None:
            start = match.start()
            if start == 0 or not _word(text[start - 1]) or not _word(text[start]):
                return match
            position = start + 1
        return None


class Guarded:
    """A pattern that behaves as if wrapped in word boundaries, made cheap two ways: only the
    alternatives whose required literals are all in the text run, and the start boundary is
    checked in Python on each candidate match rather than by the regex engine at every position
    (a leading look-behind alternation defeats the engine's own fast paths)."""

    __slots__ = ("alternatives", "body", "flags")

    END = r"(?:(?<!\w)|(?!\w))"

    def __init__(self, body: str, flags: int = 0) -> None:
        self.body, self.flags = body, flags
        self.alternatives = tuple(_Alternative(part, flags) for part in alternatives(body))

    def _alive(self, alive: Iterable[int] | None) -> list[_Alternative]:
        """The alternatives to run, in their order (``alive`` is ascending)."""
        if alive is None:
            return list(self.alternatives)
        return [self.alternatives[k] for k in alive]

    def search(self, text: str, alive: Iterable[int] | None = None) -> re.Match[str] | None:
        """The match the whole pattern would find first; ``alive``: the alternatives worth
        running, in ascending order (from :meth:`LiteralIndex.candidates`), all when None."""
        best: re.Match[str] | None = None
        for alternative in self._alive(alive):
            match = alternative.first(text, 0)
            # Strictly less: at one position the earlier alternative wins, as in the engine.
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        return best

    def finditer(self, text: str, alive: Iterable[int] | None = None) -> list[re.Match[str]]:
        """The non-overlapping matches the whole pattern would find, left to right."""
        parts = self._alive(alive)
        if len(parts) == 1:  # the common case: one alternative, no merging
            found, position = [], 0
            while (match := parts[0].first(text, position)) is not None:
                found.append(match)
                position = max(match.end(), match.start() + 1)
            return found
        upcoming = [part.first(text, 0) for part in parts]
        found = []
        while True:
            best: re.Match[str] | None = None
            for match in upcoming:
                if match is not None and (best is None or match.start() < best.start()):
                    best = match
            if best is None:
                return found
            found.append(best)
            position = max(best.end(), best.start() + 1)
            for k, match in enumerate(upcoming):
                if match is not None and match.start() < position:
                    upcoming[k] = parts[k].first(text, position)


class LiteralIndex:
    """Which alternatives of a list of patterns could match a text, found in one Aho-Corasick
    pass over it.

    Each (alternative, literal set) pair is one bit of a big integer, set ``j`` of alternative
    ``p`` at bit ``j * n + p``; each literal carries the bits of the sets it belongs to. OR-ing
    the literals found, then AND-ing the integer's ``_MAX_SETS`` slices, leaves the bits of the
    alternatives all of whose sets occur: a few integer operations instead of a Python loop
    over every hit and every owner."""

    def __init__(self, guards: Sequence[Guarded]) -> None:
        self._where = [(g, k) for g, guard in enumerate(guards)
                       for k in range(len(guard.alternatives))]
        parts = [alternative for guard in guards for alternative in guard.alternatives]
        n = self._n = len(parts)
        self._mask = (1 << n) - 1
        fill = 0  # sets an alternative lacks count as found
        bits: dict[str, int] = {}
        for p, alternative in enumerate(parts):
            for j in range(_MAX_SETS):
                if j >= len(alternative.sets):
                    fill |= 1 << (j * n + p)
                    continue
                for literal in alternative.sets[j]:
                    bits[literal] = bits.get(literal, 0) | 1 << (j * n + p)
        self._fill = fill
        self._bits = list(bits.values())
        self._automaton = ahocorasick.Automaton()
        for number, literal in enumerate(bits):
            self._automaton.add_word(literal, number)
        self._automaton.make_automaton()

    def candidates(self, text: str) -> dict[int, list[int]]:
        """For each pattern that may match ``text``, in ascending order: its alternatives that
        may, in ascending order; no other alternative can match."""
        found = self._fill
        bits = self._bits
        # Each literal once: a post repeats "the" or a digit far more often than it has literals.
        for number in {number for _, number in self._automaton.iter(text)}:
            found |= bits[number]
        alive = found
        for j in range(1, _MAX_SETS):
            alive &= found >> (j * self._n)
        alive &= self._mask
        out: dict[int, list[int]] = {}
        where = self._where
        while alive:
            low = alive & -alive
            g, k = where[low.bit_length() - 1]
            if g in out:
                out[g].append(k)
            else:
                out[g] = [k]
            alive ^= low
        return out
