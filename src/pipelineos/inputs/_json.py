"""The JSON reader: the standard library's parser, with the limits it lacks."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from pipelineos.errors import MalformedBody

# Our documents are at most four levels deep (array > item > group > name); scrapers' items a
# few more. 32 leaves room for any real item and stays far below the parser's recursion limit.
MAX_DEPTH = 32
# A timestamp in milliseconds has 13 digits and a 64-bit id 20; nothing we read needs more.
MAX_DIGITS = 100

# Strings (an unterminated one runs to the end), so brackets and digits inside them are skipped.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"?'
_BRACKETS = re.compile(rf'{_STRING}|[\[\]{{}}]', re.DOTALL)
_NUMBERS = re.compile(rf'{_STRING}|-?(?:NaN|Infinity)|-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?',
                      re.DOTALL)


class InvalidJson(MalformedBody):
    """The text is not JSON that PipelineOS reads: ``problem`` says why, ``line`` where."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        where = "" if line is None else f" at line {line}" + (
            "" if column is None else f" column {column}")
        super().__init__(problem + where)
        self.problem, self.line, self.column = problem, line, column


class _Refused(ValueError):
    """Raised by the number hooks from inside the parser, which knows no positions."""


def read_json(data: bytes | str, *, first_line: int = 1) -> Any:
    """The value ``data`` holds, or :class:`InvalidJson`. ``first_line`` is the line number
    of ``data``'s first line in a larger file (an NDJSON line), for messages."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidJson(f"not valid UTF-8 (byte {error.start})") from None
    else:
        text = data
    _check_depth(text, first_line)
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as error:
        # "Unterminated string starting at" reads on with the position.
        raise InvalidJson(f"malformed JSON: {error.msg.removesuffix(' at')}",
                          first_line + error.lineno - 1, error.colno) from None
    except _Refused:
        raise _locate_number(text, first_line) from None
    except RecursionError:  # not reached after the depth check; never a 500 if it were
        raise InvalidJson(f"JSON nested deeper than {MAX_DEPTH} levels") from None


def _line(text: str, position: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, position)


def _check_depth(text: str, first_line: int) -> None:
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidJson(f"JSON nested deeper than {MAX_DEPTH} levels",
                                  _line(text, match.start(), first_line))
        elif token in "]}":
            depth -= 1


def _digits(number: str) -> int:
    return len(number) if len(number) <= MAX_DIGITS else sum(c.isdigit() for c in number)


def _int(number: str) -> int:
    if _digits(number) > MAX_DIGITS:
        raise _Refused(number)
    return int(number)


def _float(number: str) -> float:
    value = float(number) if _digits(number) <= MAX_DIGITS else math.inf
    if not math.isfinite(value):
        raise _Refused(number)
    return value


def _constant(name: str) -> Any:
    raise _Refused(name)


def _locate_number(text: str, first_line: int) -> InvalidJson:
    """The refusal for the first number the hooks refused, found again with its position."""
    for match in _NUMBERS.finditer(text):
        token = match.group()
        if token.startswith('"'):
            continue
        line = _line(text, match.start(), first_line)
        if token.lstrip("-") in ("NaN", "Infinity"):
            return InvalidJson("NaN and Infinity are not JSON numbers", line)
        if _digits(token) > MAX_DIGITS:
            return InvalidJson(f"number with more than {MAX_DIGITS} digits", line)
        if not math.isfinite(float(token)):
            return InvalidJson("number out of range", line)
    return InvalidJson("number out of range")
