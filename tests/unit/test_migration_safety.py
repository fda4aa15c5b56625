"""Migrations are safe to apply while the previous release still serves (expand, then
contract): a new migration file never drops, renames or retypes what released code reads,
and never makes released code's inserts fail (a NOT NULL column without a default), unless the
statement is marked ``-- contract: <why no serving release uses it any more>``.

The rule is written in src/pipelineos/db/versions/README.md and docs/operations.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

VERSIONS = Path(__file__).resolve().parents[2] / "src" / "pipelineos" / "db" / "versions"

MARK = re.compile(r"--\s*contract:\s*\S", re.IGNORECASE)
UNSAFE: list[tuple[str, re.Pattern[str]]] = [
    ("drops a table, view, function, type or column that released code may use",
     re.compile(r"\bDROP\s+(TABLE|VIEW|MATERIALIZED\s+VIEW|FUNCTION|PROCEDURE|TYPE|COLUMN)\b")),
    ("renames something released code names", re.compile(r"\bRENAME\b")),
    ("changes a column's type under released code",
     re.compile(r"\bALTER\s+COLUMN\s+\w+\s+(SET\s+DATA\s+)?TYPE\b")),
    ("makes an existing column NOT NULL: released code may still insert without it",
     re.compile(r"\bSET\s+NOT\s+NULL\b")),
]
ADD_COLUMN = re.compile(r"\bADD\s+(COLUMN\s+)?(IF\s+NOT\s+EXISTS\s+)?(?!CONSTRAINT\b)(\w+)\s+([^,]*)",
                        re.IGNORECASE)


def statements(sql: str) -> list[tuple[str, bool]]:
    """(statement without comments or dollar-quoted bodies, marked ``-- contract:``) for each
    statement of ``sql``; a mark counts for the statement it precedes or is inside."""
    sql = re.sub(r"\$(\w*)\$.*?\$\1\$", "$$", sql, flags=re.DOTALL)  # function bodies
    found: list[tuple[str, bool]] = []
    for chunk in sql.split(";"):
        marked = bool(MARK.search(chunk))
        code = re.sub(r"--[^\n]*", "", chunk)
        code = re.sub(r"'(?:[^']|'')*'", "''", code)  # string literals
        code = " ".join(code.split())
        if code:
            found.append((code, marked))
    return found


def problems(sql: str) -> list[str]:
    """What in ``sql`` would break the previous release while it still serves."""
    found = []
    for statement, marked in statements(sql):
        if marked:
            continue
        upper = statement.upper()
        for why, pattern in UNSAFE:
            if pattern.search(upper):
                found.append(f"{why}: {statement[:120]}")
        if upper.startswith("ALTER TABLE"):
            for match in ADD_COLUMN.finditer(statement):
                definition = match[4].upper()
                if re.search(r"\bNOT\s+NULL\b", definition) and "DEFAULT" not in definition:
                    found.append("adds a NOT NULL column without a default: released code's "
                                 f"inserts fail: {statement[:120]}")
    return found


@pytest.mark.parametrize("path", sorted(VERSIONS.glob("*.sql")), ids=lambda path: path.name)
def test_migrations_keep_the_previous_release_working(path: Path) -> None:
    """No migration drops, renames or retypes, or adds a NOT NULL column without a
    default, unless marked ``-- contract:`` with the reason it is safe now."""
    assert problems(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("sql", "expected"), [
    ("ALTER TABLE leads DROP COLUMN area;", 1),
    ("ALTER TABLE leads RENAME COLUMN area TO place;", 1),
    ("ALTER TABLE posts RENAME TO items;", 1),
    ("ALTER TABLE leads ALTER COLUMN area TYPE varchar(50);", 1),
    ("ALTER TABLE leads ALTER COLUMN area SET NOT NULL;", 1),
    ("ALTER TABLE leads ADD COLUMN score integer NOT NULL;", 1),
    ("ALTER TABLE leads ADD COLUMN a text, ADD COLUMN b int NOT NULL;", 1),
    ("DROP TABLE old_things;", 1),
    ("DROP FUNCTION ingest_post(text);", 1),
    ("ALTER TABLE leads ADD COLUMN score integer NOT NULL DEFAULT 0;", 0),
    ("ALTER TABLE leads ADD COLUMN note text, ADD CONSTRAINT c CHECK (note <> '');", 0),
    ("CREATE TABLE t (id bigint NOT NULL, name text NOT NULL);", 0),
    ("CREATE INDEX leads_x ON leads (area); DROP INDEX leads_y;", 0),
    ("-- contract: no release since 0.3 reads leads.area\nALTER TABLE leads DROP COLUMN area;", 0),
    ("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE tmp; END $$;", 0),
    ("COMMENT ON TABLE leads IS 'we never DROP COLUMN here';", 0),
])
def test_the_checker_tells_expand_from_contract(sql: str, expected: int) -> None:
    """The checker flags drops, renames, retypes and NOT NULL without default, and lets
    through new tables, nullable or defaulted columns, indexes, marked contract steps, and
    words inside function bodies or strings."""
    assert len(problems(sql)) == expected, problems(sql)
