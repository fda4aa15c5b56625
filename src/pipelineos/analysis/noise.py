"""Noise controls: what the owner never wants to hear about.

Four kinds of rule, kept in ``noise_rules`` and cached by every process
(:class:`pipelineos.analysis.installed.Installed` reloads them when they change):

- ``phrase``: a negative phrase; a post containing it (whole words, any case) is muted;
- ``author``: a blocked author (the name as the source gives it, any case);
- ``group``: a muted group; ``source``: a muted source (``facebook``, ``craigslist``...).

A muted post is still stored, with an analysis that says it is not a lead and names the rule
(``muted: blocked author 'Sam'``), so nothing is alerted and Claude is never asked about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

import psycopg
from psycopg.rows import class_row

from pipelineos.analysis.local import normalise
from pipelineos.analysis.model import Analysis
from pipelineos.db import sql
from pipelineos.errors import InvalidInput, NotFound
from pipelineos.inputs import TextRule

QUERIES = sql.load(__package__)

Kind = Literal["phrase", "author", "group", "source"]
KINDS: tuple[str, ...] = get_args(Kind)
VALUE = TextRule(200)
_LABEL = {"phrase": "negative phrase", "author": "blocked author", "group": "muted group",
          "source": "muted source"}


@dataclass(frozen=True)
class NoiseRule:
    id: int
    kind: str
    value: str
    created_at: datetime


@dataclass(frozen=True)
class Mutes:
    """The rules in force, ready to test a post against."""

    rules: tuple[NoiseRule, ...] = ()
    _phrases: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _names: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, rules: list[NoiseRule]) -> Mutes:
        phrases = sorted({normalise(r.value) for r in rules if r.kind == "phrase"},
                         key=lambda p: (-len(p), p))
        pattern = (re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in phrases))
                   if phrases else None)
        names = {(r.kind, r.value.casefold()): r.value for r in rules if r.kind != "phrase"}
        return cls(tuple(rules), pattern, names)

    def reason(self, text: str, group_name: str = "", author: str | None = None,
               source: str | None = None) -> str | None:
        """Why the post is muted (the first rule that matches), or None."""
        for kind, value in (("author", author), ("group", group_name), ("source", source)):
            if value:
                name = self._names.get((kind, " ".join(value.split()).casefold()))
                if name is not None:
                    return f"muted: {_LABEL[kind]} '{name}'"
        if self._phrases is not None:
            match = self._phrases.search(normalise(text))
            if match:
                return f"muted: {_LABEL['phrase']} '{match.group(0)}'"
        return None


def muted(analysis: Analysis, reason: str) -> Analysis:
    """``analysis`` turned into a non-lead that says why."""
    first = analysis.summary.split(": ", 1)[-1] if analysis.summary else ""
    return analysis.model_copy(update={
        "is_lead": False, "urgency": None, "priority": None, "confidence": 1.0,
        "summary": f"Muted ({reason.removeprefix('muted: ')}): {first}"[:300],
        "reasons": [*analysis.reasons, reason]})


async def add(conn: psycopg.AsyncConnection[Any], kind: str, value: str) -> NoiseRule:
    """Add a rule (an existing equal one, in any case, is returned as it is)."""
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    value = VALUE.clean(value, "value")
    if kind == "phrase" and not re.search(r"\w", value):
        raise InvalidInput("a phrase needs at least one letter or digit")
    async with conn.cursor(row_factory=class_row(NoiseRule)) as cur:
        await cur.execute(QUERIES["add_noise_rule"], {"kind": kind, "value": value})
        rule = await cur.fetchone()
    assert rule is not None
    return rule


async def remove(conn: psycopg.AsyncConnection[Any], rule_id: int) -> None:
    cur = await conn.execute(QUERIES["remove_noise_rule"], {"id": rule_id})
    if cur.rowcount == 0:
        raise NotFound(f"No noise rule {rule_id}")


async def list_rules(conn: psycopg.AsyncConnection[Any]) -> list[NoiseRule]:
    async with conn.cursor(row_factory=class_row(NoiseRule)) as cur:
        await cur.execute(QUERIES["list_noise_rules"])
        return await cur.fetchall()


async def load(conn: psycopg.AsyncConnection[Any]) -> Mutes:
    return Mutes.of(await list_rules(conn))
