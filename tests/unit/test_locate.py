"""Which database a command uses: the setting, the working directory and its parents, a
running process's record; and every place looked in when there is none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelineos.config import Settings
from pipelineos.db import locate
from pipelineos.db.embedded import UseRecord


def _database(data_dir: Path) -> Path:
    (data_dir / "postgres").mkdir(parents=True)
    (data_dir / "postgres" / "PG_VERSION").write_text("16\n")
    return data_dir


def _settings(tmp_path: Path, **values: object) -> Settings:
    values.setdefault("pipelineos_runtime_dir", tmp_path / "run")
    return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]


def test_the_setting_wins_and_must_hold_a_database(tmp_path: Path) -> None:
    """PIPELINEOS_DATA_DIR is used even with a database in the working directory; naming a
    directory without one is an error that says so, not a search elsewhere."""
    _database(tmp_path / "data")
    chosen = _database(tmp_path / "elsewhere")
    found = locate.find_existing(_settings(tmp_path, pipelineos_data_dir="elsewhere"), tmp_path)
    assert (found.data_dir, found.by) == (chosen, "setting")
    with pytest.raises(locate.DatabaseNotFound) as missing:
        locate.find_existing(_settings(tmp_path, pipelineos_data_dir="empty"), tmp_path)
    assert missing.value.looked == [
        f"PIPELINEOS_DATA_DIR: {tmp_path / 'empty'} (no {tmp_path / 'empty' / 'postgres'})"]


def test_the_working_directory_then_its_parents(tmp_path: Path) -> None:
    """data/ here is used first; from a subdirectory, the nearest parent's data/."""
    project = _database(tmp_path / "project" / "data").parent
    deeper = project / "a" / "b"
    deeper.mkdir(parents=True)
    here = locate.find_existing(_settings(tmp_path), project)
    above = locate.find_existing(_settings(tmp_path), deeper)
    assert (here.data_dir, here.by) == (project / "data", "working directory")
    assert (above.data_dir, above.by) == (project / "data", "parent directory")


def test_a_running_process_is_found_and_an_ended_ones_record_removed(tmp_path: Path) -> None:
    """A live process's record leads to its database and log directory; a record nobody
    holds (its process was killed) is ignored and deleted."""
    settings = _settings(tmp_path)
    served = _database(tmp_path / "srv" / "data")
    ended = locate.records(settings) / "99-dead.json"
    live = UseRecord(locate.records(settings), served, tmp_path / "srv" / "logs")
    try:
        ended.write_text(json.dumps({"pid": 99, "data_dir": str(_database(tmp_path / "old")),
                                     "log_dir": None}))
        found = locate.find_existing(settings, tmp_path)
    finally:
        live.remove()
    assert (found.data_dir, found.by, found.log_dir) == (served, "running process",
                                                         tmp_path / "srv" / "logs")
    assert not ended.exists()


def test_two_running_databases_are_named_not_guessed(tmp_path: Path) -> None:
    """Processes using different databases: both are listed and none is chosen."""
    settings = _settings(tmp_path)
    one, two = _database(tmp_path / "one"), _database(tmp_path / "two")
    records = [UseRecord(locate.records(settings), d, None) for d in (one, two)]
    try:
        with pytest.raises(locate.DatabaseNotFound) as several:
            locate.find_existing(settings, tmp_path)
    finally:
        for record in records:
            record.remove()
    assert "different databases" in str(several.value)
    assert all(any(str(d) in place for place in several.value.looked) for d in (one, two))


def test_nothing_found_lists_every_place_looked_in(tmp_path: Path) -> None:
    """The setting, data/ in the working directory and every parent, and the records."""
    cwd = tmp_path / "x" / "y"
    cwd.mkdir(parents=True)
    settings = _settings(tmp_path)
    with pytest.raises(locate.DatabaseNotFound) as none:
        locate.find_existing(settings, cwd)
    looked = none.value.looked
    assert looked[0] == "PIPELINEOS_DATA_DIR: not set"
    assert looked[1:-1] == [str(d / "data") for d in (cwd, *cwd.parents)]
    assert str(locate.records(settings)) in looked[-1]
