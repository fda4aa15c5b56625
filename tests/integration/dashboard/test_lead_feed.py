"""The live inbox's listener: a new lead wakes every watcher, a lost connection is listened
on again (and the watchers woken, to catch up), and the connection goes back to the pool when
the last watcher leaves."""

from __future__ import annotations

import asyncio

import httpx

from pipelineos.bootstrap import Runtime
from pipelineos.leads.live import LeadFeed
from tests.integration.dashboard.test_pages import add_lead


async def test_watchers_are_woken_by_new_leads_and_after_a_lost_connection(
        runtime: Runtime, client: httpx.AsyncClient) -> None:
    feed = LeadFeed(runtime.pool, retry_seconds=0.05, idle_check_seconds=0.2)
    async with feed.watch() as first, feed.watch() as second:
        await asyncio.wait_for(feed.listening.wait(), 10)
        first.clear()
        second.clear()
        await add_lead(client)
        await asyncio.wait_for(asyncio.gather(first.wait(), second.wait()), 10)
        first.clear()
        async with runtime.pool.connection() as conn:
            await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                               " WHERE query LIKE 'LISTEN pipelineos_leads%%'"
                               " AND pid <> pg_backend_pid()")
        await asyncio.wait_for(first.wait(), 10)  # listening again, told to catch up
        first.clear()
        reply = await client.post("/api/leads/analyze", json={
            "post_text": "Looking for an electrician in Plano tonight, breaker keeps tripping",
            "group_name": "Plano Neighbors"})
        assert reply.json()["lead"] is not None
        await asyncio.wait_for(first.wait(), 10)
    for _ in range(50):  # the last watcher left: the task ends and returns its connection
        if feed._task is None or feed._task.done():
            break
        await asyncio.sleep(0.1)
    assert feed._task is not None and feed._task.done()
    await feed.stop()
