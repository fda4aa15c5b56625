"""The literal pre-filter: running only some alternatives of some patterns finds exactly what
running every pattern whole would."""

from __future__ import annotations

import re

import pytest

from pipelineos.analysis import corpus, local
from pipelineos.analysis.prefilter import Guarded, LiteralIndex, alternatives, required_sets


def whole(guard: Guarded, text: str) -> list[tuple[int, str]]:
    """The pattern run whole, at every position, as before the pre-filter existed."""
    pattern = re.compile("(?:" + guard.body + ")" + Guarded.END, guard.flags)
    found, position = [], 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start == 0 or not _word(text[start - 1]) or not _word(text[start]):
            found.append((start, match.group(0)))
            position = max(match.end(), start + 1)
        else:
            position = start + 1
    return found


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


POSTS = [local.normalise(e.text) for e in corpus.load_all()][::6]


@pytest.mark.parametrize("chunk", range(4))
def test_every_lexicon_pattern_finds_what_it_finds_whole(chunk: int) -> None:
    """For every pattern of the lexicon and a sample of labeled posts: same matches, same order."""
    guards = local._GUARDS[chunk::4]
    for text in POSTS:
        alive = local._INDEX.candidates(text)
        for guard in guards:
            number = local._GUARDS.index(guard)
            fast = [(m.start(), m.group(0)) for m in guard.finditer(text, alive.get(number, []))]
            assert fast == whole(guard, text), (guard.body[:80], text[:120])


def test_a_leading_group_is_distributed_over_what_follows() -> None:
    """"(?:a|b)c" runs as "ac" and "bc", each with its own literals."""
    assert alternatives(r"(?<!x)(?:plumber|roofer)s? needed|help") == [
        r"(?<!x)plumbers? needed", r"(?<!x)roofers? needed", "help"]
    assert set(required_sets(r"need (?:a|an) (?:plumber|electrician)")) == {
        frozenset({"need a"}), frozenset({"plumber", "electrician"})}


def test_an_alternative_missing_a_literal_is_not_a_candidate() -> None:
    """A pattern needing "need" and a trade is skipped when the post has only the trade."""
    guards = [Guarded(r"need (?:a|an) (?:plumber|electrician)"), Guarded(r"plumber")]
    index = LiteralIndex(guards)
    assert set(index.candidates("call a plumber")) == {1}
    assert index.candidates("need a plumber") == {0: [0], 1: [0]}
