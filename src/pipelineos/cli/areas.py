"""``pipelineos areas``: the service areas and the services the business offers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pipelineos.cli.common import err, out
from pipelineos.cli.runtime import open_runtime
from pipelineos.errors import InvalidInput
from pipelineos.leads import areas

areas_app = typer.Typer(help="Service areas and services: where the business works, what it does.",
                        no_args_is_help=True)


@areas_app.command("list")
def areas_list() -> None:
    """List service areas (with aliases) and services."""
    async def fetch() -> None:
        async with open_runtime() as runtime, runtime.pool.connection() as conn:
            found = await areas.list_areas(conn)
            services = await areas.list_services(conn)
        table = Table("area", "kind", "aliases")
        for area in found:
            table.add_row(area.name, area.kind, ", ".join(area.aliases))
        out.print(table if found else "No service areas: leads anywhere are in area.")
        out.print(f"Services: {', '.join(services) if services else 'every category'}")

    asyncio.run(fetch())


@areas_app.command("add")
def areas_add(
    name: Annotated[str, typer.Argument(help="City, neighbourhood, ZIP...")],
    kind: Annotated[str, typer.Option(help="city, neighbourhood, zip, county, region")] = "city",
    alias: Annotated[list[str] | None, typer.Option(help="Another name; repeat for more.")] = None,
) -> None:
    """Add a service area (or update the kind and aliases of an existing one)."""
    async def add() -> int:
        try:
            async with open_runtime() as runtime, runtime.pool.connection() as conn:
                area = await areas.add_area(conn, name, kind, alias or [])
        except InvalidInput as error:
            err.print(str(error))
            return 2
        out.print(f"{area.name} ({area.kind})" + (f": {', '.join(area.aliases)}"
                                                 if area.aliases else ""))
        return 0

    raise typer.Exit(asyncio.run(add()))


@areas_app.command("remove")
def areas_remove(name: Annotated[str, typer.Argument()]) -> None:
    """Remove a service area."""
    async def remove() -> int:
        async with open_runtime() as runtime, runtime.pool.connection() as conn:
            removed = await areas.remove_area(conn, name)
        out.print(f"removed {name}" if removed else f"no service area {name!r}")
        return 0 if removed else 1

    raise typer.Exit(asyncio.run(remove()))


@areas_app.command("import")
def areas_import(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Make each listed area exactly as the file says (kind city unless "
                          "given, only the file's aliases) instead of merging.")] = False,
) -> None:
    """Add areas from a YAML or CSV file (name, kind, aliases separated by '|').

    An area that exists already keeps its aliases and gains the file's; its kind changes only
    if the file gives one. Areas not in the file are left alone. Prints what changed per area.
    """
    try:
        entries = areas.parse_area_file(path.read_text(encoding="utf-8"), path.name)
    except (InvalidInput, UnicodeDecodeError) as error:
        err.print(f"{path}: {error}", markup=False, highlight=False)
        raise typer.Exit(2) from None

    async def load() -> int:
        try:
            async with open_runtime() as runtime, runtime.pool.connection() as conn:
                changes = await areas.import_areas(conn, entries, replace=replace)
        except InvalidInput as error:
            err.print(f"{path}: {error} (nothing imported)", markup=False, highlight=False)
            return 2
        for change in changes:
            out.print(_describe_change(change), markup=False, highlight=False)
        counts = {outcome: sum(c.outcome == outcome for c in changes)
                  for outcome in ("added", "updated", "unchanged")}
        out.print(f"{len(changes)} areas from {path}: {counts['added']} added, "
                  f"{counts['updated']} updated, {counts['unchanged']} unchanged",
                  markup=False, highlight=False)
        return 0

    raise typer.Exit(asyncio.run(load()))


def _describe_change(change: areas.AreaChange) -> str:
    """One line per imported area: ``added Dallas (city): DFW``, ``Plano: aliases added X``."""
    if change.outcome == "added":
        return f"added {change.name} ({change.kind})" + (
            f": {', '.join(change.aliases)}" if change.aliases else "")
    if change.outcome == "unchanged":
        return f"{change.name}: unchanged"
    parts = []
    if change.previous_kind:
        parts.append(f"kind {change.previous_kind} → {change.kind}")
    if change.aliases_added:
        parts.append(f"aliases added {', '.join(change.aliases_added)}")
    if change.aliases_removed:
        parts.append(f"aliases removed {', '.join(change.aliases_removed)}")
    return f"{change.name}: {'; '.join(parts) or 'aliases reordered'}"


@areas_app.command("services")
def areas_services(
    categories: Annotated[list[str] | None, typer.Argument(help="Categories; none = all.")] = None,
) -> None:
    """Set the services offered (e.g. `pipelineos areas services plumbing hvac`)."""
    async def put() -> int:
        try:
            async with open_runtime() as runtime, runtime.pool.connection() as conn:
                services = await areas.set_services(conn, categories or [])
        except InvalidInput as error:
            err.print(str(error))
            return 2
        out.print(f"Services: {', '.join(services) if services else 'every category'}")
        return 0

    raise typer.Exit(asyncio.run(put()))


def register(app: typer.Typer) -> None:
    app.add_typer(areas_app, name="areas")
