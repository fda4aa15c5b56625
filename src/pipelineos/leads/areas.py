"""Service areas and services: stored in PostgreSQL, cached in every process.

The tables are the source of truth (managed by `/api/areas`, `pipelineos areas`, or imported
from YAML/CSV). Every process keeps a :class:`BusinessProfile` built from them in memory, so
analyzing a post costs no query; a trigger on both tables sends a ``pipelineos_profile``
notification and each process's :class:`ProfileCache` reloads. After a lost listening
connection the cache reloads once reconnected, so a change made meanwhile is not missed.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from psycopg.rows import class_row
from psycopg_pool import AsyncConnectionPool

from pipelineos.analysis.model import CATEGORIES, BusinessProfile
from pipelineos.db.notify import Backoff, Listener
from pipelineos.errors import InvalidInput
from pipelineos.inputs import TextRule

log = logging.getLogger(__name__)

CHANNEL = "pipelineos_profile"
KINDS = ("city", "neighbourhood", "zip", "county", "region")
AREA_NAME = TextRule(100)  # a name or an alias
MAX_ALIASES = 50


@dataclass(frozen=True)
class ServiceArea:
    id: int
    name: str
    kind: str
    aliases: list[str]


def clean_area(name: str, kind: str = "city", aliases: Iterable[str] = ()) -> tuple[str, str,
                                                                                     list[str]]:
    """Validate an area as a user gave it; raise :class:`InvalidInput` with the reason."""
    name = AREA_NAME.clean(name, "area name")
    if kind not in KINDS:
        raise InvalidInput(f"area kind must be one of {', '.join(KINDS)}")
    cleaned = list(dict.fromkeys(AREA_NAME.clean(a, "alias") for a in aliases if a.strip()))
    if len(cleaned) > MAX_ALIASES:
        raise InvalidInput(f"at most {MAX_ALIASES} aliases")
    return name, kind, cleaned


@dataclass(frozen=True)
class AreaEntry:
    """An area as a file or a user gives it, validated; ``kind`` None means not given."""

    name: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()

    @classmethod
    def of(cls, name: str, kind: str | None = None, aliases: Iterable[str] = ()) -> AreaEntry:
        """Validate; raise :class:`InvalidInput` with the reason."""
        name, checked, cleaned = clean_area(name, kind or "city", aliases)
        return cls(name, checked if kind else None, tuple(cleaned))


@dataclass(frozen=True)
class AreaChange:
    """What importing one entry did to the stored area."""

    name: str
    outcome: Literal["added", "updated", "unchanged"]
    kind: str
    aliases: list[str]  # as stored now
    aliases_added: list[str]
    aliases_removed: list[str]
    previous_kind: str | None = None  # set when the kind changed


async def list_areas(conn: psycopg.AsyncConnection[Any]) -> list[ServiceArea]:
    async with conn.cursor(row_factory=class_row(ServiceArea)) as cur:
        await cur.execute("SELECT id, name, kind, aliases FROM service_areas ORDER BY lower(name)")
        return await cur.fetchall()


async def add_area(conn: psycopg.AsyncConnection[Any], name: str, kind: str = "city",
                   aliases: Iterable[str] = ()) -> ServiceArea:
    """Add an area, or update the kind and aliases of the area with that name."""
    name, kind, cleaned = clean_area(name, kind, aliases)
    async with conn.cursor(row_factory=class_row(ServiceArea)) as cur:
        await cur.execute(
            "INSERT INTO service_areas (name, kind, aliases) VALUES (%s, %s, %s)"
            " ON CONFLICT (lower(name)) DO UPDATE SET kind = excluded.kind,"
            " aliases = excluded.aliases RETURNING id, name, kind, aliases",
            (name, kind, cleaned))
        row = await cur.fetchone()
    assert row is not None
    return row


async def remove_area(conn: psycopg.AsyncConnection[Any], name: str) -> bool:
    cur = await conn.execute("DELETE FROM service_areas WHERE lower(name) = lower(%s)",
                             (AREA_NAME.clean(name, "area name"),))
    return cur.rowcount > 0


async def import_areas(conn: psycopg.AsyncConnection[Any], entries: Iterable[AreaEntry], *,
                       replace: bool = False) -> list[AreaChange]:
    """Add or update each area, all in one transaction; what changed, entry by entry.

    Merging (the default) keeps what an area has: the entry's aliases are added to its own
    (compared in any case), and its kind changes only when the entry names one. With
    ``replace`` the area becomes the entry: its kind (``city`` when not named) and only its
    aliases. Areas missing from ``entries`` are left alone either way.
    """
    changes: list[AreaChange] = []
    async with conn.transaction():
        # Writers wait for each other (no lost alias); readers of the table do not wait.
        await conn.execute("LOCK TABLE service_areas IN SHARE ROW EXCLUSIVE MODE")
        stored = {area.name.lower(): area for area in await list_areas(conn)}
        for entry in entries:
            current = stored.get(entry.name.lower())
            if current is None:
                area = await add_area(conn, entry.name, entry.kind or "city", entry.aliases)
                changes.append(AreaChange(area.name, "added", area.kind, area.aliases,
                                          area.aliases, []))
            else:
                kind = entry.kind or ("city" if replace else current.kind)
                aliases = list(entry.aliases) if replace else _union(current.aliases,
                                                                     entry.aliases)
                if len(aliases) > 50:
                    raise InvalidInput(f"{current.name}: at most 50 aliases")
                known = {a.lower() for a in current.aliases}
                kept = {a.lower() for a in aliases}
                added = [a for a in aliases if a.lower() not in known]
                removed = [a for a in current.aliases if a.lower() not in kept]
                if kind == current.kind and aliases == current.aliases:
                    changes.append(AreaChange(current.name, "unchanged", kind, aliases, [], []))
                    continue
                area = await add_area(conn, current.name, kind, aliases)
                changes.append(AreaChange(
                    area.name, "updated", area.kind, area.aliases, added, removed,
                    previous_kind=current.kind if kind != current.kind else None))
            stored[area.name.lower()] = area
    return changes


def _union(aliases: list[str], more: Iterable[str]) -> list[str]:
    """``aliases`` then each of ``more`` not already among them, in any case."""
    seen = {a.lower() for a in aliases}
    merged = list(aliases)
    for alias in more:
        if alias.lower() not in seen:
            seen.add(alias.lower())
            merged.append(alias)
    return merged


async def list_services(conn: psycopg.AsyncConnection[Any]) -> list[str]:
    cur = await conn.execute("SELECT category FROM services ORDER BY category")
    return [row[0] for row in await cur.fetchall()]


def clean_services(categories: Iterable[str]) -> list[str]:
    cleaned = sorted({c.strip().lower().replace(" ", "_").replace("-", "_")
                      for c in categories if c.strip()})
    unknown = [c for c in cleaned if c not in CATEGORIES]
    if unknown:
        raise InvalidInput(f"unknown service categories: {', '.join(unknown)}; "
                           f"known: {', '.join(CATEGORIES)}")
    return cleaned


async def set_services(conn: psycopg.AsyncConnection[Any], categories: Iterable[str]) -> list[str]:
    """Replace the services offered (an empty list means every category)."""
    cleaned = clean_services(categories)
    async with conn.transaction():
        await conn.execute("DELETE FROM services")
        for category in cleaned:
            await conn.execute("INSERT INTO services (category) VALUES (%s)", (category,))
    return cleaned


def parse_area_file(text: str, filename: str) -> list[AreaEntry]:
    """Areas from YAML (a list of names or of {name, kind, aliases}) or CSV (name,kind,aliases
    with aliases separated by '|'). An entry without a kind leaves it unset (an import then
    keeps the stored area's kind). Raises :class:`InvalidInput` naming the bad entry."""
    entries: list[Mapping[str, Any]] = []
    if filename.lower().endswith((".yaml", ".yml")):
        import yaml

        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as error:
            raise InvalidInput(f"not valid YAML: {error}") from None
        if isinstance(data, Mapping):
            data = data.get("areas", [])
        if not isinstance(data, list):
            raise InvalidInput("YAML must be a list of areas (or {areas: [...]})")
        entries = [item if isinstance(item, Mapping) else {"name": str(item)} for item in data]
    elif filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise InvalidInput("CSV needs a header row with at least a 'name' column")
        entries = [{"name": row.get("name") or "", "kind": row.get("kind"),
                    "aliases": [a for a in (row.get("aliases") or "").split("|") if a.strip()]}
                   for row in reader]
    else:
        raise InvalidInput("area files are .yaml, .yml or .csv")
    areas = []
    for number, entry in enumerate(entries, start=1):
        aliases = entry.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in aliases.split("|")]
        kind = str(entry.get("kind") or "").strip() or None
        try:
            areas.append(AreaEntry.of(str(entry.get("name") or ""), kind,
                                      [str(a) for a in aliases]))
        except InvalidInput as error:
            raise InvalidInput(f"entry {number}: {error}") from None
    return areas


async def load_profile(conn: psycopg.AsyncConnection[Any], business_name: str) -> BusinessProfile:
    areas = await list_areas(conn)
    services = await list_services(conn)
    aliases = {alias: area.name for area in areas for alias in area.aliases}
    return BusinessProfile.build(business_name, services, [a.name for a in areas], aliases)


async def seed(conn: psycopg.AsyncConnection[Any], areas: Iterable[str],
               services: Iterable[str]) -> bool:
    """Fill the tables from BUSINESS_AREAS / BUSINESS_SERVICES on a database's first start and
    record that it happened; every later start leaves the tables alone, so an owner who
    removed the last area (anywhere) or service (every service) keeps that choice. True when
    this call seeded. Processes starting together seed once: the second waits on the first's
    record, then finds it."""
    areas, services = list(areas), list(services)
    async with conn.transaction():
        cur = await conn.execute(
            "INSERT INTO profile_seed (areas, services) VALUES (%s, %s)"
            " ON CONFLICT DO NOTHING RETURNING seeded_at", (areas, services))
        if await cur.fetchone() is None:
            return False
        if not await list_areas(conn):
            for name in areas:
                await add_area(conn, name)
        if services and not await list_services(conn):
            await set_services(conn, services)
    return True


class ProfileCache:
    """The business profile in memory, reloaded whenever the tables change in any process.

    A :class:`~pipelineos.db.notify.Listener` follows the tables' channel on a pooled
    connection and reloads on every notification, and after every reconnect (a change made
    while it was not listening is not missed). Stopping ends it in bounded time whatever it is
    doing (a reload borrows a second connection, and a cancel that arrives as the pool hands
    one over can be lost: the listener re-cancels until it is done).
    """

    def __init__(self, pool: AsyncConnectionPool, business_name: str,
                 retry_seconds: float = 2.0) -> None:
        self.pool = pool
        self.business_name = business_name
        self.retry_seconds = retry_seconds
        self.profile = BusinessProfile(name=business_name)
        self.loads = 0
        self._subscribers: list[Callable[[BusinessProfile], None]] = []
        self._missed_some = False  # a gap between the last load and listening
        self._listener = Listener(
            pool, [CHANNEL], self._changed, catch_up=self._caught_up, name="profile listener",
            on_lost=self._lost,
            backoff=Backoff(first_seconds=retry_seconds, cap_seconds=retry_seconds))

    @property
    def running(self) -> bool:
        """True while the listening task is alive."""
        return self._listener.running

    def subscribe(self, callback: Callable[[BusinessProfile], None]) -> None:
        """Call ``callback(profile)`` now and after every change."""
        self._subscribers.append(callback)
        callback(self.profile)

    async def reload(self) -> BusinessProfile:
        async with self.pool.connection() as conn:
            profile = await load_profile(conn, self.business_name)
        self.profile = profile
        self.loads += 1
        for callback in self._subscribers:
            callback(profile)
        log.info("Business profile loaded",
                 extra={"fields": {"areas": len(profile.areas), "aliases": len(profile.aliases),
                                   "services": sorted(profile.services) or "all"}})
        return profile

    async def start(self) -> None:
        await self.reload()
        self._missed_some = False
        self._listener.start()
        await self._listener.started(timeout=10)

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop listening, within ``timeout`` seconds whatever the listener was doing."""
        await self._listener.stop(timeout=timeout)

    async def _changed(self, notes: Sequence[psycopg.Notify]) -> None:
        await self.reload()

    async def _caught_up(self) -> None:
        if self._missed_some:  # start() loaded just before the first LISTEN
            await self.reload()  # changes made while we were not listening
        self._missed_some = True  # from now on, every (re)connect follows a gap

    def _lost(self, fields: Mapping[str, object]) -> None:
        self._missed_some = True
        log.warning("Business profile listener reconnecting", extra={"fields": fields})
