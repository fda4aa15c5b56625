"""A reply the owner can copy and send: the business's name and what the post asked for.

Written from a template, so it is there at once and costs nothing; the owner edits it before
sending (a drafted reply is a start, never sent by us).
"""

from __future__ import annotations

from pipelineos.leads.store import LeadDetail

_NEED = {"hvac": "the heating/cooling job", "other": "what you asked about"}


def reply(detail: LeadDetail, *, business: str) -> str:
    lead = detail.lead
    category = lead.category or "other"
    need = _NEED.get(category, f"the {category.replace('_', ' ')} job")
    where = f" in {lead.location}" if lead.location else ""
    names = (detail.origin.author or "").split()
    hello = f"Hi {names[0]}," if names else "Hi,"
    soon = (" We can come out today." if lead.urgency == "emergency"
            else " We can come out this week." if lead.urgency == "soon" else "")
    return (f"{hello} this is {business}. Saw your post about {need}{where} "
            f"and we'd be glad to help.{soon} What's the best number to reach you?")
