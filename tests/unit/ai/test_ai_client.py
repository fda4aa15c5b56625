"""The SDK seam: the real ``anthropic`` client against the loopback fake, errors translated."""

from __future__ import annotations

import ast
from email.utils import format_datetime
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import pipelineos
from pipelineos.analysis.model import BusinessProfile
from pipelineos.analysis.prompt import TOOL_NAME, PostText, Prompt
from pipelineos.integrations.claude import errors
from pipelineos.integrations.claude.client import ClaudeClient, ToolRequest, retry_after
from tests.fakes.claude_server import FakeClaude, Reply

PROMPT = Prompt(BusinessProfile())


def request(*posts: PostText) -> ToolRequest:
    posts = posts or (PostText(1, "Need a plumber in Dallas for leaking water heater", "g"),)
    return ToolRequest(model="claude-test", system=PROMPT.system, tools=PROMPT.tools,
                       tool_name=TOOL_NAME, messages=PROMPT.posts_message(posts),
                       max_tokens=500)


async def test_a_normal_reply_is_the_forced_tool_input_with_usage_and_request_id(
    fake_claude: FakeClaude,
) -> None:
    """Success: the tool's input, Claude's request id, the model and the four token counts."""
    client = ClaudeClient("sk-test", base_url=fake_claude.url, timeout=5)
    try:
        reply = await client.create(request())
    finally:
        await client.aclose()
    assert reply.tool_input["analyses"][0]["post_id"] == 1  # type: ignore[index]
    assert reply.request_id and reply.request_id.startswith("req_fake_")
    assert reply.model == "claude-test"
    assert reply.usage.cache_write_tokens > 0 and reply.usage.output_tokens > 0
    sent = fake_claude.requests[0]
    assert sent.api_key == "sk-test"
    assert sent.body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert sent.headers.get("x-stainless-retry-count") == "0"


@pytest.mark.parametrize(("reply", "error", "retry_after_s"), [
    (Reply.status_error(401), errors.ClaudeAuthError, None),
    (Reply.status_error(403), errors.ClaudeAuthError, None),
    (Reply.status_error(429, retry_after="2"), errors.ClaudeRateLimited, 2.0),
    (Reply.status_error(429, retry_after_ms="150"), errors.ClaudeRateLimited, 0.15),
    (Reply.status_error(500), errors.ClaudeUnavailable, None),
    (Reply.status_error(529, retry_after="1"), errors.ClaudeUnavailable, 1.0),
    (Reply.status_error(400), errors.ClaudeRequestRejected, None),
    (Reply.status_error(404), errors.ClaudeRequestRejected, None),
    (Reply.slow(1.0), errors.ClaudeTimeout, None),
    (Reply.drop(), errors.ClaudeConnectionError, None),
    (Reply.garbage(), errors.ClaudeUnavailable, None),
])
async def test_each_failure_becomes_our_error_kind(
    fake_claude: FakeClaude, reply: Reply, error: type[errors.ClaudeError],
    retry_after_s: float | None,
) -> None:
    """401/403 auth, 429 rate limited (with its retry-after), 5xx and 529 unavailable, other
    4xx rejected, slow replies a timeout, a dropped connection a connection error."""
    fake_claude.script(reply)
    client = ClaudeClient("sk-test", base_url=fake_claude.url, timeout=0.3)
    try:
        with pytest.raises(error) as raised:
            await client.create(request())
    finally:
        await client.aclose()
    assert type(raised.value) is error
    assert getattr(raised.value, "retry_after", None) == retry_after_s
    assert len(fake_claude.requests) == 1, "the SDK's own retries are off"
    assert "fake error" not in str(raised.value), "the vendor's message is not passed on"


async def test_an_unreachable_api_is_a_connection_error() -> None:
    """Nothing listening: a connection error (transient), not a crash."""
    client = ClaudeClient("sk-test", base_url="http://127.0.0.1:9", timeout=0.5)
    try:
        with pytest.raises(errors.ClaudeConnectionError):
            await client.create(request())
    finally:
        await client.aclose()


async def test_prose_instead_of_the_tool_call_leaves_no_tool_input(fake_claude: FakeClaude) -> None:
    """A reply without the forced tool call comes back with ``tool_input`` None (the service
    judges it invalid)."""
    fake_claude.script(Reply.text_only())
    client = ClaudeClient("sk-test", base_url=fake_claude.url, timeout=5)
    try:
        reply = await client.create(request())
    finally:
        await client.aclose()
    assert reply.tool_input is None and reply.stop_reason == "end_turn"


def test_retry_after_reads_milliseconds_seconds_and_dates_and_caps_them() -> None:
    """retry-after-ms wins; seconds and HTTP dates work; absurd waits are capped at 60 s."""
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after": "86400"}) == 60.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (retry_after({"retry-after": later}) or 0) <= 30
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_only_the_claude_integration_imports_anthropic() -> None:
    """The vendor stays inside its wall: no other module of PipelineOS imports ``anthropic``."""
    root = Path(pipelineos.__file__).parent
    wall = root / "integrations" / "claude"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "anthropic" for n in names) and wall not in path.parents:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
