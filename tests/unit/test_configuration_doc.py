"""docs/configuration.md lists every setting with the default the code has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipelineos.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
ROW = re.compile(r"^\| `([A-Z0-9_]+)`(?: 🔒)? \| (`[^`]*`|unset|empty) \|", re.MULTILINE)


def documented_default(value: Any) -> str:
    """How the page writes a default: `3000`, `10` for 10.0, `true`, unset, empty."""
    if value is None:
        return "unset"
    if isinstance(value, list) and not value:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`"


def test_every_setting_is_documented_with_its_default() -> None:
    """Each Settings field has one row, named as its environment variable, whose default is
    the code's; no row names a setting that does not exist."""
    rows = ROW.findall(DOC.read_text(encoding="utf-8"))
    documented = dict(rows)
    assert len(documented) == len(rows), "a setting is documented twice"
    fields = Settings.model_fields
    expected = {name.upper(): documented_default(
        field.default_factory() if field.default_factory else field.default)  # type: ignore[call-arg]
        for name, field in fields.items()}
    assert sorted(set(expected) - set(documented)) == [], "settings missing from the doc"
    assert sorted(set(documented) - set(expected)) == [], "the doc names unknown settings"
    wrong = {name: (documented[name], default) for name, default in expected.items()
             if documented[name] != default}
    assert wrong == {}


def test_secrets_are_marked_as_such() -> None:
    """The settings whose values are scrubbed from logs are the ones marked 🔒."""
    marked = set(re.findall(r"^\| `([A-Z0-9_]+)` 🔒", DOC.read_text(encoding="utf-8"),
                            re.MULTILINE))
    secret_fields = {name.upper() for name, field in Settings.model_fields.items()
                     if "SecretStr" in str(field.annotation)}
    assert marked == secret_fields
