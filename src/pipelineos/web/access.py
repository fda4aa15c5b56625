"""Who may call ``/api``: the one access rule, applied before any route runs.

- ``PIPELINEOS_API_KEY`` set: every ``/api`` request carries it, as ``Authorization: Bearer
  <key>`` or ``X-API-Key: <key>`` (compared in constant time), or gets 401.
- Not set: ``/api`` answers requests from this machine only (a loopback peer that does not say
  it was forwarded by a proxy); anything else gets 403. The seed's curl commands work on a
  laptop and a server is never left open by a forgotten setting.
- ``/api/webhooks/...`` are called by vendors that cannot send our key; each authenticates its
  caller itself (Twilio's ``X-Twilio-Signature``, an HMAC with the auth token).
- ``/health*``, ``/metrics`` and the OpenAPI pages are outside ``/api`` and open to all: they
  carry no secret, and probes and scrapers must reach them without credentials.

The client address is the TCP peer. ``X-Forwarded-For`` is believed only from the proxies in
``TRUSTED_PROXIES`` (uvicorn's proxy-headers middleware, installed by the app factory when set).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api"
# Paths under /api whose callers prove themselves by a vendor signature instead of our key.
SELF_AUTHENTICATED_PREFIXES = ("/api/webhooks/",)
# Headers a reverse proxy adds: a loopback peer that sends one is relaying someone else.
_FORWARDING_HEADERS = frozenset({b"forwarded", b"x-forwarded-for", b"x-real-ip"})

MISSING_KEY = ("Missing or invalid API key: send it as 'Authorization: Bearer <key>' or "
               "'X-API-Key: <key>'")
LOOPBACK_ONLY = ("PIPELINEOS_API_KEY is not set, so /api answers only requests from this "
                 "machine (loopback); set PIPELINEOS_API_KEY to allow other clients")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host == "localhost"


def needs_access_check(path: str) -> bool:
    """Whether ``path`` is under the access rule (``/api`` and not a vendor webhook)."""
    return (path == API_PREFIX or path.startswith(API_PREFIX + "/")) and not path.startswith(
        SELF_AUTHENTICATED_PREFIXES)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(items: list[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def _within(host: str, trusted: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return any(address in network for network in trusted)


def client_address(peer: str | None, headers: list[tuple[bytes, bytes]],
                   trusted: tuple[Network, ...]) -> tuple[str | None, bool]:
    """The client's address and whether a trusted proxy vouched for it.

    From a trusted proxy, the right-most ``X-Forwarded-For`` hop that is not itself a trusted
    proxy (hops to its left can be written by anyone); from anyone else, the TCP peer.
    """
    if peer is None or not trusted or not _within(peer, trusted):
        return peer, False
    hops = [hop.strip() for name, value in headers if name == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _within(hop, trusted):
            return hop, True
    return (hops[0] if hops else peer), True


class ApiAccess:
    """ASGI middleware enforcing the rule above; records how a request got in as
    ``request.state.access`` (``"api-key"``, ``"loopback"``) and the client's address as
    ``request.state.client`` for audit logs."""

    def __init__(self, app: ASGIApp, *, api_key: str | None,
                 trusted_proxies: tuple[Network, ...] = ()) -> None:
        self.app = app
        self.key = api_key.encode() if api_key else None
        self.trusted = trusted_proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not needs_access_check(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        peer = scope["client"][0] if scope.get("client") else None
        client, vouched = client_address(peer, headers, self.trusted)
        if self.key is not None:
            if not self._has_key(headers):
                await _reply(send, 401, MISSING_KEY,
                             [(b"www-authenticate", b'Bearer realm="pipelineos"')])
                return
            how = "api-key"
        elif is_loopback(client) and (vouched or not _forwarded(headers)):
            # A proxy on this machine relaying the internet also connects from loopback: a
            # request it says it forwarded is not a local one unless the proxy is trusted
            # (and then the forwarded address is the one judged).
            how = "loopback"
        else:
            await _reply(send, 403, LOOPBACK_ONLY)
            return
        state = scope.setdefault("state", {})
        state["access"], state["client"] = how, client
        await self.app(scope, receive, send)

    def _has_key(self, headers: list[tuple[bytes, bytes]]) -> bool:
        assert self.key is not None
        found = False
        for name, value in headers:
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                candidate = token.strip() if scheme.lower() == b"bearer" else b""
            elif name == b"x-api-key":
                candidate = value.strip()
            else:
                continue
            # Every candidate is compared (no early exit) and each comparison is constant-time.
            found |= hmac.compare_digest(candidate, self.key)
        return found


def _forwarded(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(name in _FORWARDING_HEADERS for name, _ in headers)


async def _reply(send: Send, status: int, message: str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"error": message}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
