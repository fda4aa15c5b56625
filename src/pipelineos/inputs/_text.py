"""The text rule: one definition of acceptable text, for pydantic models and plain callers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from pipelineos.errors import InvalidInput

# Any code point in the surrogate range is unpaired in a Python string (a JSON "\ud83d\ude00"
# pair decodes to one code point); UTF-8 cannot encode it, so PostgreSQL cannot store it.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters that are not whitespace (whitespace is trimmed or collapsed instead).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


class InvalidText(InvalidInput):
    """The text breaks the text rule."""


@dataclass(frozen=True)
class TextRule:
    """Text of ``min_length`` to ``max_length`` characters without NUL or lone surrogates.

    ``max_length`` counts the text as sent (so a value the OpenAPI schema calls too long is
    always refused), ``min_length`` the text once trimmed (so spaces alone are not a name).
    ``one_line`` (names, filters, ids) also turns every run of whitespace, newlines included,
    into one space and refuses other control characters; multi-line text (a post, a note, a
    message) keeps its inner layout.
    """

    max_length: int
    min_length: int = 1
    one_line: bool = True

    def clean(self, value: str, name: str | None = None) -> str:
        """``value`` trimmed (and collapsed, for one line); :class:`InvalidText` if it breaks
        the rule, its message starting with ``name`` when given."""
        problem = self.problem(value)
        if problem is None:
            cleaned = " ".join(value.split()) if self.one_line else value.strip()
            if len(cleaned) >= self.min_length:
                return cleaned
            problem = ("must not be empty" if self.min_length == 1
                       else f"must be at least {self.min_length} characters")
        raise InvalidText(f"{name} {problem}" if name else problem)

    def problem(self, value: str) -> str | None:
        """What is wrong with ``value`` before trimming, or None."""
        if len(value) > self.max_length:
            return f"must be at most {self.max_length} characters"
        if "\x00" in value:
            return "must not contain NUL characters"
        surrogate = _SURROGATE.search(value)
        if surrogate is not None:
            return (f"must not contain a lone surrogate (U+{ord(surrogate.group()):04X} at "
                    f"character {surrogate.start()})")
        if self.one_line:
            control = _CONTROL.search(value)
            if control is not None:
                return (f"must not contain control characters (U+{ord(control.group()):04X} at "
                        f"character {control.start()})")
        return None

    # --- as a pydantic type: Annotated[str, TextRule(...)] ---------------------------------

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self._validate,
                                                            core_schema.str_schema())

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(minLength=self.min_length, maxLength=self.max_length)
        return json_schema

    def _validate(self, value: str) -> str:
        try:
            return self.clean(value)
        except InvalidText as error:
            # A custom error keeps pydantic from prefixing the message with "Value error, ".
            raise PydanticCustomError("text_rule", str(error)) from None
