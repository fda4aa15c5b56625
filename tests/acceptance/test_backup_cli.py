"""`pipelineos backup` and `pipelineos restore` as an operator runs them: a backup of the
embedded database taken while `serve` runs, refused as a restore target while it serves,
restored on another machine (a new directory: the embedded database is created) and into a
server's empty database through DATABASE_URL, where the leads are all there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.acceptance.service import running_service, service_env

pytestmark = pytest.mark.slow

POSTS = ["URGENT need a plumber in Dallas, pipe burst in the kitchen",
         "Looking for a painter in Plano next month for the fence",
         "Happy holidays to everyone in the group!"]


def pipelineos(workdir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipelineos.cli", *args], cwd=workdir,
                          env=service_env(workdir, 3000, **env), capture_output=True, text=True,
                          timeout=120)


def test_backup_while_serving_then_restore_elsewhere(
    service_dir: Path, database_url: str,
) -> None:
    """Backed up while serving (exit 0, says what and where); restoring over the running
    service is refused with exit 1 and why; in a new directory the restore creates the
    embedded database and `pipelineos leads list` shows the leads; with DATABASE_URL the
    same file fills an empty server database."""
    first, second = service_dir / "first", service_dir / "second"
    first.mkdir(mode=0o755)
    second.mkdir(mode=0o755)
    file = service_dir / "pipelineos.dump"
    with running_service(first) as service:
        for text in POSTS:
            assert httpx.post(f"{service.base_url}/api/leads/analyze", json={
                "post_text": text, "group_name": "Dallas Home Services"}).status_code == 200
        made = pipelineos(first, "backup", str(file))
        assert made.returncode == 0, made.stderr
        assert made.stdout.startswith(f"Backed up the embedded database in {first / 'data'} "
                                      f"to {file}: ")
        refused = pipelineos(first, "restore", str(file), "--force")
        assert refused.returncode == 1
        assert "Restore refused:" in refused.stderr and "stop `pipelineos serve`" in refused.stderr

    restored = pipelineos(second, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert f"creating the embedded database in {second / 'data'}" in restored.stderr
    assert "Schema version" in restored.stdout and "this release's." in restored.stdout
    listed = pipelineos(second, "leads", "list", "--limit", "10")
    assert listed.returncode == 0 and "plumbing" in listed.stdout and "painting" in listed.stdout
    external = pipelineos(second, "restore", str(file), DATABASE_URL=database_url)
    assert external.returncode == 0, external.stderr
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM leads").fetchone() == (2,)
