"""ASGI middleware: HTTP request timing for metrics, and the request body size limit (413)
before any route reads the body. Access control is in ``web/access.py``."""

from __future__ import annotations

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


class BodySizeLimit:
    """Refuses bodies over ``max_bytes`` with 413, by Content-Length or while streaming;
    ``per_path`` gives some paths (bulk intake) a limit of their own."""

    def __init__(self, app: ASGIApp, max_bytes: int,
                 per_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.default_max = max_bytes
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.per_path.get(scope.get("path", ""), self.default_max)
        for name, value in scope.get("headers", ()):
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
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
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


class _TooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI's body parser passes it
    through to the error handlers instead of turning it into a generic 400."""

    def __init__(self) -> None:
        super().__init__(413, "Request body too large")


async def _reply(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
