"""A cheap test that rules out most regular expressions before they run.

Scanning a 300-character post with a hundred-odd alternation patterns costs milliseconds, because
the regex engine tries every alternative at every position. But nearly every pattern has literal
text that any match must contain ("recommend", "hiring", "call us"). :func:`required_literals`
finds such a set by walking the parsed pattern. :class:`LiteralIndex` then finds, in one
Aho-Corasick pass over the post, which of all the patterns' literals occur; a pattern none of
whose literals occur cannot match and is skipped.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from collections.abc import Iterator, Sequence
from typing import Any

import ahocorasick


def _literals(seq: Any) -> set[str] | None:
    """A set of strings such that every match of ``seq`` contains at least one of them."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in seq:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        flush()
        found: set[str] | None = None
        if op is sre.SUBPATTERN:
            found = _literals(av[-1])
        elif op is sre.BRANCH:
            branches = [_literals(branch) for branch in av[1]]
            if all(branches):
                found = set().union(*branches)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            found = _literals(av[2])
        if found:
            candidates.append(found)
    flush()
    if not candidates:
        return None
    # The most selective: no very short strings, then few alternatives, then long strings.
    return min(candidates, key=lambda s: (min(map(len, s)) < 3, len(s), -min(map(len, s))))


def required_literals(pattern: str) -> frozenset[str] | None:
    """Literals one of which every match of ``pattern`` contains, or None if none was found."""
    found = _literals(sre_parse.parse(pattern))
    return frozenset(found) if found else None


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


class Guarded:
    """A pattern that behaves as if wrapped in word boundaries, made cheap two ways: it runs
    only when one of its required literals is in the text, and the start boundary is checked
    in Python on each candidate match rather than by the regex engine at every position (a
    leading look-behind alternation defeats the engine's own fast paths)."""

    __slots__ = ("literals", "pattern")

    _END = r"(?:(?<!\w)|(?!\w))"

    def __init__(self, body: str, flags: int = 0) -> None:
        self.pattern = re.compile("(?:" + body + ")" + self._END, flags)
        self.literals = required_literals(body)

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        position = 0
        search = self.pattern.search
        while (match := search(text, position)) is not None:
            start = match.start()
            # A word boundary at the start, unless the match itself starts with a non-word char.
            if start == 0 or not _word(text[start - 1]) or not _word(text[start]):
                yield match
                position = max(match.end(), start + 1)
            else:
                position = start + 1

    def search(self, text: str) -> re.Match[str] | None:
        return next(self._matches(text), None)

    def finditer(self, text: str) -> list[re.Match[str]]:
        return list(self._matches(text))


class LiteralIndex:
    """Which of a list of patterns could match a text, found in one Aho-Corasick pass over it."""

    def __init__(self, guards: Sequence[Guarded]) -> None:
        self._automaton = ahocorasick.Automaton()
        owners: dict[str, list[int]] = {}
        self._always = frozenset(i for i, g in enumerate(guards) if g.literals is None)
        for i, guard in enumerate(guards):
            for literal in guard.literals or ():
                owners.setdefault(literal, []).append(i)
        for literal, ids in owners.items():
            self._automaton.add_word(literal, tuple(ids))
        self._automaton.make_automaton()

    def candidates(self, text: str) -> set[int]:
        """Indexes of the patterns that may match ``text``; all others cannot."""
        found = set(self._always)
        for _, ids in self._automaton.iter(text):
            found.update(ids)
        return found
