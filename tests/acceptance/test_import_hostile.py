"""`pipelineos import` with hostile items: each is reported invalid with its reason and the
rest of the file is imported; a JSON array the reader refuses is one clear line, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from tests.acceptance.test_cli import run

GOOD = {"text": "Need a plumber in Dallas ASAP, water heater leaking", "group_name": "DFW"}


def test_hostile_items_are_reported_invalid_and_the_rest_imported(tmp_path: Path,
                                                                 migrated_url: str) -> None:
    """Deep nesting, a number of thousands of digits, a lone surrogate, NUL and invalid
    UTF-8 in an NDJSON file: five invalid results with reasons, the two good posts stored."""
    lines = [
        json.dumps(GOOD).encode(),
        b'{"text": "x", "group_name": "g", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"text": "x", "group_name": "g", "id": ' + b"7" * 5000 + b"}",
        b'{"text": "need a plumber \\ud800", "group_name": "g"}',
        b'{"text": "need a plumber", "author": "a\\u0000b", "group_name": "g"}',
        b'{"text": "need a plumber \xff", "group_name": "g"}',
        json.dumps({**GOOD, "text": "Looking for a roofer in Plano, hail damage"}).encode(),
    ]
    posts, report = tmp_path / "posts.ndjson", tmp_path / "report.ndjson"
    posts.write_bytes(b"\n".join(lines) + b"\n")
    done = run("import", str(posts), "--report", str(report),
               env={"DATABASE_URL": migrated_url}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "7 posts: 2 accepted, 0 duplicates, 5 invalid" in done.stdout
    results = [json.loads(line) for line in report.read_text().splitlines()]
    assert [r["status"] for r in results] == ["accepted", *["invalid"] * 5, "accepted"]
    assert results[1]["reason"] == "line 2: JSON nested deeper than 32 levels"
    assert results[2]["reason"] == "line 3: number with more than 100 digits"
    assert "lone surrogate" in results[3]["reason"]
    assert results[4]["reason"] == "author must not contain NUL characters"
    assert results[5]["reason"].startswith("line 6: not valid UTF-8")
    with psycopg.connect(migrated_url) as conn:
        assert conn.execute("SELECT count(*) FROM posts").fetchone() == (2,)


def test_a_json_array_the_reader_refuses_is_one_line_and_exit_2(tmp_path: Path,
                                                               migrated_url: str) -> None:
    """An array nested too deep names the problem and its line instead of a traceback."""
    posts = tmp_path / "posts.json"
    posts.write_text("[\n" + json.dumps(GOOD) + ",\n" + "[" * 100 + "]" * 100 + "\n]")
    done = run("import", str(posts), env={"DATABASE_URL": migrated_url}, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{posts}: JSON nested deeper than 32 levels at line 3" in done.stderr
    assert "Traceback" not in done.stderr
