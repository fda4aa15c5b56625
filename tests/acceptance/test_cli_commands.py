"""Every `pipelineos` command, run as a user runs it (a subprocess), exits: each test asserts
the exit status and the output that matters, within a bound. The README's commands are run
exactly as written there."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.acceptance.service import free_port, postgres_processes, running_service

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXIT_WITHIN = 60  # seconds; a command takes one or two, a hang never ends
POSTS = [
    {"text": "Need a plumber in Dallas for leaking water heater, today please",
     "groupTitle": "Dallas Home Services", "postId": "1"},
    {"text": "Need a plumber in Denver, leaking water heater", "groupTitle": "Denver Homes",
     "postId": "2"},
    {"text": "Need a roofer in Dallas, hail damage on the roof", "groupTitle": "DFW Roofs",
     "postId": "3"},
]


def pipelineos(*args: str, cwd: Path, stdin: str | None = None,
               **env: str) -> subprocess.CompletedProcess[str]:
    """`pipelineos ARGS` in ``cwd``; fails the test if it does not exit in time."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("TWILIO_", "ANTHROPIC_", "DATABASE_URL", "YOUR_PHONE",
                                 "PIPELINEOS_", "LOG_DIR", "BUSINESS_", "PORT", "JOB_"))}
    base.update({"PIPELINEOS_RUNTIME_DIR": str(cwd / "run"), "JOB_SCHEDULES":
                 "daily-digest=off", "COLUMNS": "200"})
    base.update(env)
    try:
        return subprocess.run([sys.executable, "-m", "pipelineos.cli", *args], cwd=cwd,
                              env=base, input=stdin, capture_output=True, text=True,
                              timeout=EXIT_WITHIN)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"`pipelineos {shlex.join(args)}` did not exit") from None


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _wait_for_log(path: Path, event: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + EXIT_WITHIN
    while time.monotonic() < deadline:
        if path.exists() and f'"event": "{event}"' in path.read_text():
            return
        assert proc.poll() is None, f"exited with {proc.returncode}"
        time.sleep(0.1)
    raise AssertionError(f"no {event!r} in {path}")


def test_jobs_commands(tmp_path: Path, migrated_url: str) -> None:
    """`jobs` lists the schedules, `jobs run` runs one now and records it, `jobs runs` shows
    the run, `jobs defer` queues one; an unknown job is a usage error."""
    db = {"DATABASE_URL": migrated_url}
    listed = ok(pipelineos("jobs", cwd=tmp_path, **db))
    assert "retention-cleanup" in listed and "30 8 * * *" in listed
    assert "retention-cleanup: succeeded" in ok(
        pipelineos("jobs", "run", "retention-cleanup", cwd=tmp_path, **db))
    runs = ok(pipelineos("jobs", "runs", "--job", "retention-cleanup", "--outcome",
                         "succeeded", cwd=tmp_path, **db))
    assert "retention-cleanup" in runs and "manual" in runs
    assert re.search(r"recover-stalled-work: queued as job \d+", ok(
        pipelineos("jobs", "defer", "recover-stalled-work", cwd=tmp_path, **db)))
    for command in ("run", "defer"):
        unknown = pipelineos("jobs", command, "no-such-job", cwd=tmp_path, **db)
        assert unknown.returncode == 2 and "No job 'no-such-job'" in unknown.stderr


def test_areas_commands_and_import_merges(tmp_path: Path, migrated_url: str) -> None:
    """areas list/add/import/services/remove exit with their results; import merges aliases
    by default, replaces with --replace, and says per area what changed."""
    db = {"DATABASE_URL": migrated_url}
    assert "No service areas" in ok(pipelineos("areas", "list", cwd=tmp_path, **db))
    assert "Dallas (city): DFW, Big D" in ok(pipelineos(
        "areas", "add", "Dallas", "--alias", "DFW", "--alias", "Big D", cwd=tmp_path, **db))
    (tmp_path / "areas.yaml").write_text(
        "- {name: dallas, aliases: [Metroplex, dfw]}\n- Plano\n- {name: '75201', kind: zip}\n")
    assert ok(pipelineos("areas", "import", "areas.yaml", cwd=tmp_path, **db)).splitlines() == [
        "Dallas: aliases added Metroplex", "added Plano (city)", "added 75201 (zip)",
        "3 areas from areas.yaml: 2 added, 1 updated, 0 unchanged"]
    again = ok(pipelineos("areas", "import", "areas.yaml", cwd=tmp_path, **db))
    assert again.splitlines()[-1] == "3 areas from areas.yaml: 0 added, 0 updated, 3 unchanged"
    (tmp_path / "areas.csv").write_text("name,kind,aliases\nDallas,county,DFW\n")
    assert ok(pipelineos("areas", "import", "areas.csv", "--replace", cwd=tmp_path,
                         **db)).splitlines()[0] == (
        "Dallas: kind city → county; aliases removed Big D, Metroplex")
    (tmp_path / "bad.yaml").write_text("- {name: Mars, kind: planet}\n")
    bad = pipelineos("areas", "import", "bad.yaml", cwd=tmp_path, **db)
    assert bad.returncode == 2 and "entry 1: area kind must be one of" in bad.stderr
    assert "Services: hvac, plumbing" in ok(
        pipelineos("areas", "services", "plumbing", "HVAC", cwd=tmp_path, **db))
    unknown = pipelineos("areas", "services", "astrology", cwd=tmp_path, **db)
    assert unknown.returncode == 2 and "unknown service categories: astrology" in unknown.stderr
    listed = ok(pipelineos("areas", "list", cwd=tmp_path, **db))
    assert re.search(r"Dallas\s*│\s*county\s*│\s*DFW", listed) and "Plano" in listed
    assert "Services: hvac, plumbing" in listed
    assert "Services: every category" in ok(pipelineos("areas", "services", cwd=tmp_path, **db))
    assert "removed Plano" in ok(pipelineos("areas", "remove", "Plano", cwd=tmp_path, **db))
    gone = pipelineos("areas", "remove", "Plano", cwd=tmp_path, **db)
    assert gone.returncode == 1 and "no service area 'Plano'" in gone.stdout


def test_import_then_leads_list_show_and_set_status(tmp_path: Path, migrated_url: str) -> None:
    """Posts imported from a file are listed by place and fit, shown in full, and moved along
    the pipeline; an unknown lead is exit 1, a bad status or fit exit 2."""
    db = {"DATABASE_URL": migrated_url}
    ok(pipelineos("areas", "add", "Dallas", "--alias", "DFW", cwd=tmp_path, **db))
    ok(pipelineos("areas", "services", "plumbing", cwd=tmp_path, **db))
    (tmp_path / "posts.ndjson").write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    assert "3 posts: 3 accepted, 0 duplicates, 0 invalid" in ok(
        pipelineos("import", "posts.ndjson", cwd=tmp_path, **db))
    with psycopg.connect(migrated_url) as conn:
        ids = dict(conn.execute("SELECT location || ':' || category, id FROM leads").fetchall())
    denver, roofer = ids["Denver:plumbing"], ids["Dallas:roofing"]

    assert len(ok(pipelineos("leads", "list", cwd=tmp_path, **db)).splitlines()) > 3
    by_place = ok(pipelineos("leads", "list", "--area", "denver", cwd=tmp_path, **db))
    assert "Denver" in by_place and "Dallas" not in by_place
    by_fit = ok(pipelineos("leads", "list", "--area", "DFW", "--fit", "outside_services",
                           cwd=tmp_path, **db))
    assert f"│ {roofer} " in by_fit and "outside_services" in by_fit and "plumbing" not in by_fit
    assert "No leads match." in ok(pipelineos("leads", "list", "--area", "Austin",
                                              cwd=tmp_path, **db))
    bad_fit = pipelineos("leads", "list", "--fit", "nearby", cwd=tmp_path, **db)
    assert bad_fit.returncode == 2 and "nearby" in bad_fit.stderr

    moved = pipelineos("leads", "set-status", str(denver), "contacted", "--note", "Called",
                       "--by", "maria", cwd=tmp_path, **db)
    assert f"lead {denver}: new → contacted" in ok(moved)
    shown = ok(pipelineos("leads", "show", str(denver), cwd=tmp_path, **db))
    for expected in ("Denver, outside_area", "Need a plumber in Denver", "'Denver Homes'",
                     "local (lr-", "maria: new → contacted  'Called'", "id 2"):
        assert expected in shown, expected
    for args in (("leads", "show", "999999"), ("leads", "set-status", "999999", "won")):
        missing = pipelineos(*args, cwd=tmp_path, **db)
        assert missing.returncode == 1 and "No lead 999999" in missing.stderr
    bad = pipelineos("leads", "set-status", str(denver), "hired", cwd=tmp_path, **db)
    assert bad.returncode == 2 and "hired" in bad.stderr


def test_analyze_judges_with_the_databases_profile_or_says_it_used_the_settings(
    tmp_path: Path, migrated_url: str
) -> None:
    """With a database, analyze uses its areas and services (as the server does) even when
    BUSINESS_AREAS says otherwise; without one, the settings' profile, and it says which."""
    db = {"DATABASE_URL": migrated_url}
    ok(pipelineos("areas", "add", "Dallas", cwd=tmp_path, **db))
    post = "Need a plumber in Denver asap, leaking water heater"
    judged = pipelineos("analyze", post, "--json", cwd=tmp_path, BUSINESS_AREAS="Denver", **db)
    assert json.loads(ok(judged))["priority"] == "low"  # Denver is outside Dallas
    assert "Judged with the service areas and services in the database t_" in judged.stderr
    alone = pipelineos("analyze", post, "--json", cwd=tmp_path, BUSINESS_AREAS="Denver")
    assert json.loads(ok(alone))["priority"] == "high"
    assert "judged with BUSINESS_AREAS and BUSINESS_SERVICES from the settings" in alone.stderr


def test_worker_runs_until_sigterm_and_exits_0(tmp_path: Path, migrated_url: str) -> None:
    """`pipelineos worker` starts its worker, and SIGTERM stops it with exit status 0."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "ANTHROPIC_"))}
    env.update({"DATABASE_URL": migrated_url, "LOG_DIR": str(tmp_path / "logs"),
                "JOB_SCHEDULES": "daily-digest=off"})
    worker = subprocess.Popen([sys.executable, "-m", "pipelineos.cli", "worker"], cwd=tmp_path,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              text=True)
    try:
        _wait_for_log(tmp_path / "logs" / "combined.log", "Worker started", worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=EXIT_WITHIN) == 0
    finally:
        if worker.poll() is None:
            worker.kill()


def test_serve_and_the_breaker_commands(tmp_path: Path, migrated_url: str) -> None:
    """serve becomes ready; breaker list/force-open/disable/reset steer it and exit 0, an
    unknown breaker is exit 2, an unreachable server exit 1; SIGTERM stops serve with 0."""
    with running_service(tmp_path, DATABASE_URL=migrated_url) as service:
        port = service.base_url.rsplit(":", 1)[1]
        assert "circuit breaker twilio-api: CLOSED" in ok(
            pipelineos("breaker", cwd=tmp_path, PORT=port))
        for action, change in (("force-open", "CLOSED → FORCED_OPEN"),
                               ("disable", "FORCED_OPEN → DISABLED"),
                               ("reset", "DISABLED → CLOSED")):
            assert f"twilio-api {change}" in ok(
                pipelineos("breaker", action, "twilio-api", cwd=tmp_path, PORT=port))
        assert pipelineos("breaker", "reset", "twilio", cwd=tmp_path, PORT=port).returncode == 2
        assert service.terminate() == 0
    gone = pipelineos("breaker", cwd=tmp_path, PORT=str(free_port()))
    assert gone.returncode == 1 and "cannot reach the server" in gone.stderr


def test_every_readme_command_exits_0(tmp_path: Path, migrated_url: str) -> None:
    """Each `.venv/bin/pipelineos` line of the README, run as written against a running
    server (lead 42 exists, scraped.ndjson is there), exits 0."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [shlex.split(line, comments=True)[1:] for line in readme.splitlines()
                if line.startswith(".venv/bin/pipelineos ")]
    assert len(commands) >= 9, "the README's commands were not found"
    with psycopg.connect(migrated_url) as conn:
        conn.execute("ALTER TABLE leads ALTER COLUMN id RESTART WITH 42")
    (tmp_path / "scraped.ndjson").write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    with running_service(tmp_path, DATABASE_URL=migrated_url) as service:
        port = service.base_url.rsplit(":", 1)[1]
        for command in commands:
            done = pipelineos(*command, cwd=tmp_path, DATABASE_URL=migrated_url, PORT=port)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert service.terminate() == 0
    assert (tmp_path / "results.ndjson").exists()


def test_commands_find_the_embedded_database_from_anywhere_or_say_where_they_looked(
    service_dir: Path,
) -> None:
    """On the embedded default: from a directory with no database a command exits 1 naming
    every place it looked and creates nothing; `migrate` creates the database in the project;
    commands run in a subdirectory, with PIPELINEOS_DATA_DIR, or anywhere while serve runs
    use that one database; once serve stops no PostgreSQL is left."""
    project, elsewhere = service_dir / "project", service_dir / "elsewhere"
    deeper = project / "sub" / "dir"
    for directory in (deeper, elsewhere):
        directory.mkdir(parents=True)
    runtime = {"PIPELINEOS_RUNTIME_DIR": str(project / "run")}

    lost = pipelineos("leads", "list", cwd=elsewhere, **runtime)
    assert lost.returncode == 1
    for place in ("PIPELINEOS_DATA_DIR: not set", str(elsewhere / "data"),
                  str(service_dir / "data"), "running PipelineOS processes",
                  "PIPELINEOS_DATA_DIR=", "DATABASE_URL="):
        assert place in lost.stderr, place
    assert sorted(p.name for p in elsewhere.iterdir()) == [], "nothing created"

    assert f"embedded database in {project / 'data'}" in ok(
        pipelineos("migrate", cwd=project, **runtime))
    added = pipelineos("areas", "add", "Dallas", cwd=deeper, **runtime)
    assert "Dallas (city)" in ok(added)
    assert f"Using the embedded database in {project / 'data'}" in added.stderr
    assert sorted(p.name for p in deeper.iterdir()) == [], "no data/ or logs/ here"
    assert (project / "logs" / "combined.log").exists(), "logged where serve logs"
    assert "Dallas" in ok(pipelineos("areas", "list", cwd=elsewhere,
                                     PIPELINEOS_DATA_DIR=str(project / "data"), **runtime))

    with running_service(project) as service:
        found = pipelineos("areas", "list", cwd=elsewhere, **runtime)
        assert "Dallas" in ok(found) and "running process" in found.stderr
        assert service.terminate() == 0
    assert postgres_processes(project / "data" / "postgres") == []
    assert pipelineos("areas", "list", cwd=elsewhere, **runtime).returncode == 1
