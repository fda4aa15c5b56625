"""How ``pipelineos serve`` runs the app: the uvicorn configuration, in one place.

What one client can cost is bounded before the app sees a request:

- **header size**: uvicorn's h11 protocol buffers at most ``MAX_HEADER_BYTES`` of an unfinished
  request line and headers, then answers 400 and closes (h11's incomplete-event limit). The
  httptools protocol, uvicorn's default when installed, has no such limit: 40 sockets sending
  10 MB of unfinished headers each grew the server by 456 MB (``bench/header_flood.py``);
  with h11 and this limit it stays flat. The header count is bounded by that size and
  checked by ``RequestLimits`` (web/middleware.py), as is the body's size and read time.
- **slow or silent clients**: uvicorn closes a connection idle after a reply after
  ``KEEP_ALIVE_SECONDS``, but nothing closes one that never completes a request head (it
  connected and said nothing, or sends a header byte now and then: slowloris), and any byte
  postpones the keep-alive close. :class:`HeadTimeoutH11` closes a connection that has no
  request in progress for ``HEADER_TIMEOUT_SECONDS``, from its start or its last reply.
- **concurrency**: past ``MAX_CONNECTIONS`` open connections or running requests, uvicorn
  answers 503 at once instead of queueing without bound.
"""

from __future__ import annotations

import asyncio

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from pipelineos.config import Settings


def uvicorn_config(settings: Settings, app: ASGIApp) -> uvicorn.Config:
    """The configuration ``pipelineos serve`` runs ``app`` with."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=head_timeout_protocol(settings.header_timeout_seconds),
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_keep_alive=settings.keep_alive_seconds,
        limit_concurrency=settings.max_connections,
        ws="none",  # no WebSocket routes: an Upgrade is an ordinary request
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
        server_header=False,
        # X-Forwarded-For is believed only from TRUSTED_PROXIES, by the app itself (uvicorn
        # would otherwise believe it from any process on 127.0.0.1).
        proxy_headers=False,
    )


def head_timeout_protocol(seconds: float) -> type[H11Protocol]:
    """:class:`HeadTimeoutH11` with its timeout set (uvicorn builds protocols itself)."""
    return type("HeadTimeoutH11", (HeadTimeoutH11,), {"head_timeout": seconds})


class HeadTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol, closing a connection with no request in progress after
    ``head_timeout`` seconds: armed when the connection opens and after each reply, cancelled
    when a request's head has arrived. Only Protocol callbacks and ``cycle`` (the request in
    progress) are used; tests/acceptance/test_server_limits.py notices if uvicorn changes
    them."""

    head_timeout: float = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._in_progress():
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._in_progress():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _in_progress(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.head_timeout, self._expire)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _expire(self) -> None:
        self._head_timer = None
        if not self._in_progress() and not self.transport.is_closing():
            self.transport.close()  # connection_lost tells h11
