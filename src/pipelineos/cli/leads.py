"""``pipelineos leads``: list, show one in full, move one along the pipeline (all through
the leads service, :class:`pipelineos.leads.service.LeadService`)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

import typer
from rich.table import Table

from pipelineos.cli.common import err, out
from pipelineos.cli.runtime import open_runtime
from pipelineos.errors import InvalidInput, NotFound
from pipelineos.leads.pipeline import Status
from pipelineos.leads.service import LeadDetail, LeadFilter

Priority = Literal["high", "medium", "low"]
Fit = Literal["in_area", "outside_area", "outside_services", "unknown"]

leads_app = typer.Typer(help="Leads: list, show, move along the pipeline.", no_args_is_help=True)


@leads_app.command("list")
def leads_list(
    status: Annotated[Status | None, typer.Option()] = None,
    priority: Annotated[Priority | None, typer.Option()] = None,
    category: Annotated[str | None, typer.Option()] = None,
    area: Annotated[str | None, typer.Option(
        help="A place: leads in that service area (name or alias) and any lead whose "
             "location it is.")] = None,
    fit: Annotated[Fit | None, typer.Option(help="in_area, outside_area, outside_services, "
                                                 "unknown")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
) -> None:
    """Leads, newest first."""
    async def fetch() -> None:
        filters = LeadFilter(priority=priority, category=category, status=status, area=area,
                             fit=fit)
        async with open_runtime() as runtime:
            rows = (await runtime.leads.list_leads(filters, limit=limit)).leads
        table = Table("id", "created", "priority", "status", "category", "area/location",
                      "fit", "summary")
        for lead in rows:
            table.add_row(str(lead.id), lead.created_at.strftime("%m-%d %H:%M"), lead.priority,
                          lead.status, lead.category or "", lead.area or lead.location or "",
                          lead.fit, lead.summary[:60])
        out.print(table if rows else "No leads match.")

    asyncio.run(fetch())


@leads_app.command("show")
def leads_show(lead_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1)]) -> None:
    """One lead in full: its post, analysis, every sighting and its status history."""
    async def show() -> int:
        async with open_runtime() as runtime:
            detail = await runtime.leads.detail(lead_id)
        if detail is None:
            err.print(f"No lead {lead_id}")
            return 1
        _print_lead(detail)
        return 0

    raise typer.Exit(asyncio.run(show()))


def _print_lead(detail: LeadDetail) -> None:
    lead, origin, analysis = detail.lead, detail.origin, detail.analysis
    stamp = "%Y-%m-%d %H:%M:%S %Z"
    table = Table(show_header=False, box=None)
    rows = [
        ("lead", f"{lead.id}: {lead.priority} priority, {lead.status} "
                 f"(since {lead.status_changed_at.strftime(stamp)})"),
        ("need", f"{lead.category or 'unknown service'}, {lead.urgency} urgency"),
        ("place", f"{lead.location or 'not named'}"
                  + (f" (service area {lead.area})" if lead.area else "") + f", {lead.fit}"),
        ("summary", lead.summary),
        ("post", f"{lead.post_id} in {lead.group_name!r}, received "
                 f"{origin.received_at.strftime(stamp)}"),
        ("source", ", ".join(part for part in (
            origin.source, origin.source_id and f"id {origin.source_id}", origin.url,
            origin.author and f"by {origin.author}",
            origin.posted_at and f"posted {origin.posted_at.strftime(stamp)}") if part)),
        ("text", lead.post_text),
        ("analysis", f"{analysis.analyzer}" + (f" ({analysis.model})" if analysis.model else "")
                     + f", confidence {analysis.confidence:.2f}, "
                       f"{analysis.created_at.strftime(stamp)}"),
        ("reasons", "\n".join(analysis.reasons) or "—"),
        ("seen", "\n".join(
            f"{s.received_at.strftime(stamp)}  post {s.post_id} in {s.group_name!r}"
            + (f" (similarity {s.similarity:.2f})" if s.similarity is not None else "")
            for s in detail.seen)),
        ("history", "\n".join(
            f"{e.at.strftime(stamp)}  {e.actor}: "
            + (f"{e.from_status} → {e.to_status}" if e.to_status else "note")
            + (f"  {e.note!r}" if e.note else "") for e in detail.events) or "—"),
    ]
    for key, value in rows:
        table.add_row(f"[bold]{key}[/]", value)
    out.print(table)


@leads_app.command("set-status")
def leads_set_status(
    lead_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1)],
    status: Annotated[Status, typer.Argument(help="new, contacted, quoted, won, lost, spam")],
    note: Annotated[str | None, typer.Option(help="A note kept with the change.")] = None,
    by: Annotated[str, typer.Option(help="Who made the change.")] = "cli",
) -> None:
    """Move a lead along the pipeline."""
    async def update() -> int:
        try:
            async with open_runtime() as runtime:
                change = await runtime.leads.set_status(lead_id, status, actor=by, note=note)
        except NotFound as error:
            err.print(str(error))
            return 1
        except InvalidInput as error:
            err.print(str(error))
            return 2
        event = change.event
        out.print(f"lead {lead_id}: " + (f"{event.from_status} → {event.to_status}"
                                         if event and event.to_status else "unchanged"))
        return 0

    raise typer.Exit(asyncio.run(update()))


def register(app: typer.Typer) -> None:
    app.add_typer(leads_app, name="leads")
