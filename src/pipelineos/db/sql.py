"""Named SQL: each slice keeps its statements in a ``queries.sql`` beside its code.

A file holds blocks that start with ``-- name: <name>``; :func:`load` returns them by name, read
once at import. Code calls ``QUERIES["insert_post"]`` rather than embedding SQL in functions.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import cast

from typing import LiteralString

_BLOCK = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)


def parse(text: str) -> dict[str, LiteralString]:
    parts = _BLOCK.split(text)
    queries: dict[str, LiteralString] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        if name in queries:
            raise ValueError(f"duplicate query name {name!r}")
        queries[name] = cast("LiteralString", body.strip())  # read from our own package
    return queries


def load(package: str, filename: str = "queries.sql") -> dict[str, LiteralString]:
    return parse(resources.files(package).joinpath(filename).read_text(encoding="utf-8"))
