"""ASGI middleware: HTTP request timing for metrics, HEAD answered as GET, and the limits of
one request (header count, body size and body time) before any route reads it. Access control
is in ``web/access.py``."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipelineos.ops.metrics import Metrics
from pipelineos.web.openapi import RouteTable


class HttpMetrics:
    """Times every HTTP request into ``Metrics.http`` by method, route and status.

    The route label is the template of the route the path belongs to (``/api/leads/{lead_id}``),
    found even for requests refused before routing (401, 403, 413), or ``unmatched`` for a path
    no route serves: arbitrary URLs never become label values.
    """

    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: Callable[[], RouteTable]
                 ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception that escapes every handler becomes a 500

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            route = self.routes().template(scope["path"]) or "unmatched"
            self.metrics.http.labels(scope["method"], route, str(status)).observe(
                time.perf_counter() - started)


class HeadAsGet:
    """HEAD is answered wherever GET is: the GET route runs and its body is dropped. Starlette
    does this for its own routes (/docs, /openapi.json); FastAPI's routes take only the methods
    they declare, and declaring HEAD on each would put a second operation in the OpenAPI."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class RequestLimits:
    """What one request may hold, checked before any route reads it:

    - at most ``max_headers`` header lines (431); their total size is bounded earlier, by the
      HTTP parser (web/server.py);
    - a body of at most ``max_bytes`` (``per_path`` gives some paths, bulk intake, a limit of
      their own), by Content-Length or while streaming (413);
    - the whole body within ``body_seconds`` of the request's start (408), so a client that
      sends a byte now and then cannot hold a connection and a task forever.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, per_path: dict[str, int] | None = None,
                 max_headers: int, body_seconds: float) -> None:
        self.app = app
        self.default_max = max_bytes
        self.per_path = per_path or {}
        self.max_headers = max_headers
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers", ())
        if len(headers) > self.max_headers:
            await _reply(send, 431, f"More than {self.max_headers} request headers")
            return
        max_bytes = self.per_path.get(scope.get("path", ""), self.default_max)
        for name, value in headers:
            if name == b"content-length":
                try:
                    too_big = int(value) > max_bytes
                except ValueError:
                    await _reply(send, 400, "Invalid Content-Length")
                    return
                if too_big:
                    await _reply(send, 413, f"Request body over {max_bytes} bytes")
                    return
        received = 0
        body_done = False
        deadline = asyncio.get_running_loop().time() + self.body_seconds
        started = False

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body only a disconnect comes, whenever it comes
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise _TooSlow(self.body_seconds) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if received > max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _reply(send, 413, f"Request body over {max_bytes} bytes")
        except _TooSlow:
            if not started:
                await _reply(send, 408, f"Request body not received within "
                                        f"{self.body_seconds:g} seconds")


class _TooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI's body parser passes it
    through to the error handlers instead of turning it into a generic 400."""

    def __init__(self) -> None:
        super().__init__(413, "Request body too large")


class _TooSlow(HTTPException):
    """Raised when the body is late; an HTTPException for the same reason as :class:`_TooLarge`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"Request body not received within {seconds:g} seconds")


async def _reply(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
