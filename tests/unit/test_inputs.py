"""The text rule and the JSON reader: what any input must be, and the reason when it is not."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from pydantic import BaseModel, ValidationError

from pipelineos.errors import InvalidInput, MalformedBody
from pipelineos.inputs import MAX_DEPTH, MAX_DIGITS, InvalidJson, InvalidText, TextRule, read_json

NAME = TextRule(20)
BODY = TextRule(50, one_line=False)


@pytest.mark.parametrize(("rule", "value", "cleaned"), [
    (NAME, "  Big   D ", "Big D"),
    (NAME, "Dallas\n\tFort Worth", "Dallas Fort Worth"),
    (NAME, "Zürich 🏠", "Zürich 🏠"),
    (BODY, "  Need a plumber.\n\nAsap!  ", "Need a plumber.\n\nAsap!"),
    (BODY, "tab\there \x1b[31m", "tab\there \x1b[31m"),
])
def test_text_is_trimmed_and_one_line_text_collapsed(rule: TextRule, value: str,
                                                     cleaned: str) -> None:
    """Ends are trimmed; one-line text becomes single-spaced, multi-line text keeps its layout."""
    assert rule.clean(value) == cleaned


@pytest.mark.parametrize(("rule", "value", "message"), [
    (NAME, "a\x00b", "alias must not contain NUL characters"),
    (BODY, "a\x00b", "alias must not contain NUL characters"),
    (NAME, "a\ud800b", "alias must not contain a lone surrogate (U+D800 at character 1)"),
    (BODY, "\udfff", "alias must not contain a lone surrogate (U+DFFF at character 0)"),
    (NAME, "a\x1bb", "alias must not contain control characters (U+001B at character 1)"),
    (NAME, "x" * 21, "alias must be at most 20 characters"),
    (NAME, " " * 21, "alias must be at most 20 characters"),
    (NAME, " \n\t ", "alias must not be empty"),
    (BODY, "", "alias must not be empty"),
])
def test_text_breaking_the_rule_is_refused_with_the_reason(rule: TextRule, value: str,
                                                           message: str) -> None:
    """NUL, lone surrogates, control characters in one line, too long, empty: each named."""
    with pytest.raises(InvalidText) as refused:
        rule.clean(value, "alias")
    assert str(refused.value) == message
    assert isinstance(refused.value, InvalidInput)  # a 422 wherever it reaches the API


class Area(BaseModel):
    name: Annotated[str, NAME]
    note: Annotated[str, BODY] | None = None


def test_the_rule_as_a_pydantic_type() -> None:
    """In a model the rule cleans, refuses with its own message, and states its limits in the
    JSON schema (so the OpenAPI and schemathesis know them)."""
    assert Area(name="  Big  D ").name == "Big D"
    with pytest.raises(ValidationError) as refused:
        Area(name="ok", note="a\x00")
    error = refused.value.errors()[0]
    assert (error["loc"], error["msg"]) == (("note",), "must not contain NUL characters")
    schema = Area.model_json_schema()["properties"]
    assert schema["name"] == {"type": "string", "minLength": 1, "maxLength": 20,
                              "title": "Name"}
    assert {"type": "string", "minLength": 1, "maxLength": 50} in schema["note"]["anyOf"]


def test_json_within_the_limits_reads_as_the_standard_library_reads_it() -> None:
    """Limits aside, the reader is json.loads: nesting to the limit, long-ish numbers,
    escapes, a UTF-8 byte order mark."""
    # json.dumps writes the house as the escaped surrogate pair "\ud83c\udfe0".
    document = {"a": [[[1]]], "n": -12345678901234567890, "f": 1.5e300, "s": "é 🏠"}
    assert read_json(json.dumps(document).encode()) == document
    assert read_json(b"\xef\xbb\xbf[1]") == [1]
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert read_json(deepest) == json.loads(deepest)
    assert read_json("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    # Brackets and digits inside strings are text, not structure.
    assert read_json(json.dumps({"t": "[" * 100 + "9" * 500})) == {"t": "[" * 100 + "9" * 500}


@pytest.mark.parametrize(("data", "message"), [
    ("[" * 100_000 + "]" * 100_000, f"JSON nested deeper than {MAX_DEPTH} levels at line 1"),
    ('{"items": [\n  {"a": ' + "[" * 40 + "]" * 40 + "}]}",
     f"JSON nested deeper than {MAX_DEPTH} levels at line 2"),
    ('{"id":\n\n ' + "9" * 5000 + "}", f"number with more than {MAX_DIGITS} digits at line 3"),
    ('[1.' + "5" * 5000 + "]", f"number with more than {MAX_DIGITS} digits at line 1"),
    ("[1e999]", "number out of range at line 1"),
    ('{"a": NaN}', "NaN and Infinity are not JSON numbers at line 1"),
    ("[-Infinity]", "NaN and Infinity are not JSON numbers at line 1"),
    (b'{"a": "\xed\xa0\x80"}', "not valid UTF-8 (byte 7)"),
    (b'{"a": "\xff"}', "not valid UTF-8 (byte 7)"),
    ('{"a": 1,\n "b": }', "malformed JSON: Expecting value at line 2 column 7"),
    ('{"a": "open', "malformed JSON: Unterminated string starting at line 1 column 7"),
])
def test_hostile_json_is_refused_naming_the_line(data: str | bytes, message: str) -> None:
    """Deep nesting, huge numbers, NaN, invalid UTF-8 and broken JSON each get a message
    with the line, never a RecursionError or ValueError from the parser."""
    with pytest.raises(InvalidJson) as refused:
        read_json(data)
    assert str(refused.value) == message
    assert isinstance(refused.value, MalformedBody)  # a 400 wherever it reaches the API


def test_line_numbers_count_from_the_given_first_line() -> None:
    """An NDJSON line read alone reports its line in the file."""
    with pytest.raises(InvalidJson) as refused:
        read_json("[" * 50, first_line=7)
    assert (refused.value.line, refused.value.problem) == (
        7, f"JSON nested deeper than {MAX_DEPTH} levels")
