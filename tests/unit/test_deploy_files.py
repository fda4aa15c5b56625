"""The files in deploy/ name only settings PipelineOS has and commands it runs: the systemd
units pass `systemd-analyze verify`, the compose file parses and wires PostgreSQL, a
migration, two API processes and a worker, and the Containerfile copies what exists. (No
container runtime here: the image and the compose file are checked, not run.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
import yaml

from pipelineos.cli import app
from pipelineos.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
SETTINGS = {name.upper() for name in Settings.model_fields}
# Variables the postgres image reads, and the process environment's own.
OTHERS = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "PATH", "PYTHONUNBUFFERED"}


def command_exists(words: list[str]) -> bool:
    """Whether `pipelineos WORDS` names a command the CLI has."""
    command: click.Command = typer.main.get_command(app)
    for word in words:
        subcommands = getattr(command, "commands", None)
        if subcommands is None or word.startswith("-"):
            break
        if word not in subcommands:
            return False
        command = subcommands[word]
    return getattr(command, "commands", None) is None or bool(words)


def _unit(path: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_units_spell_out_where_it_runs_and_run_real_commands(path: Path) -> None:
    """Each unit runs a `pipelineos` command that exists, from /var/lib/pipelineos where its
    .env is checked for, as its own user, restarting on failure, logging to the journal,
    with every Environment= a setting PipelineOS reads."""
    unit = _unit(path)
    [start] = unit["ExecStart"]
    program, *words = start.split()
    assert program == "/opt/pipelineos/venv/bin/pipelineos" and command_exists(words), start
    assert unit["WorkingDirectory"] == ["/var/lib/pipelineos"]
    assert unit["ExecStartPre"] == ["/usr/bin/test -r /var/lib/pipelineos/.env"]
    assert unit["User"] == ["pipelineos"] and unit["Restart"] == ["on-failure"]
    assert unit["ProtectSystem"] == ["strict"] and unit["NoNewPrivileges"] == ["yes"]
    environment = dict(item.split("=", 1) for item in unit["Environment"])
    assert environment["LOG_TO"] == "console"
    assert set(environment) <= SETTINGS, set(environment) - SETTINGS
    if words == ["serve"]:
        assert environment["PIPELINEOS_DATA_DIR"] == "/var/lib/pipelineos/data"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """`systemd-analyze verify` finds nothing to say about either unit (with ExecStart
    pointing at this checkout's `pipelineos`, since /opt/pipelineos is not installed here)."""
    installed = Path(sys.executable).parent / "pipelineos"
    copies = []
    for path in UNITS:
        copy = tmp_path / path.name
        copy.write_text(path.read_text(encoding="utf-8").replace(
            "/opt/pipelineos/venv/bin/pipelineos", str(installed)))
        copies.append(str(copy))
    checked = subprocess.run(["systemd-analyze", "verify", *copies], capture_output=True,
                             text=True, timeout=60)
    ours = [line for line in (checked.stdout + checked.stderr).splitlines()
            if "pipelineos" in line]
    assert (checked.returncode, ours) == (0, [])


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_postgres_a_migration_two_apis_and_a_worker() -> None:
    """The compose file parses; the app services are built from deploy/Containerfile and run
    `migrate` once (after PostgreSQL is healthy), `serve` twice without their own worker, and
    `worker`; the APIs and worker wait for the migration."""
    services = _compose()["services"]
    assert set(services) == {"db", "migrate", "api-1", "api-2", "worker"}
    assert services["db"]["image"].endswith("postgres:16")
    commands = {name: service.get("command") for name, service in services.items()}
    assert commands == {"db": None, "migrate": ["migrate"], "api-1": ["serve"],
                        "api-2": ["serve"], "worker": ["worker"]}
    for name in ("migrate", "api-1", "api-2", "worker"):
        service = services[name]
        build = service["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == \
            DEPLOY / "Containerfile"
        assert command_exists(service["command"]), name
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        if name != "migrate":
            assert service["depends_on"]["migrate"]["condition"] == \
                "service_completed_successfully"
            assert service["environment"]["JOBS_IN_SERVE"] == "false"
    assert {services[n]["ports"][0] for n in ("api-1", "api-2")} == {
        "127.0.0.1:3001:3000", "127.0.0.1:3002:3000"}


def test_compose_and_containerfile_set_only_real_settings() -> None:
    """Every variable the compose file and the Containerfile set, and every ${VAR} the
    compose file reads, is a PipelineOS setting or the PostgreSQL image's own, and the
    compose file's ${VAR}s are in env.example."""
    compose_text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    set_names = {key for service in _compose()["services"].values()
                 for key in service.get("environment", {})}
    containerfile = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    env_block = containerfile[containerfile.index("\nENV ") + 5:].split("\nWORKDIR")[0]
    set_names |= set(re.findall(r"([A-Z_][A-Z0-9_]*)=", env_block))
    assert set_names - SETTINGS - OTHERS == set()
    read = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", compose_text))
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    assert read and all(re.search(rf"^#? ?{name}=", example, re.M) for name in read)
    example_names = set(re.findall(r"^#? ?([A-Z_][A-Z0-9_]*)=", example, re.M))
    assert example_names - SETTINGS - OTHERS == set()


def test_the_containerfile_copies_what_exists_and_runs_the_cli() -> None:
    """COPY sources exist in the build context (the repository root), the entry point is
    the `pipelineos` script the package installs, and the default command exists."""
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    assert 'ENTRYPOINT ["pipelineos"]' in text
    assert 'pipelineos = "pipelineos.cli:main"' in (ROOT / "pyproject.toml").read_text()
    [cmd] = re.findall(r'^CMD \["([^"]+)"\]', text, re.M)
    assert command_exists([cmd])
