"""Upgrading: a database made and filled by the previous release (main at ce1b2b4, schema
0001-0008; dump in tests/upgrade/previous_release.sql) is migrated to today's schema by a
normal start, keeps every row, and serves: old leads are listed, a repeat of an old post is
recognised as one, and new posts get new ids."""

from __future__ import annotations

from pathlib import Path
import psycopg

from pipelineos.bootstrap import SCHEMA, Runtime
from pipelineos.jobs import schema as job_schema
from pipelineos.leads import dashboard_queries
from pipelineos.leads.dashboard_queries import InboxFilter
from tests.conftest import make_settings
from tests.database_rows import table_rows
from tests.integration.ops.conftest import client_at

DUMP = Path(__file__).resolve().parents[1] / "upgrade" / "previous_release.sql"
HOT = "URGENT need a plumber in Dallas today, water heater burst and is flooding the garage"
# Tables the upgrade writes to by design: rows are added (schema_migrations) or a version is
# moved on (component_versions); every row of every other table must come through unchanged.
BOOKKEEPING = {"schema_migrations", "component_versions"}


def load_previous_release(url: str) -> None:
    """Run the dump's statements (plain SQL with INSERTs, as pg_dump wrote it)."""
    text = "\n".join(line for line in DUMP.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("\\"))  # psql meta-commands, if a pg_dump adds one
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text.encode())


async def test_a_previous_release_database_upgrades_with_its_data(
    database_url: str, tmp_path: Path,
) -> None:
    """The previous release's database, with posts, leads, an alert, a lead's history, areas,
    job runs and a queued job, is migrated at start-up to every current migration; each row
    of each table it had is still there, unchanged; and the service works on it."""
    load_previous_release(database_url)
    columns, before = table_rows(database_url)
    assert all(before[t] for t in ("posts", "leads", "alert_outbox", "lead_events", "job_runs",
                                   "service_areas", "procrastinate_jobs"))
    assert max(row["version"] for row in before["schema_migrations"]) == 8

    settings = make_settings(database_url, tmp_path, jobs_in_serve=False,
                             duplicate_window_days=36500)  # the dump's posts never age out
    runtime = await Runtime.start(settings)
    try:
        _, after = table_rows(database_url, columns)
        for table in columns.keys() - BOOKKEEPING:
            assert after[table] == before[table], f"rows of {table} changed in the upgrade"
        assert all(row in after["schema_migrations"] for row in before["schema_migrations"])
        assert {row["version"] for row in after["schema_migrations"]} == {
            m.version for m in SCHEMA.available()}
        assert {row["component"]: row["version"] for row in after["component_versions"]} == {
            "procrastinate": job_schema.shipped_version()}

        async with client_at(runtime) as client:
            assert (await client.get("/health")).status_code == 200
            listed = (await client.get("/api/leads", params={"limit": 50})).json()
            assert len(listed["leads"]) == len(before["leads"])
            old = (await client.get("/api/leads/1")).json()
            assert old["status"] == "contacted"
            assert [e["note"] for e in old["events"]] == ["Called, quoting Friday"]
            repeat = (await client.post("/api/leads/analyze", json={
                "post_text": HOT, "group_name": "Dallas Home Services"})).json()
            fresh = (await client.post("/api/leads/analyze", json={
                "post_text": "Need a roofer in Plano, shingles blown off in the storm",
                "group_name": "Plano Moms"})).json()
        assert repeat["post"]["duplicate_of"] == 1 and repeat["lead"]["id"] == 1
        assert repeat["lead"]["sightings"] == 3  # the dump's repeat, and this one
        assert fresh["lead"]["id"] == max(row["id"] for row in before["leads"]) + 1
        # the old leads were given their search pieces (migration 0021): a search through the
        # index alone finds each by a piece of its post
        bodies = {row["id"]: row["body"] for row in before["posts"]}
        async with runtime.pool.connection() as conn:
            for lead in before["leads"]:
                text = bodies[lead["post_id"]][4:14].upper()
                found = await dashboard_queries.inbox_page(
                    conn, InboxFilter(search=text), limit=500, window=0)
                assert lead["id"] in [row.id for row in found], text
    finally:
        await runtime.stop()


def test_the_dump_is_the_previous_release_schema() -> None:
    """The committed dump is what the previous release made (0001-0008, no later table), so
    the upgrade test starts where an operator's database would."""
    text = DUMP.read_text(encoding="utf-8")
    assert "INSERT INTO public.schema_migrations VALUES (8, " in text
    assert "INSERT INTO public.schema_migrations VALUES (9, " not in text
    assert "CREATE TABLE public.profile_seed" not in text

