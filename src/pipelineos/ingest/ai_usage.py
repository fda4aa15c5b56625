"""Claude requests and their token usage, as stored rows (``ai_requests``)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from pipelineos.ingest.posts import QUERIES
from pipelineos.integrations.claude.usage import Usage


async def record_request(
    conn: psycopg.AsyncConnection[Any], *, vendor_request_id: str | None, message_id: str | None,
    model: str, posts: int, outcome: str, usage: Usage,
) -> int:
    """Store one Claude request and what it cost; return its id for the analyses it covered."""
    cur = await conn.execute(QUERIES["insert_ai_request"], {
        "vendor_request_id": vendor_request_id, "message_id": message_id, "model": model,
        "posts": posts, "outcome": outcome, "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens, "cache_read_tokens": usage.cache_read_tokens,
        "cache_write_tokens": usage.cache_write_tokens,
    })
    row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def totals(conn: psycopg.AsyncConnection[Any]) -> dict[str, int]:
    """Requests, invalid replies, posts covered and tokens recorded by every process."""
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(QUERIES["ai_usage_totals"])
        row = await cur.fetchone()
    assert row is not None
    return {key: int(value) for key, value in row.items()}
