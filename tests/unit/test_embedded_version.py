"""An embedded database made by another major PostgreSQL (pgserver upgraded) stops start-up
with what to do, instead of PostgreSQL's own refusal deep in a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelineos.db import embedded


def test_a_data_directory_of_another_major_version_is_refused_with_the_way_out(
    tmp_path: Path,
) -> None:
    """PG_VERSION says 15, the installed server is another: VersionMismatch names both
    versions, the directory and the backup-and-restore way through, before any server
    starts; the installed version itself passes."""
    installed = embedded.bundled_major()
    assert installed is not None and installed >= 15
    pgdata = tmp_path / "data" / "postgres"
    pgdata.mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text(f"{installed - 1}\n")
    with pytest.raises(embedded.VersionMismatch) as refused:
        embedded.EmbeddedPostgres(tmp_path / "data").start()
    message = str(refused.value)
    assert f"made by PostgreSQL {installed - 1}" in message
    assert f"runs PostgreSQL {installed}" in message
    assert str(tmp_path / "data") in message
    assert "pipelineos backup FILE" in message and "pipelineos restore FILE" in message
    assert not (pgdata / "postmaster.pid").exists()

    (pgdata / "PG_VERSION").write_text(f"{installed}\n")
    embedded.check_version(pgdata)
