"""Who may use the dashboard, and proof that a form was sent by our own page.

The rule is the API's (web/access.py): with ``PIPELINEOS_API_KEY``/``PIPELINEOS_API_KEYS``
set, a person signs in once with a key and gets a session cookie (HttpOnly, SameSite=Strict,
Secure over HTTPS); with no key, only this machine (loopback, not relayed by a proxy) may use it.

A session cookie is ``<key name hex>.<issued unix>.<nonce>.<signature>``, the signature an
HMAC-SHA256 with the key itself: nothing is stored on the server, a session ends when it
expires, and removing (rotating out) a key ends every session it opened. The key's value never
leaves the server.

Every state-changing request carries a CSRF token (a hidden field, or the ``X-CSRF-Token``
header htmx sends): an HMAC of the session's nonce, which another site can neither read nor
guess. Without keys the token is an HMAC with a secret drawn when the process starts.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from hashlib import sha256

from starlette.requests import Request

from pipelineos.web import access

COOKIE = "pipelineos_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Viewer:
    """A person let in: by which key (its name) or ``loopback``, and their CSRF token."""

    who: str
    csrf: str
    access: str  # "session" or "loopback"
    client: str | None


class DashboardAccess:
    def __init__(self, *, keys: Mapping[str, str], failures: access.KeyFailures,
                 trusted_proxies: tuple[access.Network, ...], session_seconds: float,
                 wall: Callable[[], float] = time.time) -> None:
        self.keys = {name: key.encode() for name, key in keys.items()}
        self.failures = failures
        self.trusted = trusted_proxies
        self.session_seconds = session_seconds
        self.wall = wall
        self._loopback_secret = secrets.token_bytes(32)

    @property
    def needs_login(self) -> bool:
        return bool(self.keys)

    def client(self, request: Request) -> tuple[str | None, bool]:
        peer = request.client.host if request.client else None
        return access.client_address(peer, request.headers.raw, self.trusted)

    def viewer(self, request: Request) -> Viewer | None:
        """Who is asking, or None when they must sign in (or, without keys, may not come in)."""
        client, vouched = self.client(request)
        if not self.keys:
            forwarded = access._forwarded(request.headers.raw)
            if access.is_loopback(client) and (vouched or not forwarded):
                token = hmac.new(self._loopback_secret, b"csrf", sha256).hexdigest()
                return Viewer("loopback", token, "loopback", client)
            return None
        cookie = request.cookies.get(COOKIE)
        found = self._verify(cookie) if cookie else None
        if found is None:
            return None
        name, nonce = found
        return Viewer(name, self._csrf(name, nonce), "session", client)

    def sign_in(self, request: Request, key: str) -> str | None:
        """The cookie value for a session opened with ``key``, or None for a wrong key."""
        candidate = key.strip().encode()
        found: str | None = None
        for name, value in self.keys.items():  # every key compared, in constant time
            if hmac.compare_digest(candidate, value) and found is None:
                found = name
        if found is None:
            self.failures.failed(self.client(request)[0])
            return None
        issued = str(int(self.wall()))
        nonce = secrets.token_hex(16)
        payload = f"{found.encode().hex()}.{issued}.{nonce}"
        return f"{payload}.{self._sign(found, payload)}"

    def viewer_name(self, cookie: str) -> str | None:
        """The key name a session cookie was opened with (for the sign-in log)."""
        found = self._verify(cookie)
        return found[0] if found else None

    def throttled(self, request: Request) -> float | None:
        """Seconds this client must wait before trying a key again (shared with /api)."""
        return self.failures.retry_after(self.client(request)[0])

    def csrf_ok(self, viewer: Viewer, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(viewer.csrf.encode(), sent.encode())

    def _sign(self, name: str, payload: str) -> str:
        return hmac.new(self.keys[name], b"session:" + payload.encode(), sha256).hexdigest()

    def _csrf(self, name: str, nonce: str) -> str:
        return hmac.new(self.keys[name], b"csrf:" + nonce.encode(), sha256).hexdigest()

    def _verify(self, cookie: str) -> tuple[str, str] | None:
        parts = cookie.split(".")
        if len(parts) != 4:
            return None
        name_hex, issued, nonce, signature = parts
        try:
            name = bytes.fromhex(name_hex).decode()
            age = self.wall() - int(issued)
        except ValueError:
            return None
        if name not in self.keys or not 0 <= age <= self.session_seconds:
            return None
        expected = self._sign(name, f"{name_hex}.{issued}.{nonce}")
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            return None
        return name, nonce
