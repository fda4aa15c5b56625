"""A lead's progress: new → contacted → quoted → won / lost (or spam), with a history.

Any status may follow any other (people correct mistakes); every change and every note is an
event with its time and who made it. :mod:`pipelineos.leads.service` makes the changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pipelineos.inputs import TextRule

STATUSES = ("new", "contacted", "quoted", "won", "lost", "spam")
Status = Literal["new", "contacted", "quoted", "won", "lost", "spam"]
NOTE = TextRule(2000, one_line=False)
ACTOR = TextRule(100)


@dataclass(frozen=True)
class LeadEvent:
    """One change in a lead's history: a status change (``from_status`` → ``to_status``), a
    note, or both."""

    id: int
    at: datetime
    actor: str
    from_status: str | None
    to_status: str | None
    note: str | None
