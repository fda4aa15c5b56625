"""Loopback receivers for the channels beside SMS: an HTTP endpoint (what Apprise's ``json://``
and webhook-style URLs post to) and a real SMTP server (aiosmtpd) for ``mailto://``.

    with serve_http() as hook:                 hook.url("json", "/alerts") -> json://127.0.0.1:P/alerts
        hook.outage = True                     every request is answered 503
        hook.received                          [(path, headers, parsed JSON body)], in order
        hook.raw                               the bodies' bytes, in the same order
    with serve_smtp() as smtp:                 smtp.url(to="owner@example.com") -> mailto://...
        smtp.messages                          [email.message.EmailMessage], in order
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

SMTP_USER = "pipelineos"
SMTP_PASSWORD = "smtp-pass-7c41e9d2"


@dataclass
class HttpReceiver:
    base: str = ""
    outage: bool = False
    received: list[tuple[str, dict[str, str], Any]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # the bodies as sent, in order
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, scheme: str = "json", path: str = "/alerts", userinfo: str = "") -> str:
        host = self.base.split("://", 1)[1]
        return f"{scheme}://{userinfo + '@' if userinfo else ''}{host}{path}"

    def bodies(self, path: str | None = None) -> list[Any]:
        with self.lock:
            return [body for p, _, body in self.received if path is None or p == path]

    def wait_for(self, count: int, path: str | None = None, timeout: float = 10.0) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(self.bodies(path)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.bodies(path))} of {count} requests arrived")
            time.sleep(0.01)
        return self.bodies(path)


def _http_handler(receiver: HttpReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            with receiver.lock:
                receiver.requests += 1
                down = receiver.outage
                if not down:
                    try:
                        body: Any = json.loads(raw)
                    except ValueError:
                        body = raw.decode(errors="replace")
                    receiver.received.append((self.path, dict(self.headers.items()), body))
                    receiver.raw.append(raw)
            status = 503 if down else 200
            data = b'{"ok": false}' if down else b'{"ok": true}'
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

    return Handler


@contextlib.contextmanager
def serve_http() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _http_handler(receiver))
    server.daemon_threads = True
    receiver.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True, name="fake-channel-http")
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class SmtpReceiver:
    """Keeps every message aiosmtpd receives, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.port = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Session,  # noqa: N802 (aiosmtpd hook)
                          envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]  # policy.default gives these
            self.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def url(self, *, to: str = "owner@example.com", sender: str = "alerts@example.com",
            auth: bool = True) -> str:
        user = f"{SMTP_USER}:{SMTP_PASSWORD}@" if auth else ""
        return (f"mailto://{user}127.0.0.1:{self.port}?to={to}&from={sender}"
                "&mode=insecure&smtp=127.0.0.1")

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} of {count} e-mails arrived")
            time.sleep(0.01)


def _authenticate(server: Any, session: Session, envelope: Envelope, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER
          and auth_data.password.decode() == SMTP_PASSWORD)
    return AuthResult(success=ok)


@contextlib.contextmanager
def serve_smtp() -> Iterator[SmtpReceiver]:
    """A real SMTP server on 127.0.0.1 (plain text, AUTH allowed without TLS: loopback only)."""
    receiver = SmtpReceiver()
    with socket.socket() as probe:  # a free port (the controller checks its port by dialling)
        probe.bind(("127.0.0.1", 0))
        receiver.port = probe.getsockname()[1]
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port,
                            authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()
