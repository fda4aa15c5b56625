"""The digest as the ``digest`` channels get it: an HTML body (e-mail sends it with a text part
made from it) with the day's leads by priority, their statuses and speed to lead, and on the
digest of a Sunday, the week's summary by group and category (leads, won, lost).

SMS keeps its short text (:func:`pipelineos.alerts.text.digest`); this is the long form.
"""

from __future__ import annotations

import html
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

SUNDAY = 6


@dataclass(frozen=True)
class DayLead:
    id: int
    priority: str
    status: str
    category: str
    location: str | None
    group_name: str
    created_at: datetime
    alerted_at: datetime | None
    moved_at: datetime | None


@dataclass(frozen=True)
class WeekRow:
    group_name: str
    category: str
    leads: int
    won: int
    lost: int


def wants_week(day: date) -> bool:
    """The digest of the last day of a week (Sunday) carries the week's summary."""
    return day.weekday() == SUNDAY


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _median(values: Sequence[float]) -> str:
    return _duration(statistics.median(values)) if values else "–"


def title(day: date) -> str:
    return f"PipelineOS digest for {day.isoformat()}"


def render(day: date, leads: Sequence[DayLead], week: Sequence[WeekRow] | None,
           link_base_url: str | None) -> str:
    """The digest as HTML (every value escaped)."""
    e = html.escape
    by_priority = {p: sum(1 for lead in leads if lead.priority == p)
                   for p in ("high", "medium", "low")}
    by_status: dict[str, int] = {}
    for lead in leads:
        by_status[lead.status] = by_status.get(lead.status, 0) + 1
    to_text = [(lead.alerted_at - lead.created_at).total_seconds()
               for lead in leads if lead.alerted_at is not None]
    to_move = [(lead.moved_at - lead.created_at).total_seconds()
               for lead in leads if lead.moved_at is not None]
    parts = [f"<h2>{e(title(day))}</h2>",
             f"<p><b>{len(leads)} leads</b>: " + ", ".join(
                 f"{n} {p}" for p, n in by_priority.items()) + "</p>",
             "<p>Statuses: " + (", ".join(f"{n} {e(s)}" for s, n in sorted(by_status.items()))
                                or "none") + "</p>",
             f"<p>Speed to lead: texted in {_median(to_text)} (median of {len(to_text)}), "
             f"first contact in {_median(to_move)} (median of {len(to_move)}).</p>"]
    if leads:
        parts.append("<table><tr><th>Lead</th><th>Priority</th><th>Status</th>"
                     "<th>What</th><th>Where</th><th>Group</th><th>Contacted after</th></tr>")
        for lead in leads:
            name = f"#{lead.id}"
            if link_base_url:
                name = f'<a href="{e(link_base_url)}/leads/{lead.id}">#{lead.id}</a>'
            moved = (_duration((lead.moved_at - lead.created_at).total_seconds())
                     if lead.moved_at else "–")
            parts.append(f"<tr><td>{name}</td><td>{e(lead.priority)}</td>"
                         f"<td>{e(lead.status)}</td><td>{e(lead.category)}</td>"
                         f"<td>{e(lead.location or '')}</td><td>{e(lead.group_name)}</td>"
                         f"<td>{moved}</td></tr>")
        parts.append("</table>")
    if week is not None:
        start = day - timedelta(days=6)
        total = sum(r.leads for r in week)
        won = sum(r.won for r in week)
        lost = sum(r.lost for r in week)
        parts.append(f"<h3>Week {start.isoformat()} to {day.isoformat()}</h3>"
                     f"<p><b>{total} leads</b>, {won} won, {lost} lost.</p>")
        if week:
            parts.append("<table><tr><th>Group</th><th>Category</th><th>Leads</th>"
                         "<th>Won</th><th>Lost</th></tr>")
            parts.extend(f"<tr><td>{e(r.group_name)}</td><td>{e(r.category)}</td>"
                         f"<td>{r.leads}</td><td>{r.won}</td><td>{r.lost}</td></tr>"
                         for r in week)
            parts.append("</table>")
    return "\n".join(parts)
