"""The lead page's reply drafted by Claude (the loopback fake), and the template when Claude
cannot answer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from pipelineos.bootstrap import Runtime
from pipelineos.web.app import create_app
from tests.fakes.claude_server import FakeClaude, Reply
from tests.integration.ai.support import claude_settings
from tests.integration.dashboard.test_pages import HOT, add_lead, csrf_of


@pytest.fixture
async def claude_client(migrated_url: str, tmp_path: Path
                        ) -> AsyncIterator[tuple[httpx.AsyncClient, FakeClaude]]:
    with FakeClaude() as fake:
        settings = claude_settings(migrated_url, tmp_path, fake, business_name="Ace Plumbing",
                                   claude_retry_attempts=1)
        runtime = await Runtime.start(settings)
        app = create_app(settings, runtime=runtime)
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://d") as client:
                yield client, fake
        finally:
            await runtime.stop()


async def test_claude_writes_the_reply_with_the_business_name(
        claude_client: tuple[httpx.AsyncClient, FakeClaude]) -> None:
    client, fake = claude_client
    lead_id = await add_lead(client)
    page = await client.get(f"/leads/{lead_id}")
    assert "By template" in page.text and "Write with Claude" in page.text
    fake.script(Reply.malformed({"reply": "Hi! Ace Plumbing here, we can fix that water heater "
                                          "in Dallas today. Best number to call?"}))
    drafted = await client.post(f"/leads/{lead_id}/draft", data={"csrf": csrf_of(page.text)})
    assert drafted.status_code == 200
    assert "By Claude" in drafted.text and "Ace Plumbing here" in drafted.text
    asked = fake.requests[-1].body
    assert asked["tool_choice"]["name"] == "draft_reply"
    assert "Ace Plumbing" in json.dumps(asked["system"]) and HOT["post_text"] in json.dumps(
        asked["messages"])


async def test_the_template_comes_back_when_claude_fails(
        claude_client: tuple[httpx.AsyncClient, FakeClaude]) -> None:
    client, fake = claude_client
    lead_id = await add_lead(client)
    token = csrf_of((await client.get(f"/leads/{lead_id}")).text)
    fake.script(Reply.status_error(500), Reply.status_error(500))
    drafted = await client.post(f"/leads/{lead_id}/draft", data={"csrf": token})
    assert drafted.status_code == 200
    assert "Claude could not write one" in drafted.text and "By template" in drafted.text
    assert "this is Ace Plumbing" in drafted.text
    assert (await client.post(f"/leads/{lead_id}/draft")).status_code == 403
