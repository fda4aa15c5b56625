"""What any input from outside must be, checked the same way wherever it comes in: HTTP bodies,
query, path and header parameters, area files and import files.

- The text rule (``TextRule``): no NUL, no lone surrogates, a length limit, whitespace trimmed
  (and, on one-line fields, runs of whitespace made one space and control characters refused).
  PostgreSQL cannot store NUL or a lone surrogate, so text that breaks the rule would fail at
  the database; it is refused here with the reason instead. One rule object is both a pydantic
  type (``Annotated[str, TextRule(100)]``, with ``minLength``/``maxLength`` in the OpenAPI
  schema) and a plain function (``TextRule(100).clean(value, "alias")``) for code that reads
  files.
- The JSON reader (``read_json``): strict UTF-8, nesting at most ``MAX_DEPTH`` levels, numbers
  of at most ``MAX_DIGITS`` digits, no ``NaN``/``Infinity``; what it refuses is an
  :class:`InvalidJson` naming the line. The standard library's parser recurses once per level
  (a deep document is a ``RecursionError``) and converts integers of any length (thousands of
  digits are a ``ValueError``), neither of which is a message a client can act on.

This package imports nothing from ``pipelineos.web``: ingest and leads use it too.
"""

from ._json import MAX_DEPTH, MAX_DIGITS, InvalidJson, read_json
from ._text import InvalidText, TextRule

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "InvalidJson", "InvalidText", "TextRule", "read_json"]
