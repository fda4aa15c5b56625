"""The seam with the ``anthropic`` SDK: one forced tool call in, a plain reply or one of our
errors out; and :meth:`ClaudeClient.check`, a token-free request that tells whether the API
answers (the circuit probe's trial). This module and nothing else in PipelineOS imports
``anthropic``.

The SDK's own retries are off (``max_retries=0``): our retry policy does the retrying, so the
circuit breaker sees one outcome per logical call. The SDK is imported when a client is first
built: it takes seconds to import, and a service without an API key never needs it.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipelineos.integrations.claude import errors
from pipelineos.integrations.claude.usage import Usage

if TYPE_CHECKING:
    import anthropic

DEFAULT_BASE_URL = "https://api.anthropic.com"
# A retry-after longer than this is not worth waiting for inside one logical call.
MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class ToolRequest:
    """A Messages API request that forces one tool call, so the answer is structured."""

    model: str
    system: list[dict[str, Any]]  # text blocks; the last stable one carries cache_control
    tools: list[dict[str, Any]]
    tool_name: str
    messages: list[dict[str, Any]]
    max_tokens: int


@dataclass(frozen=True)
class RawReply:
    """What came back: the forced tool's input (None if Claude did not call it) and the
    bookkeeping every reply carries."""

    tool_input: object | None
    stop_reason: str | None
    request_id: str | None
    message_id: str
    model: str
    usage: Usage


class ClaudeClient:
    """An async Anthropic client with retries off and errors translated."""

    def __init__(self, api_key: str, *, base_url: str | None = None, timeout: float = 60.0) -> None:
        import anthropic

        # The SDK's HTTP client logs every request at INFO; our own events say more, once.
        transport_log = logging.getLogger("httpx2")
        if transport_log.level == logging.NOTSET:
            transport_log.setLevel(logging.WARNING)
        self._sdk_errors = anthropic.AnthropicError
        self._sdk = anthropic.AsyncAnthropic(
            api_key=api_key,
            # Explicit, so neither the environment nor a profile on disk can redirect it.
            base_url=base_url or DEFAULT_BASE_URL,
            max_retries=0,
            timeout=timeout,
        )

    async def create(self, request: ToolRequest) -> RawReply:
        """Send ``request``; raise a :class:`~pipelineos.integrations.claude.errors.ClaudeError`."""
        try:
            # Plain dicts in the Messages API's JSON shape; the SDK's TypedDicts are stricter.
            message = await self._sdk.messages.create(  # type: ignore[call-overload]
                model=request.model,
                max_tokens=request.max_tokens,
                system=request.system,
                tools=request.tools,
                tool_choice={"type": "tool", "name": request.tool_name},
                messages=request.messages,
            )
        except self._sdk_errors as error:
            raise translate(error) from None
        except json.JSONDecodeError:
            # A body that is not JSON at all comes from something in the way (a proxy's error
            # page), not from the model: treat it as the API being unavailable.
            raise errors.ClaudeUnavailable("Claude API reply was not JSON") from None
        tool_input = next(
            (block.input for block in message.content
             if block.type == "tool_use" and block.name == request.tool_name),
            None,
        )
        usage = message.usage
        return RawReply(
            tool_input=tool_input,
            stop_reason=message.stop_reason,
            request_id=getattr(message, "_request_id", None),
            message_id=message.id,
            model=str(message.model),
            usage=Usage(
                input_tokens=usage.input_tokens or 0,
                output_tokens=usage.output_tokens or 0,
                cache_read_tokens=usage.cache_read_input_tokens or 0,
                cache_write_tokens=usage.cache_creation_input_tokens or 0,
            ),
        )

    async def check(self, model: str) -> None:
        """Read ``model``'s entry in the Models API: a request that spends no tokens, answered
        only when the API is up and takes our key. Raise a ``ClaudeError`` like :meth:`create`
        (``ClaudeRequestRejected`` also when the model is retired: requests naming it fail)."""
        try:
            info = await self._sdk.models.retrieve(model)
        except self._sdk_errors as error:
            raise translate(error) from None
        except json.JSONDecodeError:
            raise errors.ClaudeUnavailable("Claude API reply was not JSON") from None
        if getattr(info, "lifecycle", None) == "retired":
            raise errors.ClaudeRequestRejected(f"Claude model {model} is retired", status=404)

    async def aclose(self) -> None:
        await self._sdk.close()


def translate(error: anthropic.AnthropicError) -> errors.ClaudeError:
    """Our error for an SDK error. The SDK's message is not kept: it can quote the request."""
    import anthropic
    if isinstance(error, anthropic.APITimeoutError):
        return errors.ClaudeTimeout("Claude did not reply in time")
    if isinstance(error, anthropic.APIConnectionError):
        return errors.ClaudeConnectionError("Could not connect to the Claude API")
    if isinstance(error, anthropic.APIResponseValidationError):
        return errors.ClaudeInvalidReply("Claude's reply did not parse as a message",
                                         request_id=error.response.headers.get("request-id"))
    if isinstance(error, anthropic.APIStatusError):
        status, request_id = error.status_code, error.request_id
        described = f"Claude API answered {status}"
        if status in (401, 403):
            return errors.ClaudeAuthError(f"{described} (authentication)", status=status,
                                          request_id=request_id)
        if status == 429:
            return errors.ClaudeRateLimited(f"{described} (rate limited)", request_id=request_id,
                                            retry_after=retry_after(error.response.headers))
        if status >= 500 or status in (408, 409):
            return errors.ClaudeUnavailable(f"{described} (unavailable)", status=status,
                                            request_id=request_id,
                                            retry_after=retry_after(error.response.headers))
        return errors.ClaudeRequestRejected(f"{described} (request rejected)", status=status,
                                            request_id=request_id)
    return errors.ClaudeError(f"Claude call failed ({type(error).__name__})")


def retry_after(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    value = headers.get("retry-after-ms")
    try:
        if value is not None:
            return min(MAX_RETRY_AFTER, max(0.0, float(value) / 1000))
    except ValueError:
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(MAX_RETRY_AFTER, max(0.0, when.timestamp() - time.time()))
