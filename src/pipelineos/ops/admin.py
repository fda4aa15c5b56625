"""Operator switches for circuit breakers, each one logged with who, what, from and to.

    reset       CLOSED, window forgotten: calls flow again at once (the vendor is back)
    force-open  FORCED_OPEN: every call rejected until reset (take a vendor out by hand)
    disable     DISABLED: every call let through, state never changes until reset

With shared state (``CLUSTER_SHARED_STATE``, the default) an action sent to any process moves
the breaker's row in PostgreSQL and every process applies it within a second (LISTEN/NOTIFY);
otherwise it changes the process that receives it. ``pipelineos breaker`` sends it to a server
over HTTP; see docs/operations.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pipelineos.errors import NotFound
from pipelineos.resilience import CircuitBreaker, Registry, State

log = logging.getLogger(__name__)

ACTIONS: dict[str, State] = {
    "reset": State.CLOSED,
    "force-open": State.FORCED_OPEN,
    "disable": State.DISABLED,
}


@dataclass(frozen=True)
class Actor:
    """Who asked: how they got in (``api-key``, ``loopback``), with which key (its name, never
    its value), from where, and the name they gave (``X-Actor``, e.g. ``cli:alice@host``;
    self-declared, logged as such)."""

    access: str
    client: str | None
    name: str | None = None
    key: str | None = None

    def as_fields(self) -> dict[str, Any]:
        return {"access": self.access, "key": self.key, "client": self.client,
                "actor": self.name}


def breaker(registry: Registry, name: str) -> CircuitBreaker:
    try:
        return registry.get_breaker(name)
    except KeyError:
        known = ", ".join(b.name for b in registry.breakers()) or "none"
        raise NotFound(f"No circuit breaker {name!r} (known: {known})") from None


async def apply(registry: Registry, name: str, action: str, actor: Actor) -> tuple[str, str]:
    """Run ``action`` on breaker ``name`` (every process's, when shared); return (from, to)
    states. Raises ``NotFound``."""
    target = breaker(registry, name)
    before = str(target.state)
    await target.move_to(ACTIONS[action])
    after = str(target.state)
    log.warning("Circuit breaker admin action", extra={"fields": {
        "component": "circuit breaker", "name": name, "action": action, "from": before,
        "to": after, "shared": target.shared is not None, **actor.as_fields()}})
    return before, after
