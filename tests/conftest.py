"""Shared fixtures: a real PostgreSQL for every test that needs one.

By default the suite starts an embedded server (pgserver) once per session; set
``TEST_DATABASE_URL`` to use an external server instead. Each test that asks for
``database_url`` gets a fresh, empty database that is dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo


def with_dbname(url: str, dbname: str) -> str:
    """Return ``url`` pointing at database ``dbname`` (same server, same user)."""
    params = conninfo.conninfo_to_dict(url)
    params["dbname"] = dbname
    return conninfo.make_conninfo(**params)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A superuser connection string for a running PostgreSQL server."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        yield external
        return
    import pgserver

    root = Path(tempfile.mkdtemp(prefix="pipelineos-test-pg-"))
    server = pgserver.get_server(root / "pgdata", cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def database_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_dbname(pg_admin_url, name)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the service on a migrated database ----------------------------------------------------------

import asyncio  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402

import httpx  # noqa: E402

from pipelineos.config import Settings  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests see only the settings they set: no developer env vars, no `.env` file."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def migrated_template(pg_admin_url: str) -> Iterator[str]:
    """A database with every migration applied, built once and cloned for each test."""
    from pipelineos.bootstrap import SCHEMA
    from pipelineos.db.pool import create_pool

    name = f"tpl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    async def build() -> None:
        pool = create_pool(with_dbname(pg_admin_url, name), min_size=1, max_size=2)
        await pool.open(wait=True)
        try:
            await SCHEMA.migrate(pool)
        finally:
            await pool.close()

    asyncio.run(build())
    try:
        yield name
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def migrated_url(pg_admin_url: str, migrated_template: str) -> Iterator[str]:
    """A fresh database with the current schema, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
    try:
        yield with_dbname(pg_admin_url, name)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test: the given database, logs under tmp_path, no `.env`."""
    values: dict[str, object] = {
        "database_url": database_url,
        "log_dir": tmp_path / "logs",
        "pipelineos_data_dir": tmp_path / "data",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings(migrated_url: str, tmp_path: Path) -> Settings:
    return make_settings(migrated_url, tmp_path)


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[object]:
    from pipelineos.bootstrap import Runtime

    started = await Runtime.start(settings)
    try:
        yield started
    finally:
        await started.stop()


@pytest.fixture
async def client(settings: Settings, runtime: object) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client speaking to the app in-process, on a started runtime."""
    from pipelineos.web.app import create_app

    app = create_app(settings, runtime=runtime)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://pipelineos.test") as c:
        yield c
