"""The CLI as a user runs it: configuration errors, analyze from an argument or stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SECRET = "super-secret-token-value"


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE",
                                 "PIPELINEOS_"))}
    # Only this test's processes are found as running servers.
    base["PIPELINEOS_RUNTIME_DIR"] = str((cwd or Path.cwd()) / "run")
    return subprocess.run([sys.executable, "-m", "pipelineos.cli", *args], input=stdin,
                          env={**base, **(env or {})}, capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def test_bad_configuration_stops_serve_with_one_line_per_problem(tmp_path: Path) -> None:
    """serve with four bad settings exits 2, names each variable once and prints no secret."""
    done = run("serve", cwd=tmp_path, env={
        "DATABASE_URL": f"postgresql://app:{SECRET}@db:port/leads",
        "YOUR_PHONE_NUMBER": "(214) 555-0100",
        "CLAUDE_CIRCUIT_THRESHOLD": "-5",
        "TWILIO_ACCOUNT_SID": "AC" + "3" * 32,
    })
    assert done.returncode == 2
    output = done.stdout + done.stderr
    problems = [line.strip() for line in output.splitlines() if line.startswith("  ")]
    assert sorted(p.split(":")[0] for p in problems) == sorted([
        "DATABASE_URL", "YOUR_PHONE_NUMBER", "CLAUDE_CIRCUIT_THRESHOLD", "TWILIO_AUTH_TOKEN"])
    assert SECRET not in output
    assert not (tmp_path / "data").exists(), "nothing started"


def test_a_bad_value_does_not_hide_a_bad_combination(tmp_path: Path) -> None:
    """`DB_POOL_MIN=30 PORT=abc`: both problems are reported at once, one unwrapped line each,
    before any database is looked for."""
    done = run("areas", "list", cwd=tmp_path, env={"DB_POOL_MIN": "30", "PORT": "abc"})
    assert done.returncode == 2
    problems = [line.strip() for line in done.stderr.splitlines() if line.startswith("  ")]
    assert problems == [
        "PORT: Input should be a valid integer, unable to parse string as an integer",
        "DB_POOL_MIN: must not exceed DB_POOL_MAX"]


def test_analyze_from_argument_as_json(tmp_path: Path) -> None:
    """`pipelineos analyze TEXT --json` prints the analysis."""
    done = run("analyze", "Need a plumber in Dallas for leaking water heater", "--json",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["is_lead"] is True and result["category"] == "plumbing"


def test_analyze_from_stdin(tmp_path: Path) -> None:
    """`pipelineos analyze` reads the post from stdin and prints a readable table."""
    done = run("analyze", stdin="I highly recommend Joe's Plumbing, great job on our heater!",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "is_lead" in done.stdout and "False" in done.stdout
    assert "recommendation given" in done.stdout


def test_analyze_with_nothing_to_read_is_a_usage_error(tmp_path: Path) -> None:
    """An empty post is refused with a message and exit status 2."""
    done = run("analyze", stdin="   ", cwd=tmp_path)
    assert done.returncode == 2
    assert "Nothing to analyze" in done.stderr


def test_import_a_scraper_file_with_progress_and_a_report(tmp_path: Path, migrated_url: str) -> None:
    """`pipelineos import FILE` stores each item, counts the outcomes and writes a report;
    importing the same file again stores nothing new."""
    items = [{"text": "Need a plumber in Dallas, kitchen sink clogged, today please",
              "groupTitle": "Dallas Home Services", "postId": "1", "time": "2026-11-28T09:00:00Z"},
             {"text": "Selling a used lawn mower, works great, $80", "groupTitle": "Garland BST",
              "postId": "2"},
             {"groupTitle": "no text here", "postId": "3"}]
    source = tmp_path / "posts.ndjson"
    source.write_text("\n".join(json.dumps(item) for item in items) + "\n")
    env = {"DATABASE_URL": migrated_url, "LOG_DIR": str(tmp_path / "logs")}
    first = run("import", str(source), "--report", str(tmp_path / "report.ndjson"), env=env,
                cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "3 posts: 2 accepted, 0 duplicates, 1 invalid" in first.stdout
    report = [json.loads(line) for line in (tmp_path / "report.ndjson").read_text().splitlines()]
    assert [r["status"] for r in report] == ["accepted", "accepted", "invalid"]
    again = run("import", str(source), env=env, cwd=tmp_path)
    assert "3 posts: 0 accepted, 2 duplicates, 1 invalid" in again.stdout
