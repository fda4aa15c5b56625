"""The test database fixture gives each test its own real PostgreSQL database."""

import psycopg


def test_database_is_real_and_empty(database_url: str) -> None:
    """A test database accepts connections and starts with no tables of ours."""
    with psycopg.connect(database_url) as conn:
        (version,) = conn.execute("SHOW server_version_num").fetchone()
        (tables,) = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    assert int(version) >= 140000
    assert tables == 0
