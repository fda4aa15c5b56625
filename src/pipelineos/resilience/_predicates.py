"""Error filters: "which errors does this policy care about", as types or a predicate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

ErrorFilter: TypeAlias = (
    type[BaseException] | tuple[type[BaseException], ...] | Callable[[BaseException], bool]
)


def as_predicate(spec: ErrorFilter) -> Callable[[BaseException], bool]:
    """Turn an exception type, a tuple of types or a predicate into a predicate."""
    if isinstance(spec, tuple) or isinstance(spec, type):
        types = spec

        def matches(error: BaseException) -> bool:
            return isinstance(error, types)

        return matches
    if callable(spec):
        return spec
    raise TypeError(f"expected an exception type, a tuple of them or a predicate, got {spec!r}")
