"""When a lead's text cannot go out, the owner hears of it on the ``critical`` channels.

Called by SMS delivery (:mod:`pipelineos.alerts.delivery`) when Twilio's circuit is open, when
Twilio refuses a text for good, and when SMS is not configured. Each (alert, channel) pair is
one ``channel_outbox`` row, ever, so this never doubles what a route already queued.
"""

from __future__ import annotations

from typing import Any

import psycopg

from pipelineos.db import sql

QUERIES = sql.load(__package__, "channels.sql")


async def fall_back(conn: psycopg.AsyncConnection[Any], alert_id: int | None) -> int:
    """Queue a lead alert (``alert_id``), or every lead alert still waiting for its text
    (None), for the ``critical`` channels; how many rows were added."""
    if alert_id is None:
        cur = await conn.execute(QUERIES["fallback_waiting"])
    else:
        cur = await conn.execute(QUERIES["fallback_alert"], {"alert_id": alert_id})
    return len(await cur.fetchall())
