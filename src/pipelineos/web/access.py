"""Who may call ``/api``: the one access rule, applied before any route runs.

- A key set (``PIPELINEOS_API_KEY``, and/or ``PIPELINEOS_API_KEYS``, named keys accepted side
  by side so a key can change without a gap): every ``/api`` request carries one, as
  ``Authorization: Bearer <key>`` or ``X-API-Key: <key>`` (compared in constant time with every
  accepted key), or gets 401. The key's *name* is recorded with the request, never its value.
- None set: ``/api`` answers requests from this machine only (a loopback peer that does not say
  it was forwarded by a proxy); anything else gets 403. The seed's curl commands work on a
  laptop and a server is never left open by a forgotten setting.
- ``/api/webhooks/...`` are called by vendors that cannot send our key; each authenticates its
  caller itself (Twilio's ``X-Twilio-Signature``, an HMAC with the auth token).
- ``/health*``, ``/metrics`` and the OpenAPI pages are outside ``/api`` and open to all: they
  carry no secret, and probes and scrapers must reach them without credentials.

The client address is the TCP peer. ``X-Forwarded-For`` is believed only from the proxies in
``TRUSTED_PROXIES`` (uvicorn's proxy-headers middleware, installed by the app factory when set).

A request that changed something (a write method answered below 400) is logged as ``API
request changed state`` with the key's name, how it got in and the client: an audit trail that
also tells an operator rotating keys which clients still use the old one (so does the
``pipelineos_api_key_requests_total`` metric, fed through ``on_key``).

Guessing the key is throttled per address (:class:`KeyFailures`): after
``API_KEY_MAX_FAILURES`` wrong or missing keys within ``API_KEY_FAILURE_WINDOW_SECONDS``, every
``/api`` request from that address gets 429 with ``Retry-After`` until the window ends, whatever
key it carries; other addresses are not affected.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from pipelineos.clock import Clock

log = logging.getLogger(__name__)

API_PREFIX = "/api"
# Paths under /api whose callers prove themselves by a vendor signature instead of our key.
SELF_AUTHENTICATED_PREFIXES = ("/api/webhooks/",)
# Methods that change state: their accepted requests are logged for audit.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Headers a reverse proxy adds: a loopback peer that sends one is relaying someone else.
_FORWARDING_HEADERS = frozenset({b"forwarded", b"x-forwarded-for", b"x-real-ip"})

MISSING_KEY = ("Missing or invalid API key: send it as 'Authorization: Bearer <key>' or "
               "'X-API-Key: <key>'")
TOO_MANY_FAILURES = "Too many failed API key attempts from this address; retry later"
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


class KeyFailures:
    """Failed API-key attempts per client address, in fixed windows of ``window`` seconds from
    an address's first failure; at ``limit`` failures the address waits for the window's end.

    At most ``max_addresses`` are remembered, the one that failed longest ago forgotten first,
    so an attacker with many addresses cannot grow memory (only shorten its own waits). IPv6
    addresses count per /64, the block one subscriber is given.
    """

    def __init__(self, *, limit: int, window: float, clock: Clock,
                 max_addresses: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_addresses = max_addresses
        self._table: OrderedDict[str, tuple[float, int]] = OrderedDict()  # start, failures

    def __len__(self) -> int:
        return len(self._table)

    def retry_after(self, address: str | None) -> float | None:
        """Seconds until ``address`` may try a key again; None when it may now."""
        key = _throttle_key(address)
        entry = self._table.get(key)
        if entry is None:
            return None
        start, failures = entry
        remaining = start + self.window - self.clock.monotonic()
        if remaining <= 0:
            del self._table[key]
            return None
        return remaining if failures >= self.limit else None

    def failed(self, address: str | None) -> None:
        """Count one failed attempt from ``address``."""
        key = _throttle_key(address)
        now = self.clock.monotonic()
        start, failures = self._table.pop(key, (now, 0))
        if start + self.window <= now:
            start, failures = now, 0
        self._table[key] = (start, failures + 1)
        while len(self._table) > self.max_addresses:
            self._table.popitem(last=False)
        if failures + 1 == self.limit:
            log.warning("API key attempts throttled", extra={"fields": {
                "client": address, "failures": self.limit,
                "retryAfter": round(start + self.window - now, 1)}})


def _throttle_key(address: str | None) -> str:
    try:
        parsed = ipaddress.ip_address((address or "").split("%", 1)[0])
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class ApiAccess:
    """ASGI middleware enforcing the rule above; records how a request got in as
    ``request.state.access`` (``"api-key"``, ``"loopback"``), the key's name as
    ``request.state.key`` (None for loopback) and the client's address as
    ``request.state.client`` for audit logs. ``on_key(name)`` is called for each request a
    key let in (metrics)."""

    def __init__(self, app: ASGIApp, *, keys: Mapping[str, str], failures: KeyFailures,
                 trusted_proxies: tuple[Network, ...] = (),
                 on_key: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.keys = [(name, key.encode()) for name, key in keys.items()]
        self.failures = failures
        self.trusted = trusted_proxies
        self.on_key = on_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not needs_access_check(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        peer = scope["client"][0] if scope.get("client") else None
        client, vouched = client_address(peer, headers, self.trusted)
        key_name: str | None = None
        if self.keys:
            wait = self.failures.retry_after(client)
            if wait is not None:
                await _reply(send, 429, TOO_MANY_FAILURES,
                             [(b"retry-after", str(math.ceil(wait)).encode())])
                return
            key_name = self._key_name(headers)
            if key_name is None:
                self.failures.failed(client)
                await _reply(send, 401, MISSING_KEY,
                             [(b"www-authenticate", b'Bearer realm="pipelineos"')])
                return
            how = "api-key"
            if self.on_key is not None:
                self.on_key(key_name)
        elif is_loopback(client) and (vouched or not _forwarded(headers)):
            # A proxy on this machine relaying the internet also connects from loopback: a
            # request it says it forwarded is not a local one unless the proxy is trusted
            # (and then the forwarded address is the one judged).
            how = "loopback"
        else:
            await _reply(send, 403, LOOPBACK_ONLY)
            return
        state = scope.setdefault("state", {})
        state["access"], state["client"], state["key"] = how, client, key_name
        if scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        status = 500

        async def noting_send(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        finally:
            if status < 400:
                log.info("API request changed state", extra={"fields": {
                    "method": scope["method"], "path": scope["path"][:200], "status": status,
                    "key": key_name, "access": how, "client": client}})

    def _key_name(self, headers: list[tuple[bytes, bytes]]) -> str | None:
        """The name of the accepted key the request carries, or None."""
        found: str | None = None
        for name, value in headers:
            if name == b"authorization":
                scheme, _, token = value.partition(b" ")
                candidate = token.strip() if scheme.lower() == b"bearer" else b""
            elif name == b"x-api-key":
                candidate = value.strip()
            else:
                continue
            # Every candidate is compared with every key (no early exit), each comparison in
            # constant time: how long it takes says nothing about which key came close.
            for key_name, key in self.keys:
                if hmac.compare_digest(candidate, key) and found is None:
                    found = key_name
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
