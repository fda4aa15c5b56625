"""The seam other slices use to tell the owner something urgent.

``send_critical_alert`` is the seed's ``NotificationService.sendCriticalAlert``: the AI slice
calls it when Claude's circuit opens. :class:`pipelineos.alerts.service.NotificationService`
implements it (texting through Twilio, or writing to the log when Twilio is not configured).
"""

from __future__ import annotations

from typing import Protocol


class Notifier(Protocol):
    async def send_critical_alert(self, message: str) -> None:
        """Tell the owner now; never raises (a failure to notify is logged, not propagated)."""
        ...
