"""``pipelineos leads export``: every lead meeting the filters, newest first, as CSV (cells safe
for spreadsheets) or NDJSON, to standard output or a file, a page at a time
(pipelineos.leads.export). Adds itself to the ``leads`` group (cli/leads.py)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from pipelineos.cli.common import err, say
from pipelineos.cli.leads import Fit, Priority, leads_app
from pipelineos.cli.runtime import CannotOpen, open_runtime
from pipelineos.leads import export
from pipelineos.leads.pipeline import Status
from pipelineos.leads.service import LeadFilter


def register(app: typer.Typer) -> None:
    """Add ``export`` to the ``leads`` group (``app`` has it already)."""
    del app

    @leads_app.command("export")
    def leads_export(
        fmt: Annotated[export.Format, typer.Option("--format", help="csv or ndjson")] = "csv",
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", dir_okay=False, help="Write here instead of standard output.")]
            = None,
        status: Annotated[Status | None, typer.Option()] = None,
        priority: Annotated[Priority | None, typer.Option()] = None,
        category: Annotated[str | None, typer.Option()] = None,
        area: Annotated[str | None, typer.Option(help="A place, as in `leads list`.")] = None,
        fit: Annotated[Fit | None, typer.Option()] = None,
    ) -> None:
        """Every lead meeting the filters, newest first, as CSV or NDJSON."""
        filters = LeadFilter(priority=priority, category=category, status=status, area=area,
                             fit=fit)

        async def write(stream: TextIO) -> int:
            async with open_runtime() as runtime:
                async for chunk in export.chunks(runtime.leads, filters, fmt):
                    stream.write(chunk)
            return 0

        try:
            if output is None:
                code = asyncio.run(write(sys.stdout))
            else:
                with output.open("w", encoding="utf-8", newline="") as stream:
                    code = asyncio.run(write(stream))
                say(err, f"Wrote {output}")
        except CannotOpen:
            raise typer.Exit(1) from None
        raise typer.Exit(code)
