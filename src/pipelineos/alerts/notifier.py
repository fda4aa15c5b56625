"""The seam other slices use to tell the owner something urgent.

``send_critical_alert`` is the seed's ``NotificationService.sendCriticalAlert``: the AI slice
calls it when Claude's circuit opens. Until a real notification service is wired in (Twilio),
:class:`LogNotifier` writes the alert to the log, which is also what an unconfigured service does.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)


class Notifier(Protocol):
    async def send_critical_alert(self, message: str) -> None:
        """Tell the owner now; never raises (a failure to notify is logged, not propagated)."""
        ...


class LogNotifier:
    """Critical alerts written to the log only."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_critical_alert(self, message: str) -> None:
        self.sent.append(message)
        log.error("Critical alert", extra={"fields": {"message": message, "channel": "log"}})
