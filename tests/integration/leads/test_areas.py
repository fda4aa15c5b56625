"""Service areas and services: managed by API, cached in every process, used for fit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import psycopg

from pipelineos.bootstrap import SCHEMA, Runtime
from pipelineos.db.pool import create_pool
from pipelineos.leads import areas
from tests.conftest import make_settings


async def test_areas_and_services_are_managed_by_the_api(client: httpx.AsyncClient) -> None:
    """Add (with aliases), list, replace services, remove; bad input is a precise 422/404."""
    added = await client.post("/api/areas", json={"name": "Dallas", "aliases": ["DFW", "Big D"]})
    assert added.status_code == 201 and added.json()["aliases"] == ["DFW", "Big D"]
    assert (await client.post("/api/areas", json={"name": "75204", "kind": "zip"})).status_code == 201
    services = await client.put("/api/services", json={"services": ["plumbing", "HVAC"]})
    assert services.json()["services"] == ["hvac", "plumbing"]
    listed = (await client.get("/api/areas")).json()
    assert [a["name"] for a in listed["areas"]] == ["75204", "Dallas"]

    assert (await client.post("/api/areas", json={"name": "X", "kind": "planet"})).status_code == 422
    assert (await client.post("/api/areas", json={"name": ""})).status_code == 422
    assert (await client.put("/api/services", json={"services": ["astrology"]})).status_code == 422
    assert (await client.delete("/api/areas/Dallas")).status_code == 204
    assert (await client.delete("/api/areas/Dallas")).status_code == 404


async def test_a_change_reaches_every_process_without_a_restart(
    migrated_url: str, tmp_path: Path
) -> None:
    """Two processes' caches (two runtimes, two pools): an area added through one is used by
    the other's analyzer within moments, through LISTEN/NOTIFY."""
    one = await Runtime.start(make_settings(migrated_url, tmp_path / "one"))
    two = await Runtime.start(make_settings(migrated_url, tmp_path / "two"))
    try:
        post = "Need a plumber in Frisco ASAP, water heater leaking"
        before = await two.intake.analyze(post, "Frisco Neighbors")
        post = "Frisco: our kitchen sink is clogged, need a plumber soon"
        async with one.pool.connection() as conn:
            await conn.execute("INSERT INTO service_areas (name, aliases) VALUES ('Plano', '{}')")
        for _ in range(100):
            if "Plano" in two.profile.areas:
                break
            await asyncio.sleep(0.02)
        after = await two.intake.analyze(post, "Frisco Neighbors")
        async with one.pool.connection() as conn:
            await conn.execute("UPDATE service_areas SET aliases = '{Frisco}' WHERE name = 'Plano'")
        for _ in range(100):
            if two.profile.aliases.get("frisco") == "Plano":
                break
            await asyncio.sleep(0.02)
        post = "Toilet overflowing in Frisco, need a plumber today"
        aliased = await two.intake.analyze(post, "Frisco Neighbors")
    finally:
        await one.stop()
        await two.stop()
    assert (before.fit, before.analysis.priority) == ("in_area", "high")  # no areas: anywhere
    assert (after.fit, after.analysis.priority) == ("outside_area", "low")
    assert (aliased.fit, aliased.area, aliased.analysis.priority) == ("in_area", "Plano", "high")


async def test_analyzing_posts_costs_no_area_query(
    client: httpx.AsyncClient, migrated_url: str, runtime: Runtime
) -> None:
    """With the area tables locked against every reader, fifty analyses still finish and
    place their leads in the right area: the analyze path reads only the in-memory cache."""
    await client.post("/api/areas", json={"name": "Dallas"})
    for _ in range(100):
        if runtime.profile.areas:
            break
        await asyncio.sleep(0.02)
    with psycopg.connect(migrated_url) as locker:
        locker.execute("LOCK TABLE service_areas, services IN ACCESS EXCLUSIVE MODE")
        for i in range(50):
            response = await asyncio.wait_for(client.post("/api/leads/analyze", json={
                "post_text": f"Need a plumber in Dallas for a leaking water heater #{i}",
                "group_name": "Dallas Home Services"}), timeout=5)
            assert response.json()["lead"]["area"] == "Dallas"
        locker.rollback()


async def test_lead_outside_the_business_is_stored_and_marked(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    """A roofing lead for a plumbing-only business, and a plumbing lead in Denver for a Dallas
    business: both stored as leads, marked, and low priority."""
    await client.post("/api/areas", json={"name": "Dallas"})
    await client.put("/api/services", json={"services": ["plumbing"]})
    for _ in range(100):
        if runtime.profile.services and runtime.profile.areas:
            break
        await asyncio.sleep(0.02)
    roof = (await client.post("/api/leads/analyze", json={
        "post_text": "Need a roofer in Dallas, hail damage on the roof", "group_name": "g"})).json()
    denver = (await client.post("/api/leads/analyze", json={
        "post_text": "Need a plumber in Denver, leaking water heater", "group_name": "g"})).json()
    assert (roof["lead"]["fit"], roof["lead"]["priority"]) == ("outside_services", "low")
    assert (denver["lead"]["fit"], denver["lead"]["priority"]) == ("outside_area", "low")


async def test_business_areas_and_services_seed_a_database_once(
    migrated_url: str, tmp_path: Path
) -> None:
    """The first start fills the tables from BUSINESS_AREAS / BUSINESS_SERVICES; after the
    owner removes the last area and every service, a restart with the same settings keeps
    "anywhere" and "every service" instead of bringing them back."""
    settings = make_settings(migrated_url, tmp_path, business_areas="Dallas, Plano",
                             business_services="plumbing")
    first = await Runtime.start(settings)
    try:
        assert (first.profile.areas, first.profile.services) == (("Dallas", "Plano"),
                                                                 frozenset({"plumbing"}))
        async with first.pool.connection() as conn:
            await areas.remove_area(conn, "Dallas")
            await areas.remove_area(conn, "Plano")
            await areas.set_services(conn, [])
    finally:
        await first.stop()
    again = await Runtime.start(settings)
    try:
        assert (again.profile.areas, again.profile.services) == ((), frozenset())
        async with again.pool.connection() as conn:
            seeded = await (await conn.execute(
                "SELECT areas, services FROM profile_seed")).fetchall()
        assert seeded == [(["Dallas", "Plano"], ["plumbing"])]
    finally:
        await again.stop()


async def test_a_database_in_use_before_the_seed_record_is_not_seeded_again(
    database_url: str, tmp_path: Path
) -> None:
    """A database that already had areas (and no services: every service) when migration
    0009 arrived counts as seeded: BUSINESS_SERVICES does not fill its services."""
    pool = create_pool(database_url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        await SCHEMA.migrate(pool, [m for m in SCHEMA.available() if m.version < 9])
        async with pool.connection() as conn:
            await conn.execute("INSERT INTO service_areas (name) VALUES ('Dallas')")
        await SCHEMA.migrate(pool)
    finally:
        await pool.close()
    runtime = await Runtime.start(make_settings(database_url, tmp_path,
                                                business_areas="Plano",
                                                business_services="roofing"))
    try:
        assert (runtime.profile.areas, runtime.profile.services) == (("Dallas",), frozenset())
    finally:
        await runtime.stop()


async def test_importing_areas_merges_unless_asked_to_replace(runtime: Runtime) -> None:
    """Import adds aliases to those an area has and keeps its kind unless the file names one,
    and says per area what changed; with replace the area becomes what the file says."""
    async with runtime.pool.connection() as conn:
        await areas.add_area(conn, "Dallas", "county", ["DFW"])
        merged = await areas.import_areas(conn, [
            areas.AreaEntry.of("dallas", None, ["Big D", "dfw"]),
            areas.AreaEntry.of("Plano", None, ["Legacy West"]),
            areas.AreaEntry.of("Plano"),
        ])
        assert [(c.name, c.outcome, c.kind, c.aliases, c.aliases_added, c.aliases_removed)
                for c in merged] == [
            ("Dallas", "updated", "county", ["DFW", "Big D"], ["Big D"], []),
            ("Plano", "added", "city", ["Legacy West"], ["Legacy West"], []),
            ("Plano", "unchanged", "city", ["Legacy West"], [], []),
        ]
        replaced = await areas.import_areas(
            conn, [areas.AreaEntry.of("Dallas", None, ["Metroplex"])], replace=True)
        assert [(c.outcome, c.kind, c.previous_kind, c.aliases, c.aliases_added,
                 c.aliases_removed) for c in replaced] == [
            ("updated", "city", "county", ["Metroplex"], ["Metroplex"], ["DFW", "Big D"])]
        stored = {a.name: (a.kind, a.aliases) for a in await areas.list_areas(conn)}
    assert stored == {"Dallas": ("city", ["Metroplex"]), "Plano": ("city", ["Legacy West"])}
