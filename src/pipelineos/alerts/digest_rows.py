"""The digest's facts for its long form, and writing that form to the digest's channel rows
(statements in channels.sql)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import psycopg
from psycopg.rows import class_row

from pipelineos.alerts import digest_mail
from pipelineos.alerts.digest_mail import DayLead, WeekRow
from pipelineos.db import sql

QUERIES = sql.load(__package__, "channels.sql")


async def set_rich_body(conn: psycopg.AsyncConnection[Any], alert_id: int, day: date, *,
                        link_base_url: str | None) -> None:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    end = start + timedelta(days=1)
    async with conn.cursor(row_factory=class_row(DayLead)) as cur:
        await cur.execute(QUERIES["digest_day_leads"], {"start": start, "end": end})
        leads = await cur.fetchall()
    week = None
    if digest_mail.wants_week(day):
        async with conn.cursor(row_factory=class_row(WeekRow)) as cur:
            await cur.execute(QUERIES["digest_week"],
                              {"start": end - timedelta(days=7), "end": end})
            week = await cur.fetchall()
    await conn.execute(QUERIES["set_rich_body"], {
        "alert_id": alert_id, "title": digest_mail.title(day),
        "body": digest_mail.render(day, leads, week, link_base_url)})
