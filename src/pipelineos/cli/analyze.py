"""``pipelineos analyze``: one post through the local analyzer, nothing stored."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from pipelineos.analysis.local import LocalAnalyzer
from pipelineos.analysis.model import Analysis, BusinessProfile
from pipelineos.cli.common import err, locate_database, out, settings_or_exit, where
from pipelineos.cli.runtime import CannotOpen, open_runtime
from pipelineos.config import Settings
from pipelineos.db import locate


def analyze(
    text: Annotated[str | None, typer.Argument(help="The post; '-' or nothing reads stdin.")] = None,
    group: Annotated[str, typer.Option("--group", "-g", help="Group it was posted in.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Analyze one post with the local analyzer and print the result (nothing is stored).

    It judges fit and priority with the business profile the server uses: the service areas
    and services in the database, when one is found (as for every other command); otherwise
    with BUSINESS_AREAS / BUSINESS_SERVICES from the settings, and says so.
    """
    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        err.print("Nothing to analyze: give the post as an argument or on stdin.")
        raise typer.Exit(2)
    settings = settings_or_exit()
    try:
        located: Settings | None = locate_database(settings)
    except locate.DatabaseNotFound:
        located = None
    result = asyncio.run(_judge(located, text, group)) if located is not None else None
    if result is None:
        profile = BusinessProfile.build(settings.business_name, settings.business_services,
                                        settings.business_areas)
        result = LocalAnalyzer(profile).analyze_sync(text, group)
        err.print("No database found (or reachable): judged with BUSINESS_AREAS and "
                  "BUSINESS_SERVICES from the settings. Set PIPELINEOS_DATA_DIR or "
                  "DATABASE_URL to use a database's service areas and services.",
                  markup=False, highlight=False)
    else:
        assert located is not None
        err.print(f"Judged with the service areas and services in the {where(located)}.",
                  markup=False, highlight=False, soft_wrap=True)
    if as_json:
        out.print_json(json.dumps(result.model_dump(mode="json")))
        return
    table = Table(show_header=False, box=None)
    for key, value in result.model_dump(mode="json").items():
        if key == "reasons":
            value = "\n".join(value)
        table.add_row(f"[bold]{key}[/]", "—" if value is None else str(value))
    out.print(table)


async def _judge(settings: Settings, text: str, group: str) -> Analysis | None:
    """The runtime's own analyzer's answer (it follows the runtime's profile cache, as the
    server's does); None when the database cannot be opened."""
    try:
        async with open_runtime(settings) as runtime:
            return runtime.local_analyzer.analyze_sync(text, group)
    except CannotOpen:
        return None


def register(app: typer.Typer) -> None:
    app.command()(analyze)
