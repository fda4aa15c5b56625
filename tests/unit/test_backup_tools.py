"""Which pg_dump/pg_restore a backup uses: the server's major version, else the nearest newer
one; when none fits, a message naming what was found where and what to install."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelineos.db.backup import ToolNotFound, find_tool, search_dirs


def fake_tool(directory: Path, version: str, program: str = "pg_dump") -> Path:
    """A program that answers --version as PostgreSQL's tools do."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / program
    path.write_text(f'#!/bin/sh\necho "{program} (PostgreSQL) {version}"\n')
    path.chmod(0o755)
    return path


async def test_the_same_major_version_wins_over_newer_and_older_ones(tmp_path: Path) -> None:
    """With 15, 17 and 16 installed, a PostgreSQL 16 server gets the 16 tool, wherever it is
    in the search order."""
    dirs = [tmp_path / "a", tmp_path / "b", tmp_path / "c"]
    fake_tool(dirs[0], "15.4")
    fake_tool(dirs[1], "17.0")
    fake_tool(dirs[2], "16.2 (Debian 16.2-1)")
    tool = await find_tool("pg_dump", 16, dirs)
    assert (tool.path, tool.major, tool.version) == (dirs[2] / "pg_dump", 16, "16.2")


async def test_without_the_same_version_the_nearest_newer_one_is_used(tmp_path: Path) -> None:
    """pg_dump reads older servers: a 14 server gets 16 rather than 17, and never 13."""
    dirs = [tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "empty"]
    fake_tool(dirs[0], "17.1")
    fake_tool(dirs[1], "13.9")
    fake_tool(dirs[2], "16.0")
    assert (await find_tool("pg_dump", 14, dirs)).major == 16


async def test_no_fitting_tool_says_what_was_found_and_what_to_install(tmp_path: Path) -> None:
    """A 17 server with only 15 and 16 around: the error lists both with their paths, names
    the Debian package and PG_BIN_DIR; a broken program is skipped, not fatal."""
    dirs = [tmp_path / "a", tmp_path / "b", tmp_path / "broken"]
    fake_tool(dirs[0], "15.4")
    fake_tool(dirs[1], "16.2")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "pg_dump").write_text("#!/bin/sh\nexit 3\n")
    (tmp_path / "broken" / "pg_dump").chmod(0o755)
    with pytest.raises(ToolNotFound) as missing:
        await find_tool("pg_dump", 17, dirs)
    message = str(missing.value)
    assert message.startswith("no pg_dump for PostgreSQL 17 (or newer) was found.")
    assert f"15.4 at {dirs[0] / 'pg_dump'}" in message and f"16.2 at {dirs[1] / 'pg_dump'}" in message
    assert "postgresql-client-17" in message and "PG_BIN_DIR" in message


def test_pg_bin_dir_is_the_only_place_looked_when_set(tmp_path: Path) -> None:
    """PG_BIN_DIR replaces the search; without it the embedded server's binaries come first,
    then PATH and the usual install directories."""
    assert search_dirs(tmp_path) == [tmp_path]
    default = search_dirs(None)
    assert default[0].parts[-3:] == ("pgserver", "pginstall", "bin")
    assert len(default) == len(set(default))
